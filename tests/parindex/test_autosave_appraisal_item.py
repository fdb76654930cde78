"""The appraisal sheet's per-item autosave endpoint (JSON): round 1 (score, comment, flag), round 2."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import AssessmentStatus, Score
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def url(score):
    return reverse("appraisal_item_save", args=[score.assessment_id, score.id])


def leaf(assessment, code):
    return Score.objects.get(assessment=assessment, item__code=code)


@pytest.fixture
def in_appraisal(world):
    return drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)


@pytest.fixture
def appraiser(client, world):
    client.force_login(world.appraiser)
    return client


def test_it_saves_a_flag_with_its_request_and_only_the_fields_sent(appraiser, world, in_appraisal):
    s = leaf(in_appraisal, "1.1")
    before = s.appraised_score
    response = appraiser.post(url(s), {"version": s.version, "flagged": "1", "flag_comment": "Bổ sung quyết định"})
    body = json.loads(response.content)
    assert response.status_code == 200 and body["version"] == s.version + 1
    s.refresh_from_db()
    assert s.flagged and s.flag_comment == "Bổ sung quyết định" and s.appraised_score == before
    assert s.appraisal_updated_by == world.appraiser and s.self_updated_by is None


def test_a_flag_without_its_request_is_refused_beside_the_field(appraiser, in_appraisal):
    s = leaf(in_appraisal, "1.1")
    response = appraiser.post(url(s), {"version": s.version, "flagged": "1", "flag_comment": ""})
    assert response.status_code == 400
    assert json.loads(response.content)["errors"] == {"flag_comment": "Nêu nội dung yêu cầu xã giải trình cho tiêu chí này."}


def test_a_stale_version_is_a_conflict_with_both_values(appraiser, client, world, in_appraisal):
    s = leaf(in_appraisal, "1.1")
    stale = s.version
    client.force_login(world.admin)
    assert client.post(url(s), {"version": stale, "appraised_score": "0,25"}).status_code == 200
    client.force_login(world.appraiser)
    response = appraiser.post(url(s), {"version": stale, "appraised_score": "1,5"})
    body = json.loads(response.content)
    assert response.status_code == 409
    assert body["conflict"]["theirs"] == "điểm: 0,25 điểm" and body["conflict"]["yours"] == "điểm: 1,5 điểm"
    assert body["conflict"]["values"] == {"appraised_score": "0,25"} and body["conflict"]["version"] == stale + 1
    s.refresh_from_db()
    assert s.appraised_score == Decimal("0.25")


def test_round_two_saves_only_flagged_items(appraiser, world):
    a = drive(world.assessment_a, S.EXPLAINED, officer=world.officer_a, appraiser=world.appraiser)
    flagged = Score.objects.get(assessment=a, flagged=True)
    other = Score.objects.filter(assessment=a, flagged=False).first()
    assert appraiser.post(url(flagged), {"version": flagged.version, "round2_score": "1"}).status_code == 200
    response = appraiser.post(url(other), {"version": other.version, "round2_score": "1"})
    assert response.status_code == 400 and "Vòng 2 chỉ chấm lại" in json.loads(response.content)["message"]


def test_the_commune_cannot_appraise(client, world, in_appraisal):
    client.force_login(world.officer_a)
    s = leaf(in_appraisal, "1.1")
    assert client.post(url(s), {"version": s.version, "appraised_score": "2"}).status_code == 403


def test_an_expired_session_gets_401_json(client, in_appraisal):
    s = leaf(in_appraisal, "1.1")
    assert client.post(url(s), {"version": 1, "appraised_score": "1"}).status_code == 401
