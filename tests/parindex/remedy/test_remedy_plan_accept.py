"""Accepting the plan: its lines become tasks of next year's plan, or wait for that year, and the
page says which."""

from django.urls import reverse

from parindex.models import PlanTask, RemedyPlanStatus
from parindex.services.years import evaluation_year_open
from tests.factories import EvaluationYearFactory


def post(client, world):
    return client.post(reverse("remedy_plan_accept", args=[world.assessment_a.pk]), follow=True)


def test_it_turns_the_owners_lines_into_next_years_tasks(client, plan, approved):
    year = EvaluationYearFactory(year=2025, scope=approved.province, criteria_set=approved.year.criteria_set)
    evaluation_year_open(year=year)
    client.force_login(approved.officer_a)
    html = post(client, approved).content.decode()
    assert "2 nhiệm vụ đã được đưa vào Kế hoạch CCHC năm 2025" in html
    assert PlanTask.objects.filter(assessment__year=year, assessment__unit=approved.commune_a).count() == 2


def test_it_says_clearly_when_next_year_is_not_open(client, plan, approved):
    client.force_login(approved.officer_a)
    html = post(client, approved).content.decode()
    assert "Kỳ đánh giá năm 2025 chưa được mở" in html and "sẽ tự động đưa vào" in html
    plan.refresh_from_db()
    assert plan.status == RemedyPlanStatus.ACCEPTED


def test_it_rejects_a_member(client, plan, approved):
    client.force_login(approved.appraiser)
    assert post(client, approved).status_code == 403
    plan.refresh_from_db()
    assert plan.status == RemedyPlanStatus.DRAFT


def test_it_hides_the_plan_from_an_outsider(client, plan, approved):
    client.force_login(approved.officer_b)
    assert post(client, approved).status_code == 404
