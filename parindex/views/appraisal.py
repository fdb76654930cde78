"""The appraiser's pages: the queue of communes, the appraisal sheet and its workflow buttons, and the
administrator's lock exception and reopen pages. Views fetch through the visibility selector, check
the permission, call one service and respond; the services decide and explain refusals."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from parindex.models import AssessmentStatus, LockStage, Score
from parindex.numbers import decimal_places, format_number, parse_id
from parindex.selectors import assessment_get_visible, assessments_visible_to, band_for
from parindex.selectors.appraisal import assessment_events, score_history
from parindex.selectors.assignments import appraisable_item_ids, leaf_responsibility, my_items_in_year
from parindex.selectors.crosschecks import APPRAISAL, assessment_cross_checks
from parindex.selectors.grid import APPRAISAL as GRID_APPRAISAL
from parindex.selectors.grid import failing_items, filter_of, grid_query, sheet_grid, view_of
from parindex.selectors.queue import appraisal_queue_rows, queue_years, sort_normalise, year_pick
from parindex.selectors.tree import assessment_tree
from parindex.services import workflow
from parindex.services.appraisal import (
    BULK_ACTIONS,
    AppraisalSheetError,
    appraisal_bulk_apply,
    appraisal_round,
    appraisal_sheet_save,
    area_accept_values,
)

S = AssessmentStatus
SHEET_ACTIONS = {
    "start_appraisal": workflow.assessment_start_appraisal,
    "return": workflow.assessment_return_for_explanation,
    "complete": workflow.assessment_complete_appraisal,
    "approve": workflow.assessment_approve,
}
CONFIRM = {
    # What each button will do, asked after the values being typed have been saved (autosave.js).
    "start_appraisal": "Bắt đầu thẩm định? Xã không rút lại bản tự đánh giá được nữa.",
    # {n}: how many items are flagged when the button is pressed (static/js/appraisal-sheet.js counts
    # the boxes ticked on the page; without JavaScript there is no confirmation to fill in).
    "return": "Trả lại {n} mục để xã giải trình? Xã sẽ thấy nội dung yêu cầu và không sửa được điểm tự "
              "chấm; bạn chấm vòng 2 sau khi xã nộp giải trình.",
    "complete": "Hoàn thành thẩm định? Sau đó không sửa được điểm thẩm định nữa.",
    "approve": "Phê duyệt kết quả? Sau đó không sửa được điểm nữa.",
}


SORT_COLUMNS = [
    ("unit", "Đơn vị"), ("district", "Cấp huyện"), ("status", "Trạng thái"), ("submitted", "Ngày nộp"),
    ("timeliness", "Đúng hạn / trễ hạn"), ("self_total", "Tự đánh giá"), ("appraised_total", "Thẩm định"),
    ("index", "Chỉ số (%)"),
]
NUMERIC_COLUMNS = {"self_total", "appraised_total", "index"}


def input_text(value):
    """A stored points value as the appraiser would type it: "6,5", "11", "0,25"."""
    if value is None:
        return ""
    return format_number(value, decimal_places(value), thousands=False)


def _require_view(user, assessment=None):
    if not user.has_perm("parindex.view_appraisal", assessment):
        raise PermissionDenied("Trang này dành cho cán bộ thẩm định và quản trị.")


# --- the queue -----------------------------------------------------------------------------------

@login_required
def appraisal_queue(request):
    """The communes of one year in the user's scope; bulk start / approve with one result per row."""
    _require_view(request.user)
    params = request.POST if request.method == "POST" else request.GET
    years = list(queue_years(request.user))
    year = year_pick(years, params.get("year"))
    status = params.get("status") if params.get("status") in S.values else ""
    sort = sort_normalise(params.get("sort"))
    outcomes = {}
    if request.method == "POST" and year is not None:
        action = request.POST.get("action")
        if action not in BULK_ACTIONS:
            messages.error(request, "Chọn thao tác cần thực hiện.")
        else:
            ids = {i for i in map(parse_id, request.POST.getlist("ids")) if i is not None}
            chosen = list(assessments_visible_to(request.user).filter(year=year, pk__in=ids))
            if not chosen:
                messages.error(request, "Chưa chọn xã nào.")
            for outcome in appraisal_bulk_apply(actor=request.user, assessments=chosen, action=action):
                outcomes[outcome.assessment.id] = outcome
            if outcomes:
                done = sum(o.ok for o in outcomes.values())
                level = messages.SUCCESS if done == len(outcomes) else messages.WARNING
                messages.add_message(request, level, f"{workflow.TRANSITIONS[action].label}: thành công {done}/"
                                                     f"{len(outcomes)} xã. Xem kết quả từng dòng bên dưới.")
    rows = appraisal_queue_rows(user=request.user, year=year, status=status, sort=sort)
    mine = my_items_in_year(user=request.user, year=year, assessments=[r.assessment for r in rows]) \
        if year is not None else None
    for row in rows:
        row.result = outcomes.get(row.assessment.id)
        row.can_act = request.user.has_perm("parindex.appraise_assessment", row.assessment)
        row.my_items = None if mine is None else mine.get(row.assessment.id)
    return render(request, "parindex/appraisal/queue.html", {
        "years": years, "year": year, "rows": rows, "status": status, "sort": sort,
        "statuses": S.choices, "sort_columns": SORT_COLUMNS, "numeric_columns": NUMERIC_COLUMNS, "bulk_actions": [
            (a, workflow.TRANSITIONS[a].label) for a in BULK_ACTIONS
        ],
        "can_act": any(r.can_act for r in rows), "outcomes": list(outcomes.values()),
    })


