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


# --- every transition, allowed and refused, per role and per state ---------------------------------

from parindex.models import ApprovalEvent, Score  # noqa: E402
from parindex.services.explanation import explanation_save  # noqa: E402
from parindex.services.workflow import (  # noqa: E402
    assessment_complete_appraisal,
    assessment_reopen,
    assessment_resubmit,
    available_actions,
    explanation_lock_reason,
)
from tests.parindex.versions import versioned  # noqa: E402
from tests.parindex.workflow_states import drive, flag_first  # noqa: E402

S = AssessmentStatus
ROLES = ("officer_a", "leader_a", "officer_b", "appraiser", "other_appraiser", "admin", "viewer")
COMMUNE_SIDE = {"officer_a", "leader_a"}
APPRAISAL_SIDE = {"appraiser", "admin"}


def _prepare_return(world, a):
    return flag_first(a, world.appraiser)[0]


def _prepare_resubmit(world, a):
    score = Score.objects.get(assessment=a, flagged=True)
    return explanation_save(assessment=a, actor=world.officer_a, values=versioned({score.id: {"explanation": "Đã bổ sung"}})).assessment


def _prepare_submit(world, a):
    fill_scores(a)
    a.refresh_from_db()
    return a


ACTIONS = {
    "submit": (assessment_submit, S.DRAFT, COMMUNE_SIDE, _prepare_submit, S.SUBMITTED),
    "withdraw": (assessment_withdraw, S.SUBMITTED, COMMUNE_SIDE, None, S.DRAFT),
    "start_appraisal": (assessment_start_appraisal, S.SUBMITTED, APPRAISAL_SIDE, None, S.IN_APPRAISAL),
    "return": (assessment_return_for_explanation, S.IN_APPRAISAL, APPRAISAL_SIDE, _prepare_return, S.RETURNED),
    "resubmit": (assessment_resubmit, S.RETURNED, COMMUNE_SIDE, _prepare_resubmit, S.EXPLAINED),
    "complete": (assessment_complete_appraisal, S.IN_APPRAISAL, APPRAISAL_SIDE, None, S.APPRAISED),
    "approve": (assessment_approve, S.APPRAISED, APPRAISAL_SIDE, None, S.APPROVED),
}
SOURCES = {
    "submit": {S.DRAFT}, "withdraw": {S.SUBMITTED}, "start_appraisal": {S.SUBMITTED}, "return": {S.IN_APPRAISAL},
    "resubmit": {S.RETURNED}, "complete": {S.IN_APPRAISAL, S.EXPLAINED},
    "approve": {S.IN_APPRAISAL, S.EXPLAINED, S.APPRAISED},
}


def _drive(world, target):
    return drive(world.assessment_a, target, officer=world.officer_a, appraiser=world.appraiser, admin=world.admin)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_transition_is_allowed_only_to_its_roles(world, action, role):
    service, source, allowed, prepare, target = ACTIONS[action]
    a = _drive(world, source)
    if prepare:
        a = prepare(world, a)
    actor = getattr(world, role)
    if role in allowed:
        moved = service(assessment=a, actor=actor, comment="ok")
        assert moved.status == target
        event = ApprovalEvent.objects.filter(assessment=a).latest("id")
        assert (event.action, event.from_status, event.to_status, event.actor) == (action, source, target, actor)
        assert event.totals["applicable_max"] == "10.00"
    else:
        with pytest.raises(WorkflowError, match="không có quyền"):
            service(assessment=a, actor=actor)
        a.refresh_from_db()
        assert a.status == source


REFUSED = [(action, state) for action in sorted(ACTIONS) for state in S.values if state not in SOURCES[action]]


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_each_transition_is_refused_outside_its_states(world, action, state):
    service, _, allowed, _, _ = ACTIONS[action]
    a = _drive(world, state)
    actor = world.officer_a if allowed == COMMUNE_SIDE else world.appraiser
    with pytest.raises(WorkflowError, match="Không thể") as refused:
        service(assessment=a, actor=actor)
    assert a.get_status_display() in refused.value.message
    a.refresh_from_db()
    assert a.status == state


