"""The demo's current structure: merged communes, the 2025 year appraised by the province split by
area across departments (mixed states, some published, the council's decision), 2026 open now."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communes.models import Unit, UnitKind
from parindex.demo import demo_load
from parindex.models import (
    AppraisalAssignment,
    Assessment,
    AssessmentStatus,
    CouncilDecision,
    EvaluationYear,
    Score,
)
from parindex.selectors import assessments_visible_to
from parindex.selectors.assignments import appraisable_item_ids

S = AssessmentStatus
User = get_user_model()


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load()
        transaction.set_rollback(True)


@pytest.fixture
def demo(_loaded, db):
    return _loaded


def _year(n):
    return EvaluationYear.objects.get(year=n, scope__code="51")


def test_2025_covers_the_merged_communes_not_their_predecessors(demo):
    units = {a.unit for a in _year(2025).assessments.select_related("unit")}
    assert {u.name for u in units} == {"Ba Tơ", "Ba Vinh", "Ba Vì", "Ba Xa", "Sơn Mai"}
    assert all(u.valid_from and u.parent.code == "51" and u.is_illustrative for u in units)
    ba_to = next(u for u in units if u.name == "Ba Tơ")
    assert {p.name for p in ba_to.predecessors.all()} == {"Ba Tơ", "Ba Thành", "Ba Cung"}


def test_2025_is_appraised_by_three_departments_in_mixed_states(demo):
    year = _year(2025)
    teams = {a.item.code: a.team for a in AppraisalAssignment.objects.filter(year=year).select_related("item", "team")}
    assert {code: t.name for code, t in teams.items()} == {"2": "Sở Tư pháp", "6": "Sở Tài chính",
                                                            "7": "Sở Khoa học và Công nghệ"}
    assert all(t.kind == UnitKind.DEPARTMENT for t in teams.values())
    statuses = set(year.assessments.values_list("status", flat=True))
    assert {S.DRAFT, S.SUBMITTED, S.IN_APPRAISAL, S.PUBLISHED} <= statuses
    assert year.assessments.filter(status=S.PUBLISHED).count() == 2
    assert not year.assessments.filter(is_illustrative=False).exists()
    assert year.criteria_set.is_sample and "nội dung mẫu" in year.criteria_set.name


def test_the_commune_in_appraisal_has_some_areas_done_by_their_departments(demo):
    a = Assessment.objects.get(year=_year(2025), status=S.IN_APPRAISAL)
    done = Score.objects.filter(assessment=a, appraised_score__isnull=False)
    assert set(done.values_list("item__area__code", flat=True)) == {"1", "2", "3", "7"}
    assert {s.updated_by.username for s in done.filter(item__area__code="2")} == {"thamdinh.sotuphap"}
    finance = User.objects.get(username="thamdinh.sotaichinh")
    mine = appraisable_item_ids(user=finance, assessment=a)
    assert mine and not Score.objects.filter(assessment=a, item_id__in=mine, appraised_score__isnull=False).exists()


def test_department_appraisers_see_the_2025_communes_only(demo):
    justice = User.objects.get(username="thamdinh.sotuphap")
    years = set(assessments_visible_to(justice).values_list("year__year", flat=True))
    assert years == {2025}
    assert assessments_visible_to(justice).count() == 5
    science = User.objects.get(username="thamdinh.sokhcn")  # area 7 of four communes only
    assert {a.unit.name for a in assessments_visible_to(science)} == {"Ba Vinh", "Ba Vì", "Ba Xa", "Sơn Mai"}


def test_the_council_decision_is_recorded_and_cited_by_the_publication(demo):
    year = _year(2025)
    council = CouncilDecision.objects.get(year=year)
    assert council.decision_number == year.publication_decision_number == "215/QĐ-UBND"
    assert len(council.members) == 6 and council.review_date <= council.decision_date


def test_2026_is_open_for_self_assessment_on_a_copy_of_the_2025_set(demo):
    year = _year(2026)
    assert year.self_assessment_opens < timezone.now() < year.self_assessment_deadline
    assert year.criteria_set.copied_from.code == "quang-ngai-xa-2025-mau"
    assert year.criteria_set.is_frozen and year.criteria_set.items.count() == _year(2025).criteria_set.items.count()
    assert set(year.assessments.values_list("status", flat=True)) == {S.DRAFT}


def test_loading_again_changes_nothing(demo):
    again = demo_load()
    assert not again.changed
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == 3
