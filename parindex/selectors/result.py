"""What the commune's result page shows: its tree with the appraiser's word on every item, the
totals, index, rank and band (from the same functions as the report), where points were lost, and
the index year over year back through the communes merged into it."""

from dataclasses import dataclass, field

from communes.models import UnitLineage
from parindex.models import Assessment, AssessmentStatus

from .rankings import RANKED_STATUSES, assessment_rank, result_is_published
from .totals import assessments_totals
from .tree import AssessmentTree, assessment_tree


def result_is_available(*, assessment):
    """The commune sees its appraised result once it is approved."""
    return assessment.status in RANKED_STATUSES


@dataclass
class AreaLoss:
    """One area's lost points: the leaves that lost points (most first) and the leaves whose final
    score differs from the commune's own (largest difference first)."""

    area: object  # the area's TreeRow
    lost: list = field(default_factory=list)
    gaps: list = field(default_factory=list)

    @property
    def points_lost(self):
        return self.area.applicable_max - self.area.final_total

    @property
    def percent(self):
        return self.area.area_totals.appraised_percent


def points_lost_by_area(*, tree: AssessmentTree):
    """Areas, those that lost most first, each with its leaves ranked by points lost (max − final)
    and by the gap between self and final score."""
    result = []
    for area in tree.areas:
        leaves = [r for r in area.rows if r.is_leaf and r.points_lost is not None]
        result.append(AreaLoss(
            area=area,
            lost=sorted((r for r in leaves if r.points_lost > 0), key=lambda r: (-r.points_lost, r.item.sort_key)),
            gaps=sorted((r for r in leaves if r.self_gap), key=lambda r: (-abs(r.self_gap), r.item.sort_key)),
        ))
    result.sort(key=lambda a: (-a.points_lost, a.area.item.sort_key))
    return result


def unit_predecessors(*, unit):
    """Every unit merged into `unit`, through earlier mergers too (one query per generation)."""
    seen, frontier, found = {unit.id}, [unit.id], []
    while frontier:
        links = UnitLineage.objects.filter(successor_id__in=frontier).select_related("predecessor")
        frontier = []
        for link in links:
            if link.predecessor_id not in seen:
                seen.add(link.predecessor_id)
                found.append(link.predecessor)
                frontier.append(link.predecessor_id)
    return found


@dataclass
class YearResult:
    assessment: Assessment
    totals: object
    is_predecessor: bool
    area_percents: list  # each area's index (%), in the order of the codes asked for; None if absent


def result_history(*, assessment, area_codes):
    """The commune's results of this and earlier years, and those of the communes merged into it
    (labelled as predecessors), newest first, with each area's index matched by area code (a later
    decision may have issued a new set). A predecessor's result counts once published; the commune's
    own once approved, as on this page."""
    predecessors = unit_predecessors(unit=assessment.unit)
    own = Assessment.objects.filter(unit=assessment.unit, status__in=RANKED_STATUSES)
    theirs = Assessment.objects.filter(unit__in=predecessors, status=AssessmentStatus.PUBLISHED)
    rows = list(
        (own | theirs).filter(year__year__lte=assessment.year.year)
        .select_related("year", "year__criteria_set", "unit")
    )
    totals = assessments_totals(assessments=rows)
    results = []
    for a in rows:
        by_code = {area.code: area.appraised_percent for area in totals[a.id].areas}
        results.append(YearResult(a, totals[a.id], a.unit_id != assessment.unit_id,
                                  [by_code.get(code) for code in area_codes]))
    results.sort(key=lambda r: (-r.assessment.year.year, r.is_predecessor, r.assessment.unit.name))
    return results


@dataclass
class CommuneResult:
    assessment: Assessment
    available: bool
    published: bool
    tree: AssessmentTree | None = None
    rank: dict | None = None
    losses: list = field(default_factory=list)
    history: list = field(default_factory=list)

    @property
    def totals(self):
        return self.tree.totals if self.tree else None

    @property
    def changed_count(self):
        return sum(1 for leaf in self.tree.leaves if leaf.changed) if self.tree else 0

    @property
    def has_predecessors(self):
        return any(r.is_predecessor for r in self.history)

    @property
    def area_codes(self):
        return [a.item.code for a in self.tree.areas] if self.tree else []


def commune_result(*, assessment):
    """Everything the result page shows. Before approval only the status (nothing appraised is
    shown); rank and band only once the result is published."""
    available = result_is_available(assessment=assessment)
    published = available and result_is_published(assessment=assessment)
    result = CommuneResult(assessment=assessment, available=available, published=published)
    if not available:
        return result
    result.tree = assessment_tree(assessment=assessment)
    result.losses = points_lost_by_area(tree=result.tree)
    result.history = result_history(assessment=assessment, area_codes=result.area_codes)
    if published:
        result.rank = assessment_rank(assessment=assessment)
    return result
