"""The commune's score sheet: fill in, save as draft, check, submit, withdraw."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parindex.models import AssessmentStatus, Score
from parindex.numbers import format_percent, format_points
from parindex.selectors import assessment_get_visible, assessment_totals
from parindex.selectors.crosschecks import assessment_cross_checks
from parindex.selectors.grid import SELF, failing_items, filter_of, grid_query, sheet_grid, view_of
from parindex.selectors.sheet import score_history, score_sheet_data, score_signature_of
from parindex.services.evidence import ACCEPT, ALLOWED_LABEL
from parindex.services.quality import assessment_quality_check
from parindex.services.scores import ScoreSheetError, display_points, score_sheet_save
from parindex.services.workflow import (
    WorkflowError,
    assessment_leader_approve,
    assessment_submit,
    assessment_withdraw,
    self_assessment_lock_reason,
)

FIELD = re.compile(r"^s-([0-9]{1,18})-(score|na|note|orig|ver|keep|doc|loc|rm|pending|files)$")


VIEW_ONLY = "Tài khoản của bạn chỉ có quyền xem dữ liệu tự đánh giá của xã này."


def sheet_access(user, assessment):
    """(may edit now, why not, has the role to edit): shared by every page of the commune's yearly
    data. The reason is shown on every read-only page."""
    has_perm = user.has_perm("parindex.edit_self_assessment", assessment)
    lock_reason = self_assessment_lock_reason(assessment=assessment)
    if not has_perm:
        return False, VIEW_ONLY, False
    return lock_reason is None, lock_reason, True


def _values_from_post(request):
    values = {}
    for key in list(request.POST.keys()) + list(request.FILES.keys()):
        match = FIELD.match(key)
        if not match:
            continue
        raw = values.setdefault(int(match.group(1)), {"self_score": "", "not_applicable": False, "note": ""})
        name = match.group(2)
        if name == "score":
            raw["self_score"] = request.POST.get(key, "")
        elif name == "na":
            raw["not_applicable"] = True
        elif name == "note":
            raw["note"] = request.POST.get(key, "")
        elif name == "orig":
            raw["original"] = request.POST.get(key)
        elif name == "ver":
            raw["version"] = request.POST.get(key)
        elif name == "keep":
            raw["keep"] = request.POST.get(key)
        elif name == "doc":
            raw["document"] = request.POST.get(key) or None
        elif name == "loc":
            raw["locator"] = request.POST.get(key, "")
        elif name == "rm":
            raw["remove_evidence"] = request.POST.getlist(key)
        elif name == "pending":
            raw["pending_files"] = request.POST.getlist(key)
        elif name == "files":
            raw["files"] = request.FILES.getlist(key)
    return values


def _shown(score):
    """What the inputs show for a stored score."""
    return {
        "self_score": display_points(score.self_score), "not_applicable": score.not_applicable,
        "note": score.self_note, "original": score_signature_of(score), "version": score.version,
        "document": "", "locator": "", "remove": set(), "pending": [],
    }


def _typed(raw, original, version):
    return {
        "self_score": raw.get("self_score", ""), "not_applicable": raw.get("not_applicable", False),
        "note": raw.get("note", ""), "original": original, "version": version,
        "document": raw.get("document") or "", "locator": raw.get("locator", ""),
        "remove": {str(v) for v in raw.get("remove_evidence", [])}, "pending": [],
    }


def _attach_inputs(data, *, values=None, result=None):
    """Give each leaf the values its inputs show and its error messages. After a refused save the
    officer's typed values come back everywhere; after a conflict, scores the officer did not touch
    show what the colleague saved, and those the officer changed keep the typed value, now carrying
    the colleague's version, beside a choice to keep either (the conflict table)."""
    conflicts = {c.score.id: c for c in (result.conflicts if result else [])}
    for leaf in data.leaves:
        score = leaf.score
        raw = (values or {}).get(score.id)
        leaf.errors = result.errors.get(score.id, {}) if result else {}
        leaf.conflict = conflicts.get(score.id)
        if raw is None or not leaf.is_self_scored:
            leaf.form = _shown(score)
        elif leaf.conflict:
            leaf.form = _typed(raw, score_signature_of(score), score.version)
        elif result and result.conflicts and score.id not in result.officer_changed:
            leaf.form = _shown(score)
        else:
            leaf.form = _typed(raw, raw.get("original", score_signature_of(score)), raw.get("version", score.version))
        if result:
            leaf.form["pending"] = result.pending_files.get(score.id, [])


