"""The deadline jobs: lock records and reminders, each once, to the people who have not acted."""

import datetime as dt

import pytest
from django.utils import timezone

from parindex.models import ApprovalEvent, AssessmentStatus, DeadlineNotice, LockStage
from parindex.services.deadlines import deadline_reminders_send, deadlines_enforce
from parindex.services.workflow import lock_exception_grant, results_publish
from tests.parindex.workflow_states import drive

S = AssessmentStatus
DAY = dt.timedelta(days=1)


def _addresses(mailoutbox):
    return sorted(a for m in mailoutbox for a in m.to)


def test_a_passed_deadline_is_recorded_once_per_commune_and_told(world, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    drive(world.assessment_b, S.SUBMITTED, officer=world.officer_b, appraiser=world.appraiser)
    later = world.year.self_assessment_deadline + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = deadlines_enforce(now=later)
    assert run.locked == 2  # A and C, still drafts; B submitted in time
    event = ApprovalEvent.objects.get(assessment=world.assessment_a, action="deadline_locked")
    assert event.from_status == event.to_status == S.DRAFT and event.actor is None
    assert "Đã hết hạn tự đánh giá lúc" in event.comment
    assert _addresses(mailoutbox) == ["leader_a@example.vn", "officer_a@example.vn"]  # C has no accounts
    assert "Đã hết hạn" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_enforce(now=later + DAY).locked == 0
    assert len(mailoutbox) == 2
    assert ApprovalEvent.objects.filter(action="deadline_locked").count() == 2


def test_an_active_exception_postpones_the_record_until_it_expires(world):
    deadline = world.year.self_assessment_deadline
    lock_exception_grant(assessment=world.assessment_a, actor=world.admin, stage=LockStage.SELF_ASSESSMENT,
                         until=deadline + 2 * DAY, reason="Mất điện")
    assert deadlines_enforce(now=deadline + DAY).locked == 2  # B and C
    assert not DeadlineNotice.objects.filter(assessment=world.assessment_a).exists()
    assert deadlines_enforce(now=deadline + 3 * DAY).locked == 1  # A, once its exception ran out
    assert DeadlineNotice.objects.filter(assessment=world.assessment_a, kind="locked").count() == 1


def test_a_moved_deadline_is_recorded_again(world):
    year = world.year
    first = year.self_assessment_deadline
    deadlines_enforce(now=first + DAY)
    year.self_assessment_deadline = first + 5 * DAY
    year.save()
    assert deadlines_enforce(now=first + 2 * DAY).locked == 0
    assert deadlines_enforce(now=first + 6 * DAY).locked == 3


def test_appraisers_are_told_when_the_appraisal_deadline_passes(world, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)
    with django_capture_on_commit_callbacks(execute=True):
        run = deadlines_enforce(now=world.year.appraisal_round1_deadline + DAY)
    notices = DeadlineNotice.objects.filter(stage=LockStage.APPRAISAL_ROUND1)
    assert [n.assessment_id for n in notices] == [world.assessment_a.pk]
    assert run.locked == 3  # A for appraisal round 1; B and C for the self-assessment that closed earlier
    round1_mails = [m for m in mailoutbox if "appraiser@example.vn" in m.to]
    assert len(round1_mails) == 1 and "other_appraiser@example.vn" not in _addresses(mailoutbox)


def test_a_published_year_is_left_alone(world):
    drive(world.assessment_a, S.APPROVED, officer=world.officer_a, appraiser=world.appraiser)
    results_publish(year=world.year, actor=world.admin, decision_number="1/QĐ", decision_date=dt.date(2025, 1, 5))
    type(world.year).objects.filter(pk=world.year.pk).update(published_at=timezone.now())
    assert deadlines_enforce(now=world.year.appraisal_round2_deadline + DAY).locked == 0


# --- reminders ----------------------------------------------------------------------------------------

def test_a_reminder_goes_once_to_communes_that_have_not_acted(world, mailoutbox):
    drive(world.assessment_b, S.SUBMITTED, officer=world.officer_b, appraiser=world.appraiser)
    deadline = world.year.self_assessment_deadline
    run = deadline_reminders_send(now=deadline - 5 * DAY, days=[7, 2])
    assert run.reminded == 2 and run.mails == 2  # A (officer + leader); C has no accounts
    assert _addresses(mailoutbox) == ["leader_a@example.vn", "officer_a@example.vn"]
    assert "còn 7 ngày" in mailoutbox[0].subject and "chưa nộp bản tự đánh giá" in mailoutbox[0].body
    assert deadline_reminders_send(now=deadline - 4 * DAY, days=[7, 2]).reminded == 0
    assert len(mailoutbox) == 2
    run = deadline_reminders_send(now=deadline - 1 * DAY, days=[7, 2])
    assert run.reminded == 2 and "còn 2 ngày" in mailoutbox[-1].subject
    assert deadline_reminders_send(now=deadline - DAY / 2, days=[7, 2]).reminded == 0
    assert len(mailoutbox) == 4


def test_a_late_first_run_sends_only_the_most_urgent_reminder(world, mailoutbox):
    deadline = world.year.self_assessment_deadline
    deadline_reminders_send(now=deadline - DAY, days=[7, 2])
    assert _addresses(mailoutbox) == ["leader_a@example.vn", "officer_a@example.vn", "officer_b@example.vn"]
    assert all("còn 2 ngày" in m.subject for m in mailoutbox)
    assert set(DeadlineNotice.objects.values_list("days_before", flat=True)) == {2}


def test_no_reminder_before_the_window_or_after_the_deadline(world, mailoutbox):
    deadline = world.year.self_assessment_deadline
    assert deadline_reminders_send(now=deadline - 8 * DAY, days=[7, 2]).reminded == 0
    assert deadline_reminders_send(now=deadline + dt.timedelta(minutes=1), days=[7, 2]).reminded == 0
    assert mailoutbox == []


def test_a_commune_with_a_later_exception_is_not_reminded_of_the_old_date(world, mailoutbox):
    deadline = world.year.self_assessment_deadline
    lock_exception_grant(assessment=world.assessment_a, actor=world.admin, stage=LockStage.SELF_ASSESSMENT,
                         until=deadline + 3 * DAY, reason="Xã sáp nhập")
    deadline_reminders_send(now=deadline - DAY, days=[2])
    assert "officer_a@example.vn" not in _addresses(mailoutbox)


def test_returned_communes_are_reminded_of_the_explanation_deadline(world, mailoutbox):
    drive(world.assessment_a, S.RETURNED, officer=world.officer_a, appraiser=world.appraiser)
    deadline = world.year.explanation_deadline
    mailoutbox.clear()
    deadline_reminders_send(now=deadline - DAY, days=[2])
    explanation = [m for m in mailoutbox if "giải trình" in m.subject]
    assert sorted(a for m in explanation for a in m.to) == ["leader_a@example.vn", "officer_a@example.vn"]
    assert "/giai-trinh/" in explanation[0].body


def test_a_mail_failure_records_nothing_so_the_next_run_retries(world, settings, mailoutbox):
    deadline = world.year.self_assessment_deadline
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    run = deadline_reminders_send(now=deadline - DAY, days=[2])
    assert (run.failed, run.reminded) == (2, 1)  # A and B failed; C has nobody to mail
    assert list(DeadlineNotice.objects.values_list("assessment__unit__code", flat=True)) == ["C3"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run = deadline_reminders_send(now=deadline - DAY, days=[2])
    assert (run.failed, run.reminded, run.mails) == (0, 2, 3)


@pytest.mark.parametrize("days", [[], [0]])
def test_no_reminder_days_means_no_reminders(world, mailoutbox, days):
    assert deadline_reminders_send(now=world.year.self_assessment_deadline - DAY, days=days).reminded == 0


# --- the beat tasks are thin and idempotent ---------------------------------------------------------

def test_the_beat_tasks_run_the_services_and_are_idempotent(world, settings, mailoutbox):
    from parindex import tasks

    year = world.year
    type(year).objects.filter(pk=year.pk).update(
        self_assessment_opens=timezone.now() - 10 * DAY, self_assessment_deadline=timezone.now() - DAY,
    )
    assert tasks.deadlines_enforce.apply().get() == {"locked": 3}
    assert tasks.deadlines_enforce.apply().get() == {"locked": 0}
    type(year).objects.filter(pk=year.pk).update(self_assessment_deadline=timezone.now() + DAY)
    settings.DEADLINE_REMINDER_DAYS = [7, 2]
    assert tasks.deadline_reminders_send.apply().get() == {"reminded": 3, "mails": 3, "failed": 0}
    assert tasks.deadline_reminders_send.apply().get() == {"reminded": 0, "mails": 0, "failed": 0}
    assert len(mailoutbox) == 3
