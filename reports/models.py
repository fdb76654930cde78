from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ReportType(models.TextChoices):
    COMMUNE_PDF = "commune_pdf", "Báo cáo của xã (PDF)"
    COMMUNE_DOCX = "commune_docx", "Báo cáo của xã (DOCX)"
    COMMUNE_XLSX = "commune_xlsx", "Bảng điểm chi tiết của xã (XLSX)"
    SUMMARY_XLSX = "summary_xlsx", "Bảng tổng hợp, xếp hạng (XLSX)"
    SUMMARY_PDF = "summary_pdf", "Bảng tổng hợp, xếp hạng (PDF)"
    REMEDY_PDF = "remedy_pdf", "Kế hoạch khắc phục (PDF)"
    REMEDY_DOCX = "remedy_docx", "Kế hoạch khắc phục (DOCX)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang tạo"
    DONE = "done", "Hoàn thành"
    FAILED = "failed", "Lỗi"
    NOT_SENT = "not_sent", "Chưa gửi được"


def report_upload_to(instance, filename):
    return f"reports/{instance.created_at:%Y/%m}/{instance.pk}-{filename}"


class ReportJob(models.Model):
    """A request for one report file, rendered by a Celery task. `fingerprint` is a hash of the data
    the file was built from: an unchanged fingerprint reuses the file, a changed one marks it outdated."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="report_jobs", verbose_name="người yêu cầu")
    report_type = models.CharField("loại báo cáo", max_length=20, choices=ReportType.choices)
    assessment = models.ForeignKey("parindex.Assessment", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="report_jobs", verbose_name="bản đánh giá")
    year = models.ForeignKey("parindex.EvaluationYear", on_delete=models.CASCADE, related_name="report_jobs",
                             verbose_name="kỳ đánh giá")
    unit = models.ForeignKey("communes.Unit", on_delete=models.CASCADE, related_name="report_jobs",
                             verbose_name="đơn vị")
    params = models.JSONField("tham số", default=dict, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    error = models.TextField("lỗi", blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    file = models.FileField("tệp", upload_to=report_upload_to, blank=True, max_length=255)
    filename = models.CharField("tên tệp tải về", max_length=200, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # The process rendering the job and its last sign of life (reports.liveness).
    worker_host = models.CharField("máy xử lý", max_length=100, blank=True)
    worker_pid = models.PositiveIntegerField("tiến trình xử lý", null=True, blank=True)
    heartbeat_at = models.DateTimeField("tín hiệu gần nhất", null=True, blank=True)

    class Meta:
        verbose_name = "yêu cầu tạo báo cáo"
        verbose_name_plural = "yêu cầu tạo báo cáo"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="done_job_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_report_type_display()} — {self.unit} — {self.year.year}"


class ReportText(models.Model):
    """A sentence or paragraph of the report body as the commune typed it. Without a row the report
    prints the default wording (reports.body_texts); an empty text leaves the sentence out. The
    history keeps every earlier wording."""

    assessment = models.ForeignKey("parindex.Assessment", on_delete=models.CASCADE, related_name="report_texts",
                                   verbose_name="bản đánh giá")
    key = models.CharField("đoạn", max_length=30)
    text = models.TextField("nội dung", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lời văn báo cáo"
        verbose_name_plural = "lời văn báo cáo"
        ordering = ["assessment", "key"]
        constraints = [models.UniqueConstraint(fields=["assessment", "key"], name="one_report_text_per_key")]

    def __str__(self):
        return f"{self.assessment} — {self.key}"


class SignatureStatus(models.TextChoices):
    TRUSTED = "trusted", "Chữ ký số hợp lệ"
    UNTRUSTED = "untrusted", "Chữ ký số toàn vẹn, chứng thư số chưa được tin cậy"
    UNSIGNED = "unsigned", "Chưa ký số"


def issued_upload_to(instance, filename):
    return f"issued/{instance.assessment.year.year}/{instance.assessment.unit.code}/{instance.sha256}.pdf"


class IssuedReport(models.Model):
    """The report as the commune issued it: the signed PDF, kept byte for byte (its SHA-256 is
    recorded), with its number, date and what the signature check found at upload."""

    assessment = models.OneToOneField("parindex.Assessment", on_delete=models.PROTECT, related_name="issued_report",
                                      verbose_name="bản đánh giá")
    number = models.CharField("số, ký hiệu", max_length=40)
    issued_on = models.DateField("ngày ban hành")
    file = models.FileField("tệp đã ký", upload_to=issued_upload_to, max_length=255)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    signature_status = models.CharField("chữ ký số", max_length=10, choices=SignatureStatus.choices)
    signatures = models.JSONField("chi tiết chữ ký", default=list, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name="người cập nhật")
    issued_at = models.DateTimeField("cập nhật lúc", auto_now_add=True)

    class Meta:
        verbose_name = "báo cáo đã ban hành"
        verbose_name_plural = "báo cáo đã ban hành"
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="issued_report_has_number"),
            models.CheckConstraint(condition=Q(signature_status__in=["trusted", "untrusted", "unsigned"]),
                                   name="issued_report_signature_status"),
            models.CheckConstraint(condition=~Q(signature_status="unsigned") | Q(signatures=[]),
                                   name="unsigned_report_has_no_signatures"),
        ]

    def __str__(self):
        return f"Báo cáo số {self.number} — {self.assessment}"
