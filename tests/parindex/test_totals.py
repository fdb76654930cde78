"""Totals: the one place where points are summed."""

from decimal import Decimal

from parindex.models import Item, Score
from parindex.selectors import assessment_totals
from parindex.selectors.totals import criterion_subtotals
from tests.factories import fill_scores


def test_criterion_subtotals_sum_sub_criteria_and_skip_not_applicable(world):
    a = world.assessment_a
    fill_scores(a, self_share=Decimal("1"), appraised_share=Decimal("0.5"))
    Score.objects.filter(assessment=a, item__code="1.3.2").update(not_applicable=True, self_score=None)
    items = list(Item.objects.filter(criteria_set=world.year.criteria_set))
    scores = list(a.scores.all())
    subtotals = criterion_subtotals(items=items, scores=scores)
    criterion = next(i for i in items if i.code == "1.3")
    assert subtotals[criterion.id] == (Decimal("1.00"), Decimal("1.00"), Decimal("0.50"))
    assert all(i.id not in subtotals for i in items if i.is_leaf or i.level == "area")


def test_totals_count_only_applicable_items(world):
    a = world.assessment_a
    fill_scores(a, self_share=Decimal("1"), appraised_share=Decimal("0.5"))
    Score.objects.filter(assessment=a, item__code="1.3.2").update(not_applicable=True, self_score=None)
    totals = assessment_totals(assessment=a)
    assert totals.applicable_max == Decimal("9.00")
    assert totals.self_total == Decimal("9.00")
    assert totals.index_percent == Decimal("50")
