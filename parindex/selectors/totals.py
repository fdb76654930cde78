"""Totals and index % per area and per assessment: computed here, by SQL aggregation, and only here.
Pages, reports, exports and dashboards read them from these functions."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property

from django.db import connection
from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.expressions import BaseExpression

from parindex.models import Item, ItemLevel, Score
from parindex.models.assessments import FINAL_SCORE_SQL
from parindex.numbers import percent

ZERO = Decimal("0")
CENT = Decimal("0.01")
ZERO_CENTS = Decimal("0.00")  # what _exact gives for no value: totals print alike on both databases
_DEC = DecimalField(max_digits=9, decimal_places=2)
APPLICABLE = Q(not_applicable=False)


@dataclass(slots=True)
class AreaTotals:
    area_id: int
    code: str
    name: str
    max_points: Decimal
    criteria_count: int = 0
    sub_criteria_count: int = 0
    leaf_count: int = 0
    applicable_max: Decimal = ZERO
    self_total: Decimal = ZERO
    appraised_total: Decimal = ZERO
    self_scored_count: int = 0
    appraised_count: int = 0

    @property
    def self_percent(self):
        return percent(self.self_total, self.applicable_max)

    @property
    def appraised_percent(self):
        return percent(self.appraised_total, self.applicable_max)


class AreasNotLoaded(LookupError):
    """Totals loaded with with_areas=False were asked for their areas: a programming error, raised
    rather than answering with an empty list that would read as "no areas"."""


@dataclass
class AssessmentTotals:
    """An assessment's totals. With areas (the default) every sum is the sum of its areas, computed
    once (a ranking reads them many times); without them (`whole`, from with_areas=False) the sums
    come from one aggregate over the whole assessment, with the same rules."""

    assessment_id: int
    area_list: list | None = field(default_factory=list)
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    whole: AreaTotals | None = None

    @property
    def areas(self):
        if self.area_list is None:
            raise AreasNotLoaded("Totals loaded without areas: pass with_areas=True.")
        return self.area_list

    def _sum(self, name, start=ZERO):
        if self.whole is not None:
            return getattr(self.whole, name)
        return sum((getattr(a, name) for a in self.areas), start)

    @cached_property
    def max_points(self):
        return self._sum("max_points")

    @cached_property
    def applicable_max(self):
        return self._sum("applicable_max")

    @cached_property
    def self_total(self):
        return self._sum("self_total")

    @cached_property
    def appraised_total(self):
        return self._sum("appraised_total")

    @cached_property
    def final_total(self):
        """Appraised total + bonus − penalty (already capped by the services that set them)."""
        return self.appraised_total + self.bonus - self.penalty

    @cached_property
    def leaf_count(self):
        return self._sum("leaf_count", 0)

    @cached_property
    def self_scored_count(self):
        return self._sum("self_scored_count", 0)

    @cached_property
    def appraised_count(self):
        return self._sum("appraised_count", 0)

    @cached_property
    def self_percent(self):
        return percent(self.self_total, self.applicable_max)

    @cached_property
    def index_percent(self):
        return percent(self.final_total, self.applicable_max)

    def as_snapshot(self):
        """A JSON-safe copy kept with each workflow event."""
        return {
            "self_total": str(self.self_total),
            "appraised_total": str(self.appraised_total),
            "final_total": str(self.final_total),
            "applicable_max": str(self.applicable_max),
            "areas": {a.code: {"self": str(a.self_total), "appraised": str(a.appraised_total)} for a in self.areas},
        }


@cache
def _items_in_order():
    # Built once, like _score_sums_unfiltered below: only ever filtered, never evaluated.
    return Item.objects.order_by("sort_key").values_list("id", "area_id", "level", "is_leaf", "code", "name",
                                                         "max_points")


def _area_skeletons(criteria_set_id):
    """Areas of a set in order, each with its structure counts (criteria, sub-criteria, leaves), in
    one query: every item points at its area (an area at itself), so the counts group by that link."""
    counts = {}
    areas = []
    for item_id, area_id, level, is_leaf, code, name, max_points in _items_in_order().filter(
        criteria_set_id=criteria_set_id
    ):
        if level == ItemLevel.AREA:
            areas.append((item_id, code, name, max_points))
            continue
        c = counts.setdefault(area_id, [0, 0, 0])
        if level == ItemLevel.CRITERION:
            c[0] += 1
        elif level == ItemLevel.SUB_CRITERION:
            c[1] += 1
        if is_leaf:
            c[2] += 1
    return [(area, counts.get(area[0], (0, 0, 0))) for area in areas]


def _exact(value):
    # SQLite sums the 2-decimal scores as floats: snap back to the cent.
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


def _exact_already(value):
    # PostgreSQL sums numeric(…, 2) exactly; the round trip through str() would only cost time.
    return value if value is not None else ZERO_CENTS


class _AsDriverReturns:
    """An aggregate whose values are kept as the database driver returns them. Django's own
    convert_value (the documented hook of the expression API) rebuilds every value, Decimal(value)
    for a sum and int(value) for a count: on PostgreSQL psycopg already returns numeric as Decimal
    and bigint as int, so that is a copy per value (about 55 ms on the 26,568 rows of the national
    totals), and with no converter left Django skips its per-row pass. SQLite keeps its backend's
    own DecimalField converter (its float sums become Decimals) and _exact snaps them to the cent."""

    convert_value = staticmethod(BaseExpression._convert_value_noop)


class _Sum(_AsDriverReturns, Sum):
    pass


class _Count(_AsDriverReturns, Count):
    pass


def _score_sum_expressions() -> dict:
    """The sums of the totals over scores: applicable maximum, self total, final total (round 2, else
    round 1: FINAL_SCORE_SQL), and the self-scored and appraised counts. Not-applicable leaves count
    for nothing. SUM … FILTER rather than SUM(CASE …): PostgreSQL skips the excluded rows instead of
    adding zeros, about half the time of the aggregate at province scale."""
    return {
        "applicable_max": _Sum("max_points", filter=APPLICABLE, output_field=_DEC),
        "self_total": _Sum("self_score", filter=APPLICABLE, output_field=_DEC),
        "appraised_total": _Sum(FINAL_SCORE_SQL, filter=APPLICABLE, output_field=_DEC),
        "self_scored": _Count("id", filter=Q(self_score__isnull=False) | Q(not_applicable=True)),
        "appraised": _Count("id", filter=Q(appraised_score__isnull=False) | Q(round2_score__isnull=False)
                           | Q(not_applicable=True)),
    }


SUM_NAMES = ("applicable_max", "self_total", "appraised_total", "self_scored", "appraised")


@cache
def _score_sums_unfiltered(group_by):
    """The aggregate of _score_sums for every score, built once per grouping: resolving its five
    filtered aggregates took about 0,8 ms a call, half of what the ORM adds to a province's
    aggregate. It is never evaluated, only filtered, and filter() returns a new queryset each time."""
    sums = _score_sum_expressions()
    return (
        # order_by(): Score's default ordering reaches through assessment → year → scope, and its
        # joins would stay in this GROUP BY query (twice the time at national scale).
        # values_list() before annotate(): the rows group by those fields and the sums follow them.
        Score.objects.order_by()
        .values_list(*group_by)
        .annotate(**{name: sums[name] for name in SUM_NAMES})
    )


def _score_sums(assessment_ids, *group_by):
    """The score aggregate of assessments_totals grouped by `group_by` (assessment, maybe area), as
    tuples: the group values, then SUM_NAMES. The ids go as one array on PostgreSQL (`__any`); a
    filter on a plain field after annotate() stays in WHERE."""
    return _score_sums_unfiltered(group_by).filter(assessment_id__any=assessment_ids)


def _whole_totals(assessment, sums, skeletons, exact) -> AssessmentTotals:
    """Whole-assessment totals from one row of sums (in SUM_NAMES order, or None: no scores)."""
    set_id = assessment.year.criteria_set_id
    if set_id not in skeletons:
        skeleton = _area_skeletons(set_id)
        skeletons[set_id] = (sum((a[3] for a, _ in skeleton), ZERO), sum(c[2] for _, c in skeleton))
    max_points, leaves = skeletons[set_id]
    whole = AreaTotals(None, "", "", max_points, leaf_count=leaves)
    if sums is not None:
        whole.applicable_max, whole.self_total, whole.appraised_total = (
            exact(sums[0]), exact(sums[1]), exact(sums[2]))
        whole.self_scored_count, whole.appraised_count = sums[3] or 0, sums[4] or 0
    return AssessmentTotals(assessment.id, area_list=None, bonus=assessment.bonus_points,
                            penalty=assessment.penalty_points, whole=whole)


def _exact_for_backend():
    return _exact_already if connection.vendor == "postgresql" else _exact


def assessments_totals(*, assessments, with_areas: bool = True) -> dict[int, AssessmentTotals]:
    """Totals for many assessments (of any sets), keyed by assessment id: one score aggregate plus one
    query per criteria set. At national scale (3,321 communes) this runs once per dashboard, so rows
    are read as tuples and PostgreSQL's exact sums are kept as they are. Rankings and queues,
    which show only whole-assessment figures, pass with_areas=False: the aggregate then skips the
    join to the items and its rows are 8 times fewer."""
    assessments = list(assessments)
    if not assessments:
        return {}
    exact = _exact_for_backend()
    ids = [a.id for a in assessments]
    skeletons = {}
    result = {}
    if not with_areas:
        by_assessment = {row[0]: row[1:] for row in _score_sums(ids, "assessment_id")}
        return {a.id: _whole_totals(a, by_assessment.get(a.id), skeletons, exact) for a in assessments}
    # One dict of rows per assessment rather than a (assessment, area) key per row: at national scale
    # the 53,000 key tuples (made, then looked up) doubled the time of this loop, mostly in the
    # garbage collector's passes over them.
    by_assessment = {}
    for row in _score_sums(ids, "assessment_id", "item__area_id"):
        rows = by_assessment.get(row[0])
        if rows is None:
            by_assessment[row[0]] = rows = {}
        rows[row[1]] = row
    no_rows = {}
    for assessment in assessments:
        set_id = assessment.year.criteria_set_id
        skeleton = skeletons.get(set_id)
        if skeleton is None:
            skeleton = skeletons[set_id] = [(*area, *counts) for area, counts in _area_skeletons(set_id)]
        rows = by_assessment.get(assessment.id, no_rows)
        areas = []
        for area_id, code, name, max_points, criteria, subs, leaves in skeleton:
            row = rows.get(area_id)
            if row is None:
                areas.append(AreaTotals(area_id, code, name, max_points, criteria, subs, leaves))
            else:
                areas.append(AreaTotals(area_id, code, name, max_points, criteria, subs, leaves,
                                        exact(row[2]), exact(row[3]), exact(row[4]), row[5], row[6]))
        result[assessment.id] = AssessmentTotals(assessment.id, area_list=areas, bonus=assessment.bonus_points,
                                                 penalty=assessment.penalty_points)
    return result


def assessment_totals(*, assessment):
    return assessments_totals(assessments=[assessment])[assessment.id]


def criterion_subtotals(*, items, scores):
    """(max, self, final) of every criterion that has sub-criteria, from already loaded items and
    scores, with the rule of assessments_totals (not-applicable leaves count for nothing). Areas and
    the total come from assessments_totals itself."""
    by_item = {s.item_id: s for s in scores}
    children = {}
    for item in items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)

    def sums(item):
        if item.is_leaf:
            score = by_item.get(item.id)
            if score is None or score.not_applicable:
                return ZERO, ZERO, ZERO
            return score.max_points, score.self_score or ZERO, score.final_score or ZERO
        total = [ZERO, ZERO, ZERO]
        for child in children.get(item.id, []):
            for i, value in enumerate(sums(child)):
                total[i] += value
        return tuple(total)

    return {item.id: sums(item) for item in items if not item.is_leaf and item.level != ItemLevel.AREA}
