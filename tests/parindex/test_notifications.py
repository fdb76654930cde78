"""Workflow mails: sent after commit, to the people who must act next, never to outsiders."""

import datetime as dt

import pytest

from communes.models import Role
from parindex.models import AssessmentStatus, Score
from parindex.services.explanation import explanation_save
from parindex.services.workflow import (
    assessment_approve,
    assessment_reopen,
    assessment_resubmit,
    assessment_return_for_explanation,
    assessment_submit,
    results_publish,
)
from tests.factories import MembershipFactory, UserFactory, fill_scores
from tests.parindex.versions import versioned
from tests.parindex.workflow_states import drive, flag_first

S = AssessmentStatus
COMMUNE_A = ["leader_a@example.vn", "officer_a@example.vn"]


def _to(mailoutbox):
    return sorted(a for m in mailoutbox for a in m.to)


@pytest.fixture
def province_appraiser(world):
    user = UserFactory(username="so_noi_vu")
    MembershipFactory(user=user, unit=world.province, role=Role.APPRAISER)
    return user


def test_submission_mails_the_appraisers_of_the_commune(world, province_appraiser, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    fill_scores(world.assessment_a)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    assert _to(mailoutbox) == ["appraiser@example.vn", "so_noi_vu@example.vn"]
    mail = mailoutbox[0]
    assert mail.subject == "UBND xã Ba Thành đã nộp bản tự đánh giá Chỉ số CCHC năm 2024"
    assert f"/tham-dinh/{world.assessment_a.pk}/" in mail.body and "Đang tự đánh giá → Đã nộp" in mail.body


def test_nothing_is_sent_when_the_transaction_rolls_back(world, mailoutbox, django_capture_on_commit_callbacks):
    fill_scores(world.assessment_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    assert len(callbacks) == 1 and mailoutbox == []  # queued for the commit, not sent inside it


def test_return_mails_the_commune_with_the_explanation_link(world, mailoutbox, django_capture_on_commit_callbacks):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    a, _ = flag_first(a, world.appraiser)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_return_for_explanation(assessment=a, actor=world.appraiser, comment="Bổ sung tiêu chí 1.1")
    assert _to(mailoutbox) == COMMUNE_A
    assert "Yêu cầu giải trình" in mailoutbox[0].subject
    assert f"/danh-gia/{a.pk}/giai-trinh/" in mailoutbox[0].body and "Bổ sung tiêu chí 1.1" in mailoutbox[0].body


def test_resubmission_mails_the_appraisers(world, mailoutbox, django_capture_on_commit_callbacks):
    a = drive(world.assessment_a, S.RETURNED, officer=world.officer_a, appraiser=world.appraiser)
    score = Score.objects.get(assessment=a, flagged=True)
    a = explanation_save(assessment=a, actor=world.officer_a, values=versioned({score.id: {"explanation": "Đã bổ sung"}})).assessment
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_resubmit(assessment=a, actor=world.officer_a)
    assert _to(mailoutbox) == ["appraiser@example.vn"]
    assert "đã nộp giải trình" in mailoutbox[0].subject


def test_approval_and_publication_mail_the_commune(world, mailoutbox, django_capture_on_commit_callbacks):
    a = drive(world.assessment_a, S.APPRAISED, officer=world.officer_a, appraiser=world.appraiser)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        a = assessment_approve(assessment=a, actor=world.appraiser)
    assert _to(mailoutbox) == COMMUNE_A and "đã được phê duyệt" in mailoutbox[0].subject
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(year=world.year, actor=world.admin, decision_number="15/QĐ-UBND",
                        decision_date=dt.date(2025, 2, 20))
    assert _to(mailoutbox) == COMMUNE_A
    assert "đã được công bố" in mailoutbox[0].subject and "15/QĐ-UBND" in mailoutbox[0].body


def test_reopen_mails_both_sides(world, mailoutbox, django_capture_on_commit_callbacks):
    a = drive(world.assessment_a, S.APPROVED, officer=world.officer_a, appraiser=world.appraiser)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_reopen(assessment=a, actor=world.admin, reason="Sai sót", to_status=S.IN_APPRAISAL)
    assert _to(mailoutbox) == ["appraiser@example.vn", *COMMUNE_A]


def test_inactive_accounts_and_accounts_without_email_get_nothing(world, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    type(world.leader_a).objects.filter(pk=world.leader_a.pk).update(is_active=False)
    type(world.officer_a).objects.filter(pk=world.officer_a.pk).update(email="")
    a = drive(world.assessment_a, S.APPRAISED, officer=world.officer_a, appraiser=world.appraiser)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_approve(assessment=a, actor=world.appraiser)
    assert mailoutbox == []


def test_a_mail_server_failure_does_not_undo_the_transition(world, settings, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    fill_scores(world.assessment_a)
    with django_capture_on_commit_callbacks(execute=True):
        a = assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    a.refresh_from_db()
    assert a.status == S.SUBMITTED
