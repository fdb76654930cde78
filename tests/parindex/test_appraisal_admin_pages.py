"""The administrator's pages on one assessment: lock exception and reopen."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from parindex.models import AssessmentStatus, LockException, LockStage
from tests.factories import PASSWORD
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_lock_page_states_each_stage_and_grants_an_exception(world, client):
    world.year.self_assessment_deadline = timezone.now() - dt.timedelta(hours=3)
    world.year.save()
    _login(client, world.admin)
    url = reverse("lock_exception_grant", args=[world.assessment_a.pk])
    page = client.get(url).content.decode()
    assert "Đã hết hạn tự đánh giá lúc" in page and "Đang mở" in page
    until = timezone.now() + dt.timedelta(days=2)
    response = client.post(url, {"stage": LockStage.SELF_ASSESSMENT, "until": _local(until),
                                 "reason": "Xã bị ngập lụt, mất điện"})
    assert response.status_code == 302
    exception = LockException.objects.get(assessment=world.assessment_a)
    assert exception.granted_by == world.admin and exception.reason == "Xã bị ngập lụt, mất điện"
    page = client.get(url).content.decode()
    assert "Xã bị ngập lụt, mất điện" in page and "Đã hết hạn tự đánh giá" not in page


def test_the_lock_page_keeps_typed_values_when_refused(world, client):
    _login(client, world.admin)
    url = reverse("lock_exception_grant", args=[world.assessment_a.pk])
    past = _local(timezone.now() - dt.timedelta(days=1))
    page = client.post(url, {"stage": LockStage.EXPLANATION, "until": past, "reason": "Lý do đã gõ"}).content.decode()
    assert "Thời điểm gia hạn phải ở tương lai." in page and "Lý do đã gõ" in page and past in page
    assert not LockException.objects.exists()


def test_appraisers_cannot_grant_exceptions(world, client):
    _login(client, world.appraiser)
    url = reverse("lock_exception_grant", args=[world.assessment_a.pk])
    response = client.post(url, {"stage": LockStage.SELF_ASSESSMENT,
                                 "until": _local(timezone.now() + dt.timedelta(days=1)), "reason": "x"})
    assert response.status_code == 403 and not LockException.objects.exists()


def test_the_reopen_page_reopens_with_a_reason(world, client):
    a = drive(world.assessment_a, S.APPROVED, officer=world.officer_a, appraiser=world.appraiser)
    _login(client, world.admin)
    url = reverse("assessment_reopen", args=[a.pk])
    response = client.post(url, {"to_status": S.IN_APPRAISAL, "reason": "Phát hiện sai sót tiêu chí 3.2"})
    assert response["Location"] == reverse("appraisal_sheet", args=[a.pk])
    a.refresh_from_db()
    assert a.status == S.IN_APPRAISAL
    assert a.events.latest("id").comment == "Phát hiện sai sót tiêu chí 3.2"


def test_the_reopen_page_explains_a_refusal(world, client):
    _login(client, world.admin)
    url = reverse("assessment_reopen", args=[world.assessment_a.pk])
    page = client.post(url, {"to_status": S.DRAFT, "reason": "Thử"}).content.decode()
    assert "Không thể mở lại bản đánh giá đang ở trạng thái “Đang tự đánh giá”" in page and "Thử" in page
