"""Report jobs: request (with the visibility rule and file reuse), run (what the Celery task does),
retry, and the periodic clean-ups. Celery tasks in reports/tasks.py are thin wrappers over these."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from communes.selectors import units_visible_to
from parindex.selectors import assessments_visible_to, years_visible_to

from . import data as report_data
from . import liveness
from .models import JobStatus, ReportJob, ReportType

logger = logging.getLogger(__name__)

# Only these are worth retrying: the database or the file storage was briefly unavailable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
# The hard limit leaves the soft limit's handler time to record the failure.
HARD_LIMIT_MARGIN = 30

COMMUNE_TYPES = (ReportType.COMMUNE_PDF, ReportType.COMMUNE_DOCX, ReportType.COMMUNE_XLSX)
SUMMARY_TYPES = (ReportType.SUMMARY_PDF, ReportType.SUMMARY_XLSX)
REMEDY_TYPES = (ReportType.REMEDY_PDF, ReportType.REMEDY_DOCX)
# Reports of one assessment: the visibility rule is the assessment's.
ASSESSMENT_TYPES = COMMUNE_TYPES + REMEDY_TYPES

EXTENSIONS = {
    ReportType.COMMUNE_PDF: "pdf",
    ReportType.COMMUNE_DOCX: "docx",
    ReportType.COMMUNE_XLSX: "xlsx",
    ReportType.SUMMARY_PDF: "pdf",
    ReportType.SUMMARY_XLSX: "xlsx",
    ReportType.REMEDY_PDF: "pdf",
    ReportType.REMEDY_DOCX: "docx",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PURGED_MESSAGE = "Tệp báo cáo đã được xóa tự động sau {days} ngày lưu trữ. Bấm “Tạo lại” để tạo tệp mới."


class ReportRequestError(ValueError):
    """A request that cannot be served; the message is Vietnamese and shown next to the form."""


def report_time_limits():
    """(soft, hard) task time limits in seconds, from REPORT_TASK_TIME_LIMIT."""
    soft = int(settings.REPORT_TASK_TIME_LIMIT)
    return soft, soft + HARD_LIMIT_MARGIN


def report_data_build(*, report_type, assessment=None, year=None, unit=None):
    """The one report-data structure for a job's parameters (reports.data)."""
    if report_type in COMMUNE_TYPES:
        return report_data.commune_report_data(assessment=assessment)
    if report_type in REMEDY_TYPES:
        from .remedy import remedy_plan_report_data

        return remedy_plan_report_data(assessment=assessment)
    # A summary covers the whole subtree of `unit`; who may see it was checked on request (the
    # unit must be visible, hence every commune under it).
    return report_data.summary_report_data(year=year, unit=unit)


def report_file_render(*, report_type, data, progress=None):
    """Lay the data out in the job's format; returns the file's bytes."""
    if report_type == ReportType.COMMUNE_PDF:
        from .pdf import commune_report_pdf

        return commune_report_pdf(data, progress=progress)
    if report_type == ReportType.COMMUNE_DOCX:
        from .docx import commune_report_docx

        return commune_report_docx(data, progress=progress)
    if report_type == ReportType.COMMUNE_XLSX:
        from .xlsx import commune_scores_xlsx

        return commune_scores_xlsx(data, progress=progress)
    if report_type == ReportType.SUMMARY_PDF:
        from .pdf import summary_report_pdf

        return summary_report_pdf(data, progress=progress)
    if report_type == ReportType.SUMMARY_XLSX:
        from .xlsx import summary_xlsx

        return summary_xlsx(data, progress=progress)
    if report_type == ReportType.REMEDY_PDF:
        from .pdf import remedy_plan_pdf

        return remedy_plan_pdf(data, progress=progress)
    if report_type == ReportType.REMEDY_DOCX:
        from .docx import remedy_plan_docx

        return remedy_plan_docx(data, progress=progress)
    raise ReportRequestError(f"Loại báo cáo không hợp lệ: {report_type}")


def report_fingerprint(*, job):
    """The fingerprint the job's data has now (None when it can no longer be built)."""
    try:
        return report_data.data_fingerprint(report_data_build(
            report_type=job.report_type, assessment=job.assessment, year=job.year, unit=job.unit,
        ))
    except report_data.ReportDataError:
        return None


def _resolve_request(*, user, report_type, assessment, year, unit):
    """Apply the visibility rule and complete the job's key (assessment, year, unit)."""
    if report_type not in ReportType.values:
        raise ReportRequestError("Loại báo cáo không hợp lệ.")
    if report_type in ASSESSMENT_TYPES:
        if assessment is None:
            raise ReportRequestError("Chưa chọn bản đánh giá của xã.")
        if user is not None and not assessments_visible_to(user).filter(pk=assessment.pk).exists():
            raise PermissionDenied("Bạn không có quyền xem bản đánh giá này.")
        return assessment, assessment.year, assessment.unit
    if year is None or unit is None:
        raise ReportRequestError("Chưa chọn kỳ đánh giá và đơn vị cần tổng hợp.")
    if unit.is_commune:
        raise ReportRequestError("Bảng tổng hợp được lập cho một huyện hoặc cả tỉnh, không cho một xã.")
    if not unit.path.startswith(year.scope.path) and not year.scope.path.startswith(unit.path):
        raise ReportRequestError(f"{unit.display_name} không thuộc phạm vi kỳ đánh giá năm {year.year}.")
    if user is not None:
        # Summaries only over communes the user sees: the whole subtree of a unit they see.
        if not units_visible_to(user).filter(pk=unit.pk).exists():
            raise PermissionDenied("Bạn không có quyền xem tổng hợp của đơn vị này.")
        if not years_visible_to(user).filter(pk=year.pk).exists():
            raise PermissionDenied("Bạn không có quyền xem kỳ đánh giá này.")
    return None, year, unit