def test_approval_is_possible_straight_after_round_two(world):
    a = drive(world.assessment_a, S.EXPLAINED, officer=world.officer_a, appraiser=world.appraiser)
    assert assessment_approve(assessment=a, actor=world.appraiser).status == S.APPROVED


def test_available_actions_follow_role_and_state(world):
    a = _drive(world, S.SUBMITTED)
    assert [t.action for t in available_actions(assessment=a, user=world.officer_a)] == ["withdraw"]
    assert [t.action for t in available_actions(assessment=a, user=world.appraiser)] == ["start_appraisal"]
    assert available_actions(assessment=a, user=world.other_appraiser) == []
    assert available_actions(assessment=a, user=world.viewer) == []


# --- reopen -----------------------------------------------------------------------------------------

def test_admin_reopens_an_approved_assessment_for_reappraisal(world):
    a = _drive(world, S.APPROVED)
    a = assessment_reopen(assessment=a, actor=world.admin, reason="Sai sót điểm tiêu chí 1.1",
                          to_status=S.IN_APPRAISAL)
    assert a.status == S.IN_APPRAISAL and a.approved_at is None and a.appraised_at is None
    event = a.events.latest("id")
    assert (event.action, event.from_status, event.comment) == ("reopen", S.APPROVED, "Sai sót điểm tiêu chí 1.1")
    assert assessment_complete_appraisal(assessment=a, actor=world.appraiser).status == S.APPRAISED


def test_reopen_to_draft_lets_the_commune_submit_again(world):
    a = _drive(world, S.RETURNED)
    a = assessment_reopen(assessment=a, actor=world.admin, reason="Xã xin sửa toàn bộ bản tự đánh giá")
    assert a.status == S.DRAFT and a.submitted_at is None
    assert assessment_submit(assessment=a, actor=world.officer_a).status == S.SUBMITTED


@pytest.mark.parametrize("role", ["appraiser", "officer_a", "viewer"])
def test_only_an_administrator_reopens(world, role):
    a = _drive(world, S.APPROVED)
    with pytest.raises(WorkflowError, match="Chỉ quản trị"):
        assessment_reopen(assessment=a, actor=getattr(world, role), reason="x")


def test_reopen_needs_a_reason_and_a_reopenable_state(world):
    a = _drive(world, S.APPROVED)
    with pytest.raises(WorkflowError, match="lý do"):
        assessment_reopen(assessment=a, actor=world.admin, reason="  ")
    with pytest.raises(WorkflowError, match="Chỉ mở lại về"):
        assessment_reopen(assessment=a, actor=world.admin, reason="x", to_status=S.APPROVED)
    published = drive(world.assessment_b, S.PUBLISHED, officer=world.officer_b, appraiser=world.appraiser,
                      admin=world.admin)
    with pytest.raises(WorkflowError, match="Đã công bố"):
        assessment_reopen(assessment=published, actor=world.admin, reason="x")
    with pytest.raises(WorkflowError, match="Đang tự đánh giá"):
        assessment_reopen(assessment=world.assessment_c, actor=world.admin, reason="x")


# --- deadlines and lock exceptions ------------------------------------------------------------------

def _pass(year, field, days=1):
    setattr(year, field, timezone.now() - dt.timedelta(days=days))
    year.save()


def test_appraisal_start_is_locked_after_the_round_one_deadline_until_an_exception(world):
    a = _drive(world, S.SUBMITTED)
    _pass(world.year, "appraisal_round1_deadline")
    a.refresh_from_db()
    with pytest.raises(WorkflowError, match="Đã hết hạn thẩm định vòng 1"):
        assessment_start_appraisal(assessment=a, actor=world.appraiser)
    lock_exception_grant(assessment=a, actor=world.admin, stage=LockStage.APPRAISAL_ROUND1,
                         until=timezone.now() + dt.timedelta(days=1), reason="Cán bộ thẩm định ốm")
    assert assessment_start_appraisal(assessment=a, actor=world.appraiser).status == S.IN_APPRAISAL


