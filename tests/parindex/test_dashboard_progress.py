"""The progress dashboard: communes by status, submissions on time or late against the deadline,
the stage deadlines, per district; within the visibility rule."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from parindex.models import AssessmentStatus
from parindex.selectors.dashboards import dashboard_progress
from tests.parindex.dashboards.states import officer_c
from tests.parindex.workflow_states import drive

pytestmark = pytest.mark.django_db
S = AssessmentStatus


def _late_world(world):
    """A submitted before the deadline, C submitted after it (the deadline is then moved before its
    submission, as a province that shortens a stage would), B never submitted."""
    drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)
    c = drive(world.assessment_c, S.RETURNED, officer=officer_c(world), appraiser=world.other_appraiser)
    world.year.self_assessment_deadline = c.submitted_at - dt.timedelta(seconds=1)
    world.year.save()
    world.assessment_a.__class__.objects.filter(pk=world.assessment_a.pk).update(
        submitted_at=c.submitted_at - dt.timedelta(hours=1))


def test_it_counts_submissions_on_time_late_and_overdue(world):
    _late_world(world)
    board = dashboard_progress(user=world.admin, year=world.year, now=timezone.now())
    submission = {row[0]: row[1] for row in board.table("submission").rows}
    assert submission == {"Đã nộp đúng hạn": 1, "Đã nộp trễ hạn": 1, "Quá hạn, chưa nộp": 1,
                          "Đang tự đánh giá (chưa nộp)": 1}
    status = {row[0]: row[1] for row in board.table("status").rows}
    assert (status["Đã nộp"], status["Trả lại để giải trình"], status["Đang tự đánh giá"]) == (1, 1, 1)
    districts = {row[0]: row[1:] for row in board.table("districts").rows}
    # total, draft, overdue, on time, late, in appraisal, returned, approved, published
    assert districts["huyện Ba Tơ"] == [2, 1, 1, 1, 0, 1, 0, 0, 0]
    assert districts["huyện Minh Long"] == [1, 0, 0, 0, 1, 0, 1, 0, 0]
    assert districts["Tổng cộng"] == [3, 1, 1, 1, 1, 1, 1, 0, 0]


def test_before_the_deadline_a_draft_is_not_overdue(world):
    board = dashboard_progress(user=world.admin, year=world.year)
    submission = {row[0]: row[1] for row in board.table("submission").rows}
    assert submission["Quá hạn, chưa nộp"] == 0 and submission["Đang tự đánh giá (chưa nộp)"] == 3
    deadlines = {row[0]: row[2] for row in board.table("deadlines").rows}
    assert deadlines["Tự đánh giá"].startswith("Còn ")


def test_an_appraiser_counts_only_their_district(world, client):
    _late_world(world)
    client.force_login(world.other_appraiser)
    response = client.get(reverse("dashboard_progress", args=[world.year.pk]))
    districts = [row[0] for row in response.context["dashboard"].table("districts").rows]
    assert districts == ["huyện Minh Long", "Tổng cộng"]
    page = response.content.decode()
    assert "Ba Tơ" not in page
    # Named after what the appraiser sees, not the province.
    assert "Tiến độ Chỉ số CCHC năm 2024 — huyện Minh Long</h1>" in page


def test_the_viewer_sees_it_and_a_commune_account_does_not(world, client):
    url = reverse("dashboard_progress", args=[world.year.pk])
    client.force_login(world.viewer)
    assert client.get(url).status_code == 200
    client.force_login(world.officer_b)
    assert client.get(url).status_code == 403
