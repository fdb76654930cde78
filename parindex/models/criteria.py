from decimal import Decimal

from django.db import models
from django.db.models import Q

from communes.models import Unit, UnitKind

POINTS = {"max_digits": 7, "decimal_places": 2}


class CriteriaSetStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    ACTIVE = "active", "Đang áp dụng"
    RETIRED = "retired", "Ngừng áp dụng"


class CriteriaSet(models.Model):
    """A province's Bộ chỉ số, versioned by its issuing decision. Once a year uses it, it is frozen
    (services refuse edits); changes go into a copy (criteria_set_copy).

    `province` owns the set: only that province's administrators (and superusers) see and edit it.
    A set without a province is a national template: every province sees it, uses it for a year or
    copies it, but only a superuser edits it."""

    code = models.SlugField("mã bộ chỉ số", max_length=60, unique=True)
    name = models.CharField("tên bộ chỉ số", max_length=300)
    unit_kinds = models.JSONField(
        "áp dụng cho loại đơn vị", default=list,
        help_text="Danh sách mã loại đơn vị, ví dụ [\"xa\", \"phuong\", \"thi_tran\"]",
    )
    decision_number = models.CharField("số, ký hiệu quyết định ban hành", max_length=60, blank=True)
    decision_date = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    # The legal basis is printed whole in every report ("… về phê duyệt Đề án “…” giai đoạn 2023-2030").
    decision_title = models.CharField(
        "trích yếu quyết định", max_length=500, blank=True,
        help_text="Ví dụ: phê duyệt Đề án “Xác định Chỉ số cải cách hành chính của … trên địa bàn tỉnh Quảng Ngãi”",
    )
    period = models.CharField("giai đoạn áp dụng", max_length=40, blank=True, help_text="Ví dụ: 2023-2030")
    declared_total = models.DecimalField("tổng điểm tối đa", default=Decimal("100"), **POINTS)
    precision = models.PositiveSmallIntegerField("số chữ số thập phân khi hiển thị", default=2)
    bands = models.JSONField(
        "xếp loại", default=list, blank=True,
        help_text="Danh sách theo thứ tự giảm dần: [{\"label\": \"Tốt\", \"min_percent\": 90}, …]",
    )
    bonus_cap = models.DecimalField("điểm thưởng tối đa", null=True, blank=True, **POINTS)
    penalty_cap = models.DecimalField("điểm trừ tối đa", null=True, blank=True, **POINTS)
    status = models.CharField("trạng thái", max_length=10, choices=CriteriaSetStatus.choices,
                              default=CriteriaSetStatus.DRAFT)
    is_sample = models.BooleanField(
        "nội dung mẫu", default=False,
        help_text="Nội dung dưới cấp lĩnh vực là mẫu, không phải văn bản chính thức: cần nhập file chính thức.",
    )
    note = models.TextField("ghi chú", blank=True)
    province = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="criteria_sets",
        verbose_name="tỉnh sở hữu",
        help_text="Để trống: bộ mẫu toàn quốc, các tỉnh chỉ xem, dùng hoặc sao chép.",
    )
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="copies", verbose_name="sao chép từ")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bộ chỉ số"
        verbose_name_plural = "bộ chỉ số"
        ordering = ["-decision_date", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(declared_total__gt=0), name="criteriaset_total_positive"),
            models.CheckConstraint(condition=Q(precision__lte=4), name="criteriaset_precision_range"),
            models.CheckConstraint(condition=Q(bonus_cap__isnull=True) | Q(bonus_cap__gte=0), name="criteriaset_bonus_cap"),
            models.CheckConstraint(condition=Q(penalty_cap__isnull=True) | Q(penalty_cap__gte=0), name="criteriaset_penalty_cap"),
        ]

    def __str__(self):
        return f"{self.name} ({self.decision_number})" if self.decision_number else self.name

    @property
    def is_frozen(self):
        return self.years.exists()

    def unit_kind_labels(self):
        labels = dict(UnitKind.choices)
        return ", ".join(labels.get(k, k) for k in self.unit_kinds)


class ItemLevel(models.TextChoices):
    AREA = "area", "Lĩnh vực"
    CRITERION = "criterion", "Tiêu chí"
    SUB_CRITERION = "sub_criterion", "Tiêu chí thành phần"


class ScoringMethod(models.TextChoices):
    SELF = "self", "Xã tự chấm"
    SURVEY = "survey", "Điều tra xã hội học"
    EXTERNAL = "external", "Số liệu từ hệ thống / cơ quan khác"


class Item(models.Model):
    """One node of the set: area → criterion → sub-criterion. Scores attach to leaves only.
    `area` points at the node's area (itself for an area) so per-area totals are one GROUP BY."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="items",
                                     verbose_name="bộ chỉ số")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               verbose_name="mục cha")
    area = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name="lĩnh vực")
    level = models.CharField("cấp", max_length=16, choices=ItemLevel.choices)
    code = models.CharField("mã", max_length=20)
    name = models.TextField("nội dung")
    order = models.PositiveIntegerField("thứ tự", default=0)
    sort_key = models.CharField(max_length=80, editable=False, db_index=True)
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    is_leaf = models.BooleanField("được chấm điểm", default=True)
    scoring_guide = models.TextField("hướng dẫn chấm điểm", blank=True)
    evidence_guide = models.TextField("tài liệu kiểm chứng", blank=True)
    allows_not_applicable = models.BooleanField("cho phép 'không áp dụng'", default=False)
    scoring_method = models.CharField("cách chấm", max_length=10, choices=ScoringMethod.choices,
                                      default=ScoringMethod.SELF)
    requires_evidence = models.BooleanField("bắt buộc có tài liệu kiểm chứng hoặc giải trình", default=True)
    is_sample = models.BooleanField("nội dung mẫu", default=False)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["criteria_set", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_item_code"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="item_max_not_negative"),
            models.CheckConstraint(
                condition=Q(level="area", parent__isnull=True) | (~Q(level="area") & Q(parent__isnull=False)),
                name="item_parent_matches_level",
            ),
        ]
        indexes = [models.Index(fields=["criteria_set", "is_leaf"])]

    def __str__(self):
        return f"{self.code}. {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = self.sort_key_for(self.code)
        super().save(*args, **kwargs)

    @staticmethod
    def sort_key_for(code):
        # "1.10.2" sorts after "1.9": pad each numeric part.
        return ".".join(part.zfill(4) for part in code.split("."))

    @property
    def depth(self):
        return self.code.count(".")

    @property
    def is_self_scored(self):
        return self.scoring_method == ScoringMethod.SELF
