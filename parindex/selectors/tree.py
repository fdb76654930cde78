"""The one read model of an assessment: its criteria tree with every leaf's scores, comments,
evidence and last year's result, the subtotals of criteria and areas, and the totals.

The score sheet, the appraisal sheet, the explanation page, the commune's result page and the
report's appendix all read this structure, so an item's final score, a criterion's subtotal or an
area's total is computed once and shown the same everywhere. Loaded in a constant number of
queries whatever the size of the set (items, scores, evidence, last year's result, totals)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from parindex.models import Evidence, Item, ItemLevel, Score, ScoringMethod

from .appraisal import last_year_scores
from .totals import AssessmentTotals, assessment_totals, criterion_subtotals


@dataclass(eq=False)
class TreeRow:
    """One item of the tree. A leaf carries its `score` (self, round 1, round 2, final, flag and the
    comments exchanged); a criterion with sub-criteria its `subtotal`; an area its `area_totals`
    (from the totals selector) and the `rows` under it."""

    item: Item
    score: Score | None = None
    evidence: list = field(default_factory=list)
    last_year: Decimal | None = None  # last year's final for the same item code
    subtotal: tuple | None = None  # (applicable max, self, final) of a criterion with sub-criteria
    area_totals: object = None  # AreaTotals of an area
    rows: list = field(default_factory=list)  # an area's rows (criteria and leaves), in order

    # --- what kind of row -------------------------------------------------------------------
    @property
    def is_area(self):
        return self.item.level == ItemLevel.AREA

    @property
    def is_leaf(self):
        return self.score is not None

    @property
    def is_heading(self):
        """A criterion with sub-criteria (or a leaf without a score row): a title line."""
        return not self.is_leaf and not self.is_area

    @property
    def leaf(self):
        # The score sheet's templates say `row.leaf`: the row itself when it is a leaf.
        return self if self.is_leaf else None

    # --- a leaf's figures -------------------------------------------------------------------
    @property
    def max_points(self):
        if self.is_leaf:
            return self.score.max_points
        if self.is_area and self.area_totals is not None:
            return self.area_totals.max_points
        return self.item.max_points

    @property
    def applicable(self):
        return self.is_leaf and not self.score.not_applicable

    @property
    def self_score(self):
        return self.score.self_score if self.is_leaf else None

    @property
    def round1(self):
        return self.score.appraised_score if self.is_leaf else None

    @property
    def round2(self):
        return self.score.round2_score if self.is_leaf else None

    @property
    def final(self):
        return self.score.final_score if self.is_leaf else None

    @property
    def changed(self):
        """The appraiser's final score differs from the commune's own, flagged or not."""
        return (self.applicable and self.final is not None and self.self_score is not None
                and self.final != self.self_score)

    @property
    def points_lost(self):
        """Maximum − final of an applicable, appraised leaf."""
        if not self.applicable or self.final is None:
            return None
        return self.score.max_points - self.final

    @property
    def self_gap(self):
        """Self − final: how much the commune over- (positive) or under-scored itself."""
        if not self.applicable or self.final is None or self.self_score is None:
            return None
        return self.self_score - self.final

    # --- a heading's or an area's sums ------------------------------------------------------
    @property
    def self_total(self):
        if self.is_area:
            return self.area_totals.self_total
        return self.subtotal[1] if self.subtotal else None

    @property
    def final_total(self):
        if self.is_area:
            return self.area_totals.appraised_total
        return self.subtotal[2] if self.subtotal else None

    @property
    def applicable_max(self):
        if self.is_area:
            return self.area_totals.applicable_max
        return self.subtotal[0] if self.subtotal else None

    # --- the commune's side -----------------------------------------------------------------
    @property
    def is_self_scored(self):
        return self.item.scoring_method == ScoringMethod.SELF

    @property
    def is_scored(self):
        return self.score.not_applicable or self.score.self_score is not None

    @property
    def needs_evidence(self):
        """Still missing proof: a self-scored item that requires evidence, applicable, with no link."""
        return (self.is_self_scored and self.item.requires_evidence and not self.score.not_applicable
                and not self.evidence)

    @property
    def self_evidence(self):
        return [e for e in self.evidence if e.stage == Evidence.Stage.SELF]

    @property
    def explanation_evidence(self):
        return [e for e in self.evidence if e.stage == Evidence.Stage.EXPLANATION]


@dataclass
class AssessmentTree:
    rows: list  # every item in set order (areas, criteria, leaves)
    areas: list  # the area rows; each has .rows
    leaves: list
    totals: AssessmentTotals
    documents: list = field(default_factory=list)  # the register, when the caller loads it

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

    def flagged_only(self):
        """The flagged leaves with the areas and criteria above them, in order."""
        by_id = {r.item.id: r.item for r in self.rows}
        keep = set()
        for leaf in self.leaves:
            if leaf.score.flagged:
                item_id = leaf.item.id
                while item_id:
                    keep.add(item_id)
                    item_id = by_id[item_id].parent_id
        return [r for r in self.rows if r.item.id in keep]


def assessment_tree(*, assessment, with_last_year=True):
    """The tree of one assessment: items (1 query), scores with their evidence (2), last year's
    final scores (2, unless `with_last_year` is False) and the totals (3)."""
    items = list(Item.objects.filter(criteria_set_id=assessment.year.criteria_set_id).order_by("sort_key"))
    evidence = Evidence.objects.select_related("file", "document", "added_by").order_by("added_at", "id")
    scores = list(
        Score.objects.filter(assessment=assessment)
        .select_related("updated_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )
    by_item = {s.item_id: s for s in scores}
    last = last_year_scores(assessment) if with_last_year else {}
    totals = assessment_totals(assessment=assessment)
    area_totals = {a.area_id: a for a in totals.areas}
    subtotals = criterion_subtotals(items=items, scores=scores)
    rows, areas, leaves, area_rows = [], [], [], {}
    for item in items:
        score = by_item.get(item.id) if item.is_leaf else None
        if score is not None:
            score.item = item  # already loaded: spare a query per row
        row = TreeRow(item=item, score=score, evidence=list(score.evidence.all()) if score else [],
                      last_year=last.get(item.code), subtotal=subtotals.get(item.id),
                      area_totals=area_totals.get(item.id))
        rows.append(row)
        if row.is_area:
            areas.append(row)
            area_rows[item.id] = row
            continue
        area = area_rows.get(item.area_id)
        if area is None:
            continue
        area.rows.append(row)
        if row.is_leaf:
            leaves.append(row)
    return AssessmentTree(rows=rows, areas=areas, leaves=leaves, totals=totals)

