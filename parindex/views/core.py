from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from communes.models import Role
from communes.selectors import user_primary_role
from parindex.selectors import assessments_visible_to, years_visible_to


def _landing_url(user):
    role = user_primary_role(user)
    try:
        if role in (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER):
            assessment = assessments_visible_to(user).order_by("-year__year").first()
            if assessment:
                return reverse("score_sheet", args=[assessment.pk])
        elif role == Role.APPRAISER:
            return reverse("appraisal_queue")
        elif role == Role.PROVINCE_ADMIN:
            year = years_visible_to(user).order_by("-year").first()
            if year:
                return reverse("year_progress", args=[year.pk])
    except NoReverseMatch:
        return None
    return None


@login_required
def home(request):
    """Each user lands on their work: officer → the sheet, appraiser → the queue, admin → the year."""
    url = _landing_url(request.user)
    if url:
        return redirect(url)
    assessments = assessments_visible_to(request.user).order_by("-year__year", "unit__path")[:200]
    return render(request, "home.html", {"assessments": assessments})


@never_cache
def healthz(request):
    """Liveness and readiness: the database, and the broker when one is configured."""
    checks, healthy = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy, reported as text
        checks["database"], healthy = f"lỗi: {exc.__class__.__name__}", False
    if settings.CELERY_BROKER_URL:
        from kombu import Connection

        # A fresh connection, not one from Celery's pool: the check must reach the broker now.
        try:
            with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"], healthy = f"lỗi: {exc.__class__.__name__}", False
    else:
        checks["broker"] = "không dùng (chạy tác vụ trong tiến trình)"
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
