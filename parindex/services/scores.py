"""Saving the commune's score sheet: every value validated, all or nothing, one conditional write with
history, and per-score versions so that nobody silently overwrites a colleague."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from parindex.errors import ParIndexError
from parindex.models import Assessment, Document, Evidence, Score, ScoringMethod
from parindex.numbers import display_points, parse_id, points_validate
from parindex.selectors.sheet import score_signature
from parindex.services.evidence import EvidenceError, evidence_file_store, uploaded_file_check
from parindex.services.score_writes import (
    ScoreChange,
    StaleScores,
    conflicts_of,
    scores_write,
    stale_split,
    version_parse,
)
from parindex.services.workflow import self_assessment_lock_reason


class ScoreSheetError(ParIndexError):
    """The whole save is refused (no permission, sheet locked); the message says why."""


def score_value_parse(text, *, max_points):
    """Parse a typed self-score. Returns (Decimal | None, error message | None)."""
    try:
        return points_validate(text, maximum=max_points, label="Điểm tự đánh giá"), None
    except ValueError as exc:
        return None, str(exc)


@dataclass
class ScoreSheetResult:
    saved: bool
    changed: int = 0
    errors: dict = field(default_factory=dict)  # score id -> {field: message}
    conflicts: list = field(default_factory=list)  # [ScoreConflict]
    scores: dict = field(default_factory=dict)  # score id -> Score as written (new version)
    pending_files: dict = field(default_factory=dict)  # score id -> [EvidenceFile] stored, not yet linked
    officer_changed: set = field(default_factory=set)  # score ids whose values the officer changed


@dataclass
class _Parsed:
    score: Score
    self_score: Decimal | None
    not_applicable: bool
    note: str
    original: str | None
    files: list
    document: Document | None
    locator: str
    pending_ids: list
    remove_ids: list

    @property
    def signature(self):
        return score_signature(self_score=self.self_score, not_applicable=self.not_applicable, note=self.note)

    @property
    def values_change(self):
        s = self.score
        return (self.self_score != s.self_score or self.not_applicable != s.not_applicable
                or self.note != s.self_note)

    @property
    def has_evidence_changes(self):
        return bool(self.files or self.document or self.pending_ids or self.remove_ids)

    @property
    def officer_changed(self):
        """Did the officer change this score's values on the page (against what the page showed)?"""
        if self.original is None:
            return self.values_change
        return self.signature != self.original


def score_display(*, self_score, not_applicable, note):
    if not_applicable:
        text = "Không áp dụng"
    elif self_score is None:
        text = "(chưa chấm)"
    else:
        text = f"{display_points(self_score)} điểm"
    if note:
        short = note if len(note) <= 80 else note[:77] + "…"
        text += f"; thuyết minh: “{short}”"
    return text


def _int_list(values):
    return [v for v in map(parse_id, values or []) if v is not None]


def _parse_all(*, scores, values, documents):
    parsed, errors = {}, {}
    for score_id, raw in values.items():
        score = scores.get(score_id)
        if score is None or score.item.scoring_method != ScoringMethod.SELF:
            continue  # foreign ids and read-only items are ignored, never written
        item = score.item
        field_errors = {}
        not_applicable = bool(raw.get("not_applicable"))
        if not_applicable and not item.allows_not_applicable:
            field_errors["not_applicable"] = "Tiêu chí này không được chọn “không áp dụng”."
        value = None
        if not not_applicable:
            value, message = score_value_parse(raw.get("self_score", ""), max_points=item.max_points)
            if message:
                field_errors["self_score"] = message
        files = list(raw.get("files") or [])
        for upload in files:
            try:
                uploaded_file_check(upload)
            except EvidenceError as exc:
                field_errors.setdefault("evidence", exc.message)
        document = None
        document_id = raw.get("document")
        if document_id not in (None, ""):
            try:
                document = documents[parse_id(document_id)]
            except KeyError:
                field_errors["evidence"] = "Văn bản được chọn không có trong sổ văn bản của xã."
        locator = (raw.get("locator") or "").strip()
        if len(locator) > Evidence._meta.get_field("locator").max_length:
            field_errors["locator"] = "Trang, mục quá dài (tối đa 120 ký tự)."
        if field_errors:
            errors[score_id] = field_errors
        parsed[score_id] = _Parsed(
            score=score, self_score=value, not_applicable=not_applicable, note=(raw.get("note") or "").strip(),
            original=raw.get("original"), files=files, document=document, locator=locator,
            pending_ids=_int_list(raw.get("pending_files")), remove_ids=_int_list(raw.get("remove_evidence")),
        )
    return parsed, errors


def _keep_files(*, assessment, actor, parsed):
    """Valid files chosen on a page that is sent back (errors or conflict) are stored now and shown as
    waiting to be linked, so the officer does not have to pick them again (browsers cannot refill a
    file input). They become evidence only when the sheet is saved."""
    pending = {}
    for score_id, p in parsed.items():
        kept = []
        for upload in p.files:
            try:
                kept.append(evidence_file_store(assessment=assessment, uploaded_file=upload, actor=actor))
            except EvidenceError:
                continue
        if kept or p.pending_ids:
            known = list(assessment.evidence_files.filter(id__in=p.pending_ids)) if p.pending_ids else []
            pending[score_id] = known + [f for f in kept if f.id not in p.pending_ids]
    return pending


