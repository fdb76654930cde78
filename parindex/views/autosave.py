"""Per-item autosave (JSON) of the score sheet, the appraisal sheet and the explanation page.

Each endpoint saves one item through the same service as the sheet's full save (same validation,
same per-item version check), and answers JSON the page's static/js/autosave.js understands:

    200 {"ok": true, "version": n, "saved_at": "HH:MM"}
    400 {"ok": false, "errors": {field: message}, "message": …}          the value is refused
    409 {"ok": false, "conflict": {yours, theirs, values, by, at, version}, "message": …}
    409 {"ok": false, "message": …}                                       locked, or the state moved
    401 {"ok": false, "login_url": …}                                     the session expired
    403 / 404 {"ok": false, "message": …}                                 no right / not visible

A session that expired answers 401 (never a redirect to the login page that fetch would follow
silently), so the page keeps the value and offers to log in again in another tab."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.views.decorators.http import require_POST

from parindex.errors import ParIndexError
from parindex.forms.autosave import AppraisalItemForm, ExplanationItemForm, ScoreItemForm
from parindex.models import Score
from parindex.numbers import display_points
from parindex.selectors import assessment_get_visible
from parindex.services.appraisal import AppraisalSheetError, appraisal_sheet_save
from parindex.services.explanation import ExplanationError, explanation_save
from parindex.services.scores import score_sheet_save


def json_login_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({
                "ok": False, "login_url": resolve_url("login"),
                "message": "Phiên đăng nhập đã hết hạn. Các giá trị vẫn được giữ trên trang.",
            }, status=401)
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return JsonResponse({"ok": False, "message": "Không tìm thấy bản đánh giá hoặc tiêu chí."}, status=404)
        except PermissionDenied as exc:
            return JsonResponse({"ok": False, "message": str(exc) or "Bạn không có quyền sửa mục này."}, status=403)
    return wrapper


def _local(moment, fmt):
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def _refusal(errors):
    """400 with the message of each refused field ({field: message})."""
    return JsonResponse({"ok": False, "errors": errors, "message": " ".join(errors.values())}, status=400)


def _form_refusal(form):
    return _refusal({name: " ".join(messages) for name, messages in form.errors.items()})


def _saved(score_id, written, by_id=None):
    """The answer after a save: the item's version now (one query when nothing was written)."""
    score = (by_id or {}).get(score_id)
    version = score.version if score is not None else Score.objects.values_list("version", flat=True).get(pk=score_id)
    return JsonResponse({"ok": True, "version": version, "saved_at": _local(timezone.now(), "%H:%M"),
                         "changed": bool(written)})


def _conflict(conflict, message, values):
    """Both sides of an item someone else saved meanwhile: what to show, and the values to put back
    into the inputs when the person chooses theirs."""
    return JsonResponse({
        "ok": False, "message": message,
        "conflict": {
            "yours": conflict.yours_text, "theirs": conflict.theirs_text, "values": values,
            "by": (conflict.by.get_full_name() or conflict.by.username) if conflict.by else "",
            "at": _local(conflict.at, "%H:%M %d/%m/%Y"), "version": conflict.version,
        },
    }, status=409)


def _service_refusal(exc, conflict_values):
    """The answer to a save the service refused: both sides of a conflict (conflict_values(score)
    gives the values to put back when the person chooses theirs), the refused fields of the item
    ((score id, field) keys), or the overall message when the state moved."""
    if getattr(exc, "conflicts", None):
        c = exc.conflicts[0]
        return _conflict(c, exc.message, conflict_values(c.score))
    field_errors = getattr(exc, "field_errors", None) or {}
    if field_errors:
        return _refusal({key[1]: msg for key, msg in field_errors.items() if isinstance(key, tuple)})
    return JsonResponse({"ok": False, "message": exc.message}, status=409)


def _item_request(request, pk, score_id, *, permission, denied, form_class):
    """What every autosave does first: the visible assessment, the right to change it, the posted
    values read through the form, and the item belonging to the assessment. Returns (assessment,
    form) or the refusal to answer with."""
    assessment = assessment_get_visible(request.user, pk)
    if not request.user.has_perm(permission, assessment):
        raise PermissionDenied(denied)
    form = form_class(request.POST)
    if not form.is_valid():
        return None, _form_refusal(form)
    if not Score.objects.filter(pk=score_id, assessment=assessment).exists():
        raise Http404
    return assessment, form


@json_login_required
@require_POST
def score_item_save(request, pk, score_id):
    assessment, form = _item_request(
        request, pk, score_id, permission="parindex.edit_self_assessment", form_class=ScoreItemForm,
        denied="Tài khoản của bạn chỉ có quyền xem dữ liệu tự đánh giá của xã này.")
    if assessment is None:
        return form
    try:
        result = score_sheet_save(assessment=assessment, actor=request.user, values={score_id: form.item_values()})
    except ParIndexError as exc:
        return JsonResponse({"ok": False, "message": exc.message}, status=409)
    if result.errors:
        return _refusal(result.errors.get(score_id, {}))
    if result.conflicts:
        [c] = result.conflicts
        now = c.score
        values = {"self_score": display_points(now.self_score), "not_applicable": now.not_applicable,
                  "note": now.self_note}
        return _conflict(c, "Tiêu chí này vừa được người khác lưu.", values)
    return _saved(score_id, result.changed, result.scores)


def _appraisal_values(score, names):
    values = {}
    for name in names:
        value = getattr(score, name)
        values[name] = display_points(value) if name.endswith("_score") else value
    return values


@json_login_required
@require_POST
def appraisal_item_save(request, pk, score_id):
    assessment, form = _item_request(
        request, pk, score_id, permission="parindex.appraise_assessment", form_class=AppraisalItemForm,
        denied="Bạn không có quyền thẩm định bản đánh giá này.")
    if assessment is None:
        return form
    raw = form.item_values()
    try:
        result = appraisal_sheet_save(assessment=assessment, actor=request.user, values={"scores": {score_id: raw}})
    except AppraisalSheetError as exc:
        return _service_refusal(exc, lambda score: _appraisal_values(score, [k for k in raw if k != "version"]))
    return _saved(score_id, result.changed, {s.id: s for s in result.changed})


@json_login_required
@require_POST
def explanation_item_save(request, pk, score_id):
    assessment, form = _item_request(
        request, pk, score_id, permission="parindex.submit_assessment", form_class=ExplanationItemForm,
        denied="Chỉ cán bộ của xã được giải trình.")
    if assessment is None:
        return form
    try:
        result = explanation_save(assessment=assessment, actor=request.user, values={score_id: form.item_values()})
    except ExplanationError as exc:
        return _service_refusal(exc, lambda score: {"explanation": score.explanation})
    return _saved(score_id, result.changed, {s.id: s for s in result.changed})
