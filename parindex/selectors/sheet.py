"""What the score sheet shows beyond the tree: the register of documents, each score's signature
(to tell the officer's changes from a colleague's) and the history of one score."""

import hashlib
from dataclasses import dataclass

from parindex.models import Document, Evidence, Score

from .history import history_changes
from .tree import assessment_tree


def score_signature(*, self_score, not_applicable, note):
    """A compact fingerprint of a score's self-assessment values, carried by the form so that a save
    can tell what the officer changed from what someone else changed meanwhile."""
    score_text = "" if self_score is None else format(self_score.normalize(), "f")
    digest = hashlib.sha256((note or "").strip().encode()).hexdigest()[:16]
    return f"{score_text}|{int(bool(not_applicable))}|{digest}"


def score_signature_of(score):
    return score_signature(self_score=score.self_score, not_applicable=score.not_applicable, note=score.self_note)


def score_sheet_data(*, assessment):
    """The assessment's tree (see selectors.tree) with the register of documents the officer links
    evidence from."""
    data = assessment_tree(assessment=assessment, with_last_year=False)
    data.documents = list(Document.objects.filter(assessment=assessment).order_by("-issued_on", "id"))
    return data


BLANK = {"self_score": None, "not_applicable": False, "self_note": "", "explanation": ""}
HISTORY_FIELDS = [
    ("self_score", "Điểm tự đánh giá"),
    ("not_applicable", "Không áp dụng"),
    ("self_note", "Thuyết minh"),
    ("explanation", "Giải trình"),
]


@dataclass
class HistoryEntry:
    at: object
    user: object
    changes: list  # (label, old, new) with raw values; the template formats them
    evidence: object = None  # the historical evidence row for evidence entries
    action: str = ""


def score_history(*, score):
    """Changes of one score's commune-side values and of its evidence, newest first (three queries).
    A score starts blank when the year opens, so the first record is compared with a blank score."""
    entries = []
    labels = dict(HISTORY_FIELDS)
    records = score.history.select_related("history_user").order_by("history_date", "history_id")
    for record, changes in history_changes(records, fields=list(labels), blank=Score.history.model(**BLANK)):
        if changes:
            entries.append(HistoryEntry(at=record.history_date, user=record.history_user,
                                        changes=[(labels[c.field], c.old, c.new) for c in changes]))
    evidence_history = (
        Evidence.history.filter(score_id=score.id)
        .select_related("history_user", "file", "document")
        .order_by("history_date", "history_id")
    )
    actions = {"+": "Thêm tài liệu kiểm chứng", "-": "Gỡ tài liệu kiểm chứng", "~": "Sửa tài liệu kiểm chứng"}
    for record in evidence_history:
        entries.append(HistoryEntry(at=record.history_date, user=record.history_user, changes=[],
                                    evidence=record, action=actions.get(record.history_type, "")))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
