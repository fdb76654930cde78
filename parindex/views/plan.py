"""The annual plan: its decision, its tasks (list, form, XLSX import) and completion."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from parindex.forms import apply_errors
from parindex.forms.plan import PlanDecisionForm, PlanImportForm, PlanTaskForm
from parindex.models import PlanTask
from parindex.selectors import assessment_get_visible
from parindex.selectors.plan import plan_completion
from parindex.services import plan as services
from parindex.services.plan import IMPORT_COLUMNS, PlanError
from parindex.spreadsheets import workbook_save

from .self_assessment import sheet_access


def page_context(request, assessment, tab):
    can_edit, lock_reason, has_perm = sheet_access(request.user, assessment)
    return {"assessment": assessment, "active_tab": tab, "can_edit": can_edit, "lock_reason": lock_reason,
            "has_perm": has_perm}


def require_edit(request, assessment, back):
    """None when the user may edit now; else a response: 403 without the role, a redirect with the
    reason when the data is locked."""
    can_edit, lock_reason, has_perm = sheet_access(request.user, assessment)
    if not has_perm:
        raise PermissionDenied
    if not can_edit:
        messages.error(request, f"Không thể cập nhật: {lock_reason}")
        return redirect(back)
    return None


def form_save(request, form, save, *, done, field_errors=None):
    """Run the service call `save` for a bound, valid form. True when it saved (message `done`).
    When the service refuses, its reasons go next to the fields (`field_errors` may move them onto
    the form's own field names) or on top, and the form keeps everything that was typed."""
    if not form.is_bound or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as exc:
        apply_errors(form, field_errors(exc) if field_errors else exc)
    except PlanError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
        return True
    return False


def confirm_delete(request, *, assessment, tab, label, back_url, delete, done):
    """Deleting a row of the commune's yearly data: a confirmation page on GET, the service
    (`delete`) on POST, then back to the list with what happened."""
    refused = require_edit(request, assessment, back_url)
    if refused:
        return refused
    if request.method == "POST":
        try:
            delete()
        except PlanError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect(back_url)
    context = page_context(request, assessment, tab)
    context.update(object_label=label, cancel_url=back_url)
    return render(request, "parindex/plan/confirm_delete.html", context)


def _plan_url(assessment):
    return reverse("plan_detail", args=[assessment.pk])


def _task_visible(request, pk):
    task = get_object_or_404(PlanTask.objects.select_related("area"), pk=pk)
    assessment = assessment_get_visible(request.user, task.assessment_id)
    task.assessment = assessment
    return task, assessment


@login_required
def plan_detail(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    context = page_context(request, assessment, "plan")
    form = PlanDecisionForm(initial={"plan_number": assessment.plan_number, "plan_date": assessment.plan_date,
                                     "documents_declared": assessment.documents_declared})
    if request.method == "POST":
        refused = require_edit(request, assessment, _plan_url(assessment))
        if refused:
            return refused
        form = PlanDecisionForm(request.POST)
        if form_save(
            request, form, done="Đã lưu quyết định ban hành kế hoạch.",
            save=lambda: services.plan_decision_update(assessment=assessment, actor=request.user,
                                                       **form.cleaned_data),
            # The symbol check raises a bare message: it belongs to the number field.
            field_errors=lambda exc: exc if hasattr(exc, "error_dict") else ValidationError(
                {"plan_number": exc.messages}),
        ):
            return redirect("plan_detail", pk=assessment.pk)
    tasks = PlanTask.objects.filter(assessment=assessment).select_related("area").order_by("order", "id")
    context.update(form=form, tasks=tasks, completion=plan_completion(assessment=assessment))
    return render(request, "parindex/plan/plan_detail.html", context)


@login_required
def plan_task_create(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    refused = require_edit(request, assessment, _plan_url(assessment))
    if refused:
        return refused
    form = PlanTaskForm(request.POST or None, assessment=assessment)
    if form_save(request, form, done="Đã thêm nhiệm vụ.",
                 save=lambda: services.plan_task_create(assessment=assessment, actor=request.user,
                                                        **form.cleaned_data)):
        return redirect("plan_detail", pk=assessment.pk)
    context = page_context(request, assessment, "plan")
    context.update(form=form, title="Thêm nhiệm vụ của kế hoạch")
    return render(request, "parindex/plan/task_form.html", context)


@login_required
def plan_task_edit(request, pk):
    task, assessment = _task_visible(request, pk)
    refused = require_edit(request, assessment, _plan_url(assessment))
    if refused:
        return refused
    form = PlanTaskForm(request.POST or None, instance=task, assessment=assessment)
    if form_save(request, form, done="Đã lưu nhiệm vụ.",
                 save=lambda: services.plan_task_update(task=task, actor=request.user, **form.cleaned_data)):
        return redirect("plan_detail", pk=assessment.pk)
    context = page_context(request, assessment, "plan")
    context.update(form=form, task=task, title=f"Sửa nhiệm vụ số {task.order}")
    return render(request, "parindex/plan/task_form.html", context)


@login_required
def plan_task_delete(request, pk):
    task, assessment = _task_visible(request, pk)
    return confirm_delete(
        request, assessment=assessment, tab="plan", label=f"nhiệm vụ số {task.order}: {task.content[:120]}",
        back_url=_plan_url(assessment), done="Đã xóa nhiệm vụ.",
        delete=lambda: services.plan_task_delete(task=task, actor=request.user),
    )


@login_required
def plan_tasks_import(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    refused = require_edit(request, assessment, _plan_url(assessment))
    if refused:
        return refused
    form = PlanImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.plan_tasks_import(assessment=assessment, actor=request.user,
                                       uploaded_file=form.cleaned_data["file"], replace=form.cleaned_data["replace"])
        except PlanError as exc:
            messages.error(request, exc.message)
        else:
            if result.ok:
                replaced = f" (đã thay thế {result.replaced} nhiệm vụ cũ)" if result.replaced else ""
                messages.success(request, f"Đã nhập {result.created} nhiệm vụ từ tệp Excel{replaced}.")
                return redirect("plan_detail", pk=assessment.pk)
    context = page_context(request, assessment, "plan")
    context.update(form=form, result=result, columns=IMPORT_COLUMNS)
    return render(request, "parindex/plan/tasks_import.html", context)


@login_required
def plan_tasks_template(request, pk):
    """An empty workbook with the import columns and one example row."""
    import openpyxl

    assessment = assessment_get_visible(request.user, pk)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    sheet.append(IMPORT_COLUMNS)
    sheet.append([1, "Ban hành Kế hoạch cải cách hành chính năm", "1", "Văn phòng - Thống kê", "31/01/"
                  f"{assessment.year.year}", "Hoàn thành", f"25/01/{assessment.year.year}", "Kế hoạch số 12/KH-UBND"])
    for column, width in zip("ABCDEFGH", (6, 60, 14, 24, 14, 18, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook_save(workbook, buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-nhiem-vu-ke-hoach.xlsx"'
    return response