def _unsaved_values(data, values):
    """What the officer typed that differs from what is stored, item by item."""
    unsaved = []
    for leaf in data.leaves:
        raw = values.get(leaf.score.id)
        if raw is None:
            continue
        typed = _typed(raw, "", None)
        stored = _shown(leaf.score)
        keys = ("self_score", "not_applicable", "note")
        if [str(typed[k]).strip() for k in keys] != [str(stored[k]).strip() for k in keys]:
            unsaved.append({"code": leaf.item.code, "name": leaf.item.name, **typed})
    return unsaved


def _sheet_context(request, assessment, data, *, can_edit, lock_reason):
    checks = assessment_cross_checks(assessment=assessment).by_item()
    for area in data.areas:
        area.checks = checks.get(area.item.id, [])
        for row in area.rows:
            row.checks = checks.get(row.item.id, [])
            if row.leaf is not None:
                row.leaf.checks = row.checks
    user = request.user
    status = assessment.status
    year = assessment.year
    params = request.POST if request.method == "POST" else request.GET
    view, chosen = view_of(params), filter_of(params)
    failing = {leaf.score.id for leaf in data.leaves if getattr(leaf, "errors", None) or getattr(leaf, "conflict", None)}
    grid = sheet_grid(leaves=data.leaves, areas=data.areas, side=SELF, assessment=assessment,
                      chosen=chosen, failing=failing)
    return {
        "view": view, "grid": grid, "grid_query": grid_query(view=view, chosen=chosen),
        # The commune sees the appraiser's scores once the result is approved, and before that only
        # those of the items it was asked to explain (as on the explanation page).
        "appraisal_visible": status in (AssessmentStatus.APPROVED, AssessmentStatus.PUBLISHED),
        "flags_visible": status not in (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED,
                                        AssessmentStatus.IN_APPRAISAL),
        "assessment": assessment, "data": data, "totals": data.totals,
        "editable": can_edit, "lock_reason": lock_reason,
        "accept": ACCEPT, "allowed_label": ALLOWED_LABEL, "S": AssessmentStatus,
        "can_submit": status == AssessmentStatus.DRAFT and lock_reason is None
        and user.has_perm("parindex.submit_assessment", assessment),
        "can_withdraw": status == AssessmentStatus.SUBMITTED and user.has_perm("parindex.submit_assessment",
                                                                               assessment),
        "can_leader_approve": year.requires_leader_approval and status == AssessmentStatus.DRAFT
        and assessment.leader_approved_at is None and user.has_perm("parindex.leader_approve_assessment",
                                                                    assessment),
        "active_tab": "sheet",
    }


def _return_anchor(raw):
    """Only an item anchor of this sheet ("#item-1.2.3") may follow the redirect."""
    raw = raw or ""
    return raw if re.fullmatch(r"#item-[0-9.]{1,20}", raw) else ""


