"""Cross-check rules on a small set of the test world: area-level sums against last year, and the
cost of a set without rules."""

from decimal import Decimal

from parindex.models import AssessmentStatus, CheckKind, CrossCheckRule
from parindex.selectors.crosschecks import assessment_cross_checks
from tests.factories import AssessmentFactory, EvaluationYearFactory, fill_scores

D = Decimal


def test_an_area_sum_far_above_last_years_result_is_warned(world):
    criteria_set = world.year.criteria_set
    area = criteria_set.items.get(code="1")
    CrossCheckRule.objects.create(item=area, kind=CheckKind.LAST_YEAR, limit=D("2"),
                                  message="Tổng điểm lĩnh vực tăng quá nhiều so với năm trước.")
    last_year = EvaluationYearFactory(year=2023, scope=world.province, criteria_set=criteria_set)
    previous = AssessmentFactory(year=last_year, unit=world.commune_a, status=AssessmentStatus.PUBLISHED)
    fill_scores(previous, appraised_share=D("0.5"))  # area 1: 3 of 6 points last year
    fill_scores(world.assessment_a, self_share=D("0.8"))  # 4,80 this year: +1,80, within 2
    assert not assessment_cross_checks(assessment=world.assessment_a).findings
    fill_scores(world.assessment_a, self_share=D("1"))  # 6,00: +3,00
    finding, = assessment_cross_checks(assessment=world.assessment_a).findings
    assert finding.item == area and finding.score_id is None
    assert "điểm 6,00, năm trước 3,00: tăng 3,00, quá 2,00 điểm" in finding.message


def test_a_set_without_rules_costs_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert not assessment_cross_checks(assessment=world.assessment_a).findings