def _file_exists(job):
    try:
        return bool(job.file) and job.file.storage.exists(job.file.name)
    except OSError:
        return False


def report_job_enqueue(*, job):
    """Queue the rendering once the surrounding transaction has committed (the worker must find the row).
    A broker that cannot be reached leaves the job "not sent" (reports.liveness), never a hanging request."""
    task_id = str(uuid.uuid4())
    ReportJob.objects.filter(pk=job.pk).update(task_id=task_id)
    job.task_id = task_id
    transaction.on_commit(lambda: liveness.report_job_send(job_id=job.pk, task_id=task_id))
    if not transaction.get_connection().in_atomic_block:
        job.refresh_from_db()
    return job


def report_request(*, user, report_type, assessment=None, year=None, unit=None, params=None):
    """Request a report file. Returns the job the user should follow: their own unchanged one, a copy
    of someone else's finished file made from the same data, or a new queued job."""
    assessment, year, unit = _resolve_request(user=user, report_type=report_type, assessment=assessment,
                                              year=year, unit=unit)
    params = params or {}
    try:
        data = report_data_build(report_type=report_type, assessment=assessment, year=year, unit=unit)
    except report_data.ReportDataError as exc:
        raise ReportRequestError(str(exc)) from exc
    fingerprint = report_data.data_fingerprint(data)
    key = {"report_type": report_type, "assessment": assessment, "year": year, "unit": unit, "params": params}
    same = ReportJob.objects.filter(**key, fingerprint=fingerprint)

    own = same.filter(requested_by=user).exclude(status=JobStatus.FAILED).order_by("-created_at").first()
    if own is not None:
        own = liveness.report_job_liveness_check(job=own)
        if own.status == JobStatus.NOT_SENT:
            return report_job_retry(job=own)
    if own and own.status != JobStatus.FAILED and (own.status != JobStatus.DONE or _file_exists(own)):
        return own
    now = timezone.now()
    for finished in same.filter(status=JobStatus.DONE).exclude(file="").order_by("-finished_at")[:3]:
        if not _file_exists(finished):
            continue
        # The data is unchanged: reuse the file (a copy, so each job owns and purges its own file).
        with finished.file.open("rb") as handle:
            content = handle.read()
        # Saved first: the file's path holds the job's id and date.
        job = ReportJob.objects.create(**key, requested_by=user, status=JobStatus.RUNNING, fingerprint=fingerprint,
                                       started_at=now, filename=finished.filename)
        job.file.save(finished.filename or f"{data['filename_stem']}.{EXTENSIONS[report_type]}",
                      ContentFile(content), save=False)
        job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
        job.save(update_fields=["file", "status", "progress", "finished_at"])
        return job

    job = ReportJob.objects.create(**key, requested_by=user, status=JobStatus.QUEUED, fingerprint=fingerprint)
    return report_job_enqueue(job=job)


def report_job_retry(*, job):
    """Queue a failed (or purged) job again with the same parameters; send a not-sent one again."""
    job = liveness.report_job_liveness_check(job=job)
    if job.status not in (JobStatus.FAILED, JobStatus.NOT_SENT):
        raise ReportRequestError("Chỉ có thể thử lại một yêu cầu bị lỗi.")
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, progress=0, error="", started_at=None, finished_at=None, file="",
        worker_host="", worker_pid=None, heartbeat_at=None,
    )
    job.refresh_from_db()
    return report_job_enqueue(job=job)


def report_job_refresh(*, job):
    """The job as its page should show it: a running job whose worker process is gone is failed now."""
    return liveness.report_job_liveness_check(job=job)


def _set_progress(job, value):
    ReportJob.objects.filter(pk=job.pk).update(progress=value)
    job.progress = value


def describe_error(exc):
    """The reason of a failure, in Vietnamese, for the job page."""
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, report_data.ReportDataError | ReportRequestError):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return (f"Quá thời gian cho phép ({report_time_limits()[0]} giây) mà chưa tạo xong báo cáo. "
                "Hãy thử lại; nếu vẫn lỗi, báo cho quản trị hệ thống.")
    if isinstance(exc, TemplateDoesNotExist | TemplateSyntaxError):
        return f"Lỗi mẫu trình bày báo cáo (template): {exc}. Hãy báo cho quản trị hệ thống."
    if isinstance(exc, OperationalError | InterfaceError):
        return f"Lỗi kết nối cơ sở dữ liệu, đã thử lại nhiều lần không thành công ({exc.__class__.__name__})."
    if isinstance(exc, OSError):
        return f"Lỗi ghi tệp vào nơi lưu trữ, đã thử lại nhiều lần không thành công: {exc}"
    return f"Lỗi dữ liệu khi lập báo cáo ({exc.__class__.__name__}): {exc}"


