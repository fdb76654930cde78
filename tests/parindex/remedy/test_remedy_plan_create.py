"""Drafting the remedy plan from the points lost (the read model's maximum − final): one line per
weak item, heaviest loss first, with a lead, a deadline and an expected output to start from."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from parindex.models import Item, PlanTask, RemedyPlan, Score


def post(client, world):
    return client.post(reverse("remedy_plan_create", args=[world.assessment_a.pk]))


def test_it_drafts_one_line_per_weak_item_for_the_owner(client, approved):
    criteria_set = approved.year.criteria_set
    Item.objects.filter(criteria_set=criteria_set, code="1.1").update(evidence_guide="Quyết định ban hành kế hoạch")
    area_1 = Item.objects.get(criteria_set=criteria_set, code="1")
    PlanTask.objects.create(assessment=approved.assessment_a, order=1, content="Kế hoạch", area=area_1,
                            lead="Văn phòng - Thống kê")
    # 2.1 loses 0,75 of 2 points: not weak (under half its maximum).
    Score.objects.filter(assessment=approved.assessment_a, item__code="2.1").update(appraised_score=Decimal("1.25"))
    client.force_login(approved.officer_a)
    assert post(client, approved).status_code == 302
    plan = RemedyPlan.objects.get(assessment=approved.assessment_a)
    lines = list(plan.lines.select_related("item").order_by("order"))
    assert [(line.item.code, line.points_lost) for line in lines] == [
        ("1.1", Decimal("1.00")), ("1.2", Decimal("1.00")), ("1.3.1", Decimal("0.50")), ("1.3.2", Decimal("0.50")),
        ("2.2.1", Decimal("0.50")), ("2.2.2", Decimal("0.50")),
    ]
    first = lines[0]
    assert first.content == "Khắc phục hạn chế của tiêu chí 1.1 “Tiêu chí 1.1” (năm 2024 đạt 1,00/2,00 điểm)."
    assert (first.lead, first.deadline, first.expected_output) == (
        "Văn phòng - Thống kê", dt.date(2025, 9, 30), "Quyết định ban hành kế hoạch")
    assert lines[4].lead == ""  # area 2 had no task this year to learn its lead from


def test_it_refuses_a_second_draft(client, approved):
    client.force_login(approved.officer_a)
    post(client, approved)
    response = client.post(reverse("remedy_plan_create", args=[approved.assessment_a.pk]), follow=True)
    assert "Xã đã có dự thảo kế hoạch khắc phục của năm này." in response.content.decode()
    assert RemedyPlan.objects.count() == 1


def test_it_rejects_a_member(client, approved):
    client.force_login(approved.appraiser)
    assert post(client, approved).status_code == 403
    assert not RemedyPlan.objects.exists()


def test_it_hides_the_assessment_from_an_outsider(client, approved):
    client.force_login(approved.officer_b)
    assert post(client, approved).status_code == 404
    assert not RemedyPlan.objects.exists()
