from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .assessments import Assessment, PlanTask
from .criteria import POINTS, Item


class RemedyPlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ACCEPTED = "accepted", "Đã chấp nhận"


class RemedyPlan(models.Model):
    """Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số CCHC năm N+1, drafted from the points
    assessment N lost. Accepting it turns its lines into tasks of year N+1's plan (PlanTask)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="remedy_plan",
                                      verbose_name="kết quả năm")
    number = models.CharField("số kế hoạch", max_length=30, blank=True,
                              help_text="Ví dụ: 12 (thành “Số: 12/KH-UBND”); để trống khi chưa lấy số.")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=RemedyPlanStatus.choices,
                              default=RemedyPlanStatus.DRAFT)
    accepted_at = models.DateTimeField("chấp nhận lúc", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="người chấp nhận")
    # Year N+1's assessment the accepted lines went to; empty while that year is not opened yet.
    transferred_to = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="remedy_plans_received", verbose_name="chuyển vào kế hoạch năm")
    transferred_at = models.DateTimeField("chuyển lúc", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kế hoạch khắc phục"
        verbose_name_plural = "kế hoạch khắc phục"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", accepted_at__isnull=True)
                | Q(status="accepted", accepted_at__isnull=False),
                name="remedy_accepted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(transferred_to__isnull=True) | Q(status="accepted"),
                name="remedy_transfer_only_accepted",
            ),
            models.CheckConstraint(
                condition=Q(transferred_to__isnull=True) | ~Q(transferred_to=models.F("assessment")),
                name="remedy_transfer_to_another_year",
            ),
        ]

    def __str__(self):
        return f"Kế hoạch khắc phục — {self.assessment}"

    @property
    def is_draft(self):
        return self.status == RemedyPlanStatus.DRAFT


class RemedyLine(models.Model):
    """One task of the plan: proposed from a weak item (item, points lost) or added by the commune."""

    plan = models.ForeignKey(RemedyPlan, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveIntegerField("STT", default=0)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="tiêu chí")
    points_lost = models.DecimalField("điểm bị mất", null=True, blank=True, **POINTS)
    content = models.TextField("nội dung nhiệm vụ")
    lead = models.CharField("đơn vị, người chủ trì", max_length=200, blank=True)
    deadline = models.DateField("thời hạn", null=True, blank=True)
    expected_output = models.CharField("sản phẩm dự kiến", max_length=300, blank=True)
    plan_task = models.OneToOneField(PlanTask, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="remedy_line", verbose_name="nhiệm vụ kế hoạch năm sau")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhiệm vụ khắc phục"
        verbose_name_plural = "nhiệm vụ khắc phục"
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="remedy_line_content_required"),
            models.CheckConstraint(condition=Q(points_lost__isnull=True) | Q(points_lost__gt=0),
                                   name="remedy_line_points_lost_positive"),
        ]

    def __str__(self):
        return self.content[:80]
