from django.conf import settings
from django.db import models
from django.db.models import Q


class UnitKind(models.TextChoices):
    PROVINCE = "tinh", "tỉnh"
    CITY = "thanh_pho_tw", "thành phố"
    DISTRICT = "huyen", "huyện"
    TOWN_DISTRICT = "thi_xa", "thị xã"
    URBAN_DISTRICT = "quan", "quận"
    PROVINCIAL_CITY = "thanh_pho", "thành phố"
    COMMUNE = "xa", "xã"
    WARD = "phuong", "phường"
    TOWNSHIP = "thi_tran", "thị trấn"
    SPECIAL_ZONE = "dac_khu", "đặc khu"
    # A provincial department (sở, ngành) whose staff appraise the areas assigned to them. It sits
    # under the province but has no communes below it: its appraisers see communes only through
    # appraisal assignments, never through the subtree rule.
    DEPARTMENT = "so_nganh", "sở, ngành"


PROVINCE_KINDS = {UnitKind.PROVINCE, UnitKind.CITY}
DISTRICT_KINDS = {UnitKind.DISTRICT, UnitKind.TOWN_DISTRICT, UnitKind.URBAN_DISTRICT, UnitKind.PROVINCIAL_CITY}
COMMUNE_KINDS = {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE}
DEPARTMENT_KINDS = {UnitKind.DEPARTMENT}


class Unit(models.Model):
    """An administrative unit. `path` holds the codes from the province down ("/51/513/21199/")
    so that a subtree is one indexed prefix query, at national scale too."""

    name = models.CharField("tên", max_length=120, help_text="Tên riêng, ví dụ: Ba Thành")
    kind = models.CharField("loại", max_length=16, choices=UnitKind.choices)
    code = models.CharField("mã", max_length=20, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name="đơn vị cấp trên", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    parent_name = models.CharField(
        "tên cơ quan chủ quản trên tiêu đề (nếu có)", max_length=120, blank=True,
        help_text="Chỉ dùng khi địa phương yêu cầu dòng cơ quan chủ quản, ví dụ: UBND HUYỆN BA TƠ",
    )
    is_illustrative = models.BooleanField("dữ liệu minh họa", default=False)
    predecessors = models.ManyToManyField(
        "self", through="UnitLineage", symmetrical=False, related_name="successors", blank=True,
        verbose_name="đơn vị hợp nhất vào",
    )

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent_id else '/'}{self.code}/"
        super().save(*args, **kwargs)

    @property
    def is_commune(self):
        return self.kind in COMMUNE_KINDS

    @property
    def is_district(self):
        return self.kind in DISTRICT_KINDS

    @property
    def is_province(self):
        return self.kind in PROVINCE_KINDS

    @property
    def kind_label(self):
        return self.get_kind_display()

    @property
    def _generic_word_capitalised(self):
        # Phụ lục II NĐ30: "Phường 1" (a number as name) but "xã Ba Thành".
        return self.name[:1].isdigit()

    @property
    def is_department(self):
        return self.kind in DEPARTMENT_KINDS

    @property
    def display_name(self):
        """"xã Ba Thành", "Phường 3"; a department is named in full ("Sở Tư pháp")."""
        if self.is_department:
            return self.name
        word = self.kind_label.capitalize() if self._generic_word_capitalised else self.kind_label
        return f"{word} {self.name}"

    @property
    def place_name(self):
        """The địa danh of ô 4: "Ba Thành", but "Phường 3" for units named by a number."""
        return self.display_name if self._generic_word_capitalised else self.name

    @property
    def committee_name(self):
        """"Ủy ban nhân dân xã Ba Thành"."""
        return f"Ủy ban nhân dân {self.display_name}"

    @property
    def committee_short(self):
        return f"UBND {self.display_name}"

    @property
    def header_lines(self):
        """The issuer block of the NĐ30 header: ["ỦY BAN NHÂN DÂN", "XÃ BA THÀNH"]."""
        return ["ỦY BAN NHÂN DÂN", f"{self.kind_label} {self.name}".upper()]

    def ancestors(self):
        codes = [c for c in self.path.strip("/").split("/")][:-1]
        by_code = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class UnitLineage(models.Model):
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links",
                                  verbose_name="đơn vị mới")
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links",
                                    verbose_name="đơn vị cũ")
    effective_date = models.DateField("ngày hiệu lực")
    decision = models.CharField("văn bản sắp xếp", max_length=200, blank=True)

    class Meta:
        verbose_name = "sắp xếp, hợp nhất đơn vị"
        verbose_name_plural = "sắp xếp, hợp nhất đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["successor", "predecessor"], name="unique_lineage"),
            models.CheckConstraint(condition=~Q(successor=models.F("predecessor")), name="lineage_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class SignatoryPosition(models.TextChoices):
    CHAIRMAN = "chu_tich", "Chủ tịch"
    VICE_CHAIRMAN = "pho_chu_tich", "Phó Chủ tịch"


class Signatory(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="signatories", verbose_name="đơn vị")
    full_name = models.CharField("họ và tên", max_length=120)
    position = models.CharField("chức vụ", max_length=20, choices=SignatoryPosition.choices)
    is_default = models.BooleanField("người ký mặc định của báo cáo", default=False)
    active = models.BooleanField("đang công tác", default=True)

    class Meta:
        verbose_name = "người ký"
        verbose_name_plural = "người ký"
        ordering = ["unit", "position", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(is_default=True), name="one_default_signatory"),
        ]

    def __str__(self):
        return f"{self.get_position_display()} {self.full_name}"

    @property
    def authority_lines(self):
        """Ô 7a per NĐ30 Điều 13: a vice-chairman signs KT. (for) the chairman."""
        lines = ["TM. ỦY BAN NHÂN DÂN"]
        if self.position == SignatoryPosition.VICE_CHAIRMAN:
            lines += ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
        else:
            lines += ["CHỦ TỊCH"]
        return lines


class Recipient(models.Model):
    """A default line of "Nơi nhận" for the unit's reports."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="recipients", verbose_name="đơn vị")
    text = models.CharField("nơi nhận", max_length=200, help_text="Ví dụ: UBND huyện")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "nơi nhận mặc định"
        verbose_name_plural = "nơi nhận mặc định"
        ordering = ["unit", "order", "id"]

    def __str__(self):
        return self.text


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", "Cán bộ xã (nhập và nộp)"
    COMMUNE_LEADER = "commune_leader", "Lãnh đạo xã (duyệt trước khi nộp)"
    APPRAISER = "appraiser", "Cán bộ thẩm định"
    PROVINCE_ADMIN = "province_admin", "Quản trị cấp tỉnh"
    VIEWER = "viewer", "Người xem"


class Membership(models.Model):
    """A person acting for a unit in one role. Scope is the unit's subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="tài khoản")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="đơn vị")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    title = models.CharField("chức danh", max_length=120, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)

    class Meta:
        verbose_name = "vai trò của người dùng"
        verbose_name_plural = "vai trò của người dùng"
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
