"""What the appraisal sheet and the explanation page show: the criteria tree with each leaf's scores,
evidence and last year's result; the history of appraised scores and the workflow's events."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from parindex.models import (
    ApprovalEvent,
    Assessment,
    AssessmentStatus,
    Evidence,
    Item,
    ItemLevel,
    Score,
)

S = AssessmentStatus


@dataclass
class SheetRow:
    item: Item
    score: Score | None = None
    last_year: object = None  # last year's final appraised score for the same item code
    evidence: list = field(default_factory=list)

    @property
    def is_area(self):
        return self.item.level == ItemLevel.AREA

    @property
    def is_leaf(self):
        return self.score is not None

    @property
    def self_evidence(self):
        return [e for e in self.evidence if e.stage == Evidence.Stage.SELF]

    @property
    def explanation_evidence(self):
        return [e for e in self.evidence if e.stage == Evidence.Stage.EXPLANATION]


def previous_assessment(assessment):
    """The same commune's published or approved assessment of the year before, if any."""
    return (
        Assessment.objects.filter(unit_id=assessment.unit_id, year__year=assessment.year.year - 1,
                                  status__in=(S.APPROVED, S.PUBLISHED))
        .only("id").first()
    )


def last_year_scores(assessment):
    """{item code: final appraised score} of last year's result. Items are matched by code because a
    new decision may have issued a new criteria set."""
    previous = previous_assessment(assessment)
    if previous is None:
        return {}
    rows = Score.objects.filter(assessment=previous).values_list("item__code", "round2_score", "appraised_score")
    return {code: r2 if r2 is not None else r1 for code, r2, r1 in rows}


def appraisal_sheet_rows(*, assessment, flagged_only=False):
    """The criteria tree in order; leaves carry their Score (with evidence) and last year's score.
    With `flagged_only`, only the flagged leaves and the headings above them. Four queries."""
    evidence = Evidence.objects.select_related("file", "document").order_by("added_at", "id")
    scores = {
        s.item_id: s
        for s in Score.objects.filter(assessment=assessment).prefetch_related(Prefetch("evidence", queryset=evidence))
    }
    last = last_year_scores(assessment)
    items = list(Item.objects.filter(criteria_set_id=assessment.year.criteria_set_id).order_by("sort_key"))
    rows = []
    for item in items:
        score = scores.get(item.id) if item.is_leaf else None
        rows.append(SheetRow(item=item, score=score, last_year=last.get(item.code),
                             evidence=list(score.evidence.all()) if score else []))
    if flagged_only:
        keep = {r.item.id for r in rows if r.score is not None and r.score.flagged}
        by_id = {i.id: i for i in items}
        for item_id in list(keep):
            parent_id = by_id[item_id].parent_id
            while parent_id:
                keep.add(parent_id)
                parent_id = by_id[parent_id].parent_id
        rows = [r for r in rows if r.item.id in keep]
    return rows


@dataclass
class ScoreChange:
    at: object
    user: object
    item_code: str
    label: str
    old: object
    new: object
    reason: str


TRACKED = (
    ("appraised_score", "Điểm thẩm định vòng 1"),
    ("round2_score", "Điểm thẩm định vòng 2"),
    ("flagged", "Yêu cầu giải trình"),
)


def score_history(*, assessment, limit=300):
    """Changes of appraised scores (round 1 and 2) and of flags, newest first: who, when, old → new.
    Read from the scores' history; two queries."""
    codes = dict(Item.objects.filter(criteria_set_id=assessment.year.criteria_set_id, is_leaf=True)
                 .values_list("id", "code"))
    records = (
        Score.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        for name, label in TRACKED:
            old = getattr(before, name) if before is not None else None
            new = getattr(record, name)
            if before is None and name == "flagged":
                old = False
            if new != old and record.history_type != "-":
                changes.append(ScoreChange(
                    at=record.history_date, user=record.history_user, item_code=codes.get(record.item_id, "?"),
                    label=label, old=old, new=new, reason=record.history_change_reason or "",
                ))
        previous[record.id] = record
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:limit]


EVENT_LABELS = {
    "submit": "Nộp bản tự đánh giá",
    "withdraw": "Rút lại để chỉnh sửa",
    "start_appraisal": "Bắt đầu thẩm định",
    "return": "Trả lại để giải trình",
    "resubmit": "Nộp giải trình",
    "complete": "Hoàn thành thẩm định",
    "approve": "Phê duyệt kết quả",
    "publish": "Công bố kết quả",
    "reopen": "Mở lại",
    "leader_approve": "Lãnh đạo xã duyệt",
    "lock_exception": "Gia hạn",
    "deadline_locked": "Khóa do hết hạn",
}


def assessment_events(*, assessment):
    """The workflow's history of one assessment, newest first, each with a Vietnamese `label`."""
    events = list(ApprovalEvent.objects.filter(assessment=assessment).select_related("actor").order_by("-at", "-id"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events