def _apply_evidence(*, assessment, actor, parsed, documents):
    links, removed = [], 0
    for p in parsed.values():
        if p.remove_ids:
            for evidence in Evidence.objects.filter(id__in=p.remove_ids, score=p.score, stage=Evidence.Stage.SELF):
                evidence._history_user = actor
                evidence.delete()
                removed += 1
        files = list(assessment.evidence_files.filter(id__in=p.pending_ids)) if p.pending_ids else []
        files += [evidence_file_store(assessment=assessment, uploaded_file=u, actor=actor) for u in p.files]
        existing = {(e.file_id, e.document_id, e.locator) for e in p.score.evidence.all()} if (
            files or p.document) else set()
        targets = [(f, None) for f in files] + ([(None, p.document)] if p.document else [])
        for file, document in targets:
            key = (file.id if file else None, document.id if document else None, p.locator)
            if key in existing:
                continue
            existing.add(key)
            links.append(Evidence(score=p.score, file=file, document=document, locator=p.locator,
                                  stage=Evidence.Stage.SELF, added_by=actor))
    if links:
        bulk_create_with_history(links, Evidence, default_user=actor)
    return len(links) + removed


def _changes(parsed, raw_values):
    """The value changes to write, each with the version its page showed. A score the officer did not
    touch on the page (its values equal the page's original) is never written, so a colleague's save
    of it meanwhile stands; "theirs" chosen after a conflict skips the score as well."""
    changes = []
    for score_id, p in parsed.items():
        raw = raw_values[score_id]
        if raw.get("keep") == "theirs" or not p.officer_changed or not p.values_change:
            continue
        version = version_parse(raw.get("version"))
        if version is None:
            raise ScoreSheetError(f"Thiếu phiên bản của tiêu chí {p.score.item.code}: vui lòng tải lại trang.")
        changes.append(ScoreChange(score=p.score, version=version, values={
            "self_score": p.self_score, "not_applicable": p.not_applicable, "self_note": p.note,
        }))
    return changes


def _describe(conflicts):
    for c in conflicts:
        now = c.score
        c.theirs_text = score_display(self_score=now.self_score, not_applicable=now.not_applicable, note=now.self_note)
        yours = {"self_score": now.self_score, "not_applicable": now.not_applicable, "self_note": now.self_note,
                 **c.yours}
        c.yours_text = score_display(self_score=yours["self_score"], not_applicable=yours["not_applicable"],
                                     note=yours["self_note"])
    return conflicts


def score_sheet_save(*, assessment, actor, values):
    """Save the self-assessment values typed on the sheet, or a single item (autosave): one rule.

    `values` maps a score id to {"self_score": text, "not_applicable": bool, "note": text,
    "version": the score's version shown on the page, "original": signature shown on the page
    (optional), "keep": "theirs" to drop this item after a conflict, "files": [UploadedFile],
    "document": id, "locator": text, "pending_files": [EvidenceFile id], "remove_evidence": [Evidence id]}.

    Nothing is written when any value is wrong (result.errors) or when any changed score was saved by
    someone else after its version (result.conflicts, with both values); otherwise the changed scores
    are written in one conditional UPDATE (parindex.services.score_writes) with one history row each.
    """
    if not actor.has_perm("parindex.edit_self_assessment", assessment):
        raise ScoreSheetError(f"Bạn không có quyền chấm điểm tự đánh giá của {assessment.unit}.")
    reason = self_assessment_lock_reason(assessment=assessment)
    if reason:
        raise ScoreSheetError(f"Không thể lưu: {reason}")

    ids = [i for i in values if isinstance(i, int)]
    scores = {s.id: s for s in Score.objects.filter(assessment=assessment, id__in=ids).select_related("item")
              .prefetch_related("evidence")}
    documents = {d.id: d for d in Document.objects.filter(assessment=assessment)}
    parsed, errors = _parse_all(scores=scores, values=values, documents=documents)

    def refused(**kwargs):
        return ScoreSheetResult(
            saved=False, pending_files=_keep_files(assessment=assessment, actor=actor, parsed=parsed),
            officer_changed={i for i, p in parsed.items() if p.officer_changed}, **kwargs,
        )

    if errors:
        return refused(errors=errors)
    changes = _changes(parsed, values)
    with_evidence = [p for p in parsed.values() if p.has_evidence_changes]
    changes, stale = stale_split(changes)
    if stale:
        return refused(conflicts=_describe(conflicts_of(stale)))
    if not changes and not with_evidence:
        return ScoreSheetResult(saved=True, changed=0)
    try:
        written = _write(assessment=assessment, actor=actor, parsed=parsed, changes=changes, documents=documents)
    except StaleScores:
        # Someone saved one of these scores between our read and our write: show what they wrote.
        return refused(conflicts=_describe(conflicts_of(changes)))
    return ScoreSheetResult(saved=True, changed=written, scores={c.score.id: c.score for c in changes})


def _write(*, assessment, actor, parsed, changes, documents):
    now = timezone.now()
    with transaction.atomic():
        updates = {"updated_at": now}
        if changes:
            # The leader approved the scores they read: changed scores need their approval again.
            updates["leader_approved_at"] = None
        # Conditional on the status: a save racing a submission waits for it and then changes nothing.
        if not Assessment.objects.filter(pk=assessment.pk, status=assessment.status).update(**updates):
            raise ScoreSheetError("Không thể lưu: bản đánh giá vừa chuyển trạng thái. Vui lòng tải lại trang.")
        if changes:
            assessment.leader_approved_at = None
        scores_write(changes=changes, actor=actor, now=now, reason="Tự đánh giá",
                     stamp={"self_updated_by": actor, "self_updated_at": now})
        evidence_changes = _apply_evidence(assessment=assessment, actor=actor, parsed=parsed, documents=documents)
    return len(changes) + evidence_changes
