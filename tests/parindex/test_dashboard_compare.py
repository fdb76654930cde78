"""The comparison of 2–5 chosen communes (a GET form): per area points and rate, total, index, rank
and band; only communes the user sees with final figures can be chosen."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.parindex.dashboards.states import published_approved_unfinished

pytestmark = pytest.mark.django_db
D = Decimal


def _get(client, world, user, ids):
    client.force_login(user)
    return client.get(reverse("dashboard_compare", args=[world.year.pk]), {"xa": ids})


def test_it_puts_the_chosen_communes_side_by_side(world, client):
    published_approved_unfinished(world)
    response = _get(client, world, world.admin, [world.assessment_b.pk, world.assessment_a.pk])
    board = response.context["dashboard"]
    # In the order chosen: Ba Động, then Ba Thành.
    assert [(r[0], r[5], r[6], r[7]) for r in board.table("summary").rows] == [
        ("xã Ba Động", D("60"), 2, "Yếu"), ("xã Ba Thành", D("85"), 1, "Khá")]
    assert board.table("areas").rows[0] == ["1", "Lĩnh vực 1", D("6"), D("3.60"), D("60"), D("5.10"), D("85")]
    assert [s["name"] for s in board.charts["areas"]["series"]] == ["xã Ba Động", "xã Ba Thành"]
    page = response.content.decode()
    assert "85,00%" in page and "3,60" in page and "<svg" in page


def test_it_asks_for_two_to_five_communes(world, client):
    published_approved_unfinished(world)
    page = _get(client, world, world.admin, [world.assessment_a.pk]).content.decode()
    assert "Chọn từ 2 đến 5 đơn vị để so sánh (đã chọn 1)." in page
    assert 'id="table-summary"' not in page


def test_it_refuses_communes_the_user_does_not_see_or_without_final_figures(world, client):
    published_approved_unfinished(world)
    # C is not approved: not a choice for anyone.
    page = _get(client, world, world.admin, [world.assessment_a.pk, world.assessment_c.pk]).content.decode()
    assert "Không so sánh được đơn vị đã chọn: đơn vị chưa có kết quả cuối cùng" in page
    assert 'id="table-summary"' not in page
    # The other district's appraiser cannot compare Ba Tơ's communes, even by typing their ids.
    response = _get(client, world, world.other_appraiser, [world.assessment_a.pk, world.assessment_b.pk])
    assert response.status_code == 200 and response.context["dashboard"].table("summary").rows == []
    assert "Ba Thành" not in response.content.decode()
    assert "Không so sánh được đơn vị đã chọn" in response.content.decode()
