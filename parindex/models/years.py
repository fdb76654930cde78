from decimal import Decimal

from django.db import models
from django.db.models import Q

from communes.models import Unit

from .criteria import POINTS, CriteriaSet


class RankingScope(models.TextChoices):
    DISTRICT = "district", "Trong huyện (trước 7/2025)"
    PROVINCE = "province", "Trong tỉnh (chính quyền hai cấp)"


class EvaluationYear(models.Model):
    """Kỳ đánh giá: one year of one province on one criteria set, with its dated stages.
    Opening it creates one assessment per commune in scope (evaluation_year_open)."""

    year = models.PositiveSmallIntegerField("năm đánh giá")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="years",
                                     verbose_name="bộ chỉ số")
    scope = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="evaluation_years",
                              verbose_name="phạm vi (tỉnh)")
    theme = models.TextField("chủ đề năm", blank=True)
    ranking_scope = models.CharField("phạm vi xếp hạng", max_length=10, choices=RankingScope.choices,
                                     default=RankingScope.DISTRICT)
    self_assessment_opens = models.DateTimeField("mở tự đánh giá", null=True, blank=True)
    self_assessment_deadline = models.DateTimeField("hạn tự đánh giá", null=True, blank=True)
    appraisal_round1_deadline = models.DateTimeField("hạn thẩm định vòng 1", null=True, blank=True)
    explanation_deadline = models.DateTimeField("hạn giải trình", null=True, blank=True)
    appraisal_round2_deadline = models.DateTimeField("hạn thẩm định vòng 2", null=True, blank=True)
    publication_date = models.DateTimeField("ngày công bố dự kiến", null=True, blank=True)
    online_filing_threshold = models.DecimalField("ngưỡng tỷ lệ hồ sơ trực tuyến (%)", default=Decimal("95"), **POINTS)
    digitisation_threshold = models.DecimalField("ngưỡng tỷ lệ số hóa kết quả (%)", null=True, blank=True, **POINTS)
    requires_leader_approval = models.BooleanField(
        "lãnh đạo xã phải duyệt trước khi nộp", default=False,
    )
    opened_at = models.DateTimeField("đã mở lúc", null=True, blank=True)
    published_at = models.DateTimeField("đã công bố lúc", null=True, blank=True)
    publication_decision_number = models.CharField("số quyết định công bố", max_length=60, blank=True)
    publication_decision_date = models.DateField("ngày quyết định công bố", null=True, blank=True)

    class Meta:
        verbose_name = "kỳ đánh giá"
        verbose_name_plural = "kỳ đánh giá"
        ordering = ["-year", "scope__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "scope"], name="unique_year_per_scope"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="year_range"),
            models.CheckConstraint(
                condition=Q(self_assessment_deadline__isnull=True) | Q(self_assessment_opens__isnull=True)
                | Q(self_assessment_deadline__gt=models.F("self_assessment_opens")),
                name="year_self_assessment_window",
            ),
            models.CheckConstraint(
                condition=Q(online_filing_threshold__gte=0) & Q(online_filing_threshold__lte=100),
                name="year_online_threshold_percent",
            ),
        ]

    def __str__(self):
        return f"Năm {self.year} — {self.scope}"

    @property
    def is_published(self):
        return self.published_at is not None
