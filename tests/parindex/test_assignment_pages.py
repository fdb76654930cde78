"""The pages of a year appraised by area, as the coordinator (owner), a department appraiser
(member) and people outside the assignment (outsiders)."""

import pytest
from django.urls import reverse

from parindex.models import AssessmentStatus, Score
from parindex.services.workflow import assessment_start_appraisal
from tests.parindex.two_tier import two_tier
from tests.parindex.workflow_states import drive

S = AssessmentStatus


@pytest.fixture
def t(world):
    return two_tier(world)


def _in_appraisal(t):
    w = t.world
    a = drive(w.assessment_a, S.SUBMITTED, officer=w.officer_a, appraiser=t.coordinator)
    return assessment_start_appraisal(assessment=a, actor=t.coordinator)


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_coordinator_lists_and_reassigns_areas(t, client):
    w = t.world
    url = reverse("assignment_list", args=[w.year.pk])
    page = _get(client, t.coordinator, url).content.decode()
    assert "Sở Tư pháp" in page and 'data-assignment="2.1"' in page
    response = client.post(url, {"item": t.items["1"].pk, "team": t.finance.pk})
    assert response.status_code == 302
    assert w.year.assignments.get(item=t.items["1"]).team == t.finance


def test_it_shows_the_reason_when_an_assignment_is_refused(t, client):
    w = t.world
    client.force_login(t.coordinator)
    response = client.post(reverse("assignment_list", args=[w.year.pk]),
                           {"item": t.items["2"].pk, "team": t.finance.pk, "appraiser": t.finance_appraiser.pk})
    assert response.status_code == 200
    assert "chỉ một trong hai" in response.content.decode()


@pytest.mark.parametrize("persona", ["justice_appraiser", "appraiser", "officer_a"])
def test_it_refuses_the_assignment_page_to_anyone_but_the_coordinator(t, client, persona):
    user = getattr(t, persona, None) or getattr(t.world, persona)
    response = _get(client, user, reverse("assignment_list", args=[t.world.year.pk]))
    assert response.status_code in (403, 404)


def test_removing_an_assignment_gives_it_back_to_the_coordinator(t, client):
    client.force_login(t.coordinator)
    response = client.post(reverse("assignment_remove", args=[t.world.year.pk, t.crit21.pk]))
    assert response.status_code == 302
    assert not t.world.year.assignments.filter(item=t.items["2.1"]).exists()


def test_a_department_appraiser_cannot_remove_an_assignment(t, client):
    client.force_login(t.justice_appraiser)
    response = client.post(reverse("assignment_remove", args=[t.world.year.pk, t.crit21.pk]))
    assert response.status_code == 403


def test_the_queue_of_a_department_appraiser_shows_their_part_of_each_commune(t, client):
    _in_appraisal(t)
    page = _get(client, t.finance_appraiser, reverse("appraisal_queue")).content.decode()
    assert "Ba Thành" in page and "Ba Động" not in page and "Long Hiệp" not in page
    assert "Phần của tôi: lĩnh vực 2 — đã chấm 0/1 tiêu chí" in page
    page = _get(client, t.justice_appraiser, reverse("appraisal_queue")).content.decode()
    assert "Ba Động" in page and "Long Hiệp" in page


def test_the_sheet_of_a_department_appraiser_shows_and_saves_only_their_area(t, client):
    a = _in_appraisal(t)
    url = reverse("appraisal_sheet", args=[a.pk])
    page = _get(client, t.justice_appraiser, url).content.decode()
    s11, s21 = (Score.objects.get(assessment=a, item__code=c) for c in ("1.1", "2.1"))
    assert f's-{s11.id}-present' in page and f'id="leaf-{s21.id}"' not in page
    assert "Phân công: Sở Tư pháp" in page
    response = client.post(url, {
        "version": a.version, f"s-{s11.id}-present": "1", f"s-{s11.id}-version": s11.version,
        f"s-{s11.id}-appraised_score": "1",
        # A forged field of another department's item is ignored, never saved.
        f"s-{s21.id}-present": "1", f"s-{s21.id}-appraised_score": "0",
    })
    assert response.status_code == 302
    s11.refresh_from_db()
    s21.refresh_from_db()
    assert s11.appraised_score == 1 and s21.appraised_score is None


def test_the_coordinator_sees_every_area_with_assigned_items_read_only(t, client):
    a = _in_appraisal(t)
    page = _get(client, t.coordinator, reverse("appraisal_sheet", args=[a.pk])).content.decode()
    s11, s221 = (Score.objects.get(assessment=a, item__code=c) for c in ("1.1", "2.2.1"))
    assert f'id="leaf-{s11.id}"' in page and f"s-{s11.id}-present" not in page
    assert f"s-{s221.id}-present" in page
    assert 'name="early"' in page or "Trả lại" not in page


def test_an_outsider_appraiser_cannot_open_an_assigned_sheet(t, client):
    a = _in_appraisal(t)
    response = _get(client, t.world.other_appraiser, reverse("appraisal_sheet", args=[a.pk]))
    assert response.status_code == 404
    b = t.world.assessment_b
    response = _get(client, t.finance_appraiser, reverse("appraisal_sheet", args=[b.pk]))
    assert response.status_code == 404


def test_the_return_button_with_the_early_box_returns_before_the_areas_are_done(t, client):
    a = _in_appraisal(t)
    s = Score.objects.get(assessment=a, item__code="2.2.1")
    client.force_login(t.coordinator)
    client.post(reverse("appraisal_sheet", args=[a.pk]), {
        "version": a.version, f"s-{s.id}-present": "1", f"s-{s.id}-version": s.version,
        f"s-{s.id}-appraised_score": "0", f"s-{s.id}-flagged": "1", f"s-{s.id}-flag_comment": "Bổ sung",
    })
    url = reverse("appraisal_transition", args=[a.pk, "return"])
    client.post(url)
    a.refresh_from_db()
    assert a.status == S.IN_APPRAISAL
    client.post(url, {"early": "1"})
    a.refresh_from_db()
    assert a.status == S.RETURNED


def test_the_area_progress_page_as_coordinator_and_as_department(t, client):
    _in_appraisal(t)
    url = reverse("appraisal_progress", args=[t.world.year.pk])
    page = _get(client, t.coordinator, url).content.decode()
    assert page.count("data-assessment=") == 3 and "Sở Tư pháp" in page
    page = _get(client, t.finance_appraiser, url).content.decode()
    assert page.count("data-assessment=") == 1 and 'data-area="2">\n        0/1' in page
    assert _get(client, t.world.officer_a, url).status_code == 403
