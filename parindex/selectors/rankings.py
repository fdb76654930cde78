"""Results and ranking within a group (a district, or the province in the two-tier structure).
Ties share a rank (1, 2, 2, 4) on the final score rounded to the set's display precision."""

from dataclasses import dataclass
from decimal import Decimal

from parindex.models import AssessmentStatus, RankingScope
from parindex.numbers import round_half_up

from .totals import assessments_totals


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


def band_for(criteria_set, index_percent):
    if index_percent is None:
        return ""
    for band in sorted(criteria_set.bands or [], key=lambda b: Decimal(str(b["min_percent"])), reverse=True):
        if index_percent >= Decimal(str(band["min_percent"])):
            return band["label"]
    return ""


def ranking_group_of(year, unit):
    if year.ranking_scope == RankingScope.DISTRICT and unit.parent_id and unit.parent.is_district:
        return unit.parent
    return year.scope


RANKED_STATUSES = (AssessmentStatus.APPROVED, AssessmentStatus.PUBLISHED)


def year_ranking(year, assessments, statuses=RANKED_STATUSES):
    """Rank the given (already visibility-filtered) assessments of one year within their groups.
    Only assessments in `statuses` get a rank; the others are listed with rank None."""
    assessments = list(assessments)
    totals = assessments_totals(assessments)
    criteria_set = year.criteria_set
    places = criteria_set.precision
    results = [
        RankedResult(a, totals[a.id], ranking_group_of(year, a.unit), None,
                     band_for(criteria_set, totals[a.id].index_percent) if a.status in statuses else "")
        for a in assessments
    ]
    groups = {}
    for r in results:
        if r.assessment.status in statuses:
            groups.setdefault(r.group.id, []).append(r)
    for members in groups.values():
        members.sort(key=lambda r: round_half_up(r.totals.final_total, places), reverse=True)
        previous, rank = None, 0
        for position, r in enumerate(members, start=1):
            value = round_half_up(r.totals.final_total, places)
            if value != previous:
                rank, previous = position, value
            r.rank = rank
    results.sort(key=lambda r: (r.group.path, r.rank is None, r.rank or 0, r.unit.name))
    return results
