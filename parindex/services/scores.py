"""Saving the commune's score sheet: every value validated, all or nothing, bulk writes with history,
and optimistic concurrency on Assessment.version so that nobody silently overwrites a colleague."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from parindex.errors import ParIndexError
from parindex.models import Assessment, Document, Evidence, Score, ScoringMethod
from parindex.numbers import display_points, parse_id, points_validate
from parindex.selectors.sheet import score_signature, score_signature_of
from parindex.services.evidence import EvidenceError, evidence_file_store, uploaded_file_check
from parindex.services.workflow import self_assessment_lock_reason

SCORE_FIELDS = ["self_score", "not_applicable", "self_note", "updated_by", "updated_at"]


class ScoreSheetError(ParIndexError):
    """The whole save is refused (no permission, sheet locked); the message says why."""


def score_value_parse(text, *, max_points):
    """Parse a typed self-score. Returns (Decimal | None, error message | None)."""
    try:
        return points_validate(text, maximum=max_points, label="Điểm tự đánh giá"), None
    except ValueError as exc:
        return None, str(exc)


@dataclass
class Conflict:
    """A score someone else saved after the officer opened the sheet."""

    score: Score
    theirs: str
    yours: str
    by: object = None
    at: object = None
    both_changed: bool = False


@dataclass
class ScoreSheetResult:
    saved: bool
    version: int
    changed: int = 0
    errors: dict = field(default_factory=dict)  # score id -> {field: message}
    conflicts: list = field(default_factory=list)
    current: dict = field(default_factory=dict)  # score id -> Score as now stored (after a conflict)
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


def _last_changes(score_ids):
    """Who last changed each score, and when (one query)."""
    latest = {}
    for record in (Score.history.filter(id__in=score_ids).select_related("history_user")
                   .order_by("id", "history_date", "history_id")):
        latest[record.id] = record
    return latest


def _conflicts(*, parsed, current):
    changed_by_others = [p for p in parsed.values()
                         if p.original is not None and score_signature_of(current[p.score.id]) != p.original]
    last = _last_changes([p.score.id for p in changed_by_others])
    conflicts = []
    for p in changed_by_others:
        now = current[p.score.id]
        record = last.get(p.score.id)
        conflicts.append(Conflict(
            score=now,
            theirs=score_display(self_score=now.self_score, not_applicable=now.not_applicable, note=now.self_note),
            yours=score_display(self_score=p.self_score, not_applicable=p.not_applicable, note=p.note),
            by=record.history_user if record else None, at=record.history_date if record else None,
            both_changed=p.officer_changed,
        ))
    return conflicts


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


def score_sheet_save(*, assessment, actor, values, expected_version):
    """Save the self-assessment values typed on the sheet.

    `values` maps a score id to {"self_score": text, "not_applicable": bool, "note": text,
    "original": signature shown on the page (optional), "files": [UploadedFile], "document": id,
    "locator": text, "pending_files": [EvidenceFile id], "remove_evidence": [Evidence id]}.

    Nothing is written when any value is wrong (result.errors) or when someone saved the sheet after
    `expected_version` (result.conflicts); otherwise every changed score is written in one bulk
    update with one history row each, and the assessment's version moves on by one.
    """
    if not actor.has_perm("parindex.edit_self_assessment", assessment):
        raise ScoreSheetError(f"Bạn không có quyền chấm điểm tự đánh giá của {assessment.unit}.")
    reason = self_assessment_lock_reason(assessment=assessment)
    if reason:
        raise ScoreSheetError(f"Không thể lưu: {reason}")
    expected_version = parse_id(expected_version)
    if expected_version is None:
        raise ScoreSheetError("Thiếu phiên bản của bản chấm: vui lòng tải lại trang.") from None

    scores = {s.id: s for s in Score.objects.filter(assessment=assessment).select_related("item")
              .prefetch_related("evidence")}
    documents = {d.id: d for d in Document.objects.filter(assessment=assessment)}
    parsed, errors = _parse_all(scores=scores, values=values, documents=documents)

    def refused(**kwargs):
        return ScoreSheetResult(
            saved=False, pending_files=_keep_files(assessment=assessment, actor=actor, parsed=parsed),
            officer_changed={i for i, p in parsed.items() if p.officer_changed}, **kwargs,
        )

    if errors:
        return refused(version=expected_version, errors=errors)

    changed = [p for p in parsed.values() if p.values_change]
    with_evidence = [p for p in parsed.values() if p.has_evidence_changes]
    current_version = Assessment.objects.filter(pk=assessment.pk).values_list("version", flat=True).first()
    if current_version != expected_version:
        return refused(version=current_version, conflicts=_conflicts(parsed=parsed, current=scores),
                       current=scores)
    if not changed and not with_evidence:
        return ScoreSheetResult(saved=True, version=expected_version, changed=0)

    try:
        written = _write(assessment=assessment, actor=actor, parsed=parsed, changed=changed,
                         documents=documents, expected_version=expected_version)
    except _Raced:
        # Someone saved between our read and our write: show what they wrote.
        fresh = {s.id: s for s in Score.objects.filter(assessment=assessment).select_related("item")}
        version = Assessment.objects.filter(pk=assessment.pk).values_list("version", flat=True).first()
        return refused(version=version, conflicts=_conflicts(parsed=parsed, current=fresh), current=fresh)
    assessment.version = expected_version + 1
    return ScoreSheetResult(saved=True, version=assessment.version, changed=written)


class _Raced(Exception):
    pass


def _write(*, assessment, actor, parsed, changed, documents, expected_version):
    now = timezone.now()
    with transaction.atomic():
        updates = {"version": F("version") + 1, "updated_at": now}
        if changed:
            # The leader approved the scores they read: changed scores need their approval again.
            updates["leader_approved_at"] = None
        bumped = Assessment.objects.filter(pk=assessment.pk, version=expected_version).update(**updates)
        if not bumped:
            raise _Raced
        if changed:
            assessment.leader_approved_at = None
        to_write = []
        for p in changed:
            s = p.score
            s.self_score, s.not_applicable, s.self_note = p.self_score, p.not_applicable, p.note
            s.updated_by, s.updated_at = actor, now
            to_write.append(s)
        if to_write:
            bulk_update_with_history(to_write, Score, SCORE_FIELDS, default_user=actor, default_date=now)
        evidence_changes = _apply_evidence(assessment=assessment, actor=actor, parsed=parsed, documents=documents)
    return len(to_write) + evidence_changes
