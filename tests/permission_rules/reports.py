"""Report jobs: visible to whoever sees the job's unit (commune A's job: its officer and leader,
A's district appraiser and viewer, the province admin; not officer_b nor the other district's
appraiser, who get 404 as if it did not exist)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import JobStatus, ReportJob, ReportType

from . import Rule, logged_in

OUTSIDERS = {"officer_b": 404, "other_appraiser": 404}


def _job_of_a(w):
    """A finished job of commune A (made once per world)."""
    job = ReportJob.objects.filter(assessment=w.assessment_a, filename="matrix.pdf").first()
    if job is None:
        job = ReportJob.objects.create(report_type=ReportType.COMMUNE_PDF, assessment=w.assessment_a, year=w.year,
                                       unit=w.commune_a, requested_by=w.officer_a, status=JobStatus.RUNNING)
        job.file.save("matrix.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
        job.status, job.progress, job.finished_at, job.filename = JobStatus.DONE, 100, timezone.now(), "matrix.pdf"
        job.save()
    return [job.pk]


# The POST body needs the world's assessment id: `args` runs before each request, so it fills it in.
_request_data = {"report_type": ReportType.COMMUNE_XLSX}


def _request_args(w):
    _request_data["assessment"] = w.assessment_a.pk
    return []


RULES = {
    "report_job_list": Rule(expect=logged_in(200)),
    "report_request": Rule(args=_request_args, method="post", data=_request_data,
                           expect=logged_in("redirect", **OUTSIDERS)),
    "report_job_detail": Rule(args=_job_of_a, expect=logged_in(200, **OUTSIDERS)),
    "report_job_status": Rule(args=_job_of_a, expect=logged_in(200, **OUTSIDERS)),
    # The job is finished: the service refuses a retry and the view goes back to the job's page.
    "report_job_retry": Rule(args=_job_of_a, method="post", expect=logged_in("redirect", **OUTSIDERS)),
    "report_job_download": Rule(args=_job_of_a, expect=logged_in(200, **OUTSIDERS)),
    # The report of one assessment: whoever sees the assessment reads its wording and its issue page
    # (the forms are for the commune); nothing is issued in the world, so there is no signed file.
    "report_texts_edit": Rule(args=lambda w: [w.assessment_a.pk], expect=logged_in(200, **OUTSIDERS)),
    "report_issue": Rule(args=lambda w: [w.assessment_a.pk], expect=logged_in(200, **OUTSIDERS)),
    # Server signing is not configured in the world: the commune is told so (redirect to the page).
    "report_sign_on_server": Rule(args=lambda w: [w.assessment_a.pk], method="post",
                                  expect=logged_in("redirect", appraiser=403, admin=403, **OUTSIDERS)),
    "issued_report_download": Rule(args=lambda w: [w.assessment_a.pk], expect=logged_in(404)),
}
