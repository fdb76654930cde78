from django.urls import reverse

from parindex.models import AssessmentStatus
from parindex.services.workflow import assessment_start_appraisal
from tests.factories import fill_scores


def url(name, assessment):
    return reverse(name, args=[assessment.pk])


def test_submission_needs_the_confirmation_box(client, world):
    fill_scores(world.assessment_a)
    client.force_login(world.officer_a)
    response = client.post(url("score_sheet_submit", world.assessment_a), follow=True)
    assert "Hãy đánh dấu xác nhận" in response.content.decode()
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.status == AssessmentStatus.DRAFT


def test_officer_submits_and_the_sheet_locks(client, world):
    fill_scores(world.assessment_a)
    client.force_login(world.officer_a)
    response = client.post(url("score_sheet_submit", world.assessment_a), {"confirm": "1"}, follow=True)
    html = response.content.decode()
    assert "Đã nộp bản tự đánh giá" in html
    assert "Đã nộp lúc" in html
    assert "Rút lại để chỉnh sửa" in html
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.status == AssessmentStatus.SUBMITTED


def test_submission_with_errors_shows_the_workflow_message(client, world):
    client.force_login(world.officer_a)
    response = client.post(url("score_sheet_submit", world.assessment_a), {"confirm": "1"}, follow=True)
    assert "Chưa thể nộp: còn 7 lỗi" in response.content.decode()


def test_withdraw_until_appraisal_starts(client, world):
    fill_scores(world.assessment_a)
    client.force_login(world.officer_a)
    client.post(url("score_sheet_submit", world.assessment_a), {"confirm": "1"})
    client.post(url("score_sheet_withdraw", world.assessment_a))
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.status == AssessmentStatus.DRAFT
    client.post(url("score_sheet_submit", world.assessment_a), {"confirm": "1"})
    world.assessment_a.refresh_from_db()
    assessment_start_appraisal(assessment=world.assessment_a, actor=world.appraiser)
    response = client.post(url("score_sheet_withdraw", world.assessment_a), follow=True)
    assert "Không thể rút lại để chỉnh sửa" in response.content.decode()
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.status == AssessmentStatus.IN_APPRAISAL


def test_appraiser_and_outsider_cannot_submit(client, world):
    fill_scores(world.assessment_a)
    client.force_login(world.appraiser)
    assert client.post(url("score_sheet_submit", world.assessment_a), {"confirm": "1"}).status_code == 403
    client.force_login(world.officer_b)
    assert client.post(url("score_sheet_submit", world.assessment_a), {"confirm": "1"}).status_code == 404


def test_leader_approval_where_the_year_requires_it(client, world):
    world.year.requires_leader_approval = True
    world.year.save()
    fill_scores(world.assessment_a)
    client.force_login(world.officer_a)
    html = client.get(url("score_sheet", world.assessment_a)).content.decode()
    assert "Lãnh đạo duyệt" not in html  # an officer is not a leader
    response = client.post(url("score_sheet_submit", world.assessment_a), {"confirm": "1"}, follow=True)
    assert "Lãnh đạo UBND xã chưa duyệt" in response.content.decode()
    client.force_login(world.leader_a)
    assert "Lãnh đạo duyệt" in client.get(url("score_sheet", world.assessment_a)).content.decode()
    client.post(url("score_sheet_leader_approve", world.assessment_a))
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.leader_approved_at is not None
    client.force_login(world.officer_a)
    client.post(url("score_sheet_submit", world.assessment_a), {"confirm": "1"})
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.status == AssessmentStatus.SUBMITTED


def test_officer_cannot_give_leader_approval(client, world):
    world.year.requires_leader_approval = True
    world.year.save()
    client.force_login(world.officer_a)
    response = client.post(url("score_sheet_leader_approve", world.assessment_a), follow=True)
    assert "Chỉ lãnh đạo UBND xã" in response.content.decode()


def test_a_returned_assessment_links_to_the_explanation_sheet(client, world):
    from parindex.models import Assessment

    Assessment.objects.filter(pk=world.assessment_a.pk).update(status=AssessmentStatus.RETURNED)
    client.force_login(world.officer_a)
    html = client.get(url("score_sheet", world.assessment_a)).content.decode()
    assert "trả lại để giải trình" in html
    assert reverse("explanation_sheet", args=[world.assessment_a.pk]) in html
