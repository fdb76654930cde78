"""Everything the score sheet shows for one assessment, loaded in a fixed number of queries
whatever the size of the criteria set (items, scores with their evidence, the register)."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Prefetch

from parindex.models import Document, Evidence, Item, ItemLevel, Score, ScoringMethod


def score_signature(*, self_score, not_applicable, note):
    """A compact fingerprint of a score's self-assessment values, carried by the form so that a save
    can tell what the officer changed from what someone else changed meanwhile."""
    score_text = "" if self_score is None else format(self_score.normalize(), "f")
    digest = hashlib.sha256((note or "").strip().encode()).hexdigest()[:16]
    return f"{score_text}|{int(bool(not_applicable))}|{digest}"


def score_signature_of(score):
    return score_signature(self_score=score.self_score, not_applicable=score.not_applicable, note=score.self_note)


@dataclass
class SheetLeaf:
    item: Item
    score: Score

    @property
    def is_self_scored(self):
        return self.item.scoring_method == ScoringMethod.SELF

    @property
    def evidence(self):
        return self.score.evidence.all()

    @property
    def is_scored(self):
        return self.score.not_applicable or self.score.self_score is not None

    @property
    def needs_evidence(self):
        """Still missing proof: a self-scored item that requires evidence, applicable, with no link."""
        return (self.is_self_scored and self.item.requires_evidence and not self.score.not_applicable
                and not self.score.evidence.all())

    @property
    def signature(self):
        return score_signature_of(self.score)


@dataclass
class SheetRow:
    """One line of an area: a heading (criterion with sub-criteria) or a scored leaf."""

    item: Item
    leaf: SheetLeaf | None = None

    @property
    def is_heading(self):
        return self.leaf is None


@dataclass
class SheetArea:
    item: Item
    rows: list = field(default_factory=list)

    @property
    def leaves(self):
        return [r.leaf for r in self.rows if r.leaf is not None]


@dataclass
class SheetData:
    areas: list
    leaves: list
    documents: list

    @property
    def self_scored_leaves(self):
        return [leaf for leaf in self.leaves if leaf.is_self_scored]

    @property
    def self_scored_count(self):
        return len(self.self_scored_leaves)

    @property
    def scored_count(self):
        return sum(1 for leaf in self.self_scored_leaves if leaf.is_scored)

    @property
    def missing_evidence(self):
        return [leaf for leaf in self.leaves if leaf.needs_evidence]

    def leaf_by_score_id(self):
        return {leaf.score.id: leaf for leaf in self.leaves}


def score_sheet_data(*, assessment):
    """Areas → rows (headings and leaves) with scores and evidence: four queries."""
    items = list(Item.objects.filter(criteria_set_id=assessment.year.criteria_set_id).order_by("sort_key"))
    evidence = Evidence.objects.select_related("file", "document", "added_by").order_by("added_at", "id")
    scores = {
        s.item_id: s
        for s in Score.objects.filter(assessment=assessment)
        .select_related("updated_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    }
    documents = list(Document.objects.filter(assessment=assessment).order_by("-issued_on", "id"))
    areas, by_id, leaves = [], {}, []
    for item in items:
        if item.level == ItemLevel.AREA:
            area = SheetArea(item=item)
            areas.append(area)
            by_id[item.id] = area
            continue
        area = by_id.get(item.area_id)
        if area is None:
            continue
        score = scores.get(item.id)
        if item.is_leaf and score is not None:
            score.item = item  # already loaded: spare a query per row
            leaf = SheetLeaf(item=item, score=score)
            leaves.append(leaf)
            area.rows.append(SheetRow(item=item, leaf=leaf))
        else:
            area.rows.append(SheetRow(item=item))
    return SheetData(areas=areas, leaves=leaves, documents=documents)


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
    previous = dict(BLANK)
    for record in score.history.select_related("history_user").order_by("history_date", "history_id"):
        current = {name: getattr(record, name) for name, _ in HISTORY_FIELDS}
        changes = [(label, previous[name], current[name]) for name, label in HISTORY_FIELDS
                   if previous[name] != current[name]]
        if changes:
            entries.append(HistoryEntry(at=record.history_date, user=record.history_user, changes=changes))
        previous = current
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
