"""The commune's explanation page (giải trình): the flagged items with the appraiser's request and
round-1 score, an answer and added evidence for each, then resubmission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from parindex.models import Document, Score
from parindex.selectors import assessment_get_visible
from parindex.selectors.appraisal import assessment_events
from parindex.selectors.tree import assessment_tree
from parindex.services.evidence import ACCEPT, ALLOWED_LABEL
from parindex.services.explanation import ExplanationError, explanation_resubmit, explanation_save
from parindex.services.workflow import WorkflowError, explanation_lock_reason


def _values_from_post(post, files, flagged_ids):
    values, uploads = {}, {}
    for score_id in flagged_ids:
        prefix = f"s-{score_id}-"
        if prefix + "explanation" not in post and prefix + "file" not in files:
            continue
        values[score_id] = {
            "explanation": post.get(prefix + "explanation", ""),
            "version": post.get(prefix + "version"), "keep": post.get(prefix + "keep"),
            "document": post.get(prefix + "document", ""),
            "locator": post.get(prefix + "locator", ""),
        }
        if prefix + "file" in files:
            uploads[score_id] = files[prefix + "file"]
    return values, uploads


def _context(request, assessment, *, typed=None, errors=None, conflicts=None):
    rows = assessment_tree(assessment=assessment).flagged_only()
    errors = errors or {}
    conflicts = conflicts or []
    current = {c.score.id: c.version for c in conflicts}
    for row in rows:
        if row.score is None:
            continue
        prefix = f"s-{row.score.id}-"
        row.form = {
            "explanation": typed.get(prefix + "explanation", row.score.explanation) if typed is not None
            else row.score.explanation,
            "document": typed.get(prefix + "document", "") if typed is not None else "",
            "locator": typed.get(prefix + "locator", "") if typed is not None else "",
            "errors": {name: msg for (sid, name), msg in errors.items() if sid == row.score.id},
            # After a conflict the typed answer carries the current version: saving again keeps it.
            "version": current.get(row.score.id) or (typed.get(prefix + "version") if typed is not None else None)
            or row.score.version,
        }
    lock_reason = explanation_lock_reason(assessment=assessment)
    can_explain = request.user.has_perm("parindex.submit_assessment", assessment)
    return {
        "assessment": assessment, "rows": rows, "lock_reason": lock_reason, "can_explain": can_explain,
        "editable": can_explain and lock_reason is None,
        "documents": Document.objects.filter(assessment=assessment),
        "events": assessment_events(assessment=assessment), "accept": ACCEPT, "allowed_label": ALLOWED_LABEL,
        "conflicts": conflicts, "flagged_count": sum(1 for r in rows if r.score is not None),
    }


@login_required
def explanation_sheet(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    if request.method == "POST":
        if not request.user.has_perm("parindex.submit_assessment", assessment):
            raise PermissionDenied("Chỉ cán bộ của xã được giải trình.")
        flagged_ids = list(Score.objects.filter(assessment=assessment, flagged=True).values_list("id", flat=True))
        values, uploads = _values_from_post(request.POST, request.FILES, flagged_ids)
        service = explanation_resubmit if request.POST.get("submit") == "resubmit" else explanation_save
        try:
            service(assessment=assessment, actor=request.user, values=values, files=uploads)
        except ExplanationError as exc:
            messages.error(request, exc.message)
            return render(request, "parindex/appraisal/explanation.html",
                          _context(request, assessment, typed=request.POST, errors=exc.field_errors,
                                   conflicts=exc.conflicts),
                          status=409 if exc.conflicts else 400 if exc.field_errors else 200)
        except WorkflowError as exc:
            # The answers were saved; only the resubmission was refused.
            messages.error(request, f"Đã lưu nội dung giải trình nhưng chưa nộp được: {exc.message}")
            return redirect("explanation_sheet", pk=assessment.pk)
        if service is explanation_resubmit:
            messages.success(request, "Đã nộp giải trình. Cán bộ thẩm định sẽ chấm lại các tiêu chí đã giải trình.")
        else:
            messages.success(request, "Đã lưu nội dung giải trình.")
        return redirect("explanation_sheet", pk=assessment.pk)
    return render(request, "parindex/appraisal/explanation.html", _context(request, assessment))
