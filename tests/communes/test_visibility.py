"""The one visibility rule, for units and for assessments."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from communes.models import Role
from communes.selectors import units_visible_to, user_primary_role
from communes.services import membership_grant
from parindex.selectors import assessment_get_visible, assessments_visible_to
from tests.factories import (
    AssessmentFactory,
    CommuneFactory,
    DistrictFactory,
    EvaluationYearFactory,
    ProvinceFactory,
    UserFactory,
)


def _units(user):
    return set(units_visible_to(user))


def _assessments(user):
    return set(assessments_visible_to(user))


def test_appraiser_never_sees_another_districts_communes(world):
    assert _units(world.appraiser) == {world.district, world.commune_a, world.commune_b}
    assert _assessments(world.appraiser) == {world.assessment_a, world.assessment_b}
    assert _assessments(world.other_appraiser) == {world.assessment_c}
    assert world.commune_c not in _units(world.appraiser)


def test_officer_never_sees_another_commune(world):
    assert _units(world.officer_a) == {world.commune_a}
    assert _assessments(world.officer_a) == {world.assessment_a}
    assert _assessments(world.officer_b) == {world.assessment_b}
    assert _assessments(world.leader_a) == {world.assessment_a}


def test_a_commune_code_prefixing_another_does_not_leak(world):
    # Paths end with "/", so commune "C1" must not see commune "C10".
    c10 = CommuneFactory(name="Ba Vinh", code="C10", parent=world.district)
    a10 = AssessmentFactory(year=world.year, unit=c10)
    assert a10 not in _assessments(world.officer_a)


def test_viewer_sees_their_subtree(world):
    assert _units(world.viewer) == {world.district, world.commune_a, world.commune_b}
    assert _assessments(world.viewer) == {world.assessment_a, world.assessment_b}


def test_province_admin_sees_the_province_only(world):
    other = ProvinceFactory(name="Bình Định", code="52")
    foreign = CommuneFactory(code="21800", parent=DistrictFactory(code="540", parent=other))
    AssessmentFactory(year=EvaluationYearFactory(scope=other), unit=foreign)
    assert world.commune_c in _units(world.admin)
    assert foreign not in _units(world.admin) and other not in _units(world.admin)
    assert _assessments(world.admin) == {world.assessment_a, world.assessment_b, world.assessment_c}


def test_superuser_sees_all(world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    other = ProvinceFactory(name="Bình Định", code="52")
    foreign = AssessmentFactory(year=EvaluationYearFactory(scope=other),
                                unit=CommuneFactory(code="21800", parent=DistrictFactory(code="540", parent=other)))
    assert other in _units(root)
    assert {world.assessment_a, world.assessment_c, foreign} <= _assessments(root)


def test_anonymous_and_roleless_users_see_nothing(world):
    assert _units(AnonymousUser()) == set()
    assert _assessments(AnonymousUser()) == set()
    nobody = UserFactory(username="nobody")
    assert _units(nobody) == set() and _assessments(nobody) == set()


def test_two_tier_appraiser_on_the_province_sees_communes_directly_under_it(world):
    new_commune = CommuneFactory(name="Ba Tơ", code="C50", parent=world.province)
    assessment = AssessmentFactory(year=world.year, unit=new_commune)
    province_appraiser = UserFactory(username="thamdinh.tinh")
    membership_grant(user=province_appraiser, unit=world.province, role=Role.APPRAISER)
    assert assessment in _assessments(province_appraiser)
    assert assessment not in _assessments(world.appraiser)


def test_get_visible_answers_404_for_others(world):
    assert assessment_get_visible(world.officer_a, world.assessment_a.pk) == world.assessment_a
    with pytest.raises(Http404):
        assessment_get_visible(world.officer_a, world.assessment_b.pk)
    with pytest.raises(Http404):
        assessment_get_visible(world.other_appraiser, world.assessment_a.pk)


def test_primary_role_picks_the_heaviest_responsibility(world):
    assert user_primary_role(world.officer_a) == Role.COMMUNE_OFFICER
    assert user_primary_role(world.appraiser) == Role.APPRAISER
    assert user_primary_role(world.admin) == Role.PROVINCE_ADMIN
    membership_grant(user=world.viewer, unit=world.district, role=Role.APPRAISER)
    world.viewer._par_memberships = None
    assert user_primary_role(world.viewer) == Role.APPRAISER
