"""The score sheet's per-item autosave endpoint (JSON): the same rule as the full-sheet save."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import AssessmentStatus, Score
from tests.parindex.test_score_sheet_queries import LARGE, SMALL, assessment_with, count
from tests.parindex.workflow_states import drive


def url(score):
    return reverse("score_item_save", args=[score.assessment_id, score.id])


def leaf(assessment, code):
    return Score.objects.get(assessment=assessment, item__code=code)


def post(client, score, **values):
    data = {"version": score.version, "self_score": "", "note": "", **values}
    response = client.post(url(score), data)
    return response, json.loads(response.content)


@pytest.fixture
def officer(client, world):
    client.force_login(world.officer_a)
    return client


def test_it_saves_one_item_and_answers_its_new_version(officer, world):
    s = leaf(world.assessment_a, "1.1")
    response, body = post(officer, s, self_score="1,5", note="Đã ban hành kế hoạch")
    assert response.status_code == 200 and body["ok"] and body["version"] == 2 and body["saved_at"]
    s.refresh_from_db()
    assert (s.self_score, s.self_note, s.version, s.self_updated_by) == (
        Decimal("1.5"), "Đã ban hành kế hoạch", 2, world.officer_a)
    assert s.history.count() == 1


def test_it_refuses_a_value_with_the_sheets_own_message(officer, world):
    s = leaf(world.assessment_a, "1.1")
    response, body = post(officer, s, self_score="111,5")
    assert response.status_code == 400
    assert body["errors"]["self_score"] == "Điểm tự đánh giá 111,5 vượt điểm tối đa 2."
    s.refresh_from_db()
    assert s.self_score is None and s.version == 1


def test_it_refuses_a_stale_version_with_both_values_who_and_when(officer, client, world):
    s = leaf(world.assessment_a, "1.1")
    stale = s.version
    client.force_login(world.leader_a)
    post(client, s, self_score="2", note="của lãnh đạo")
    client.force_login(world.officer_a)
    response, body = post(officer, s, self_score="1", version=stale)
    assert response.status_code == 409
    conflict = body["conflict"]
    assert conflict["theirs"] == "2 điểm; thuyết minh: “của lãnh đạo”" and conflict["yours"].startswith("1 điểm")
    assert conflict["by"] == (world.leader_a.get_full_name() or world.leader_a.username) and conflict["at"]
    assert conflict["version"] == 2 and conflict["values"] == {"self_score": "2", "not_applicable": False,
                                                               "note": "của lãnh đạo"}
    s.refresh_from_db()
    assert s.self_score == Decimal("2")
    # Keeping "mine" is resending with the version the conflict gave.
    response, body = post(officer, s, self_score="1", version=conflict["version"])
    assert response.status_code == 200 and body["version"] == 3


def test_an_expired_session_gets_401_json_not_a_redirect(client, world):
    s = leaf(world.assessment_a, "1.1")
    response = client.post(url(s), {"version": 1, "self_score": "1"})
    assert response.status_code == 401
    assert json.loads(response.content)["login_url"] == reverse("login")


def test_it_refuses_a_submitted_sheet_and_says_why(officer, world):
    a = drive(world.assessment_a, AssessmentStatus.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)
    s = leaf(a, "1.1")
    response, body = post(officer, s, self_score="0")
    assert response.status_code == 409 and body["message"].startswith("Không thể lưu")


def test_it_refuses_a_missing_version(officer, world):
    s = leaf(world.assessment_a, "1.1")
    response = officer.post(url(s), {"self_score": "1"})
    assert response.status_code == 400 and "phiên bản" in json.loads(response.content)["message"]


def test_an_item_of_another_assessment_is_not_found(officer, world):
    other = leaf(world.assessment_b, "1.1")
    response = officer.post(reverse("score_item_save", args=[world.assessment_a.pk, other.pk]),
                            {"version": 1, "self_score": "1"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.self_score is None


@pytest.mark.parametrize("role", ["appraiser", "admin"])
def test_readers_above_the_commune_cannot_save(client, world, role):
    client.force_login(getattr(world, role))
    response, body = post(client, leaf(world.assessment_a, "1.1"), self_score="1")
    assert response.status_code == 403 and body["message"]


def test_one_autosave_uses_the_same_queries_for_7_and_104_items(officer, world):
    counts = []
    for assessment in (assessment_with(world, SMALL, 2025), assessment_with(world, LARGE, 2026)):
        score = Score.objects.filter(assessment=assessment).order_by("id").last()
        officer.post(url(score), {"version": 1, "self_score": "0"})  # warm the session
        response, n = count(lambda score=score: officer.post(url(score), {"version": 2, "self_score": "0,5"}))
        assert response.status_code == 200, response.content.decode()
        counts.append(n)
    # The budget grew by one with the history of every yearly-data change (the assessment's record).
    assert counts[0] == counts[1] and counts[0] <= 17, counts
