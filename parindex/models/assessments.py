from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from communes.models import Signatory, Unit

from .criteria import POINTS, Item
from .years import EvaluationYear


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã nộp"
    IN_APPRAISAL = "in_appraisal", "Đang thẩm định"
    RETURNED = "returned", "Trả lại để giải trình"
    EXPLAINED = "explained", "Đã giải trình"
    APPRAISED = "appraised", "Đã thẩm định"
    APPROVED = "approved", "Đã phê duyệt"
    PUBLISHED = "published", "Đã công bố"


# Approved and published results change only through the reopen transition (workflow services):
# no page, admin form, service or command writes to an assessment in these states.
FROZEN_STATUSES = (AssessmentStatus.APPROVED, AssessmentStatus.PUBLISHED)


class ItemScoresBasis(models.TextChoices):
    """Where the item-level scores of an assessment come from. A commune whose record has area totals
    only prints its appendix at area level; scores spread over items for a demo say so in the report."""

    ITEMS = "items", "Điểm từng tiêu chí, tiêu chí thành phần"
    AREAS = "areas", "Chỉ có điểm theo lĩnh vực"
    ILLUSTRATIVE = "illustrative", "Điểm từng tiêu chí là dữ liệu minh họa"


class Assessment(models.Model):
    """One commune's self-assessment and appraisal for one evaluation year.
    State changes go only through parindex.services.workflow; `version` guards against lost
    updates (optimistic concurrency on the score sheet)."""

    year = models.ForeignKey(EvaluationYear, on_delete=models.PROTECT, related_name="assessments",
                             verbose_name="kỳ đánh giá")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments", verbose_name="đơn vị")
    status = models.CharField("trạng thái", max_length=16, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField("ngày nộp", null=True, blank=True)
    appraisal_started_at = models.DateTimeField("bắt đầu thẩm định", null=True, blank=True)
    returned_at = models.DateTimeField("ngày trả giải trình", null=True, blank=True)
    explained_at = models.DateTimeField("ngày nộp giải trình", null=True, blank=True)
    appraised_at = models.DateTimeField("ngày thẩm định xong", null=True, blank=True)
    approved_at = models.DateTimeField("ngày phê duyệt", null=True, blank=True)
    published_at = models.DateTimeField("ngày công bố", null=True, blank=True)
    leader_approved_at = models.DateTimeField("lãnh đạo xã duyệt lúc", null=True, blank=True)
    bonus_points = models.DecimalField("điểm thưởng", default=Decimal("0"), **POINTS)
    penalty_points = models.DecimalField("điểm trừ", default=Decimal("0"), **POINTS)
    # The annual plan (kế hoạch CCHC năm) of the commune.
    plan_number = models.CharField("số, ký hiệu quyết định ban hành kế hoạch", max_length=60, blank=True)
    plan_date = models.DateField("ngày ban hành kế hoạch", null=True, blank=True)
    documents_declared = models.PositiveIntegerField(
        "số văn bản đã ban hành (xã kê khai)", null=True, blank=True,
        help_text="Tổng số văn bản chỉ đạo, điều hành xã báo cáo; để trống thì lấy số văn bản trong danh mục.",
    )
    item_scores_basis = models.CharField("nguồn điểm từng tiêu chí", max_length=12, choices=ItemScoresBasis.choices,
                                         default=ItemScoresBasis.ITEMS)
    # Narrative used by the report.
    strengths = models.TextField("mặt tích cực", blank=True)
    weaknesses = models.TextField("tồn tại, hạn chế, nguyên nhân", blank=True)
    proposals = models.TextField("kiến nghị, đề xuất", blank=True)
    # The report's own particulars.
    report_request = models.CharField(
        "văn bản yêu cầu báo cáo", max_length=300, blank=True,
        help_text="Ví dụ: Công văn số 50/UBND ngày 08/01/2025 của UBND huyện",
    )
    report_request_subject = models.CharField("trích yếu văn bản yêu cầu", max_length=300, blank=True)
    # Both are given when the report is issued (NĐ30 Điều 15); a draft leaves both blank.
    report_number = models.CharField("số báo cáo", max_length=20, blank=True,
                                     help_text="Để trống khi là dự thảo")
    report_date = models.DateField("ngày báo cáo", null=True, blank=True, help_text="Để trống khi là dự thảo")
    report_addressee = models.CharField("kính báo cáo", max_length=200, blank=True,
                                        help_text="Ví dụ: UBND huyện")
    signatory = models.ForeignKey(Signatory, null=True, blank=True, on_delete=models.SET_NULL,
                                  verbose_name="người ký báo cáo")
    is_illustrative = models.BooleanField("dữ liệu minh họa", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the commune and the appraiser write on the assessment itself (plan decision, narrative,
    # report particulars, bonus and penalty points). The status and its dates are the workflow's,
    # recorded by ApprovalEvent, so they are left out here.
    history = HistoricalRecords(excluded_fields=[
        "status", "version", "submitted_at", "appraisal_started_at", "returned_at", "explained_at",
        "appraised_at", "approved_at", "published_at", "leader_approved_at", "created_at", "updated_at",
    ])

    class Meta:
        verbose_name = "bản đánh giá"
        verbose_name_plural = "bản đánh giá"
        ordering = ["year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="one_assessment_per_unit_year"),
            models.CheckConstraint(condition=Q(bonus_points__gte=0), name="assessment_bonus_not_negative"),
            models.CheckConstraint(condition=Q(penalty_points__gte=0), name="assessment_penalty_not_negative"),
            models.CheckConstraint(
                condition=(Q(report_number="") & Q(report_date__isnull=True))
                | (~Q(report_number="") & Q(report_date__isnull=False)),
                name="report_number_and_date_together",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — năm {self.year.year}"


def final_of(*, round1, round2):
    """The appraiser's last word on an item: round 2 where it exists, else round 1. The one place
    of this rule; FINAL_SCORE_SQL below is the same rule for sums the database computes."""
    return round2 if round2 is not None else round1


FINAL_SCORE_SQL = Coalesce("round2_score", "appraised_score")


class Score(models.Model):
    """One leaf of one assessment. `max_points` is copied from the item so the database itself
    refuses a score above the maximum (a check constraint cannot look across tables)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="scores")
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    self_score = models.DecimalField("điểm tự đánh giá", null=True, blank=True, **POINTS)
    not_applicable = models.BooleanField("không áp dụng", default=False)
    self_note = models.TextField("thuyết minh, giải trình cách chấm", blank=True)
    appraised_score = models.DecimalField("điểm thẩm định vòng 1", null=True, blank=True, **POINTS)
    appraisal_comment = models.TextField("nhận xét của cán bộ thẩm định", blank=True)
    flagged = models.BooleanField("yêu cầu giải trình", default=False)
    flag_comment = models.TextField("nội dung yêu cầu giải trình", blank=True)
    explanation = models.TextField("nội dung giải trình của xã", blank=True)
    round2_score = models.DecimalField("điểm thẩm định vòng 2", null=True, blank=True, **POINTS)
    round2_comment = models.TextField("nhận xét vòng 2", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Bumped by every write of this score: a save carries the version it started from and is refused
    # (with both values) when the row has moved on, so nobody overwrites a colleague unknowingly.
    # Kept in the history too: a full-sheet save compares what it sends with the values at that version.
    version = models.PositiveIntegerField("phiên bản", default=1)
    # Who last changed each kind of value: the commune's (self-score, note, explanation) and the
    # appraiser's (round 1, flags, round 2) are labelled separately on the sheets.
    self_updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    self_updated_at = models.DateTimeField(null=True, blank=True)
    appraisal_updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    appraisal_updated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "max_points"])

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        ordering = ["assessment", "item__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_score_per_item"),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | (Q(self_score__gte=0) & Q(self_score__lte=F("max_points"))),
                name="self_score_within_max",
            ),
            models.CheckConstraint(
                condition=Q(appraised_score__isnull=True)
                | (Q(appraised_score__gte=0) & Q(appraised_score__lte=F("max_points"))),
                name="appraised_score_within_max",
            ),
            models.CheckConstraint(
                condition=Q(round2_score__isnull=True) | (Q(round2_score__gte=0) & Q(round2_score__lte=F("max_points"))),
                name="round2_score_within_max",
            ),
            models.CheckConstraint(
                condition=Q(flagged=False) | ~Q(flag_comment=""), name="flag_requires_comment",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.item.code}"

    @property
    def final_score(self):
        return final_of(round1=self.appraised_score, round2=self.round2_score)


def evidence_upload_to(instance, filename):
    return f"evidence/{instance.assessment.year.year}/{instance.assessment.unit.code}/{instance.sha256}"


class EvidenceFile(models.Model):
    """An uploaded file, stored under its hash (outside any public URL). The same file uploaded twice
    to one assessment is one row, linked to as many items as it proves."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField("tệp", upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tệp kiểm chứng"
        verbose_name_plural = "tệp kiểm chứng"
        constraints = [models.UniqueConstraint(fields=["assessment", "sha256"], name="unique_evidence_file_hash")]

    def __str__(self):
        return self.original_name


class DocumentType(models.TextChoices):
    # Value = NĐ30 type code used in the symbol; Công văn has none.
    QUYET_DINH = "QĐ", "Quyết định"
    KE_HOACH = "KH", "Kế hoạch"
    CONG_VAN = "CV", "Công văn"
    THONG_BAO = "TB", "Thông báo"
    BAO_CAO = "BC", "Báo cáo"
    TO_TRINH = "TTr", "Tờ trình"
    CHI_THI = "CT", "Chỉ thị"
    QUY_CHE = "QC", "Quy chế"
    HUONG_DAN = "HD", "Hướng dẫn"
    CHUONG_TRINH = "CTr", "Chương trình"
    PHUONG_AN = "PA", "Phương án"
    DE_AN = "ĐA", "Đề án"
    BIEN_BAN = "BB", "Biên bản"
    NGHI_QUYET = "NQ", "Nghị quyết"
    GIAY_MOI = "GM", "Giấy mời"


def document_upload_to(instance, filename):
    return f"documents/{instance.assessment.unit.code}/{instance.assessment.year.year}/{filename}"


class Document(models.Model):
    """The register of documents the commune issued to direct the year's reform work.
    Any document can be evidence for any item."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocumentType.choices)
    number_symbol = models.CharField("số, ký hiệu", max_length=60, help_text="Ví dụ: 193/QĐ-UBND; công văn: 45/UBND-VP")
    issued_on = models.DateField("ngày ban hành")
    issuer = models.CharField("cơ quan ban hành", max_length=200, default="UBND xã")
    summary = models.TextField("trích yếu")
    file = models.FileField("tệp", upload_to=document_upload_to, blank=True, max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    is_illustrative = models.BooleanField("dữ liệu minh họa", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "văn bản chỉ đạo, điều hành"
        verbose_name_plural = "văn bản chỉ đạo, điều hành"
        # The register keeps the order in which the commune entered it (its report lists them so).
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number_symbol", "issued_on"], name="unique_document_number"),
        ]

    def __str__(self):
        return f"{self.get_doc_type_display()} số {self.number_symbol} ngày {self.issued_on:%d/%m/%Y}"


class Evidence(models.Model):
    """Links a score to what proves it: an uploaded file or a document of the register,
    optionally naming the page or section."""

    class Stage(models.TextChoices):
        SELF = "self", "Tự đánh giá"
        EXPLANATION = "explanation", "Giải trình"

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    file = models.ForeignKey(EvidenceFile, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    locator = models.CharField("trang, mục", max_length=120, blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.SELF)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file__isnull=False) & Q(document__isnull=True)) | (Q(file__isnull=True) & Q(document__isnull=False)),
                name="evidence_is_file_or_document",
            ),
        ]

    def __str__(self):
        return str(self.file or self.document)


class PlanTaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    NOT_DONE = "not_done", "Không hoàn thành"


class PlanTask(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="plan_tasks")
    order = models.PositiveIntegerField("STT", default=0)
    content = models.TextField("nội dung nhiệm vụ")
    area = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             limit_choices_to={"level": "area"}, verbose_name="lĩnh vực")
    lead = models.CharField("đơn vị, người chủ trì", max_length=200, blank=True)
    deadline = models.DateField("thời hạn", null=True, blank=True)
    status = models.CharField("tình trạng", max_length=12, choices=PlanTaskStatus.choices,
                              default=PlanTaskStatus.NOT_STARTED)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    result_document = models.CharField("sản phẩm, văn bản kết quả", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhiệm vụ kế hoạch"
        verbose_name_plural = "nhiệm vụ kế hoạch"
        ordering = ["assessment", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status="done"), name="completion_date_only_when_done",
            ),
        ]

    def __str__(self):
        return self.content[:80]


class MeetingKind(models.TextChoices):
    CONFERENCE = "conference", "Hội nghị"
    REGULAR = "regular", "Phiên họp thường kỳ"
    SEMINAR = "seminar", "Tọa đàm"


class Meeting(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("loại", max_length=12, choices=MeetingKind.choices)
    held_on = models.DateField("ngày tổ chức")
    title = models.CharField("nội dung", max_length=300)
    document = models.CharField("văn bản liên quan", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "hội nghị, cuộc họp về CCHC"
        verbose_name_plural = "hội nghị, cuộc họp về CCHC"
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}: {self.title}"


class ServiceFigures(models.Model):
    """Online public-service figures for the period the report covers. Counts when known; a published
    rate where they are not (95,39 % of 946 is not a whole number of dossiers)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="service_figures")
    period_start = models.DateField("từ ngày", null=True, blank=True)
    period_end = models.DateField("đến ngày", null=True, blank=True)
    dossiers_received = models.PositiveIntegerField("số hồ sơ tiếp nhận", null=True, blank=True)
    dossiers_online = models.PositiveIntegerField("số hồ sơ trực tuyến (một phần + toàn trình)", null=True, blank=True)
    dossiers_fully_online = models.PositiveIntegerField("trong đó toàn trình", null=True, blank=True)
    results_digitised = models.PositiveIntegerField("số hồ sơ có kết quả số hóa", null=True, blank=True)
    online_rate_published = models.DecimalField("tỷ lệ trực tuyến công bố (%)", null=True, blank=True, **POINTS)
    digitised_rate_published = models.DecimalField("tỷ lệ số hóa kết quả công bố (%)", null=True, blank=True, **POINTS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "số liệu dịch vụ công trực tuyến"
        verbose_name_plural = "số liệu dịch vụ công trực tuyến"
        constraints = [
            models.CheckConstraint(
                condition=Q(dossiers_online__isnull=True) | Q(dossiers_received__isnull=True)
                | Q(dossiers_online__lte=F("dossiers_received")),
                name="online_not_above_received",
            ),
            models.CheckConstraint(
                condition=Q(dossiers_fully_online__isnull=True) | Q(dossiers_online__isnull=True)
                | Q(dossiers_fully_online__lte=F("dossiers_online")),
                name="fully_online_not_above_online",
            ),
            models.CheckConstraint(
                condition=Q(results_digitised__isnull=True) | Q(dossiers_received__isnull=True)
                | Q(results_digitised__lte=F("dossiers_received")),
                name="digitised_not_above_received",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_start__isnull=True) | Q(period_end__gte=F("period_start")),
                name="service_period_order",
            ),
            models.CheckConstraint(
                condition=Q(online_rate_published__isnull=True)
                | (Q(online_rate_published__gte=0) & Q(online_rate_published__lte=100)),
                name="online_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(digitised_rate_published__isnull=True)
                | (Q(digitised_rate_published__gte=0) & Q(digitised_rate_published__lte=100)),
                name="digitised_rate_percent",
            ),
        ]

    def __str__(self):
        return f"Dịch vụ công — {self.assessment}"


class ApprovalEvent(models.Model):
    """The workflow's history: one row per transition, with the totals at that moment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField("thao tác", max_length=30)
    from_status = models.CharField(max_length=16, choices=AssessmentStatus.choices)
    to_status = models.CharField(max_length=16, choices=AssessmentStatus.choices)
    comment = models.TextField("ghi chú", blank=True)
    totals = models.JSONField("tổng điểm tại thời điểm", default=dict)

    class Meta:
        verbose_name = "lịch sử xử lý"
        verbose_name_plural = "lịch sử xử lý"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_from_status_display()} → {self.get_to_status_display()}"


class LockStage(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
    EXPLANATION = "explanation", "Giải trình"
    APPRAISAL_ROUND1 = "appraisal_round1", "Thẩm định vòng 1"
    APPRAISAL_ROUND2 = "appraisal_round2", "Thẩm định vòng 2"


class LockException(models.Model):
    """An administrator's exception to a stage deadline for one commune."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="lock_exceptions")
    stage = models.CharField("giai đoạn", max_length=20, choices=LockStage.choices)
    until = models.DateTimeField("gia hạn đến")
    reason = models.TextField("lý do")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "gia hạn cho đơn vị"
        verbose_name_plural = "gia hạn cho đơn vị"
        ordering = ["-granted_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="lock_exception_reason_required")]

    def __str__(self):
        return f"{self.assessment} — {self.get_stage_display()} đến {self.until:%d/%m/%Y %H:%M}"
