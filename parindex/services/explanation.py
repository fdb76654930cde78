"""The commune's side of the explanation round (giải trình): answer each item the appraiser
flagged (text, and evidence added for this stage), then resubmit through the workflow."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from parindex.errors import ParIndexError
from parindex.models import Assessment, Document, Evidence, Score
from parindex.numbers import parse_id
from parindex.services.evidence import EvidenceError, evidence_file_store, evidence_link_add
from parindex.services.score_writes import (
    ScoreChange,
    StaleScores,
    conflicts_of,
    scores_write,
    stale_split,
    version_parse,
)
from parindex.services.workflow import assessment_resubmit, explanation_lock_reason

EXPLANATION_MAX = 8000


class ExplanationError(ParIndexError):
    """A refused save; `field_errors` maps (score id, field name) to a Vietnamese message."""

    def __init__(self, message, field_errors=None, conflicts=None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
        self.conflicts = conflicts or []  # [ScoreConflict]: answers saved by someone else, both values


def _conflict_refusal(conflicts):
    for c in conflicts:
        c.theirs_text, c.yours_text = c.score.explanation or "(trống)", c.yours.get("explanation") or "(trống)"
    codes = ", ".join(c.score.item.code for c in conflicts)
    return ExplanationError(
        f"Chưa lưu: nội dung giải trình của tiêu chí {codes} vừa được người khác cập nhật. Không có gì bị ghi "
        "đè; nội dung bạn nhập vẫn còn trên trang: chọn giữ nội dung của bạn hay của họ rồi lưu lại.",
        conflicts=conflicts,
    )


@dataclass
class ExplanationSaveResult:
    assessment: Assessment
    changed: list = field(default_factory=list)
    evidence: list = field(default_factory=list)


def _require(assessment, actor):
    if not actor.has_perm("parindex.submit_assessment", assessment):
        raise ExplanationError(f"Bạn không có quyền giải trình cho {assessment.unit}.")
    reason = explanation_lock_reason(assessment=assessment)
    if reason:
        raise ExplanationError(f"Không thể giải trình: {reason}")


def explanation_save(*, assessment, actor, values, files=None):
    """Save the commune's answers to the flagged items (the whole page, or one item: autosave).

    `values` = {score_id: {"explanation": "...", "version": the score's version on the page, "keep":
    "theirs" to leave it as stored, "document": document id or "", "locator": "..."}} (only flagged
    items of this assessment), `files` = {score_id: UploadedFile} for evidence added in this round.
    All or nothing; an answer is written only if its score is still at the page's version."""
    _require(assessment, actor)
    files = files or {}
    flagged = {s.id: s for s in Score.objects.filter(assessment=assessment, flagged=True).select_related("item")}
    documents = {d.id: d for d in Document.objects.filter(assessment=assessment)}
    errors, changes, links = {}, [], []
    for raw_id in set(values) | set(files):
        try:
            score = flagged[parse_id(raw_id)]
        except KeyError:
            raise ExplanationError("Chỉ giải trình các tiêu chí được yêu cầu giải trình.") from None
        raw = values.get(raw_id, {})
        if "explanation" in raw:
            text = str(raw["explanation"] or "").strip()
            if len(text) > EXPLANATION_MAX:
                errors[(score.id, "explanation")] = f"Tối đa {EXPLANATION_MAX} ký tự."
            elif text != score.explanation and raw.get("keep") != "theirs":
                version = version_parse(raw.get("version"))
                if version is None:
                    raise ExplanationError(f"Thiếu phiên bản của tiêu chí {score.item.code}: hãy tải lại trang.")
                changes.append(ScoreChange(score=score, version=version, values={"explanation": text}))
        locator = str(raw.get("locator") or "").strip()
        if len(locator) > Evidence._meta.get_field("locator").max_length:
            errors[(score.id, "locator")] = "Trang, mục quá dài (tối đa 120 ký tự)."
        document_id = raw.get("document")
        if document_id not in (None, ""):
            try:
                links.append((score, {"document": documents[parse_id(document_id)], "locator": locator}))
            except KeyError:
                errors[(score.id, "document")] = "Văn bản không có trong sổ văn bản của xã."
        if raw_id in files and files[raw_id] is not None:
            links.append((score, {"upload": files[raw_id], "locator": locator}))
    if errors:
        raise ExplanationError(f"Chưa lưu: có {len(errors)} ô chưa hợp lệ, xem các ô được đánh dấu đỏ.", errors)
    changes, stale = stale_split(changes)
    if stale:
        raise _conflict_refusal(conflicts_of(stale))
    now = timezone.now()
    added = []
    try:
        with transaction.atomic():
            written = _write(assessment=assessment, actor=actor, changes=changes, links=links, now=now, added=added)
    except StaleScores:
        raise _conflict_refusal(conflicts_of(changes)) from None
    assessment.refresh_from_db()
    return ExplanationSaveResult(assessment=assessment, changed=written, evidence=added)


def _write(*, assessment, actor, changes, links, now, added):
    # Conditional on the status: answers racing the resubmission (or a deadline move) change nothing.
    if not Assessment.objects.filter(pk=assessment.pk, status=assessment.status).update(updated_at=now):
        raise ExplanationError("Chưa lưu: bản đánh giá vừa chuyển trạng thái. Hãy tải lại trang.")
    written = scores_write(changes=changes, actor=actor, now=now, reason="Giải trình",
                           stamp={"self_updated_by": actor, "self_updated_at": now})
    for score, link in links:
        try:
            evidence_file = None
            if "upload" in link:
                evidence_file = evidence_file_store(assessment=assessment, uploaded_file=link["upload"],
                                                    actor=actor)
            added.append(evidence_link_add(
                score=score, actor=actor, file=evidence_file, document=link.get("document"),
                locator=link["locator"], stage=Evidence.Stage.EXPLANATION,
            ))
        except EvidenceError as exc:
            field_name = "file" if "upload" in link else "document"
            # Raising inside the caller's atomic block rolls the texts back too: all or nothing.
            raise ExplanationError(f"Chưa lưu: {exc.message}", {(score.id, field_name): exc.message}) from None
    return written


def explanation_resubmit(*, assessment, actor, values, files=None, comment=""):
    """Save the answers, then resubmit to the appraiser. The answers stay saved when the resubmission
    is refused (an item still unanswered, the deadline passed…), so nothing typed is lost."""
    result = explanation_save(assessment=assessment, actor=actor, values=values, files=files)
    result.assessment = assessment_resubmit(assessment=result.assessment, actor=actor, comment=comment)
    return result
