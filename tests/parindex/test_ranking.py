"""Ranking within a group with ties sharing a rank, bands from the set's thresholds, final score with
bonus and penalty, index over the applicable maximum."""

from decimal import Decimal

import pytest

from communes.models import Role
from parindex.models import AssessmentStatus, RankingScope
from parindex.selectors.rankings import band_for, ranking_visible_to, year_ranking
from parindex.services.appraisal import appraisal_sheet_save
from tests.factories import AssessmentFactory, CommuneFactory, MembershipFactory, UserFactory
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def _officer(unit):
    user = UserFactory(username=f"officer_{unit.code}")
    MembershipFactory(user=user, unit=unit, role=Role.COMMUNE_OFFICER)
    return user


def _approved(world, unit, share, assessment=None):
    assessment = assessment or AssessmentFactory(year=world.year, unit=unit)
    return drive(assessment, S.APPROVED, officer=_officer(unit), appraiser=world.appraiser,
                 appraised_share=Decimal(share))


def _ranks(results):
    return [(r.unit.name, r.rank) for r in results]


def test_ties_share_a_rank_and_the_next_rank_skips(world):
    for name, share in (("Một", "0.9"), ("Hai", "0.8"), ("Ba", "0.8"), ("Bốn", "0.7")):
        _approved(world, CommuneFactory(name=name, code=f"R-{name}", parent=world.district), share)
    results = [r for r in ranking_visible_to(user=world.appraiser, year=world.year) if r.rank is not None]
    assert _ranks(results) == [("Một", 1), ("Ba", 2), ("Hai", 2), ("Bốn", 4)]
    assert [r.band for r in results] == ["Tốt", "Khá", "Khá", "Trung bình"]


def test_communes_are_ranked_on_the_index_over_applicable_items(world):
    """8,00 of 10 and 6,40 of 8 (a 2-point item not applicable) are both 80,00 %: same rank."""
    _approved(world, world.commune_a, "0.8", assessment=world.assessment_a)
    b = world.assessment_b
    drive(b, S.APPROVED, officer=world.officer_b, appraiser=world.appraiser, appraised_share=Decimal("0.8"),
          not_applicable=("2.1",))
    results = {r.unit.code: r for r in ranking_visible_to(user=world.appraiser, year=world.year)}
    assert results["C2"].totals.applicable_max == Decimal("8.00")
    assert results["C2"].totals.final_total == Decimal("6.40")
    assert results["C1"].totals.final_total == Decimal("8.00")
    assert results["C2"].rank == results["C1"].rank == 1


def test_only_approved_and_published_results_are_ranked(world):
    _approved(world, world.commune_a, "0.6", assessment=world.assessment_a)
    drive(world.assessment_b, S.APPRAISED, officer=world.officer_b, appraiser=world.appraiser)
    results = {r.unit.code: r for r in ranking_visible_to(user=world.appraiser, year=world.year)}
    assert results["C1"].rank == 1 and results["C1"].band == "Yếu"  # 60 % < 65 %
    assert results["C2"].rank is None and results["C2"].band == ""


def test_each_district_is_its_own_group_unless_the_year_ranks_province_wide(world):
    _approved(world, world.commune_a, "0.6", assessment=world.assessment_a)
    province_appraiser = UserFactory(username="so_noi_vu")
    MembershipFactory(user=province_appraiser, unit=world.province, role=Role.APPRAISER)
    drive(world.assessment_c, S.APPROVED, officer=_officer(world.commune_c), appraiser=province_appraiser,
          appraised_share=Decimal("0.9"))
    by_code = {r.unit.code: r for r in ranking_visible_to(user=world.admin, year=world.year)}
    assert (by_code["C1"].rank, by_code["C1"].group) == (1, world.district)
    assert (by_code["C3"].rank, by_code["C3"].group) == (1, world.other_district)
    world.year.ranking_scope = RankingScope.PROVINCE
    world.year.save()
    by_code = {r.unit.code: r for r in ranking_visible_to(user=world.admin, year=world.year)}
    assert (by_code["C3"].rank, by_code["C1"].rank) == (1, 2)
    assert by_code["C1"].group == world.province


def test_ranks_are_computed_over_the_whole_group_not_the_visible_part(world):
    """A district appraiser sees only their district, but in a province-wide ranking the ranks
    still count the other district's communes."""
    world.year.ranking_scope = RankingScope.PROVINCE
    world.year.save()
    province_appraiser = UserFactory(username="so_noi_vu")
    MembershipFactory(user=province_appraiser, unit=world.province, role=Role.APPRAISER)
    drive(world.assessment_c, S.APPROVED, officer=_officer(world.commune_c), appraiser=province_appraiser,
          appraised_share=Decimal("0.9"))
    _approved(world, world.commune_a, "0.6", assessment=world.assessment_a)
    results = ranking_visible_to(user=world.appraiser, year=world.year)
    assert {r.unit.code for r in results} == {"C1", "C2"}
    assert next(r for r in results if r.unit.code == "C1").rank == 2


def test_bonus_and_penalty_change_the_final_score_and_the_rank(world):
    criteria_set = world.year.criteria_set
    criteria_set.bonus_cap, criteria_set.penalty_cap = Decimal("1"), Decimal("2")
    criteria_set.save()
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser,
              appraised_share=Decimal("0.8"))
    a = appraisal_sheet_save(assessment=a, actor=world.appraiser, expected_version=a.version,
                             values={"bonus_points": "1", "penalty_points": "0,5"}).assessment
    from parindex.services.workflow import assessment_approve

    assessment_approve(assessment=a, actor=world.appraiser)
    _approved(world, world.commune_b, "0.85", assessment=world.assessment_b)
    results = {r.unit.code: r for r in ranking_visible_to(user=world.appraiser, year=world.year)}
    # 8,00 + 1,00 − 0,50 = 8,50 of 10 = 85 %: ties with commune B's 8,50.
    assert results["C1"].totals.final_total == Decimal("8.50")
    assert results["C1"].totals.index_percent == Decimal("85")
    assert results["C1"].rank == results["C2"].rank == 1
    assert results["C1"].band == "Khá"


@pytest.mark.parametrize(("index", "band"), [
    ("100", "Tốt"), ("90", "Tốt"), ("89.996", "Tốt"), ("89.994", "Khá"), ("80", "Khá"), ("79.99", "Trung bình"),
    ("65", "Trung bình"), ("64.99", "Yếu"), ("0", "Yếu"),
])
def test_band_thresholds(world, index, band):
    assert band_for(criteria_set=world.year.criteria_set, index_percent=Decimal(index)) == band


def test_no_band_without_bands_or_index(world):
    criteria_set = world.year.criteria_set
    assert band_for(criteria_set=criteria_set, index_percent=None) == ""
    criteria_set.bands = []
    assert band_for(criteria_set=criteria_set, index_percent=Decimal("95")) == ""


def test_year_ranking_keeps_its_signature_for_reports(world):
    _approved(world, world.commune_a, "0.7", assessment=world.assessment_a)
    results = year_ranking(year=world.year, assessments=[world.assessment_a, world.assessment_b])
    assert [(r.unit.code, r.rank) for r in results] == [("C1", 1), ("C2", None)]