# --- the appraisal sheet -------------------------------------------------------------------------

def _score_ids_in_post(post, scores):
    return [s for s in scores if f"s-{s.id}-present" in post]


def _values_from_post(post, assessment, scores, allowed):
    """The service's `values` from the submitted form. A leaf counts only when the form carried it
    (its hidden "present" marker), so an unchecked flag box means "not flagged", never "not sent"."""
    rnd = appraisal_round(assessment)
    values = {"scores": {}}
    for score in _score_ids_in_post(post, scores):
        if score.item_id not in allowed:
            continue  # another appraiser's item (read-only on this page): never sent to the service
        prefix = f"s-{score.id}-"
        if rnd == 1:
            # Disabled inputs (a not-applicable leaf's score) are not sent: absent means unchanged.
            raw = {name: post[prefix + name] for name in ("appraised_score", "appraisal_comment", "flag_comment")
                   if prefix + name in post}
            raw["flagged"] = prefix + "flagged" in post
        else:
            if not score.flagged and score.appraised_score is not None:
                continue
            raw = {name: post[prefix + name] for name in ("round2_score", "round2_comment") if prefix + name in post}
        for name in ("version", "keep"):
            if prefix + name in post:
                raw[name] = post[prefix + name]
        values["scores"][score.id] = raw
    accepted = {}
    # Ids come back from the page's own buttons; anything else (a superscript digit, a huge number) is
    # not one of this sheet's items and is ignored, like an id of another assessment.
    accept_item = parse_id(post.get("accept_item"))
    if accept_item is not None and any(s.id == accept_item for s in scores):
        accepted[accept_item] = {"accept": True}
    accept_area = parse_id(post.get("accept_area"))
    if accept_area is not None:
        by_id = {s.id: s for s in scores}
        accepted.update({sid: raw for sid, raw in area_accept_values(assessment=assessment, area_id=accept_area).items()
                         if by_id[sid].item_id in allowed})
    for score_id, raw in accepted.items():
        entry = values["scores"].setdefault(score_id, {})
        entry.update(raw)
        entry.setdefault("version", post.get(f"s-{score_id}-version"))
    for name in ("bonus_points", "penalty_points"):
        if name in post:
            values[name] = post[name]
    return values


