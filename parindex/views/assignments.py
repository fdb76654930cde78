"""The coordinator's pages for a year split by area: assignments (assign, reassign, withdraw) and
the appraisal progress per commune × area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parindex.forms.assignments import AssignmentForm
from parindex.models import AppraisalAssignment
from parindex.selectors import assessments_visible_to
from parindex.selectors.assignments import appraisal_progress as appraisal_progress_select
from parindex.selectors.assignments import assignments_of, my_items_in_year, year_assignments
from parindex.selectors.visibility import year_get_visible
from parindex.services.assignments import AssignmentError, assignment_delete, assignment_save


@login_required
def assignment_list(request, pk):
    year = year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.manage_assignments", year):
        raise PermissionDenied("Chỉ cơ quan chủ trì thẩm định (Sở Nội vụ) được phân công thẩm định.")
    form = AssignmentForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = assignment_save(year=year, actor=request.user, **form.cleaned_data)
        except AssignmentError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã phân công {assignment.item.code} cho {assignment.assignee_name}.")
            return redirect("assignment_list", pk=year.pk)
    return render(request, "parindex/assignments/list.html", {
        "year": year, "form": form, "assignments": year_assignments(year=year),
    })


@login_required
@require_POST
def assignment_remove(request, pk, assignment_pk):
    year = year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.manage_assignments", year):
        raise PermissionDenied("Chỉ cơ quan chủ trì thẩm định (Sở Nội vụ) được phân công thẩm định.")
    try:
        assignment = AppraisalAssignment.objects.select_related("item", "year").get(pk=assignment_pk, year=year)
    except AppraisalAssignment.DoesNotExist:
        raise Http404("Không tìm thấy phân công") from None
    try:
        assignment_delete(assignment=assignment, actor=request.user)
    except AssignmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã bỏ phân công {assignment.item.code}: phần này do Sở Nội vụ thẩm định.")
    return redirect("assignment_list", pk=year.pk)


@login_required
def appraisal_progress(request, pk):
    """Commune × area: how far each area's appraisal is, and who appraises it. A department appraiser
    sees their communes and their own items only (the visibility rule and their assignments)."""
    year = year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.view_appraisal"):
        raise PermissionDenied("Trang này dành cho cán bộ thẩm định và quản trị.")
    assessments = list(assessments_visible_to(request.user).filter(year=year).order_by("unit__path"))
    coordinator = request.user.has_perm("parindex.manage_assignments", year)
    only = None
    if not coordinator and any(g.year_id == year.id for g in assignments_of(request.user)):
        parts = my_items_in_year(user=request.user, year=year, assessments=assessments)
        only = set().union(*[p.leaves for p in parts.values()]) if parts else set()
    areas, rows = appraisal_progress_select(year=year, assessments=assessments, only_items=only)
    return render(request, "parindex/assignments/progress.html", {
        "year": year, "areas": areas, "rows": rows, "coordinator": coordinator,
    })
