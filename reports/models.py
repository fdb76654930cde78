from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportType(models.TextChoices):
    COMMUNE_PDF = "commune_pdf", "Báo cáo của xã (PDF)"
    COMMUNE_DOCX = "commune_docx", "Báo cáo của xã (DOCX)"
    COMMUNE_XLSX = "commune_xlsx", "Bảng điểm chi tiết của xã (XLSX)"
    SUMMARY_XLSX = "summary_xlsx", "Bảng tổng hợp, xếp hạng (XLSX)"
    SUMMARY_PDF = "summary_pdf", "Bảng tổng hợp, xếp hạng (PDF)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang tạo"
    DONE = "done", "Hoàn thành"
    FAILED = "failed", "Lỗi"


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
