"""The appraiser's queue: scope, figures, timeliness, filters, sorting, bulk actions, query count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import Role
from parindex.models import AssessmentStatus, LockStage
from parindex.selectors.queue import Timeliness, appraisal_queue_rows
from parindex.services.workflow import assessment_submit, lock_exception_grant
from tests.factories import PASSWORD, AssessmentFactory, CommuneFactory, MembershipFactory, UserFactory
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _rows_by_code(rows):
    return {r.unit.code: r for r in rows}


def test_the_queue_lists_the_appraisers_district_with_its_figures(world):
    drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser,
          self_share=Decimal("0.8"), appraised_share=Decimal("0.7"))
    rows = _rows_by_code(appraisal_queue_rows(user=world.appraiser, year=world.year))
    assert set(rows) == {"C1", "C2"}
    a = rows["C1"]
    # Area 1: 3 leaves, 2 points each (one split 1 + 1); area 2: 2 leaves, 2 points each (one split 1 + 1).
    # Self 80 % → 8,00; appraised 70 % → 7,00 of 10 → 70 %.
    assert (a.totals.self_total, a.totals.appraised_total) == (Decimal("8.00"), Decimal("7.00"))
    assert a.totals.index_percent == Decimal("70")
    assert a.timeliness == Timeliness.ON_TIME and a.district == world.district
    assert rows["C2"].timeliness == Timeliness.PENDING and rows["C2"].totals.self_total == 0


def test_other_districts_stay_out_of_the_queue(world):
    assert [r.unit.code for r in appraisal_queue_rows(user=world.other_appraiser, year=world.year)] == ["C3"]
    assert {r.unit.code for r in appraisal_queue_rows(user=world.admin, year=world.year)} == {"C1", "C2", "C3"}


def test_late_and_overdue_are_judged_against_the_self_assessment_deadline(world):
    from tests.factories import fill_scores

    fill_scores(world.assessment_a)
    year = world.year
    year.self_assessment_deadline = timezone.now() - dt.timedelta(hours=2)
    year.save()
    world.assessment_a.refresh_from_db()
    lock_exception_grant(assessment=world.assessment_a, actor=world.admin, stage=LockStage.SELF_ASSESSMENT,
                         until=timezone.now() + dt.timedelta(days=1), reason="Mất điện")
    assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    rows = _rows_by_code(appraisal_queue_rows(user=world.appraiser, year=year))
    assert rows["C1"].timeliness == Timeliness.LATE and rows["C1"].excepted
    assert rows["C2"].timeliness == Timeliness.OVERDUE and not rows["C2"].excepted


def test_filter_by_status_and_sort_by_any_column(world):
    drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser,
          appraised_share=Decimal("0.5"))
    drive(world.assessment_b, S.IN_APPRAISAL, officer=world.officer_b, appraiser=world.appraiser,
          appraised_share=Decimal("0.9"))
    rows = appraisal_queue_rows(user=world.admin, year=world.year, status=S.IN_APPRAISAL)
    assert {r.unit.code for r in rows} == {"C1", "C2"}
    assert [r.unit.code for r in appraisal_queue_rows(user=world.admin, year=world.year, sort="-index")] == \
        ["C2", "C1", "C3"]
    assert [r.unit.code for r in appraisal_queue_rows(user=world.admin, year=world.year, sort="appraised_total")] == \
        ["C3", "C1", "C2"]
    assert [r.unit.code for r in appraisal_queue_rows(user=world.admin, year=world.year, sort="unit")] == \
        ["C2", "C1", "C3"]  # Ba Động, Ba Thành, Long Hiệp
    assert [r.unit.code for r in appraisal_queue_rows(user=world.admin, year=world.year, sort="-status")][-1] == "C3"
    # An unknown sort falls back to the default instead of failing.
    assert len(appraisal_queue_rows(user=world.admin, year=world.year, sort="drop table")) == 3


def _district_of(world, n):
    for i in range(n):
        commune = CommuneFactory(name=f"Xã thử {i:03d}", code=f"Q{i:04d}", parent=world.district)
        AssessmentFactory(year=world.year, unit=commune)


@pytest.mark.parametrize("extra", [3, 60])
def test_the_queue_costs_the_same_queries_at_any_size(world, extra, django_assert_max_num_queries):
    _district_of(world, extra)
    with django_assert_max_num_queries(7):  # + the user's appraisal assignments, read once
        rows = appraisal_queue_rows(user=world.appraiser, year=world.year, sort="-index")
        assert len(rows) == extra + 2
        assert all(r.totals.leaf_count == 7 for r in rows)


@pytest.mark.parametrize("extra", [3, 60])
def test_the_queue_page_costs_the_same_queries_at_any_size(world, client, extra, django_assert_max_num_queries):
    _district_of(world, extra)
    _login(client, world.appraiser)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("appraisal_queue"))
    assert response.status_code == 200
    assert response.content.decode().count('name="ids"') == extra + 2


def test_bulk_start_reports_a_result_per_row(world, client):
    drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)
    _login(client, world.appraiser)
    response = client.post(reverse("appraisal_queue"), {
        "year": world.year.pk, "action": "start_appraisal",
        "ids": [world.assessment_a.pk, world.assessment_b.pk, world.assessment_c.pk],
    })
    page = response.content.decode()
    world.assessment_a.refresh_from_db()
    world.assessment_b.refresh_from_db()
    world.assessment_c.refresh_from_db()
    assert world.assessment_a.status == S.IN_APPRAISAL
    assert world.assessment_b.status == S.DRAFT and world.assessment_c.status == S.DRAFT
    assert "Bắt đầu thẩm định: thành công 1/2 xã" in page
    assert "Không thể bắt đầu thẩm định: bản đánh giá đang ở trạng thái “Đang tự đánh giá”" in page
    assert "Long Hiệp" not in page  # another district: not even named


def test_bulk_approve(world, client):
    drive(world.assessment_a, S.APPRAISED, officer=world.officer_a, appraiser=world.appraiser)
    drive(world.assessment_b, S.IN_APPRAISAL, officer=world.officer_b, appraiser=world.appraiser)
    _login(client, world.admin)
    client.post(reverse("appraisal_queue"), {"year": world.year.pk, "action": "approve",
                                             "ids": [world.assessment_a.pk, world.assessment_b.pk]})
    world.assessment_a.refresh_from_db()
    world.assessment_b.refresh_from_db()
    assert world.assessment_a.status == world.assessment_b.status == S.APPROVED


def test_viewers_see_the_queue_read_only(world, client):
    drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)
    _login(client, world.viewer)
    page = client.get(reverse("appraisal_queue")).content.decode()
    assert "chế độ chỉ đọc" in page and 'name="ids"' not in page and "Ba Thành" in page
    response = client.post(reverse("appraisal_queue"), {"year": world.year.pk, "action": "start_appraisal",
                                                        "ids": [world.assessment_a.pk]})
    assert "không có quyền" in response.content.decode()
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.status == S.SUBMITTED


def test_the_year_switcher_picks_the_latest_year_by_default(world, client):
    from tests.factories import EvaluationYearFactory

    newer = EvaluationYearFactory(year=2025, scope=world.province)
    AssessmentFactory(year=newer, unit=world.commune_a)
    _login(client, world.appraiser)
    page = client.get(reverse("appraisal_queue")).content.decode()
    assert "năm 2025" in page
    page = client.get(reverse("appraisal_queue"), {"year": world.year.pk}).content.decode()
    assert "Danh sách thẩm định — năm 2024" in page and "Ba Động" in page


def test_commune_accounts_have_no_queue(world, client):
    _login(client, world.officer_a)
    assert client.get(reverse("appraisal_queue")).status_code == 403


def test_a_province_level_appraiser_sees_every_district(world):
    province_appraiser = UserFactory(username="so_noi_vu")
    MembershipFactory(user=province_appraiser, unit=world.province, role=Role.APPRAISER)
    assert len(appraisal_queue_rows(user=province_appraiser, year=world.year)) == 3
