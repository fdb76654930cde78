"""The ranking dashboard: published results, approved-not-published (provisional) and unfinished
assessments in separate tables; bands and the distribution of the index; the visibility rule."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.selectors.dashboards import dashboard_ranking
from tests.parindex.dashboards.states import published_approved_unfinished

pytestmark = pytest.mark.django_db


def _rows(dashboard, key):
    return dashboard.table(key).rows


def test_it_keeps_published_provisional_and_unfinished_results_apart(world):
    published_approved_unfinished(world)
    board = dashboard_ranking(user=world.admin, year=world.year)
    assert [(r[0], r[1], r[5], r[6]) for r in _rows(board, "published")] == [(1, "xã Ba Thành", 85, "Khá")]
    assert [(r[0], r[1], r[5], r[6]) for r in _rows(board, "approved")] == [(2, "xã Ba Động", 60, "Yếu")]
    # The unfinished commune has an appraised 30 % so far: no index, no rank, no band anywhere.
    assert _rows(board, "unfinished") == [["xã Long Hiệp", "huyện Minh Long", "Đang thẩm định", 7, 7]]
    assert board.charts["ranking"]["labels"] == ["xã Ba Thành", "xã Ba Động"]


def test_it_counts_the_distribution_by_band_and_by_bins(world):
    published_approved_unfinished(world)
    board = dashboard_ranking(user=world.admin, year=world.year)
    assert [(r[0], r[2]) for r in _rows(board, "bands")] == [("Tốt", 0), ("Khá", 1), ("Trung bình", 0), ("Yếu", 1)]
    assert {r[0]: r[1] for r in _rows(board, "bins")} == {
        "0–<50%": 0, "50–<60%": 0, "60–<70%": 1, "70–<80%": 0, "80–<90%": 1, "90–100%": 0}
    assert board.extra["mean"] == Decimal("72.5")  # (85 + 60) ÷ 2


def test_the_page_shows_unfinished_results_without_an_index(world, client):
    published_approved_unfinished(world)
    client.force_login(world.admin)
    page = client.get(reverse("dashboard_ranking", args=[world.year.pk])).content.decode()
    assert "Đã công bố (1 đơn vị)" in page and "Đã phê duyệt, chưa công bố (1 đơn vị)" in page
    assert "Chưa hoàn thành (1 đơn vị)" in page
    assert "85,00%" in page and "60,00%" in page
    unfinished = page.split('id="table-unfinished"')[1].split("</table>")[0]
    assert "Long Hiệp" in unfinished and "%" not in unfinished and "3,00" not in unfinished
    assert "<svg" in page and "<style" not in page and "<script" not in page.split("</main>")[0]


def test_an_appraiser_sees_their_district_with_true_ranks(world, client):
    published_approved_unfinished(world)
    client.force_login(world.other_appraiser)
    board = client.get(reverse("dashboard_ranking", args=[world.year.pk])).context["dashboard"]
    assert _rows(board, "published") == [] and _rows(board, "approved") == []
    assert [r[0] for r in _rows(board, "unfinished")] == ["xã Long Hiệp"]


def test_it_narrows_to_a_district_the_user_sees(world, client):
    published_approved_unfinished(world)
    client.force_login(world.admin)
    url = reverse("dashboard_ranking", args=[world.year.pk])
    board = client.get(url, {"don-vi": world.other_district.pk}).context["dashboard"]
    assert [r[0] for r in _rows(board, "unfinished")] == ["xã Long Hiệp"] and _rows(board, "published") == []
    # A district outside the user's scope is ignored (the whole visible scope is shown).
    client.force_login(world.appraiser)
    board = client.get(url, {"don-vi": world.other_district.pk}).context["dashboard"]
    assert board.scope_unit is None and _rows(board, "unfinished") == []


def test_it_refuses_commune_accounts(world, client):
    client.force_login(world.officer_a)
    assert client.get(reverse("dashboard_ranking", args=[world.year.pk])).status_code == 403