def _leaf_form(score, rnd, typed=None, errors=None, stored=None, conflicts=None):
    """What each input of a leaf shows: what was typed (after a refused save) or what is stored, and the
    version it carries: the page's own, or after a conflict on this leaf the current one (so that
    saving again keeps what was typed, unless "theirs" is chosen in the conflict table)."""
    prefix = f"s-{score.id}-"

    def shown(name, stored_text):
        if typed is not None and prefix + name in typed:
            return typed.get(prefix + name, "")
        return stored_text

    form = {
        "appraised_score": shown("appraised_score", input_text(score.appraised_score)),
        "appraisal_comment": shown("appraisal_comment", score.appraisal_comment),
        "flag_comment": shown("flag_comment", score.flag_comment),
        "round2_score": shown("round2_score", input_text(score.round2_score)),
        "round2_comment": shown("round2_comment", score.round2_comment),
        "flagged": (prefix + "flagged" in typed) if typed is not None and prefix + "present" in typed else score.flagged,
        "self_text": input_text(score.self_score),
        # Errors of the assessment itself ("bonus_points") are keyed by name, not by (score id, name).
        "errors": {key[1]: msg for key, msg in (errors or {}).items()
                   if isinstance(key, tuple) and key[0] == score.id},
        "stored": {},
        "version": shown("version", score.version),
    }
    if conflicts and score.id in conflicts:
        form["version"] = conflicts[score.id].version
    if stored is not None:
        # After a conflict: show beside each input the value someone else saved meanwhile.
        current = stored.get(score.id)
        if current is not None:
            for name, value in (("appraised_score", input_text(current.appraised_score)),
                                ("round2_score", input_text(current.round2_score))):
                if value != form[name] and (rnd == 1) == (name == "appraised_score"):
                    form["stored"][name] = value
    return form


