"""Reading report jobs under the one visibility rule: a job is visible to whoever sees its unit
(a commune's report to the commune, its district's appraisers and the province; a summary to
whoever sees the district or province it covers)."""

from django.http import Http404

from communes.models import DISTRICT_KINDS, PROVINCE_KINDS
from communes.selectors import units_visible_to
from parindex.selectors import assessments_visible_to, years_visible_to

from .models import JobStatus, ReportJob
from .services import report_fingerprint


def report_jobs_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return ReportJob.objects.none()
    qs = ReportJob.objects.select_related("assessment", "year", "unit", "requested_by")
    if user.is_superuser:
        return qs
    return qs.filter(unit__in=units_visible_to(user))


def report_job_get_visible(user, pk):
    try:
        return report_jobs_visible_to(user).get(pk=pk)
    except (ReportJob.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy yêu cầu tạo báo cáo") from None


def report_jobs_of(user, limit=100):
    """The user's own requests, newest first."""
    return report_jobs_visible_to(user).filter(requested_by=user).order_by("-created_at")[:limit]


def report_job_is_outdated(job):
    """True when a finished file no longer matches the data (the fingerprint changed since)."""
    if job.status != JobStatus.DONE:
        return False
    current = report_fingerprint(job=job)
    return current is not None and current != job.fingerprint


def report_request_targets(user):
    """What the user may request: assessments (commune reports) and (year, unit) pairs (summaries)."""
    assessments = list(assessments_visible_to(user).order_by("-year__year", "unit__path")[:300])
    summary_units = list(
        units_visible_to(user).filter(kind__in=[*DISTRICT_KINDS, *PROVINCE_KINDS]).order_by("path")[:200]
    )
    years = list(years_visible_to(user).order_by("-year"))
    summaries = [
        (year, unit) for year in years for unit in summary_units
        if unit.path.startswith(year.scope.path)
    ]
    return {"assessments": assessments, "summaries": summaries}