@login_required
def score_sheet(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    can_edit, lock_reason, has_perm = sheet_access(request.user, assessment)
    values = result = None
    if request.method == "POST":
        if not has_perm:
            raise PermissionDenied
        values = _values_from_post(request)
        try:
            result = score_sheet_save(assessment=assessment, actor=request.user, values=values)
        except ScoreSheetError as exc:
            # The whole save was refused (the deadline passed meanwhile, say): show what was typed so
            # that nothing is lost, on the sheet as it now stands.
            messages.error(request, exc.message)
            can_edit, lock_reason, has_perm = sheet_access(request.user, assessment)
            data = score_sheet_data(assessment=assessment)
            _attach_inputs(data)
            context = _sheet_context(request, assessment, data, can_edit=can_edit, lock_reason=lock_reason)
            context["unsaved"] = _unsaved_values(data, values)
            return render(request, "parindex/self_assessment/score_sheet.html", context, status=409)
        if result.saved:
            _saved_message(request, assessment, result)
            view, chosen = view_of(request.POST), filter_of(request.POST)
            return redirect(reverse("score_sheet", args=[assessment.pk]) + grid_query(view=view, chosen=chosen)
                            + _return_anchor(request.POST.get("anchor")))
    data = score_sheet_data(assessment=assessment)
    _attach_inputs(data, values=values, result=result)
    context = _sheet_context(request, assessment, data, can_edit=can_edit, lock_reason=lock_reason)
    context["result"] = result
    context["error_count"] = sum(len(e) for e in result.errors.values()) if result else 0
    context["failing"] = failing_items(data.leaves, lambda leaf: leaf.errors)
    context["open_areas"] = {leaf.item.area_id for leaf in data.leaves if leaf.errors or leaf.conflict}
    return render(request, "parindex/self_assessment/score_sheet.html", context)


def _saved_message(request, assessment, result):
    totals = assessment_totals(assessment=assessment)
    # With autosave the values are usually stored before the button is pressed: say so, not "nothing".
    done = f"Đã lưu {result.changed} thay đổi." if result.changed else "Mọi giá trị trên phiếu đã được lưu."
    messages.success(
        request,
        f"{done} Tổng điểm tự đánh giá: {format_points(totals.self_total)}/"
        f"{format_points(totals.applicable_max)} điểm ({format_percent(totals.self_percent) or '—'}).",
    )


@login_required
def score_history_view(request, pk):
    score = get_object_or_404(Score.objects.select_related("item"), pk=pk)
    assessment = assessment_get_visible(request.user, score.assessment_id)
    return render(request, "parindex/self_assessment/score_history.html", {
        "assessment": assessment, "score": score, "item": score.item, "entries": score_history(score=score),
        "active_tab": "sheet",
    })


@login_required
def score_sheet_check(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    can_edit, lock_reason, _ = sheet_access(request.user, assessment)
    report = assessment_quality_check(assessment=assessment)
    can_submit = (assessment.status == AssessmentStatus.DRAFT and lock_reason is None
                  and request.user.has_perm("parindex.submit_assessment", assessment))
    return render(request, "parindex/self_assessment/check.html", {
        "assessment": assessment, "report": report, "can_submit": can_submit, "lock_reason": lock_reason,
        "totals": assessment_totals(assessment=assessment), "active_tab": "sheet",
        "needs_leader": assessment.year.requires_leader_approval and assessment.leader_approved_at is None,
    })


def _transition(request, pk, service, success):
    assessment = assessment_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.edit_self_assessment", assessment):
        raise PermissionDenied
    try:
        service(assessment=assessment, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("score_sheet", pk=assessment.pk)


@login_required
@require_POST
def score_sheet_submit(request, pk):
    if request.POST.get("confirm") != "1":
        messages.error(request, "Hãy đánh dấu xác nhận trước khi nộp.")
        return redirect("score_sheet_check", pk=pk)
    return _transition(request, pk, assessment_submit,
                       "Đã nộp bản tự đánh giá. Bản chấm đã khóa; có thể rút lại trước khi bắt đầu thẩm định.")


@login_required
@require_POST
def score_sheet_withdraw(request, pk):
    return _transition(request, pk, assessment_withdraw, "Đã rút lại bản tự đánh giá để chỉnh sửa.")


@login_required
@require_POST
def score_sheet_leader_approve(request, pk):
    return _transition(request, pk, assessment_leader_approve, "Lãnh đạo UBND xã đã duyệt bản tự đánh giá.")
