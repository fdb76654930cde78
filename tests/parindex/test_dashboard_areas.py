"""The areas dashboard: per-area means across communes from the totals selector, and each area's
weakest items across communes (SQL aggregation), for approved and published results only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import Score
from parindex.selectors.dashboards import dashboard_areas
from parindex.services.appraisal import appraisal_sheet_save
from parindex.services.workflow import assessment_approve, assessment_complete_appraisal
from tests.parindex.dashboards.states import published_approved_unfinished

pytestmark = pytest.mark.django_db
D = Decimal


def test_it_averages_each_area_over_finished_communes(world):
    published_approved_unfinished(world)  # A 85 %, B 60 %, C (unfinished) left out
    board = dashboard_areas(user=world.admin, year=world.year)
    rows = {row[0]: row[2:] for row in board.table("areas").rows}
    # Area 1 (max 6): A 5,10 and B 3,60 points; area 2 (max 4): A 3,40 and B 2,40.
    assert rows["1"] == [D("6"), D("4.35"), D("72.5"), D("60"), D("85")]
    assert rows["2"] == [D("4"), D("2.9"), D("72.5"), D("60"), D("85")]
    assert board.extra["count"] == 2 and board.extra["index_mean"] == D("72.5")


def test_it_lists_the_items_where_communes_lost_most(world, client):
    published_approved_unfinished(world)
    board = dashboard_areas(user=world.admin, year=world.year)
    weakest = board.table("weakest").rows
    # Every leaf lost the same share, so the order falls back to points lost, then the tree order.
    assert [row[1] for row in weakest] == ["1.1", "1.2", "1.3.1", "2.1", "2.2.1", "2.2.2"]
    first = weakest[0]
    assert first[3:] == [D("2"), D("1.45"), D("72.5"), 2, 2]  # max, mean final, rate, below max, communes


def test_a_zero_on_one_item_makes_it_the_weakest_of_its_area(world):
    published_approved_unfinished(world)
    # C (in appraisal at 30 %) gets 0 on 1.2 and is approved: it now counts, and drags 1.2 down.
    c = world.assessment_c
    score = Score.objects.get(assessment=c, item__code="1.2")
    appraisal_sheet_save(assessment=c, actor=world.other_appraiser, expected_version=c.version,
                         values={"scores": {score.id: {"appraised_score": "0"}}})
    c.refresh_from_db()
    c = assessment_complete_appraisal(assessment=c, actor=world.other_appraiser)
    assessment_approve(assessment=c, actor=world.other_appraiser)
    board = dashboard_areas(user=world.admin, year=world.year)
    area1 = [row for row in board.table("weakest").rows if row[0] == "1"]
    assert area1[0][1] == "1.2"
    assert area1[0][5] == D("2.9") * 100 / 6  # (1,70 + 1,20 + 0) ÷ (3 × 2)


def test_the_page_draws_the_chart_beside_its_table(world, client):
    published_approved_unfinished(world)
    client.force_login(world.appraiser)
    page = client.get(reverse("dashboard_areas", args=[world.year.pk])).content.decode()
    assert page.count("<svg") == 1 and 'id="table-areas"' in page and 'id="table-weakest"' in page
    assert "72,50%" in page and "Tiêu chí 1.1" in page
