"""Saving the plan's number and date (printed as “Số: 12/KH-UBND”)."""

import datetime as dt

from django.urls import reverse


def post(client, world, **data):
    return client.post(reverse("remedy_plan_header", args=[world.assessment_a.pk]), data)


def test_it_saves_the_owners_number_and_date(client, plan, approved):
    client.force_login(approved.officer_a)
    response = post(client, approved, number="12", issued_on="2025-02-20")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.number, plan.issued_on) == ("12", dt.date(2025, 2, 20))


def test_it_rejects_a_member(client, plan, approved):
    client.force_login(approved.appraiser)
    assert post(client, approved, number="12").status_code == 403
    plan.refresh_from_db()
    assert plan.number == ""


def test_it_hides_the_plan_from_an_outsider(client, plan, approved):
    client.force_login(approved.officer_b)
    assert post(client, approved, number="12").status_code == 404