def test_resubmission_is_locked_after_the_explanation_deadline(world):
    a = _prepare_resubmit(world, _drive(world, S.RETURNED))
    _pass(world.year, "explanation_deadline")
    a.refresh_from_db()
    assert "hết hạn giải trình" in explanation_lock_reason(assessment=a)
    with pytest.raises(WorkflowError, match="hết hạn giải trình"):
        assessment_resubmit(assessment=a, actor=world.officer_a)


def test_an_expired_exception_no_longer_opens_the_stage(world):
    fill_scores(world.assessment_a)
    _pass(world.year, "self_assessment_deadline", days=3)
    exception = lock_exception_grant(assessment=world.assessment_a, actor=world.admin,
                                     stage=LockStage.SELF_ASSESSMENT, until=timezone.now() + dt.timedelta(hours=1),
                                     reason="Gia hạn ngắn")
    type(exception).objects.filter(pk=exception.pk).update(until=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(WorkflowError, match="hết hạn"):
        assessment_submit(assessment=world.assessment_a, actor=world.officer_a)


def test_an_exception_for_another_commune_or_stage_does_not_help(world):
    fill_scores(world.assessment_a)
    _pass(world.year, "self_assessment_deadline")
    lock_exception_grant(assessment=world.assessment_b, actor=world.admin, stage=LockStage.SELF_ASSESSMENT,
                         until=timezone.now() + dt.timedelta(days=1), reason="Xã B mất điện")
    lock_exception_grant(assessment=world.assessment_a, actor=world.admin, stage=LockStage.EXPLANATION,
                         until=timezone.now() + dt.timedelta(days=1), reason="Nhầm giai đoạn")
    with pytest.raises(WorkflowError, match="hết hạn tự đánh giá"):
        assessment_submit(assessment=world.assessment_a, actor=world.officer_a)


def test_lock_exception_is_for_administrators_with_a_reason_and_a_future_date(world):
    a = world.assessment_a
    until = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(WorkflowError, match="Chỉ quản trị"):
        lock_exception_grant(assessment=a, actor=world.appraiser, stage=LockStage.SELF_ASSESSMENT, until=until,
                             reason="x")
    with pytest.raises(WorkflowError, match="lý do"):
        lock_exception_grant(assessment=a, actor=world.admin, stage=LockStage.SELF_ASSESSMENT, until=until,
                             reason=" ")
    with pytest.raises(WorkflowError, match="tương lai"):
        lock_exception_grant(assessment=a, actor=world.admin, stage=LockStage.SELF_ASSESSMENT,
                             until=timezone.now() - dt.timedelta(minutes=1), reason="x")
    with pytest.raises(WorkflowError, match="không hợp lệ"):
        lock_exception_grant(assessment=a, actor=world.admin, stage="publication", until=until, reason="x")


def test_a_lock_exception_is_written_in_the_history(world):
    lock_exception_grant(assessment=world.assessment_a, actor=world.admin, stage=LockStage.SELF_ASSESSMENT,
                         until=timezone.now() + dt.timedelta(days=2), reason="Mất điện kéo dài")
    event = world.assessment_a.events.get()
    assert event.action == "lock_exception" and event.from_status == event.to_status == S.DRAFT
    assert "Mất điện kéo dài" in event.comment and "tự đánh giá" in event.comment


def test_a_score_changed_after_the_leaders_approval_needs_it_again(world):
    from parindex.services.scores import score_sheet_save
    from parindex.services.workflow import assessment_leader_approve

    world.year.requires_leader_approval = True
    world.year.save()
    fill_scores(world.assessment_a)
    a = assessment_leader_approve(assessment=world.assessment_a, actor=world.leader_a)
    assert a.leader_approved_at is not None
    score = a.scores.order_by("item__sort_key").first()
    result = score_sheet_save(
        assessment=a, actor=world.officer_a, values=versioned({score.id: {"self_score": "0", "not_applicable": False, "note": "Chấm lại"}}),
    )
    assert result.saved
    a.refresh_from_db()
    assert a.leader_approved_at is None
    with pytest.raises(WorkflowError, match="chưa duyệt"):
        assessment_submit(assessment=a, actor=world.officer_a)
