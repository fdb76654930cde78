from django.db import models
from django.db.models import Q

from .criteria import POINTS, Item


class CheckKind(models.TextChoices):
    EVIDENCE = "evidence", "Có điểm phải có tài liệu kiểm chứng"
    FIGURE = "figure", "Điểm không vượt mức khi số liệu chưa đạt ngưỡng"
    LAST_YEAR = "last_year", "Điểm không cao hơn nhiều so với năm trước"


class CheckSeverity(models.TextChoices):
    ERROR = "error", "Lỗi (chặn nộp)"
    WARNING = "warning", "Cảnh báo"


class CheckFigure(models.TextChoices):
    """The commune's own yearly figures a rule can compare a score with (parindex.selectors.plan)."""

    PLAN_COMPLETION = "plan_completion", "Tỷ lệ hoàn thành kế hoạch CCHC"
    ONLINE_RATE = "online_rate", "Tỷ lệ hồ sơ trực tuyến"
    FULLY_ONLINE_RATE = "fully_online_rate", "Tỷ lệ hồ sơ trực tuyến toàn trình"
    DIGITISED_RATE = "digitised_rate", "Tỷ lệ số hóa kết quả giải quyết hồ sơ"


class CrossCheckRule(models.Model):
    """A validation rule the criteria set declares for one of its items (like DHIS2's validation
    rules); the set is the item's. On a criterion or an area the rule reads the sum of the leaves below it, which is how a
    set declares area-level sums; an evidence rule on a heading applies to each leaf below it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="check_rules", verbose_name="tiêu chí")
    order = models.PositiveIntegerField("thứ tự", default=0)
    kind = models.CharField("loại kiểm tra", max_length=12, choices=CheckKind.choices)
    severity = models.CharField("mức độ", max_length=8, choices=CheckSeverity.choices,
                                default=CheckSeverity.WARNING)
    figure = models.CharField("số liệu so sánh", max_length=20, choices=CheckFigure.choices, blank=True)
    threshold = models.DecimalField(
        "ngưỡng (%)", null=True, blank=True, **POINTS,
        help_text="Để trống: dùng ngưỡng của kỳ đánh giá (tỷ lệ hồ sơ trực tuyến, số hóa).",
    )
    limit = models.DecimalField(
        "giới hạn điểm", null=True, blank=True, **POINTS,
        help_text="Loại số liệu: điểm tối đa khi chưa đạt ngưỡng (để trống: chưa đạt ngưỡng thì không được "
                  "điểm tối đa của mục). Loại năm trước: mức tăng tối đa (điểm).",
    )
    message = models.TextField("thông báo")

    class Meta:
        verbose_name = "quy tắc kiểm tra chéo"
        verbose_name_plural = "quy tắc kiểm tra chéo"
        ordering = ["item__sort_key", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CheckKind.values), name="crosscheck_kind_valid"),
            models.CheckConstraint(condition=Q(severity__in=CheckSeverity.values), name="crosscheck_severity_valid"),
            models.CheckConstraint(condition=~Q(message=""), name="crosscheck_message_required"),
            models.CheckConstraint(condition=Q(limit__isnull=True) | Q(limit__gte=0), name="crosscheck_limit_positive"),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | (Q(threshold__gte=0) & Q(threshold__lte=100)),
                name="crosscheck_threshold_percent",
            ),
            # Each kind carries exactly the parameters it reads.
            models.CheckConstraint(
                condition=~Q(kind="figure") | Q(figure__in=CheckFigure.values),
                name="crosscheck_figure_params",
            ),
            models.CheckConstraint(
                condition=~Q(kind="last_year") | (Q(figure="") & Q(threshold__isnull=True) & Q(limit__isnull=False)),
                name="crosscheck_last_year_params",
            ),
            models.CheckConstraint(
                condition=~Q(kind="evidence") | (Q(figure="") & Q(threshold__isnull=True) & Q(limit__isnull=True)),
                name="crosscheck_evidence_params",
            ),
        ]

    def __str__(self):
        return f"{self.item.code}: {self.get_kind_display()}"
