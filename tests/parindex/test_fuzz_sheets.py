"""Fuzzing the score sheet, the appraisal sheet, the explanation page and the workflow buttons: whatever
is typed (numbers with commas, dots, spaces and groups, exponents, Unicode digits, NaN, NUL and control
characters, a megabyte of text, HTML) the answer is never a server error, a refusal is explained in
Vietnamese, and what else was typed stays on the page."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from parindex.models import AssessmentStatus, Score
from parindex.selectors.sheet import score_signature_of
from tests.fuzz import assert_answered, ids, numberish, texts
from tests.parindex.workflow_states import drive

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
S = AssessmentStatus
KEEP = "Giữ lại nội dung này 4711"


def _fresh(assessment):
    return type(assessment).objects.get(pk=assessment.pk)


@given(score=numberish, note=texts)
def test_the_score_sheet_answers_every_input(client, world, score, note):
    client.force_login(world.officer_a)
    a = _fresh(world.assessment_a)
    first, second = list(Score.objects.filter(assessment=a, item__scoring_method="self").order_by("item__sort_key"))[:2]
    response = client.post(reverse("score_sheet", args=[a.pk]), {
        "version": a.version,
        f"s-{first.id}-score": score, f"s-{first.id}-note": note, f"s-{first.id}-orig": score_signature_of(first),
        f"s-{second.id}-score": "", f"s-{second.id}-note": KEEP, f"s-{second.id}-orig": score_signature_of(second),
    })
    page = assert_answered(response)
    if page:
        assert KEEP in page
        assert "is-invalid" in page or "alert-danger" in page


@pytest.fixture
def in_appraisal(world):
    criteria_set = world.year.criteria_set
    criteria_set.bonus_cap = criteria_set.penalty_cap = 2
    criteria_set.save()
    return drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)


@given(score=numberish, comment=texts, bonus=numberish, penalty=numberish, accept_item=ids, accept_area=ids)
def test_the_appraisal_sheet_answers_every_input(client, world, in_appraisal, score, comment, bonus, penalty,
                                                 accept_item, accept_area):
    client.force_login(world.appraiser)
    a = _fresh(in_appraisal)
    first, second = list(Score.objects.filter(assessment=a).order_by("item__sort_key"))[:2]
    response = client.post(reverse("appraisal_sheet", args=[a.pk]), {
        "version": a.version,
        f"s-{first.id}-present": "1", f"s-{first.id}-appraised_score": score,
        f"s-{first.id}-appraisal_comment": comment, f"s-{first.id}-flag_comment": comment,
        f"s-{second.id}-present": "1", f"s-{second.id}-appraisal_comment": KEEP,
        "bonus_points": bonus, "penalty_points": penalty, "accept_item": accept_item, "accept_area": accept_area,
    })
    page = assert_answered(response)
    if page:
        assert KEEP in page


@given(comment=texts, action=st.sampled_from(["return", "complete", "approve", "start_appraisal"]))
def test_the_workflow_buttons_answer_every_comment(client, world, in_appraisal, comment, action):
    client.force_login(world.appraiser)
    response = client.post(reverse("appraisal_transition", args=[in_appraisal.pk, action]), {"comment": comment})
    assert_answered(response)


@given(ids_=st.lists(ids, max_size=5), action=st.one_of(st.sampled_from(["start_appraisal", "approve"]), texts),
       year=ids)
def test_the_queue_answers_every_selection(client, world, ids_, action, year):
    client.force_login(world.appraiser)
    response = client.post(reverse("appraisal_queue"), {"ids": ids_, "action": action, "year": year})
    assert_answered(response)


@pytest.fixture
def returned(world):
    return drive(world.assessment_a, S.RETURNED, officer=world.officer_a, appraiser=world.appraiser)


@given(explanation=texts, locator=texts, document=ids, version=ids)
def test_the_explanation_page_answers_every_input(client, world, returned, explanation, locator, document, version):
    client.force_login(world.officer_a)
    a = _fresh(returned)
    flagged = Score.objects.filter(assessment=a, flagged=True).first()
    response = client.post(reverse("explanation_sheet", args=[a.pk]), {
        "version": version if version != "ours" else a.version,
        f"s-{flagged.id}-explanation": explanation, f"s-{flagged.id}-locator": locator,
        f"s-{flagged.id}-document": document,
    })
    assert_answered(response)
