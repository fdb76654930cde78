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


def test_whole_assessment_totals_equal_the_sum_of_the_areas(world):
    """with_areas=False (rankings, queues) sums the whole assessment in one aggregate: every figure
    must equal what the per-area totals add up to, round 2, bonus, penalty and N/A included."""
    from parindex.selectors import assessments_totals

    a, b, c = world.assessment_a, world.assessment_b, world.assessment_c
    fill_scores(a, self_share=Decimal("0.7"), appraised_share=Decimal("0.55"))
    fill_scores(b, self_share=Decimal("1"), appraised_share=Decimal("0.9"))
    Score.objects.filter(assessment=a, item__code="1.3.2").update(not_applicable=True, self_score=None)
    Score.objects.filter(assessment=b, item__code="1.1").update(round2_score=Decimal("0.25"))
    type(a).objects.filter(pk=b.pk).update(bonus_points=Decimal("1.5"), penalty_points=Decimal("0.75"))
    assessments = list(type(a).objects.filter(pk__in=[a.pk, b.pk, c.pk]).select_related("year"))
    by_area = assessments_totals(assessments=assessments)
    whole = assessments_totals(assessments=assessments, with_areas=False)
    fields = ("max_points", "applicable_max", "self_total", "appraised_total", "final_total", "leaf_count",
              "self_scored_count", "appraised_count", "self_percent", "index_percent")
    for assessment in assessments:
        expected = [getattr(by_area[assessment.id], f) for f in fields]
        assert [getattr(whole[assessment.id], f) for f in fields] == expected
    assert whole[b.id].final_total == by_area[b.id].appraised_total + Decimal("0.75")


def test_totals_loaded_without_areas_refuse_to_list_areas(world):
    import pytest

    from parindex.selectors import assessments_totals
    from parindex.selectors.totals import AreasNotLoaded

    totals = assessments_totals(assessments=[world.assessment_a], with_areas=False)[world.assessment_a.id]
    with pytest.raises(AreasNotLoaded):
        len(totals.areas)


def test_area_sums_keep_their_cents_on_both_databases(world):
    """SQLite sums as floats (0.1 + 0.2 is 0.30000000000000004) and PostgreSQL exactly: both give
    the same Decimals, printed with two places, and 0.00 where nothing is scored or applicable."""
    from parindex.selectors import assessments_totals

    a = world.assessment_a
    leaves = list(Score.objects.filter(assessment=a, item__area__code="1").order_by("item__sort_key"))
    Score.objects.filter(pk=leaves[0].pk).update(self_score=Decimal("0.10"), appraised_score=Decimal("0.10"))
    Score.objects.filter(pk=leaves[1].pk).update(self_score=Decimal("0.20"), appraised_score=Decimal("0.20"))
    Score.objects.filter(assessment=a, item__area__code="2").update(not_applicable=True)
    assessment = type(a).objects.select_related("year").get(pk=a.pk)
    first, second = assessments_totals(assessments=[assessment])[a.id].areas
    assert [str(first.self_total), str(first.appraised_total), first.self_scored_count] == ["0.30", "0.30", 2]
    assert [str(second.applicable_max), str(second.self_total), str(second.appraised_total)] == ["0.00"] * 3
    whole = assessments_totals(assessments=[assessment], with_areas=False)[a.id]
    assert [str(whole.self_total), str(whole.applicable_max)] == ["0.30", str(first.applicable_max)]
