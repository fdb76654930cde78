"""The remedy plan pages: the draft with its lines, line edits, acceptance (lines become tasks of
next year's plan) and the exports (through the report jobs, like the commune report)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from parindex.forms.remedy import RemedyLineForm, RemedyPlanHeaderForm
from parindex.models import RemedyLine
from parindex.selectors import assessment_get_visible, assessments_visible_to
from parindex.selectors.remedy import next_year_assessment, remedy_plan_of
from parindex.services import remedy as services
from parindex.services.remedy import RESULT_STATUSES, RemedyPlanError
from reports.models import ReportType
from reports.services import REMEDY_TYPES


def _editor(request, assessment):
    if not request.user.has_perm("parindex.edit_remedy_plan", assessment):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo UBND xã được sửa kế hoạch khắc phục.")


def _line_get(request, pk):
    line = get_object_or_404(RemedyLine.objects.select_related("plan", "plan__assessment", "item"), pk=pk)
    # The visibility rule first (404 for what the user may not see), then the role.
    if not assessments_visible_to(request.user).filter(pk=line.plan.assessment_id).exists():
        raise Http404("Không tìm thấy nhiệm vụ")
    _editor(request, line.plan.assessment)
    return line


def _page(request, assessment, *, add_form=None, status=200):
    plan = remedy_plan_of(assessment=assessment)
    can_edit = request.user.has_perm("parindex.edit_remedy_plan", assessment)
    return render(request, "parindex/remedy/plan.html", {
        "assessment": assessment, "plan": plan, "can_edit": can_edit, "active_tab": "remedy",
        "export_types": [(t, ReportType(t).label) for t in REMEDY_TYPES],
        "editable": can_edit and plan is not None and plan.is_draft,
        "has_result": assessment.status in RESULT_STATUSES,
        "next_year": next_year_assessment(assessment=assessment),
        "add_form": add_form or RemedyLineForm(),
        "header_form": RemedyPlanHeaderForm(initial={"number": plan.number, "issued_on": plan.issued_on})
        if plan else None,
    }, status=status)


@login_required
def remedy_plan(request, pk):
    return _page(request, assessment_get_visible(request.user, pk))


def _run(request, call, done):
    try:
        call()
    except RemedyPlanError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


@login_required
@require_POST
def remedy_plan_create(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    _editor(request, assessment)
    _run(request, lambda: services.remedy_plan_draft(assessment=assessment, actor=request.user),
         "Đã lập dự thảo kế hoạch khắc phục từ các tiêu chí bị mất điểm. Hãy rà soát, sửa từng nhiệm vụ.")
    return redirect("remedy_plan", pk=assessment.pk)


@login_required
@require_POST
def remedy_plan_header(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    _editor(request, assessment)
    plan = remedy_plan_of(assessment=assessment)
    form = RemedyPlanHeaderForm(request.POST)
    if plan is None or not form.is_valid():
        messages.error(request, "Số hoặc ngày ban hành kế hoạch không hợp lệ.")
    else:
        _run(request, lambda: services.remedy_plan_update(plan=plan, actor=request.user, **form.cleaned_data),
             "Đã lưu số và ngày ban hành kế hoạch.")
    return redirect("remedy_plan", pk=assessment.pk)


@login_required
@require_POST
def remedy_line_add(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    _editor(request, assessment)
    plan = remedy_plan_of(assessment=assessment)
    form = RemedyLineForm(request.POST)
    if plan is None or not form.is_valid():
        return _page(request, assessment, add_form=form, status=400)
    if _run(request, lambda: services.remedy_line_create(plan=plan, actor=request.user, **form.cleaned_data),
            "Đã thêm nhiệm vụ."):
        return redirect("remedy_plan", pk=assessment.pk)
    return _page(request, assessment, add_form=form, status=400)


@login_required
def remedy_line_edit(request, pk):
    line = _line_get(request, pk)
    assessment = line.plan.assessment
    form = RemedyLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        if _run(request, lambda: services.remedy_line_update(line=line, actor=request.user, **form.cleaned_data),
                "Đã lưu nhiệm vụ."):
            return redirect("remedy_plan", pk=assessment.pk)
    return render(request, "parindex/remedy/line_edit.html", {"assessment": assessment, "line": line, "form": form,
                                                                "active_tab": "remedy"},
                  status=400 if form.is_bound else 200)


@login_required
@require_POST
def remedy_line_delete(request, pk):
    line = _line_get(request, pk)
    _run(request, lambda: services.remedy_line_delete(line=line, actor=request.user), "Đã xóa nhiệm vụ.")
    return redirect("remedy_plan", pk=line.plan.assessment_id)


@login_required
@require_POST
def remedy_plan_accept(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    _editor(request, assessment)
    plan = remedy_plan_of(assessment=assessment)
    if plan is None:
        messages.error(request, "Chưa có dự thảo kế hoạch khắc phục.")
        return redirect("remedy_plan", pk=assessment.pk)
    try:
        target = services.remedy_plan_accept(plan=plan, actor=request.user)
    except RemedyPlanError as exc:
        messages.error(request, exc.message)
    else:
        next_year = assessment.year.year + 1
        if target is not None:
            messages.success(request, f"Đã chấp nhận kế hoạch: {plan.lines.count()} nhiệm vụ đã được đưa vào "
                                      f"Kế hoạch CCHC năm {next_year} của {target.unit.committee_short}.")
        else:
            messages.warning(request, f"Đã chấp nhận kế hoạch. Kỳ đánh giá năm {next_year} chưa được mở (hoặc đã "
                                      f"nộp) nên các nhiệm vụ được giữ lại và sẽ tự động đưa vào Kế hoạch CCHC "
                                      f"năm {next_year} khi kỳ đánh giá được mở.")
    return redirect("remedy_plan", pk=assessment.pk)
