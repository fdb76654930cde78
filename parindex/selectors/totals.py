"""Totals and index % per area and per assessment: computed here, by SQL aggregation, and only here.
Pages, reports, exports and dashboards read them from these functions."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from parindex.models import Item, ItemLevel, Score
from parindex.models.assessments import FINAL_SCORE_SQL
from parindex.numbers import percent

ZERO = Decimal("0")
CENT = Decimal("0.01")
_DEC = DecimalField(max_digits=9, decimal_places=2)


@dataclass
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


@dataclass
class AssessmentTotals:
    """An assessment's totals; `areas` is complete when it is made, so each sum is computed once
    (a ranking reads them many times)."""

    assessment_id: int
    areas: list = field(default_factory=list)
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO

    @cached_property
    def max_points(self):
        return sum((a.max_points for a in self.areas), ZERO)

    @cached_property
    def applicable_max(self):
        return sum((a.applicable_max for a in self.areas), ZERO)

    @cached_property
    def self_total(self):
        return sum((a.self_total for a in self.areas), ZERO)

    @cached_property
    def appraised_total(self):
        return sum((a.appraised_total for a in self.areas), ZERO)

    @cached_property
    def final_total(self):
        """Appraised total + bonus − penalty (already capped by the services that set them)."""
        return self.appraised_total + self.bonus - self.penalty

    @cached_property
    def leaf_count(self):
        return sum(a.leaf_count for a in self.areas)

    @cached_property
    def self_scored_count(self):
        return sum(a.self_scored_count for a in self.areas)

    @cached_property
    def appraised_count(self):
        return sum(a.appraised_count for a in self.areas)

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


def _area_skeletons(criteria_set_id):
    """Areas of a set with their structure counts (criteria, sub-criteria, leaves): one query."""
    rows = (
        Item.objects.filter(criteria_set_id=criteria_set_id)
        .values("area_id")
        .annotate(
            criteria=Count("id", filter=Q(level=ItemLevel.CRITERION)),
            subs=Count("id", filter=Q(level=ItemLevel.SUB_CRITERION)),
            leaves=Count("id", filter=Q(is_leaf=True)),
        )
    )
    counts = {r["area_id"]: r for r in rows}
    areas = Item.objects.filter(criteria_set_id=criteria_set_id, level=ItemLevel.AREA).order_by("sort_key")
    return [
        (a, counts.get(a.id, {"criteria": 0, "subs": 0, "leaves": 0}))
        for a in areas
    ]


def _exact(value):
    # Scores are stored with 2 decimals; SQLite sums them as floats, so snap back to the cent.
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


def assessments_totals(*, assessments):
    """Totals for many assessments (of any sets) in three queries, keyed by assessment id."""
    assessments = list(assessments)
    if not assessments:
        return {}
    sums = (
        # order_by(): Score's default ordering reaches through assessment → year → scope, and its
        # joins would stay in this GROUP BY query (twice the time at national scale).
        Score.objects.filter(assessment_id__in=[a.id for a in assessments])
        .order_by()
        .values("assessment_id", "item__area_id")
        .annotate(
            applicable_max=Coalesce(
                Sum(Case(When(not_applicable=False, then=F("max_points")), default=Value(ZERO), output_field=_DEC)),
                Value(ZERO), output_field=_DEC,
            ),
            self_total=Coalesce(
                Sum(Case(When(not_applicable=False, then=F("self_score")), default=Value(ZERO), output_field=_DEC)),
                Value(ZERO), output_field=_DEC,
            ),
            appraised_total=Coalesce(
                Sum(Case(When(not_applicable=False, then=FINAL_SCORE_SQL),
                         default=Value(ZERO), output_field=_DEC)),
                Value(ZERO), output_field=_DEC,
            ),
            self_scored=Count("id", filter=Q(self_score__isnull=False) | Q(not_applicable=True)),
            appraised=Count("id", filter=Q(appraised_score__isnull=False) | Q(round2_score__isnull=False)
                            | Q(not_applicable=True)),
        )
    )
    by_key = {(r["assessment_id"], r["item__area_id"]): r for r in sums}
    skeletons = {}
    result = {}
    for assessment in assessments:
        set_id = assessment.year.criteria_set_id
        if set_id not in skeletons:
            skeletons[set_id] = _area_skeletons(set_id)
        areas = []
        for area, counts in skeletons[set_id]:
            row = by_key.get((assessment.id, area.id), {})
            areas.append(AreaTotals(
                area_id=area.id, code=area.code, name=area.name, max_points=area.max_points,
                criteria_count=counts["criteria"], sub_criteria_count=counts["subs"], leaf_count=counts["leaves"],
                applicable_max=_exact(row.get("applicable_max")),
                self_total=_exact(row.get("self_total")),
                appraised_total=_exact(row.get("appraised_total")),
                self_scored_count=row.get("self_scored", 0),
                appraised_count=row.get("appraised", 0),
            ))
        result[assessment.id] = AssessmentTotals(assessment.id, areas=areas, bonus=assessment.bonus_points,
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
