"""Work lists of the appraisal side: the appraiser's queue and the year's progress. Both read the
visibility rule and the totals selector, in a constant number of queries whatever the province's size."""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from communes.models import Unit
from parindex.models import AssessmentStatus, LockException, LockStage

from .totals import assessments_totals
from .visibility import assessments_visible_to, years_visible_to

S = AssessmentStatus
STATUS_ORDER = {value: i for i, value in enumerate(S.values)}

# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư; tones only break ties.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LETTER_MARKS = {("a", "\u0306"): "1", ("a", "\u0302"): "2", ("e", "\u0302"): "1", ("o", "\u0302"): "1",
                 ("o", "\u031b"): "2", ("u", "\u031b"): "1"}


def vn_sort_key(text):
    """Sort key for Vietnamese names ("Ba Động" before "Ba Thành"; code points would put đ after z)."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFD", str(text or "").lower()):
        if ch in _TONES:
            tones.append(ch)
        elif letters and (letters[-1][0], ch) in _LETTER_MARKS:
            letters[-1] = letters[-1][0] + _LETTER_MARKS[(letters[-1][0], ch)]
        elif ch == "\u0111":  # đ
            letters.append("d1")
        else:
            letters.append(ch + "0")
    return "".join(letters), "".join(tones)


def queue_years(user):
    return years_visible_to(user).order_by("-year", "scope__name")


def year_pick(years, raw_pk):
    """The year the user asked for among those they see, else the latest one (None when none)."""
    years = list(years)
    for year in years:
        if str(year.pk) == str(raw_pk):
            return year
    return years[0] if years else None


class Timeliness:
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"  # not submitted and the deadline has passed
    PENDING = "pending"  # not submitted, still time

    LABELS = {ON_TIME: "Đúng hạn", LATE: "Trễ hạn", OVERDUE: "Quá hạn, chưa nộp", PENDING: "Chưa nộp"}
    ORDER = {ON_TIME: 0, PENDING: 1, LATE: 2, OVERDUE: 3}


def timeliness_of(assessment, deadline, now):
    if assessment.submitted_at is not None:
        return Timeliness.LATE if deadline and assessment.submitted_at > deadline else Timeliness.ON_TIME
    if assessment.status == S.DRAFT:
        return Timeliness.OVERDUE if deadline and now > deadline else Timeliness.PENDING
    # Moved on without a submission date (data loaded from elsewhere): nothing to judge.
    return Timeliness.ON_TIME


@dataclass
class QueueRow:
    assessment: object
    totals: object
    timeliness: str
    excepted: bool = False
    result: object = None  # outcome of a bulk action on this row

    @property
    def unit(self):
        return self.assessment.unit

    @property
    def district(self):
        parent = self.assessment.unit.parent
        return parent if parent is not None and parent.is_district else None

    @property
    def timeliness_label(self):
        return Timeliness.LABELS[self.timeliness]

    @property
    def is_late(self):
        return self.timeliness in (Timeliness.LATE, Timeliness.OVERDUE)


SORT_KEYS = {
    "unit": lambda r: (vn_sort_key(r.unit.name), r.unit.path),
    "district": lambda r: (vn_sort_key(r.district.name if r.district else ""), vn_sort_key(r.unit.name)),
    "status": lambda r: (STATUS_ORDER[r.assessment.status], vn_sort_key(r.unit.name)),
    "submitted": lambda r: (r.assessment.submitted_at is None, r.assessment.submitted_at or 0),
    "timeliness": lambda r: (Timeliness.ORDER[r.timeliness], vn_sort_key(r.unit.name)),
    "self_total": lambda r: r.totals.self_total,
    "appraised_total": lambda r: r.totals.appraised_total,
    "index": lambda r: (r.totals.index_percent is None, r.totals.index_percent or 0),
}
DEFAULT_SORT = "district"


def sort_normalise(raw):
    raw = raw or DEFAULT_SORT
    return raw if raw.lstrip("-") in SORT_KEYS else DEFAULT_SORT


def appraisal_queue_rows(*, user, year, status=None, sort=None, now=None):
    """The communes of `year` the user sees, with status, submission timeliness (against the
    self-assessment deadline) and totals. Five queries for any number of communes."""
    if year is None:
        return []
    now = now or timezone.now()
    assessments = assessments_visible_to(user).filter(year=year)
    if status in S.values:
        assessments = assessments.filter(status=status)
    assessments = list(assessments)
    # The queue shows whole-assessment figures only.
    totals = assessments_totals(assessments=assessments, with_areas=False)
    excepted = set(
        LockException.objects.filter(assessment__in=[a.id for a in assessments], stage=LockStage.SELF_ASSESSMENT)
        .values_list("assessment_id", flat=True)
    ) if assessments else set()
    deadline = year.self_assessment_deadline
    rows = [
        QueueRow(assessment=a, totals=totals[a.id], timeliness=timeliness_of(a, deadline, now),
                 excepted=a.id in excepted)
        for a in assessments
    ]
    sort = sort_normalise(sort)
    rows.sort(key=SORT_KEYS[sort.lstrip("-")], reverse=sort.startswith("-"))
    return rows


@dataclass
class DistrictProgress:
    unit: object
    counts: dict = field(default_factory=dict)
    late: int = 0

    @property
    def total(self):
        return sum(self.counts.values())

    def count(self, status):
        return self.counts.get(status, 0)

    @property
    def cells(self):
        return [self.counts.get(s, 0) for s in S.values]


@dataclass
class YearProgress:
    year: object
    by_status: dict
    districts: list
    late: list

    @property
    def total(self):
        return sum(self.by_status.values())

    @property
    def status_rows(self):
        total = self.total or 1
        return [(value, label, self.by_status.get(value, 0), self.by_status.get(value, 0) * 100 / total)
                for value, label in S.choices]

    @property
    def approved_count(self):
        return self.by_status.get(S.APPROVED, 0) + self.by_status.get(S.PUBLISHED, 0)


def year_progress(*, user, year, now=None):
    """Counts by status and by district for the part of `year` the user sees, and the late communes
    (submitted after the self-assessment deadline, or not submitted once it passed)."""
    now = now or timezone.now()
    visible = assessments_visible_to(user).filter(year=year)
    grouped = visible.values("unit__parent_id", "status").annotate(n=Count("id"))
    by_status, by_parent = {}, {}
    for row in grouped:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        by_parent.setdefault(row["unit__parent_id"], {})[row["status"]] = row["n"]
    deadline = year.self_assessment_deadline
    late = []
    if deadline is not None:
        late = [
            a for a in visible.filter(Q(submitted_at__gt=deadline) | Q(status=S.DRAFT))
            if timeliness_of(a, deadline, now) in (Timeliness.LATE, Timeliness.OVERDUE)
        ]
        late.sort(key=lambda a: a.unit.path)
    parents = {u.id: u for u in Unit.objects.filter(id__in=[k for k in by_parent if k is not None])}
    late_by_parent = {}
    for a in late:
        late_by_parent[a.unit.parent_id] = late_by_parent.get(a.unit.parent_id, 0) + 1
    districts = [
        DistrictProgress(unit=parents.get(pid), counts=counts, late=late_by_parent.get(pid, 0))
        for pid, counts in by_parent.items()
    ]
    districts.sort(key=lambda d: d.unit.path if d.unit else "")
    return YearProgress(year=year, by_status=by_status, districts=districts, late=late)
