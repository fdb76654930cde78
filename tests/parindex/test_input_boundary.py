"""Issue 15, finding 2: inputs that used to be server errors (or silently wrong) are cleaned at one
boundary or refused with a Vietnamese message, and the page keeps what was typed."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from parindex.models import AssessmentStatus, PlanTask, Score, ServiceFigures
from parindex.selectors.sheet import score_signature_of
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def _leaf(a, code="1.1"):
    return Score.objects.get(assessment=a, item__code=code)


def test_it_removes_nul_and_control_characters_from_every_submitted_text(client, world):
    client.force_login(world.officer_a)
    a, s = world.assessment_a, _leaf(world.assessment_a)
    response = client.post(reverse("score_sheet", args=[a.pk]), {
        "version": a.version, f"s-{s.id}-ver": s.version, f"s-{s.id}-score": "1",
        f"s-{s.id}-note": "Biên\x00 bản\x07 số 5\r\ndòng\t2\x1b",
        f"s-{s.id}-orig": score_signature_of(s),
    })
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.self_note == "Biên bản số 5\r\ndòng\t2"


@pytest.fixture
def in_appraisal(world):
    criteria_set = world.year.criteria_set
    criteria_set.bonus_cap = Decimal("2")
    criteria_set.save()
    return drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)


@pytest.mark.parametrize("typed", ["1e28", "1e309", "99999999999999999999999999999"])
def test_it_refuses_huge_points_with_a_message(client, world, in_appraisal, typed):
    client.force_login(world.appraiser)
    s = _leaf(in_appraisal)
    response = client.post(reverse("appraisal_sheet", args=[in_appraisal.pk]), {
        "version": in_appraisal.version, f"s-{s.id}-present": "1", f"s-{s.id}-appraised_score": typed,
        f"s-{s.id}-appraisal_comment": "Giữ lại",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Điểm thẩm định" in page and "Giữ lại" in page


def test_it_refuses_an_invalid_bonus_on_the_page(client, world, in_appraisal):
    client.force_login(world.appraiser)
    response = client.post(reverse("appraisal_sheet", args=[in_appraisal.pk]), {
        "version": in_appraisal.version, "bonus_points": "abc",
    })
    assert response.status_code == 400
    assert "Điểm thưởng “abc” không phải là số." in response.content.decode().replace("&ldquo;", "“").replace(
        "&rdquo;", "”")


@pytest.mark.parametrize("field", ["accept_item", "accept_area"])
def test_it_ignores_superscript_digits_in_accept_buttons(client, world, in_appraisal, field):
    client.force_login(world.appraiser)
    response = client.post(reverse("appraisal_sheet", args=[in_appraisal.pk]), {
        "version": in_appraisal.version, field: "²",
    })
    assert response.status_code == 302


def test_the_queue_ignores_superscript_ids(client, world):
    drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)
    client.force_login(world.appraiser)
    response = client.post(reverse("appraisal_queue"), {"action": "start_appraisal", "ids": ["²", "1e3"],
                                                         "year": world.year.pk})
    assert response.status_code == 200
    assert "Chưa chọn xã nào." in response.content.decode()


def test_service_figures_read_thousand_groups_and_refuse_what_the_column_cannot_hold(client, world):
    client.force_login(world.officer_a)
    url = reverse("service_figures_edit", args=[world.assessment_a.pk])
    response = client.post(url, {"dossiers_received": "2147483648", "dossiers_online": "1.234"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "vượt giá trị tối đa 2.147.483.647" in page and 'value="1.234"' in page
    assert not ServiceFigures.objects.exists()
    response = client.post(url, {"dossiers_received": "3.000", "dossiers_online": "1 234"})
    assert response.status_code == 302
    figures = ServiceFigures.objects.get()
    assert (figures.dossiers_received, figures.dossiers_online) == (3000, 1234)


def test_a_count_with_a_decimal_comma_is_refused_not_truncated(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("service_figures_edit", args=[world.assessment_a.pk]),
                           {"dossiers_received": "3,5"})
    assert "phải là số nguyên" in response.content.decode()
    assert not ServiceFigures.objects.exists()


def test_a_task_order_above_the_column_is_refused(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("plan_task_create", args=[world.assessment_a.pk]), {
        "order": "2147483648", "content": "Rà soát thủ tục", "status": "not_started",
    })
    assert response.status_code == 200
    assert "STT “2147483648” vượt giá trị tối đa 2.147.483.647." in response.content.decode().replace(
        "&ldquo;", "“").replace("&rdquo;", "”")
    assert not PlanTask.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_a_too_large_post_gets_a_vietnamese_page_that_sends_back_to_the_form(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("narrative_edit", args=[world.assessment_a.pk]), {"strengths": "x" * 3_000_000})
    assert response.status_code == 413
    page = response.content.decode()
    assert "Chưa lưu: dữ liệu gửi lên quá lớn" in page and "vượt giới hạn 1,0 MB" in page
    assert "Quay lại" in page and "js/history-back.js" in page


def test_an_upload_is_refused_from_its_content_length_before_it_is_read(client, world):
    client.force_login(world.officer_a)
    response = client.generic(
        "POST", reverse("document_create", args=[world.assessment_a.pk]), b"--x--",
        content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(10 * 1024 ** 3),
    )
    assert response.status_code == 413
    assert "10.240,0 MB" in response.content.decode()
