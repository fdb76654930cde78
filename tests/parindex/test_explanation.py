"""The explanation round (giải trình), end to end through the services, and the commune's page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parindex.models import AssessmentStatus, Evidence, Score
from parindex.selectors import assessment_totals
from parindex.services.appraisal import appraisal_sheet_save
from parindex.services.explanation import ExplanationError, explanation_resubmit, explanation_save
from parindex.services.workflow import (
    WorkflowError,
    assessment_approve,
    assessment_complete_appraisal,
    assessment_resubmit,
    assessment_return_for_explanation,
)
from tests.factories import PASSWORD, DocumentFactory
from tests.parindex.files import pdf_bytes, upload
from tests.parindex.versions import versioned
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def _score(a, code):
    return Score.objects.get(assessment=a, item__code=code)


def _returned_with_two_flags(world):
    """Appraised at 75 % (area 1: 1,50 per 2-point leaf), items 1.1 and 2.2.1 flagged, returned."""
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser,
              appraised_share=Decimal("0.75"))
    s11, s221 = _score(a, "1.1"), _score(a, "2.2.1")
    a = appraisal_sheet_save(assessment=a, actor=world.appraiser, expected_version=a.version, values={"scores": versioned({
        s11.id: {"flagged": True, "flag_comment": "Thiếu quyết định ban hành kế hoạch"},
        s221.id: {"flagged": True, "flag_comment": "Tỷ lệ chưa khớp hệ thống một cửa"},
    })}).assessment
    return assessment_return_for_explanation(assessment=a, actor=world.appraiser, comment="Đề nghị giải trình"), \
        _score(a, "1.1"), _score(a, "2.2.1")


def test_the_explanation_round_end_to_end(world):
    a, s11, s221 = _returned_with_two_flags(world)
    document = DocumentFactory(assessment=a, number_symbol="193/QĐ-UBND")
    a = explanation_save(assessment=a, actor=world.officer_a, values=versioned({s11.id: {"explanation": "Đã ban hành QĐ 193/QĐ-UBND", "document": str(document.pk),
                                          "locator": "Điều 1"},
                                 s221.id: {"explanation": "Số liệu theo báo cáo quý IV"}}),
                         files={s221.id: upload("bao-cao-quy-IV.pdf", pdf_bytes())}).assessment
    a = explanation_resubmit(assessment=a, actor=world.officer_a, values={}).assessment
    assert a.status == S.EXPLAINED and a.explained_at is not None

    links = Evidence.objects.filter(score__assessment=a, stage=Evidence.Stage.EXPLANATION)
    assert {(e.score_id, bool(e.file_id), bool(e.document_id), e.locator) for e in links} == {
        (s11.id, False, True, "Điều 1"), (s221.id, True, False, ""),
    }
    # Round 2: the explained items are rescored, round 1 kept beside them.
    a = appraisal_sheet_save(assessment=a, actor=world.appraiser, expected_version=a.version, values={"scores": versioned({
        s11.id: {"round2_score": "2", "round2_comment": "Chấp nhận"},
        s221.id: {"round2_score": "0,5"},
    })}).assessment
    a = assessment_complete_appraisal(assessment=a, actor=world.appraiser)
    a = assessment_approve(assessment=a, actor=world.appraiser)
    s11.refresh_from_db()
    s221.refresh_from_db()
    assert (s11.appraised_score, s11.round2_score, s11.final_score) == (Decimal("1.50"), Decimal("2"), Decimal("2"))
    assert (s221.appraised_score, s221.round2_score) == (Decimal("0.75"), Decimal("0.5"))
    # 7,50 appraised in round 1; 1.1 +0,50; 2.2.1 −0,25 → 7,75 of 10.
    totals = assessment_totals(assessment=a)
    assert totals.appraised_total == Decimal("7.75") and totals.index_percent == Decimal("77.5")
    assert [e.action for e in a.events.order_by("id")] == [
        "submit", "start_appraisal", "return", "resubmit", "complete", "approve",
    ]


def test_resubmission_needs_every_flagged_item_answered_and_keeps_what_was_saved(world):
    a, s11, s221 = _returned_with_two_flags(world)
    with pytest.raises(WorkflowError, match="Chưa giải trình các tiêu chí: 2.2.1"):
        explanation_resubmit(assessment=a, actor=world.officer_a, values=versioned({s11.id: {"explanation": "Đã ban hành"}}))
    s11.refresh_from_db()
    a.refresh_from_db()
    assert s11.explanation == "Đã ban hành" and a.status == S.RETURNED


def test_only_flagged_items_can_be_explained(world):
    a, _, _ = _returned_with_two_flags(world)
    other = _score(a, "1.2")
    with pytest.raises(ExplanationError, match="Chỉ giải trình các tiêu chí được yêu cầu"):
        explanation_save(assessment=a, actor=world.officer_a, values=versioned({other.id: {"explanation": "x"}}))


def test_a_bad_file_saves_nothing(world):
    a, s11, s221 = _returned_with_two_flags(world)
    with pytest.raises(ExplanationError) as refused:
        explanation_save(assessment=a, actor=world.officer_a, values=versioned({s11.id: {"explanation": "Đã ban hành"}}),
                         files={s221.id: upload("virus.pdf", b"MZ\x90\x00" + b"\0" * 100)})
    assert "không phải là loại được phép" in refused.value.field_errors[(s221.id, "file")]
    s11.refresh_from_db()
    assert s11.explanation == ""


def test_a_document_of_another_commune_is_refused(world):
    a, s11, _ = _returned_with_two_flags(world)
    foreign = DocumentFactory(assessment=world.assessment_b)
    with pytest.raises(ExplanationError) as refused:
        explanation_save(assessment=a, actor=world.officer_a, values=versioned({s11.id: {"explanation": "x", "document": str(foreign.pk)}}))
    assert (s11.id, "document") in refused.value.field_errors


def test_explanations_close_at_the_deadline(world):
    a, s11, _ = _returned_with_two_flags(world)
    world.year.explanation_deadline = timezone.now() - dt.timedelta(minutes=1)
    world.year.save()
    a.refresh_from_db()
    with pytest.raises(ExplanationError, match="Đã hết hạn giải trình"):
        explanation_save(assessment=a, actor=world.officer_a, values=versioned({s11.id: {"explanation": "muộn"}}))


@pytest.mark.parametrize("state", [S.DRAFT, S.IN_APPRAISAL, S.EXPLAINED, S.APPROVED])
def test_explanations_only_while_returned(world, state):
    a = drive(world.assessment_a, state, officer=world.officer_a, appraiser=world.appraiser)
    with pytest.raises(ExplanationError, match="Không thể giải trình"):
        explanation_save(assessment=a, actor=world.officer_a, values={})


@pytest.mark.parametrize("role", ["appraiser", "officer_b", "admin"])
def test_only_the_communes_people_explain(world, role):
    a, s11, _ = _returned_with_two_flags(world)
    with pytest.raises(ExplanationError, match="không có quyền"):
        explanation_save(assessment=a, actor=getattr(world, role), values=versioned({s11.id: {"explanation": "x"}}))


def test_the_leader_may_resubmit(world):
    a, s11, s221 = _returned_with_two_flags(world)
    a = explanation_save(assessment=a, actor=world.leader_a, values=versioned({s11.id: {"explanation": "a"}, s221.id: {"explanation": "b"}})).assessment
    assert assessment_resubmit(assessment=a, actor=world.leader_a).status == S.EXPLAINED


# --- the page ---------------------------------------------------------------------------------------

def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_the_commune_sees_exactly_the_flagged_items(world, client):
    a, s11, s221 = _returned_with_two_flags(world)
    _login(client, world.officer_a)
    page = client.get(reverse("explanation_sheet", args=[a.pk])).content.decode()
    assert "Thiếu quyết định ban hành kế hoạch" in page and "Tỷ lệ chưa khớp hệ thống một cửa" in page
    assert f"s-{s11.id}-explanation" in page and f"s-{s221.id}-explanation" in page
    assert len(re.findall(r'name="s-\d+-explanation"', page)) == 2
    assert "Tiêu chí 1.2<" not in page and "1,50" in page  # round-1 score shown


def test_the_commune_answers_uploads_and_resubmits_from_the_page(world, client):
    a, s11, s221 = _returned_with_two_flags(world)
    _login(client, world.officer_a)
    url = reverse("explanation_sheet", args=[a.pk])
    response = client.post(url, {
        "submit": "resubmit", f"s-{s11.id}-version": s11.version, f"s-{s221.id}-version": s221.version,
        f"s-{s11.id}-explanation": "Đã ban hành", f"s-{s221.id}-explanation": "Theo báo cáo quý IV",
        f"s-{s221.id}-file": upload("bc.pdf", pdf_bytes()),
    })
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == S.EXPLAINED
    assert Evidence.objects.get(score=s221, stage=Evidence.Stage.EXPLANATION).file.original_name == "bc.pdf"
    page = client.get(url).content.decode()
    assert "Đã nộp giải trình lúc" in page and "Nộp giải trình</button>" not in page


def test_the_page_keeps_typed_answers_when_refused(world, client):
    a, s11, s221 = _returned_with_two_flags(world)
    _login(client, world.officer_a)
    response = client.post(reverse("explanation_sheet", args=[a.pk]), {
        "submit": "save", f"s-{s11.id}-version": s11.version, f"s-{s221.id}-version": s221.version,
        f"s-{s11.id}-explanation": "Nội dung dài đã gõ", f"s-{s221.id}-explanation": "",
        f"s-{s221.id}-locator": "x" * 121,
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nội dung dài đã gõ" in page and "Trang, mục quá dài" in page


def test_appraisers_read_the_explanation_page_but_cannot_post(world, client):
    a, s11, _ = _returned_with_two_flags(world)
    _login(client, world.appraiser)
    assert client.get(reverse("explanation_sheet", args=[a.pk])).status_code == 200
    response = client.post(reverse("explanation_sheet", args=[a.pk]),
                           {"version": a.version, f"s-{s11.id}-explanation": "x"})
    assert response.status_code == 403


def test_the_appraiser_sees_the_answers_beside_round_one(world, client):
    a, s11, s221 = _returned_with_two_flags(world)
    a = explanation_save(assessment=a, actor=world.officer_a, values=versioned({s11.id: {"explanation": "Đã ban hành QĐ 193"}, s221.id: {"explanation": "Đúng"}})
                         ).assessment
    assessment_resubmit(assessment=a, actor=world.officer_a)
    _login(client, world.appraiser)
    page = client.get(reverse("appraisal_sheet", args=[a.pk])).content.decode()
    assert "Vòng 2 (sau giải trình)" in page and "Đã ban hành QĐ 193" in page
    assert f'name="s-{s11.id}-round2_score"' in page
    assert f'name="s-{_score(a, "1.2").id}-round2_score"' not in page


def test_a_locked_explanation_page_says_why(world, client):
    _login(client, world.officer_a)
    page = client.get(reverse("explanation_sheet", args=[world.assessment_a.pk])).content.decode()
    assert "Không giải trình được" in page and "chưa trả lại" in page
