"""Report job pages: the list with request forms, a job's page (self-refreshing progress, error and
retry, download, "outdated"), the JSON status it polls, and the download through the visibility rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from communes.selectors import units_visible_to
from parindex.selectors import assessment_get_visible, years_visible_to

from . import services
from .models import JobStatus, ReportType
from .selectors import report_job_get_visible, report_job_is_outdated, report_jobs_of, report_request_targets


@login_required
def report_job_list(request):
    return render(request, "reports/job_list.html", {
        "jobs": report_jobs_of(request.user),
        "targets": report_request_targets(request.user),
        "commune_types": [(t, ReportType(t).label) for t in services.COMMUNE_TYPES],
        "summary_types": [(t, ReportType(t).label) for t in services.SUMMARY_TYPES],
    })


def _back(request):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("report_job_list")


def _get_visible(queryset, pk, message):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


@login_required
@require_POST
def report_request(request):
    report_type = request.POST.get("report_type", "")
    assessment = year = unit = None
    if report_type in services.ASSESSMENT_TYPES:
        assessment = assessment_get_visible(request.user, request.POST.get("assessment"))
        if not request.user.has_perm("parindex.view_assessment", assessment):
            raise PermissionDenied
    elif report_type in services.SUMMARY_TYPES:
        year = _get_visible(years_visible_to(request.user), request.POST.get("year"), "Không tìm thấy kỳ đánh giá")
        unit = _get_visible(units_visible_to(request.user), request.POST.get("unit"), "Không tìm thấy đơn vị")
    else:
        messages.error(request, "Loại báo cáo không hợp lệ.")
        return _back(request)
    try:
        job = services.report_request(user=request.user, report_type=report_type, assessment=assessment,
                                      year=year, unit=unit)
    except services.ReportRequestError as exc:
        messages.error(request, str(exc))
        return _back(request)
    return redirect("report_job_detail", job.pk)


@login_required
def report_job_detail(request, pk):
    job = services.report_job_refresh(job=report_job_get_visible(request.user, pk))
    return render(request, "reports/job_detail.html", {
        "job": job,
        "outdated": report_job_is_outdated(job),
        "purged": job.status == JobStatus.FAILED and job.error.startswith("Tệp báo cáo đã được xóa"),
        "in_progress": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
    })


@never_cache
@login_required
def report_job_status(request, pk):
    job = services.report_job_refresh(job=report_job_get_visible(request.user, pk))
    return JsonResponse({
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "error": job.error if job.status in (JobStatus.FAILED, JobStatus.NOT_SENT) else "",
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.NOT_SENT),
        "download_url": reverse("report_job_download", args=[job.pk]) if job.status == JobStatus.DONE else "",
    })


@login_required
@require_POST
def report_job_retry(request, pk):
    job = report_job_get_visible(request.user, pk)
    try:
        services.report_job_retry(job=job)
    except services.ReportRequestError as exc:
        messages.error(request, str(exc))
    return redirect("report_job_detail", job.pk)


@login_required
def report_job_download(request, pk):
    job = report_job_get_visible(request.user, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("Báo cáo chưa có tệp")
    try:
        handle = job.file.open("rb")
    except OSError:
        raise Http404("Tệp báo cáo không còn trên máy chủ") from None
    extension = services.EXTENSIONS[job.report_type]
    return FileResponse(handle, as_attachment=True, filename=job.filename or f"bao-cao-{job.pk}.{extension}",
                        content_type=services.CONTENT_TYPES[extension])
