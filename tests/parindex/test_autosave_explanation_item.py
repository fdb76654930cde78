"""The explanation page's per-item autosave endpoint (JSON)."""

import json

import pytest
from django.urls import reverse

from parindex.models import AssessmentStatus, Score
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def url(score):
    return reverse("explanation_item_save", args=[score.assessment_id, score.id])


@pytest.fixture
def returned(world):
    a = drive(world.assessment_a, S.RETURNED, officer=world.officer_a, appraiser=world.appraiser)
    return Score.objects.get(assessment=a, flagged=True)


def test_it_saves_an_answer(client, world, returned):
    client.force_login(world.officer_a)
    response = client.post(url(returned), {"version": returned.version, "explanation": "Đã bổ sung QĐ"})
    assert response.status_code == 200 and json.loads(response.content)["version"] == returned.version + 1
    returned.refresh_from_db()
    assert returned.explanation == "Đã bổ sung QĐ"


def test_a_stale_answer_is_a_conflict_and_not_written(client, world, returned):
    client.force_login(world.leader_a)
    client.post(url(returned), {"version": returned.version, "explanation": "Của lãnh đạo"})
    client.force_login(world.officer_a)
    response = client.post(url(returned), {"version": returned.version, "explanation": "Của cán bộ"})
    body = json.loads(response.content)
    assert response.status_code == 409
    assert body["conflict"]["theirs"] == "Của lãnh đạo" and body["conflict"]["yours"] == "Của cán bộ"
    assert body["conflict"]["values"] == {"explanation": "Của lãnh đạo"}
    returned.refresh_from_db()
    assert returned.explanation == "Của lãnh đạo"


def test_an_item_that_was_not_flagged_is_refused(client, world, returned):
    other = Score.objects.filter(assessment=returned.assessment, flagged=False).first()
    client.force_login(world.officer_a)
    response = client.post(url(other), {"version": other.version, "explanation": "x"})
    assert response.status_code == 409 and "được yêu cầu giải trình" in json.loads(response.content)["message"]


def test_the_appraiser_cannot_explain(client, world, returned):
    client.force_login(world.appraiser)
    assert client.post(url(returned), {"version": returned.version, "explanation": "x"}).status_code == 403
