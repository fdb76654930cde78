import datetime as dt

import pytest
from django.utils import timezone

from parindex.models import AssessmentStatus, LockStage
from parindex.services.workflow import (
    WorkflowError,
    assessment_approve,
    assessment_return_for_explanation,
    assessment_start_appraisal,
    assessment_submit,
    assessment_withdraw,
    lock_exception_grant,
)
from tests.factories import fill_scores


def test_officer_submits_a_complete_sheet(world):
    fill_scores(world.assessment_a)
    assessment = assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_at is not None
    event = assessment.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", world.officer_a)
    assert event.totals["self_total"] == "10.00"


def test_it_refuses_submission_with_unscored_items(world):
    with pytest.raises(WorkflowError, match="lỗi"):
        assessment_submit(assessment=world.assessment_a, actor=world.officer_a)


def test_officer_of_another_commune_cannot_submit(world):
    fill_scores(world.assessment_a)
    with pytest.raises(WorkflowError, match="không có quyền"):
        assessment_submit(assessment=world.assessment_a, actor=world.officer_b)


def test_it_refuses_submission_after_deadline_unless_excepted(world):
    fill_scores(world.assessment_a)
    year = world.year
    year.self_assessment_opens = timezone.now() - dt.timedelta(days=10)
    year.self_assessment_deadline = timezone.now() - dt.timedelta(days=1)
    year.save()
    with pytest.raises(WorkflowError, match="hết hạn"):
        assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    lock_exception_grant(assessment=world.assessment_a, actor=world.admin, stage=LockStage.SELF_ASSESSMENT,
                         until=timezone.now() + dt.timedelta(days=2), reason="Mất điện kéo dài")
    assert assessment_submit(assessment=world.assessment_a, actor=world.officer_a).status == "submitted"


def test_withdraw_is_refused_once_appraisal_started(world):
    fill_scores(world.assessment_a)
    a = assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    a = assessment_start_appraisal(assessment=a, actor=world.appraiser)
    with pytest.raises(WorkflowError, match="Đang thẩm định"):
        assessment_withdraw(assessment=a, actor=world.officer_a)


def test_appraiser_of_another_district_cannot_appraise(world):
    fill_scores(world.assessment_a)
    a = assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    with pytest.raises(WorkflowError, match="không có quyền"):
        assessment_start_appraisal(assessment=a, actor=world.other_appraiser)


def test_return_requires_a_flagged_item(world):
    fill_scores(world.assessment_a)
    a = assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    a = assessment_start_appraisal(assessment=a, actor=world.appraiser)
    with pytest.raises(WorkflowError, match="ít nhất một tiêu chí"):
        assessment_return_for_explanation(assessment=a, actor=world.appraiser)


def test_a_stale_copy_loses_the_race(world):
    fill_scores(world.assessment_a, appraised_share=1)
    a = assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    a = assessment_start_appraisal(assessment=a, actor=world.appraiser)
    stale = type(a).objects.get(pk=a.pk)
    assessment_approve(assessment=a, actor=world.appraiser)
    stale.status = AssessmentStatus.IN_APPRAISAL
    with pytest.raises(WorkflowError, match="người khác"):
        assessment_approve(assessment=stale, actor=world.appraiser)
