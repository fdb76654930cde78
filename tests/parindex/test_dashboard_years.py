"""Year over year: the years of the same scope, with communes having results, the mean index and
each area's mean rate."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import AssessmentStatus
from tests.factories import (
    AssessmentFactory,
    CommuneFactory,
    DistrictFactory,
    EvaluationYearFactory,
    ProvinceFactory,
)
from tests.parindex.dashboards.states import published_approved_unfinished
from tests.parindex.workflow_states import drive

pytestmark = pytest.mark.django_db
S = AssessmentStatus
D = Decimal


def _last_year(world):
    earlier = EvaluationYearFactory(year=2023, scope=world.province, criteria_set=world.year.criteria_set)
    a = AssessmentFactory(year=earlier, unit=world.commune_a)
    AssessmentFactory(year=earlier, unit=world.commune_b)
    drive(a, S.APPROVED, officer=world.officer_a, appraiser=world.appraiser, appraised_share=D("0.5"))
    return earlier


def test_it_lines_up_the_years_of_the_scope(world, client):
    published_approved_unfinished(world)
    _last_year(world)
    client.force_login(world.admin)
    board = client.get(reverse("dashboard_years", args=[world.year.pk])).context["dashboard"]
    assert board.table("years").rows == [
        [2023, 1, D("50"), D("50"), D("50")],
        [2024, 2, D("72.5"), D("72.5"), D("72.5")],
    ]
    assert board.charts["years"]["labels"] == ["2023", "2024"]


def test_an_appraiser_sees_their_communes_only(world, client):
    published_approved_unfinished(world)
    _last_year(world)
    client.force_login(world.other_appraiser)
    board = client.get(reverse("dashboard_years", args=[world.year.pk])).context["dashboard"]
    # 2023 had no commune of Minh Long; in 2024 Long Hiệp has no final result yet.
    assert board.table("years").rows == [[2024, 0, None]]


def test_a_year_of_another_scope_is_not_mixed_in(world, client):
    published_approved_unfinished(world)
    other_province = ProvinceFactory(code="52", name="Bình Định")
    other = EvaluationYearFactory(year=2023, scope=other_province, criteria_set=world.year.criteria_set)
    AssessmentFactory(year=other, unit=CommuneFactory(parent=DistrictFactory(parent=other_province)))
    client.force_login(world.admin)
    board = client.get(reverse("dashboard_years", args=[world.year.pk])).context["dashboard"]
    assert [row[0] for row in board.table("years").rows] == [2024]
