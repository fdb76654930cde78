"""Year pages: results and ranking, publication (decision, freeze), the administrator's progress page;
and the demo district's results against figures computed by hand from the seed report."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parindex.models import Assessment, AssessmentStatus
from parindex.selectors.rankings import ranking_visible_to
from parindex.services.workflow import WorkflowError, results_publish
from tests.factories import PASSWORD
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.django_db
def test_demo_district_results_match_hand_computed_figures():
    """Ba Tơ district of the demo. Ba Thành's area scores are the seed report's appraised figures:
    6,73 + 6 + 15,46 + 4,5 + 7,50 + 7,24 + 7,27 + 4 = 58,70 of 100. The others are the demo's
    illustrative totals: Ba Tơ 84,75; Ba Giang 75,35; Ba Khâm and Ba Lế 68,70 each (a tie)."""
    from django.contrib.auth import get_user_model

    from parindex.demo import demo_load

    year = demo_load().year
    admin = get_user_model().objects.create_superuser("kiemtra", "kt@example.vn", "x")
    ba_to = [r for r in ranking_visible_to(user=admin, year=year, with_areas=True)
             if r.group.name == "Ba Tơ" and r.rank]
    assert [(r.unit.name, r.rank, r.totals.final_total, r.totals.index_percent, r.band) for r in ba_to] == [
        ("Ba Tơ", 1, Decimal("84.75"), Decimal("84.75"), "Khá"),
        ("Ba Giang", 2, Decimal("75.35"), Decimal("75.35"), "Trung bình"),
        ("Ba Khâm", 3, Decimal("68.70"), Decimal("68.7"), "Trung bình"),
        ("Ba Lế", 3, Decimal("68.70"), Decimal("68.7"), "Trung bình"),
        ("Ba Thành", 5, Decimal("58.70"), Decimal("58.7"), "Yếu"),
    ]
    ba_thanh = ba_to[-1].totals
    assert [a.appraised_total for a in ba_thanh.areas] == [
        Decimal(v) for v in ("6.73", "6.00", "15.46", "4.50", "7.50", "7.24", "7.27", "4.00")
    ]


def _two_approved(world):
    drive(world.assessment_a, S.APPROVED, officer=world.officer_a, appraiser=world.appraiser,
          appraised_share=Decimal("0.85"))
    drive(world.assessment_b, S.APPROVED, officer=world.officer_b, appraiser=world.appraiser,
          appraised_share=Decimal("0.6"))


def test_the_ranking_page_shows_the_scope_with_ranks_and_vietnamese_figures(world, client):
    _two_approved(world)
    _login(client, world.appraiser)
    page = client.get(reverse("results_ranking", args=[world.year.pk])).content.decode()
    assert "85,00%" in page and "8,50" in page and "60,00%" in page and "Khá" in page and "Yếu" in page
    assert "Long Hiệp" not in page
    assert page.index("Ba Thành") < page.index("Ba Động")  # rank 1 before rank 2


def test_commune_accounts_see_their_own_published_result_only(world, client):
    _two_approved(world)
    _login(client, world.officer_b)
    assert client.get(reverse("results_ranking", args=[world.year.pk])).status_code == 403
    results_publish(year=world.year, actor=world.admin, decision_number="15/QĐ-UBND",
                    decision_date=dt.date(2025, 2, 20))
    page = client.get(reverse("results_ranking", args=[world.year.pk])).content.decode()
    assert "Ba Động" in page and "Ba Thành" not in page
    assert '<td class="text-end fw-semibold">2</td>' in page  # its true rank in the district


def test_the_year_closes_when_every_commune_is_published(world):
    _two_approved(world)
    from communes.models import Role
    from tests.factories import MembershipFactory, UserFactory

    officer_c = UserFactory(username="officer_c")
    MembershipFactory(user=officer_c, unit=world.commune_c, role=Role.COMMUNE_OFFICER)
    drive(world.assessment_c, S.APPROVED, officer=officer_c, appraiser=world.other_appraiser)
    results_publish(year=world.year, actor=world.admin, decision_number="15/QĐ-UBND",
                    decision_date=dt.date(2025, 2, 20))
    world.year.refresh_from_db()
    assert world.year.is_published


def test_only_the_province_administrator_publishes(world, client):
    _two_approved(world)
    with pytest.raises(WorkflowError, match="Chỉ quản trị"):
        results_publish(year=world.year, actor=world.appraiser, decision_number="1", decision_date=dt.date.today())
    _login(client, world.appraiser)
    assert client.post(reverse("results_publish", args=[world.year.pk]),
                       {"decision_number": "1", "decision_date": "2025-02-20"}).status_code == 403
    assert Assessment.objects.filter(status=S.PUBLISHED).count() == 0


def test_the_progress_page_counts_by_status_and_district_and_lists_late_communes(world, client):
    drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)
    world.year.self_assessment_deadline = timezone.now() - dt.timedelta(hours=1)
    world.year.save()
    _login(client, world.admin)
    response = client.get(reverse("year_progress", args=[world.year.pk]))
    progress = response.context["progress"]
    assert progress.by_status == {S.SUBMITTED: 1, S.DRAFT: 2}
    by_district = {d.unit.code: (d.total, d.count(S.DRAFT), d.count(S.SUBMITTED), d.late) for d in progress.districts}
    # The deadline moved before A's submission: A is late, B and C are overdue.
    assert by_district == {"D1": (2, 1, 1, 2), "D2": (1, 1, 0, 1)}
    assert [a.unit.code for a in progress.late] == ["C1", "C2", "C3"]
    page = response.content.decode()
    assert reverse("results_publish", args=[world.year.pk]) in page
    assert f'{reverse("appraisal_queue")}?year={world.year.pk}' in page


def test_an_appraiser_sees_the_progress_of_their_district_only(world, client):
    _login(client, world.other_appraiser)
    progress = client.get(reverse("year_progress", args=[world.year.pk])).context["progress"]
    assert progress.total == 1 and [d.unit.code for d in progress.districts] == ["D2"]


def test_province_admins_land_on_the_year_progress(world, client):
    _login(client, world.admin)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("year_progress", args=[world.year.pk])


def test_the_ranking_page_keeps_unfinished_assessments_apart_without_an_index(world, client):
    from tests.parindex.dashboards.states import published_approved_unfinished

    published_approved_unfinished(world)  # C is in appraisal at 30 %
    _login(client, world.admin)
    page = client.get(reverse("results_ranking", args=[world.year.pk])).content.decode()
    ranked, _, unfinished = page.partition('id="unfinished-table"')
    assert "Long Hiệp" not in ranked.split('id="ranking-table"')[1]
    assert "Long Hiệp" in unfinished and "Đang thẩm định" in unfinished
    assert "30,00%" not in page
