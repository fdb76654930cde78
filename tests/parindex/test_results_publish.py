"""The publication page: choose the approved communes, see what will be published and what is left
out and why, confirm (a partial publication acknowledged explicitly); the workflow service publishes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import Assessment, AssessmentStatus
from parindex.services.workflow import assessment_approve, assessment_complete_appraisal
from tests.parindex.dashboards.states import published_approved_unfinished
from tests.parindex.workflow_states import drive

pytestmark = pytest.mark.django_db
S = AssessmentStatus
DECISION = {"decision_number": "15/QĐ-UBND", "decision_date": "2025-02-20"}


def _two_approved(world):
    drive(world.assessment_a, S.APPROVED, officer=world.officer_a, appraiser=world.appraiser,
          appraised_share=Decimal("0.85"))
    drive(world.assessment_b, S.APPROVED, officer=world.officer_b, appraiser=world.appraiser,
          appraised_share=Decimal("0.6"))


def _url(world):
    return reverse("results_publish", args=[world.year.pk])


def test_it_lists_the_approved_communes_and_why_others_are_left_out(world, client):
    _two_approved(world)
    client.force_login(world.admin)
    response = client.get(_url(world))
    page = response.content.decode()
    preview = response.context["preview"]
    assert [line.unit.code for line in preview.to_publish] == ["C1", "C2"]
    assert [(line.unit.code, line.reason) for line in preview.left_out] == [("C3", "Chưa nộp bản tự đánh giá")]
    assert page.count('name="assessments"') == 2 and page.count(" checked") == 2
    assert "85,00%" in page and "Khá" in page and "Chưa nộp bản tự đánh giá" in page
    assert "Xem trước khi công bố" in page
    assert Assessment.objects.filter(status=S.PUBLISHED).count() == 0


def test_the_first_post_only_shows_what_will_be_published(world, client):
    _two_approved(world)
    client.force_login(world.admin)
    response = client.post(_url(world), {**DECISION, "assessments": [world.assessment_a.pk]})
    page = response.content.decode()
    assert response.status_code == 200 and response.context["confirming"]
    assert "Sẽ công bố kết quả của <strong>1</strong> đơn vị theo Quyết định số" in page
    assert "Đã phê duyệt nhưng không chọn công bố đợt này" in page  # B, deselected
    assert "Công bố một phần" in page and 'name="partial_ack"' in page
    assert "Xác nhận công bố 1 kết quả" in page
    assert Assessment.objects.filter(status=S.PUBLISHED).count() == 0


def test_a_partial_publication_needs_the_explicit_acknowledgement(world, client):
    _two_approved(world)
    client.force_login(world.admin)
    data = {**DECISION, "assessments": [world.assessment_a.pk], "confirm": "1"}
    page = client.post(_url(world), data).content.decode()
    assert "Đây là công bố một phần: hãy đánh dấu xác nhận trước khi công bố." in page
    assert Assessment.objects.filter(status=S.PUBLISHED).count() == 0
    response = client.post(_url(world), {**data, "partial_ack": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("results_ranking", args=[world.year.pk])
    assert dict(Assessment.objects.values_list("unit__code", "status")) == {
        "C1": S.PUBLISHED, "C2": S.APPROVED, "C3": S.DRAFT}
    world.year.refresh_from_db()
    assert world.year.publication_decision_number == "15/QĐ-UBND" and world.year.published_at is None
    event = world.assessment_a.events.latest("id")
    assert (event.action, event.comment) == ("publish", "Quyết định số 15/QĐ-UBND ngày 20/02/2025")


def test_publishing_every_commune_needs_no_acknowledgement_and_closes_the_year(world, client):
    published_approved_unfinished(world)  # A published; B approved; C in appraisal
    c = assessment_complete_appraisal(assessment=world.assessment_c, actor=world.other_appraiser)
    assessment_approve(assessment=c, actor=world.other_appraiser)
    client.force_login(world.admin)
    response = client.get(_url(world))
    assert [line.unit.code for line in response.context["preview"].already] == ["C1"]
    data = {**DECISION, "assessments": [world.assessment_b.pk, world.assessment_c.pk], "confirm": "1"}
    assert "partial_ack" not in client.post(_url(world), {**DECISION, "assessments": data["assessments"]}).content.decode()
    assert client.post(_url(world), data).status_code == 302
    world.year.refresh_from_db()
    assert world.year.is_published


def test_a_commune_not_approved_cannot_be_slipped_in(world, client):
    _two_approved(world)
    client.force_login(world.admin)
    page = client.post(_url(world), {**DECISION, "assessments": [world.assessment_c.pk], "confirm": "1"}).content.decode()
    assert "Chỉ công bố được các đơn vị đã phê duyệt của kỳ đánh giá này." in page
    assert Assessment.objects.filter(status=S.PUBLISHED).count() == 0


def test_it_keeps_typed_values_and_explains_refusals(world, client):
    client.force_login(world.admin)
    page = client.get(_url(world)).content.decode()
    assert "Chưa có bản đánh giá nào được phê duyệt để công bố." in page
    _two_approved(world)
    page = client.post(_url(world), {"decision_number": "", "decision_date": "2025-02-20",
                                     "assessments": [world.assessment_a.pk]}).content.decode()
    assert 'value="2025-02-20"' in page and "bắt buộc" in page
    assert Assessment.objects.filter(status=S.PUBLISHED).count() == 0


def test_only_the_province_administrator_may_open_it(world, client):
    client.force_login(world.appraiser)
    assert client.get(_url(world)).status_code == 403
    client.force_login(world.officer_a)
    assert client.get(_url(world)).status_code == 403