def _sheet_context(request, assessment, *, typed=None, errors=None, stored=None, conflicts=None):
    user = request.user
    rnd = appraisal_round(assessment)
    lock_reason = workflow.appraisal_lock_reason(assessment=assessment)
    coordinator = user.has_perm("parindex.appraise_assessment", assessment)
    can_appraise = user.has_perm("parindex.appraise_items", assessment)
    responsibility = leaf_responsibility(year=assessment.year, unit_id=assessment.unit_id)
    allowed = appraisable_item_ids(user=user, assessment=assessment, responsibility=responsibility) \
        if can_appraise else set()
    editable = can_appraise and lock_reason is None and bool(allowed)
    tree = assessment_tree(assessment=assessment)
    rows, totals = tree.rows, tree.totals
    if not coordinator and not user.is_superuser and responsibility.has_assignments:
        # A department appraiser sees only the areas they appraise.
        mine = {responsibility.items[leaf].area_id for leaf in allowed}
        rows = [r for r in rows if r.item.area_id in mine or r.item.id in mine]
    checks = assessment_cross_checks(assessment=assessment, stage=APPRAISAL).by_item()
    for row in rows:
        row.checks = checks.get(row.item.id, [])
    for row in tree.leaves:
        row.form = _leaf_form(row.score, rnd, typed=typed, errors=errors, stored=stored,
                              conflicts={c.score.id: c for c in conflicts or []})
        row.can_edit = editable and row.item.id in allowed
    for row in rows:
        if row.is_area:
            names = []
            for leaf, a in responsibility.by_leaf.items():
                if a is not None and responsibility.items[leaf].area_id == row.item.id and a.assignee_name not in names:
                    names.append(a.assignee_name)
            row.assignees = names
            row.can_accept = editable and any(responsibility.items[leaf].area_id == row.item.id for leaf in allowed)
    criteria_set = assessment.year.criteria_set
    errors = errors or {}
    flagged = [leaf for leaf in tree.leaves if leaf.score.flagged]
    # Flags this page cannot untick (another appraiser's areas): the script adds the ticked boxes.
    flags_elsewhere = sum(1 for leaf in flagged if not (leaf.can_edit and rnd == 1))
    actions = [
        {"action": t.action, "label": t.label, "confirm": CONFIRM.get(t.action, "").replace("{n}", str(len(flagged))),
         "confirm_template": CONFIRM.get(t.action, "") if "{n}" in CONFIRM.get(t.action, "") else ""}
        for t in workflow.available_actions(assessment=assessment, user=user) if t.action in SHEET_ACTIONS
    ]
    params = request.POST if request.method == "POST" else request.GET
    view, chosen = view_of(params), filter_of(params)
    failing = {key[0] for key in errors if isinstance(key, tuple)} | {c.score.id for c in conflicts or []}
    shown_leaves = [r for r in rows if r.is_leaf]
    grid = sheet_grid(leaves=shown_leaves, areas=[r for r in rows if r.is_area], side=GRID_APPRAISAL, assessment=assessment,
                      chosen=chosen, failing=failing)
    extra = {}
    for name, cap in (("bonus_points", criteria_set.bonus_cap), ("penalty_points", criteria_set.penalty_cap)):
        if cap is not None and (coordinator or not responsibility.has_assignments):
            typed_value = typed.get(name) if typed is not None and name in typed else None
            extra[name] = {"cap": cap, "value": typed_value if typed_value is not None
                           else input_text(getattr(assessment, name)), "error": errors.get(name, "")}
    return {
        "assessment": assessment, "rows": rows, "round": rnd, "lock_reason": lock_reason,
        "can_appraise": can_appraise, "editable": editable, "has_assignments": responsibility.has_assignments,
        "totals": totals, "criteria_set": criteria_set,
        "band": band_for(criteria_set=criteria_set, index_percent=totals.index_percent),
        "actions": actions, "extra": extra, "events": assessment_events(assessment=assessment),
        "history": score_history(assessment=assessment),
        "can_administer": user.has_perm("parindex.grant_lock_exception", assessment),
        "version": assessment.version, "conflicts": conflicts or [],
        "view": view, "grid": grid, "grid_query": grid_query(view=view, chosen=chosen),
        "grid_areas": [r for r in rows if r.is_area],
        "flagged": [leaf for leaf in shown_leaves if leaf.score.flagged],
        "flags_elsewhere": flags_elsewhere,
        "failing": failing_items(shown_leaves, lambda leaf: leaf.form["errors"]),
        "error_count": sum(1 for key in errors if isinstance(key, tuple)),
    }


