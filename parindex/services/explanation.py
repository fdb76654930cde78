"""The commune's side of the explanation round (giải trình): answer each item the appraiser
flagged (text, and evidence added for this stage), then resubmit through the workflow."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from parindex.errors import ParIndexError
from parindex.models import Assessment, Document, Evidence, Score
from parindex.numbers import parse_id
from parindex.services.evidence import EvidenceError, evidence_file_store, evidence_link_add
from parindex.services.workflow import assessment_resubmit, explanation_lock_reason

EXPLANATION_MAX = 8000


class ExplanationError(ParIndexError):
    """A refused save; `field_errors` maps (score id, field name) to a Vietnamese message."""

    def __init__(self, message, field_errors=None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


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


def explanation_save(*, assessment, actor, values, expected_version, files=None):
    """Save the commune's answers to the flagged items.

    `values` = {score_id: {"explanation": "...", "document": document id or "", "locator": "..."}}
    (only flagged items of this assessment), `files` = {score_id: UploadedFile} for evidence added in
    this round. All or nothing for the texts; an uploaded file is checked before anything is written."""
    _require(assessment, actor)
    expected_version = parse_id(expected_version)
    if expected_version is None:
        raise ExplanationError("Thiếu phiên bản của bản đánh giá: hãy tải lại trang.") from None
    files = files or {}
    flagged = {s.id: s for s in Score.objects.filter(assessment=assessment, flagged=True).select_related("item")}
    documents = {d.id: d for d in Document.objects.filter(assessment=assessment)}
    errors, changed, links = {}, [], []
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
            elif text != score.explanation:
                score.explanation = text
                changed.append(score)
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
    now = timezone.now()
    added = []
    with transaction.atomic():
        moved = Assessment.objects.filter(pk=assessment.pk, version=expected_version, status=assessment.status)
        if not moved.update(version=F("version") + 1, updated_at=now):
            raise ExplanationError(
                "Chưa lưu: bản đánh giá vừa được người khác cập nhật. Nội dung bạn nhập vẫn còn trên trang; "
                "hãy tải lại trang để xem bản mới nhất."
            )
        for score in changed:
            score.updated_by, score.updated_at = actor, now
        if changed:
            bulk_update_with_history(changed, Score, ["explanation", "updated_by", "updated_at"],
                                     default_user=actor, default_change_reason="Giải trình")
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
                # Raising inside the block rolls the texts back too: all or nothing.
                raise ExplanationError(f"Chưa lưu: {exc.message}", {(score.id, field_name): exc.message}) from None
    assessment.refresh_from_db()
    return ExplanationSaveResult(assessment=assessment, changed=changed, evidence=added)


def explanation_resubmit(*, assessment, actor, values, expected_version, files=None, comment=""):
    """Save the answers, then resubmit to the appraiser. The answers stay saved when the resubmission
    is refused (an item still unanswered, the deadline passed…), so nothing typed is lost."""
    result = explanation_save(assessment=assessment, actor=actor, values=values,
                              expected_version=expected_version, files=files)
    result.assessment = assessment_resubmit(assessment=result.assessment, actor=actor, comment=comment)
    return result
