"""Fuzzing every yearly-data form (service figures, plan decision and tasks, meetings, narrative, documents),
the administrator's lock-exception and reopen forms and the report request: whatever is typed, never a
server error, a refusal in Vietnamese, and the rest of what was typed still on the page."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from parindex.models import AssessmentStatus
from tests.fuzz import assert_answered, ids, numberish, texts
from tests.parindex.workflow_states import drive

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
KEEP = "Giữ lại 4711"
dates = st.one_of(st.sampled_from(["31/12/2024", "2024-12-31", "31/02/2024", "99/99/9999", "0001-01-01",
                                   "31/12/99999"]), texts)


@given(received=numberish, online=numberish, fully=numberish, digitised=numberish, rate=numberish, start=dates)
def test_service_figures(client, world, received, online, fully, digitised, rate, start):
    client.force_login(world.officer_a)
    response = client.post(reverse("service_figures_edit", args=[world.assessment_a.pk]), {
        "dossiers_received": received, "dossiers_online": online, "dossiers_fully_online": fully,
        "results_digitised": digitised, "online_rate_published": rate, "digitised_rate_published": "95,39",
        "period_start": start,
    })
    page = assert_answered(response)
    if page:
        assert 'value="95,39"' in page


@given(order=numberish, content=texts, deadline=dates, status=st.one_of(st.just("not_started"), texts),
       area=ids)
def test_plan_tasks(client, world, order, content, deadline, status, area):
    client.force_login(world.officer_a)
    response = client.post(reverse("plan_task_create", args=[world.assessment_a.pk]), {
        "order": order, "content": content, "deadline": deadline, "status": status, "area": area, "lead": KEEP,
    })
    page = assert_answered(response)
    if page:
        assert KEEP in page


@given(number=texts, date=dates, declared=numberish)
def test_plan_decision(client, world, number, date, declared):
    client.force_login(world.officer_a)
    response = client.post(reverse("plan_detail", args=[world.assessment_a.pk]), {
        "plan_number": number, "plan_date": date, "documents_declared": declared,
    })
    assert_answered(response)


@given(kind=st.one_of(st.just("conference"), texts), held=dates, title=texts)
def test_meetings(client, world, kind, held, title):
    client.force_login(world.officer_a)
    response = client.post(reverse("meeting_create", args=[world.assessment_a.pk]), {
        "kind": kind, "held_on": held, "title": title, "document": KEEP,
    })
    page = assert_answered(response)
    if page:
        assert KEEP in page


@given(strengths=texts, weaknesses=texts)
def test_narrative(client, world, strengths, weaknesses):
    client.force_login(world.officer_a)
    response = client.post(reverse("narrative_edit", args=[world.assessment_a.pk]), {
        "strengths": strengths, "weaknesses": weaknesses, "proposals": KEEP,
    })
    page = assert_answered(response)
    if page:
        assert KEEP in page


@given(doc_type=texts, number=texts, issued=dates, summary=texts)
def test_documents(client, world, doc_type, number, issued, summary):
    client.force_login(world.officer_a)
    response = client.post(reverse("document_create", args=[world.assessment_a.pk]), {
        "doc_type": doc_type, "number_symbol": number, "issued_on": issued, "issuer": KEEP, "summary": summary,
    })
    page = assert_answered(response)
    if page:
        assert KEEP in page


@given(stage=texts, until=dates, reason=texts)
def test_lock_exception(client, world, stage, until, reason):
    client.force_login(world.admin)
    response = client.post(reverse("lock_exception_grant", args=[world.assessment_a.pk]),
                           {"stage": stage, "until": until, "reason": reason})
    assert_answered(response)


@pytest.fixture
def approved(world):
    return drive(world.assessment_a, AssessmentStatus.APPROVED, officer=world.officer_a, appraiser=world.appraiser,
                 admin=world.admin)


@given(to_status=st.one_of(st.sampled_from(["draft", "in_appraisal"]), texts), reason=texts)
def test_reopen(client, world, approved, to_status, reason):
    client.force_login(world.admin)
    response = client.post(reverse("assessment_reopen", args=[approved.pk]), {"to_status": to_status, "reason": reason})
    assert_answered(response)


@given(report_type=st.one_of(st.sampled_from(["commune_xlsx", "summary_xlsx"]), texts), assessment=ids, year=ids,
       unit=ids)
def test_report_request(client, world, report_type, assessment, year, unit):
    client.force_login(world.officer_a)
    response = client.post(reverse("report_request"), {"report_type": report_type, "assessment": assessment,
                                                        "year": year, "unit": unit})
    assert response.status_code < 500 and response.status_code != 400
