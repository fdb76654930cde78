"""Year-level pages: the administrator's progress landing and the ranking (publication: views/publication.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from parindex.models import AssessmentStatus, CouncilDecision
from parindex.selectors.queue import year_progress as year_progress_select
from parindex.selectors.rankings import ranking_visible_to
from parindex.selectors.visibility import year_get_visible

S = AssessmentStatus


@login_required
def year_progress(request, pk):
    """The administrator's landing: where the year stands, by status and by district, and who is late."""
    year = year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.view_appraisal"):
        raise PermissionDenied("Trang này dành cho cán bộ thẩm định và quản trị.")
    progress = year_progress_select(user=request.user, year=year)
    return render(request, "parindex/results/progress.html", {
        "year": year, "progress": progress, "statuses": S.choices,
        "can_publish": request.user.has_perm("parindex.publish_results", year),
        "can_assign": request.user.has_perm("parindex.manage_assignments", year),
    })


@login_required
def results_ranking(request, pk):
    """Results of the year within the user's scope, ranked within their group (district or province).
    Commune accounts see their own row (with its true rank) once their result is published."""
    year = year_get_visible(request.user, pk)
    results = ranking_visible_to(user=request.user, year=year)
    if not request.user.has_perm("parindex.view_appraisal"):
        results = [r for r in results if r.assessment.status == S.PUBLISHED]
        if not results:
            raise PermissionDenied("Kết quả xếp hạng chỉ xem được sau khi công bố.")
    group = request.GET.get("group", "")
    groups = sorted({r.group for r in results}, key=lambda g: g.path)
    if group:
        results = [r for r in results if str(r.group.id) == group]
    return render(request, "parindex/results/ranking.html", {
        "year": year, "results": results, "groups": groups, "group": group,
        "criteria_set": year.criteria_set, "ranked_count": sum(1 for r in results if r.rank is not None),
        "unfinished": [r for r in results if r.rank is None],
        "can_view_dashboards": request.user.has_perm("parindex.view_appraisal"),
        "can_publish": request.user.has_perm("parindex.publish_results", year),
        "council": CouncilDecision.objects.filter(year=year).first(),
        "can_record_council": request.user.has_perm("parindex.manage_assignments", year),
    })