def report_job_fail(*, job_id, error):
    """Mark a job failed unless it already finished (a late duplicate message must not undo a success)."""
    return ReportJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now(),
    )


def report_job_run(*, job, task_id=None, heartbeat=False):
    """Render one job: claim it, build the data, lay it out, store the file, mark it done.

    Transient errors (database, storage) propagate so that the task retries them; any other error
    (bad data, a broken template) fails the job at once with its reason."""
    claim = Q(status__in=[JobStatus.QUEUED, JobStatus.NOT_SENT])
    if task_id:
        # A retry of the same task after a transient error takes its job back (the attempt that
        # raised it cleared its process). A message redelivered because its worker process died
        # finds that process still recorded: the job is failed, never rendered again unasked (a
        # report that killed one process would kill the next).
        claim |= Q(status=JobStatus.RUNNING, task_id=task_id, worker_pid__isnull=True)
        ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, task_id=task_id,
                                 worker_pid__isnull=False).update(
            status=JobStatus.FAILED, error=liveness.WORKER_LOST, finished_at=timezone.now())
    claimed = ReportJob.objects.filter(claim, pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=5, attempts=F("attempts") + 1, error="",
        **liveness.this_worker(),
    )
    job.refresh_from_db()
    if not claimed:
        logger.info("Report job %s not run: status %s", job.pk, job.status)
        return job
    with liveness.Heartbeat(job.pk, enabled=heartbeat):
        return _report_job_render(job)


def _report_job_render(job):
    try:
        data = report_data_build(report_type=job.report_type, assessment=job.assessment, year=job.year,
                                 unit=job.unit)
        _set_progress(job, 30)
        content = report_file_render(report_type=job.report_type, data=data,
                                     progress=lambda value: _set_progress(job, value))
        _set_progress(job, 90)
        filename = f"{data['filename_stem']}.{EXTENSIONS[job.report_type]}"
        job.file.save(filename, ContentFile(content), save=False)
        job.filename = filename
        job.fingerprint = report_data.data_fingerprint(data)
        job.status, job.progress, job.error, job.finished_at = JobStatus.DONE, 100, "", timezone.now()
        job.save(update_fields=["file", "filename", "fingerprint", "status", "progress", "error", "finished_at"])
    except TRANSIENT_ERRORS as exc:
        logger.warning("Report job %s: transient error, will retry: %r", job.pk, exc)
        try:
            ReportJob.objects.filter(pk=job.pk).update(
                error=f"Lỗi tạm thời ({exc.__class__.__name__}), đang thử lại…", worker_pid=None)
        except TRANSIENT_ERRORS:
            pass
        raise
    except Exception as exc:  # noqa: BLE001 - every other failure is permanent: record why, never retry
        logger.exception("Report job %s failed", job.pk)
        report_job_fail(job_id=job.pk, error=describe_error(exc))
        job.refresh_from_db()
    return job


def report_jobs_fail_stuck(*, now=None):
    """The last resort, run periodically: send again the jobs that could not be sent; fail running jobs
    whose worker process is gone; jobs queued or running past the hard time limit will not finish (a
    lost message): mark them failed, so that the user sees why and can retry."""
    now = now or timezone.now()
    liveness.report_jobs_resend()
    for job in ReportJob.objects.filter(status=JobStatus.RUNNING, worker_pid__isnull=False):
        liveness.report_job_liveness_check(job=job, now=now)
    soft, hard = report_time_limits()
    cutoff = now - timedelta(seconds=hard)
    running = ReportJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff).update(
        status=JobStatus.FAILED, finished_at=now,
        error=f"Quá thời gian xử lý ({soft} giây) mà chưa tạo xong: tiến trình tạo báo cáo có thể đã dừng. "
              "Bấm “Thử lại”.",
    )
    queued = ReportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=cutoff).update(
        status=JobStatus.FAILED, finished_at=now,
        error=f"Yêu cầu chờ quá {soft} giây mà chưa được xử lý: hàng đợi tạo báo cáo có thể không chạy. "
              "Bấm “Thử lại”.",
    )
    return running + queued


def report_files_purge(*, now=None):
    """Delete report files older than REPORT_RETENTION_DAYS; their jobs say so and can be made again."""
    now = now or timezone.now()
    days = int(settings.REPORT_RETENTION_DAYS)
    old = ReportJob.objects.filter(status=JobStatus.DONE, finished_at__lt=now - timedelta(days=days)).exclude(file="")
    count = 0
    for job in old.iterator():
        try:
            job.file.storage.delete(job.file.name)
        except FileNotFoundError:
            pass
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, file="",
                                                   error=PURGED_MESSAGE.format(days=days))
        count += 1
    return count
