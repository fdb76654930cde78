"""What the appraisal sheet and the explanation page show beside the tree (selectors.tree): last
year's result, the history of appraised scores and the workflow's events."""

from dataclasses import dataclass

from parindex.models import ApprovalEvent, Assessment, AssessmentStatus, Item, Score
from parindex.models.assessments import final_of

from .history import history_changes

S = AssessmentStatus


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
    rows = Score.objects.filter(assessment=previous).values_list("item__code", "appraised_score", "round2_score")
    return {code: final_of(round1=r1, round2=r2) for code, r1, r2 in rows}


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
    labels = dict(TRACKED)
    blank = Score.history.model(appraised_score=None, round2_score=None, flagged=False)
    changes = []
    for record, deltas in history_changes(records, fields=list(labels), blank=blank):
        if record.history_type == "-":
            continue
        changes += [
            ScoreChange(at=record.history_date, user=record.history_user, item_code=codes.get(record.item_id, "?"),
                        label=labels[d.field], old=d.old, new=d.new, reason=record.history_change_reason or "")
            for d in deltas
        ]
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
