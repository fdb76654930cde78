"""Results and ranking within a group (a district, or the province in the two-tier structure).

Communes are ranked on their index (%), not on raw points: where items do not apply the maximum
drops below 100, and the index is the figure the province publishes and bands. Ties share a rank
(1, 2, 2, 4) on the index rounded to the set's display precision, so two communes shown with the
same figure never get different ranks."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from parindex.models import Assessment, AssessmentStatus, RankingScope
from parindex.numbers import round_half_up

from .queue import vn_sort_key
from .totals import assessments_totals
from .visibility import assessments_visible_to


@dataclass
class RankedResult:
    assessment: object
    totals: object
    group: object
    rank: int | None
    band: str

    @property
    def unit(self):
        return self.assessment.unit

    @property
    def is_ranked(self):
        return self.rank is not None


def _band_table(criteria_set):
    """The set's bands as (threshold, label), highest threshold first (ties keep the set's order)."""
    table = [(Decimal(str(band["min_percent"])), band["label"]) for band in criteria_set.bands or []]
    table.sort(key=lambda band: band[0], reverse=True)
    return table


def _band_of(table, shown):
    for threshold, label in table:
        if shown >= threshold:
            return label
    return ""


def band_for(*, criteria_set, index_percent):
    """The label of the highest band whose threshold the index reaches ("" without bands or index).
    The index is compared as displayed (rounded to the set's precision): 89,996 % shown as "90,00%"
    is in the 90 % band."""
    if index_percent is None:
        return ""
    return _band_of(_band_table(criteria_set), round_half_up(index_percent, criteria_set.precision))


def ranking_group_of(year, unit):
    if year.ranking_scope == RankingScope.DISTRICT and unit.parent_id and unit.parent.is_district:
        return unit.parent
    return year.scope


RANKED_STATUSES = (AssessmentStatus.APPROVED, AssessmentStatus.PUBLISHED)
APPRAISED_STATUSES = (AssessmentStatus.APPRAISED, *RANKED_STATUSES)


def result_is_published(*, assessment):
    """The final total, index, rank and band are public: the assessment is published, or appraised
    in a year whose results were published."""
    return assessment.status in APPRAISED_STATUSES and (
        assessment.status == AssessmentStatus.PUBLISHED or assessment.year.is_published)


UNRANKABLE = Decimal("-1")  # the ranking value of a result without an index: after every index


def year_ranking(*, year, assessments, statuses=RANKED_STATUSES, with_areas: bool = False) -> list[RankedResult]:
    """Rank the given assessments of one year within their groups. Only assessments in `statuses`
    get a rank and a band; the others are listed with rank None. The caller decides which
    assessments form the groups (ranking_visible_to passes whole groups). Ranks need only the
    whole-assessment totals; callers that show each area's points pass with_areas=True."""
    if isinstance(assessments, QuerySet):
        # The rows are sorted below; the model's default ordering would join the year and its scope
        # and sort in the database for nothing (half the time of fetching a province's assessments).
        assessments = assessments.order_by()
    assessments = list(assessments)
    for a in assessments:
        # One year object (with its criteria set) for every row: callers need not join them per row.
        if a.year_id == year.id:
            a.year = year
    totals = assessments_totals(assessments=assessments, with_areas=with_areas)
    criteria_set = year.criteria_set
    places = criteria_set.precision
    bands = _band_table(criteria_set)
    results, values = [], {}
    for a in assessments:
        a_totals = totals[a.id]
        index = a_totals.index_percent
        shown = round_half_up(index, places) if index is not None else None
        ranked = a.status in statuses
        result = RankedResult(a, a_totals, ranking_group_of(year, a.unit), None,
                              _band_of(bands, shown) if ranked and shown is not None else "")
        results.append(result)
        if ranked:
            # Ranked on the index as shown (ties share a rank), results without one after the rest.
            values[a.id] = shown if shown is not None else UNRANKABLE
    groups = {}
    for r in results:
        if r.assessment.id in values:
            groups.setdefault(r.group.id, []).append(r)
    for members in groups.values():
        members.sort(key=lambda r: values[r.assessment.id], reverse=True)
        previous, rank = None, 0
        for position, r in enumerate(members, start=1):
            value = values[r.assessment.id]
            if value != previous:
                rank, previous = position, value
            r.rank = rank
    results.sort(key=lambda r: (r.group.path, r.rank is None, r.rank or 0, vn_sort_key(r.unit.name)))
    return results


def ranking_visible_to(*, user, year, statuses=RANKED_STATUSES, with_areas: bool = False) -> list[RankedResult]:
    """The ranking rows the user may see. Ranks are computed over whole groups (every commune of the
    district, or of the province), never over the visible part only: an appraiser whose scope is
    smaller than the ranking group still sees true ranks."""
    visible = list(assessments_visible_to(user).filter(year=year))
    if not visible:
        return []
    visible_ids = {a.id for a in visible}
    everyone = Assessment.objects.filter(year=year).select_related("unit", "unit__parent")
    if year.ranking_scope == RankingScope.DISTRICT:
        group_parents = {a.unit.parent_id for a in visible}
        everyone = everyone.filter(unit__parent_id__in=group_parents)
    ranked = year_ranking(year=year, assessments=everyone, statuses=statuses, with_areas=with_areas)
    return [r for r in ranked if r.assessment.id in visible_ids]


def assessment_rank(*, assessment):
    """The commune's rank in its group from the ranking above (approved and published results):
    {"rank", "of" (ranked communes of the group), "group" (its name), "band"}, or None unranked."""
    peers = Assessment.objects.filter(year=assessment.year).select_related("unit", "unit__parent")
    results = year_ranking(year=assessment.year, assessments=peers)
    own = next((r for r in results if r.assessment.id == assessment.id), None)
    if own is None or own.rank is None:
        return None
    ranked = [r for r in results if r.group.id == own.group.id and r.rank is not None]
    return {"rank": own.rank, "of": len(ranked), "group": own.group.display_name, "band": own.band}
