"""Removing a line of the draft."""

from django.urls import reverse


def post(client, plan):
    return client.post(reverse("remedy_line_delete", args=[plan.lines.order_by("order").first().pk]))


def test_it_removes_the_owners_line(client, plan, approved):
    client.force_login(approved.officer_a)
    assert post(client, plan).status_code == 302
    assert list(plan.lines.values_list("order", flat=True)) == [2]


def test_it_rejects_a_member(client, plan, approved):
    client.force_login(approved.appraiser)
    assert post(client, plan).status_code == 403
    assert plan.lines.count() == 2


def test_it_hides_the_line_from_an_outsider(client, plan, approved):
    client.force_login(approved.officer_b)
    assert post(client, plan).status_code == 404
    assert plan.lines.count() == 2