@login_required
def appraisal_sheet(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    _require_view(request.user, assessment)
    if request.method == "POST":
        if not request.user.has_perm("parindex.appraise_items", assessment):
            raise PermissionDenied("Bạn không có quyền thẩm định bản đánh giá này.")
        scores = list(Score.objects.filter(assessment=assessment))
        allowed = appraisable_item_ids(user=request.user, assessment=assessment)
        values = _values_from_post(request.POST, assessment, scores, allowed)
        try:
            result = appraisal_sheet_save(assessment=assessment, actor=request.user, values=values,
                                          expected_version=request.POST.get("version"))
        except AppraisalSheetError as exc:
            messages.error(request, exc.message)
            stored = None
            if exc.conflict:
                assessment.refresh_from_db()
                stored = {s.id: s for s in Score.objects.filter(assessment=assessment)}
            context = _sheet_context(request, assessment, typed=request.POST, errors=exc.field_errors,
                                     stored=stored, conflicts=exc.conflicts)
            if not exc.conflict:
                # Keep the version the page was loaded with: the typed values are still unsaved.
                context["version"] = request.POST.get("version", assessment.version)
            status = 409 if exc.conflict else 400 if exc.field_errors else 200
            return render(request, "parindex/appraisal/sheet.html", context, status=status)
        # With autosave the items are usually stored before the button is pressed: say so.
        messages.success(request, f"Đã lưu ({len(result.changed)} tiêu chí thay đổi)." if result.changed
                         else "Mọi giá trị trên bảng điểm đã được lưu.")
        return redirect(reverse("appraisal_sheet", args=[assessment.pk])
                        + grid_query(view=view_of(request.POST), chosen=filter_of(request.POST)))
    return render(request, "parindex/appraisal/sheet.html", _sheet_context(request, assessment))


@login_required
@require_POST
def appraisal_transition(request, pk, action):
    """One workflow button of the sheet (start, return, complete, approve)."""
    assessment = assessment_get_visible(request.user, pk)
    _require_view(request.user, assessment)
    service = SHEET_ACTIONS.get(action)
    if service is None:
        raise Http404("Không có thao tác này")
    options = {"early": request.POST.get("early") == "1"} if action == "return" else {}
    try:
        service(assessment=assessment, actor=request.user, comment=request.POST.get("comment", "").strip(),
                **options)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thực hiện: {workflow.TRANSITIONS[action].label.lower()}.")
    return redirect(reverse("appraisal_sheet", args=[assessment.pk])
                    + grid_query(view=view_of(request.POST), chosen=filter_of(request.POST)))


# --- administrator: lock exception and reopen ---------------------------------------------------

class LockExceptionForm(forms.Form):
    stage = forms.ChoiceField(label="Giai đoạn", choices=LockStage.choices)
    until = forms.DateTimeField(
        label="Gia hạn đến", input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def _stage_rows(assessment):
    now = timezone.now()
    rows = []
    for stage, label in LockStage.choices:
        deadline = workflow.stage_deadline(year=assessment.year, stage=stage)
        rows.append({"label": label, "deadline": deadline,
                     "reason": workflow.stage_lock_reason(assessment=assessment, stage=stage, now=now)})
    return rows


@login_required
def lock_exception_grant(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.grant_lock_exception", assessment):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh được gia hạn.")
    initial = {"until": timezone.localtime() + dt.timedelta(days=3), "stage": _suggested_stage(assessment)}
    form = LockExceptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.lock_exception_grant(assessment=assessment, actor=request.user, **form.cleaned_data)
        except workflow.WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã gia hạn cho {assessment.unit}.")
            return redirect("lock_exception_grant", pk=assessment.pk)
    return render(request, "parindex/appraisal/lock_exception.html", {
        "assessment": assessment, "form": form, "stages": _stage_rows(assessment),
        "exceptions": assessment.lock_exceptions.select_related("granted_by"),
    })


def _suggested_stage(assessment):
    return {S.RETURNED: LockStage.EXPLANATION, S.SUBMITTED: LockStage.APPRAISAL_ROUND1,
            S.IN_APPRAISAL: LockStage.APPRAISAL_ROUND1, S.EXPLAINED: LockStage.APPRAISAL_ROUND2}.get(
        assessment.status, LockStage.SELF_ASSESSMENT)


class ReopenForm(forms.Form):
    to_status = forms.ChoiceField(label="Mở lại về", choices=[
        (S.DRAFT, "Đang tự đánh giá (xã sửa và nộp lại)"),
        (S.IN_APPRAISAL, "Đang thẩm định (cán bộ thẩm định chấm lại)"),
    ])
    reason = forms.CharField(label="Lý do mở lại", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@login_required
def assessment_reopen(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.reopen_assessment", assessment):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh được mở lại bản đánh giá.")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.assessment_reopen(assessment=assessment, actor=request.user,
                                       reason=form.cleaned_data["reason"], to_status=form.cleaned_data["to_status"])
        except workflow.WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã mở lại bản đánh giá của {assessment.unit}.")
            return redirect(reverse("appraisal_sheet", args=[assessment.pk]))
    return render(request, "parindex/appraisal/reopen.html", {"assessment": assessment, "form": form})
