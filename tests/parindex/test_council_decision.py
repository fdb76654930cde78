"""The council's review and UBND tỉnh's ranking decision on a year: recorded by the coordinator,
cited by the ranking page and by the summary report, its files served only through the app."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from parindex.models import AssessmentStatus, CouncilDecision
from parindex.services.council import CouncilDecisionError, council_decision_record
from reports.data import summary_report_data
from tests.parindex.two_tier import two_tier
from tests.parindex.workflow_states import drive

S = AssessmentStatus


@pytest.fixture
def t(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return two_tier(world)


def _pdf(name="quyet-dinh.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 quyet dinh", content_type="application/pdf")


def _record(t, **kwargs):
    values = {"review_date": dt.date(2026, 2, 5), "members_present": "Nguyễn Văn A, Phó Chủ tịch UBND tỉnh\n"
              "Trần Thị B, Giám đốc Sở Nội vụ", "decision_number": "125/QĐ-UBND",
              "decision_date": dt.date(2026, 2, 10), "decision_file": _pdf()}
    values.update(kwargs)
    return council_decision_record(year=t.world.year, actor=t.coordinator, **values)


def test_the_coordinator_records_the_review_and_the_decision(t):
    record = _record(t)
    assert record.members == ["Nguyễn Văn A, Phó Chủ tịch UBND tỉnh", "Trần Thị B, Giám đốc Sở Nội vụ"]
    assert record.citation == ("Quyết định số 125/QĐ-UBND ngày 10/02/2026 của UBND tỉnh Quảng Ngãi phê duyệt kết "
                               "quả xếp hạng (Hội đồng thẩm định họp ngày 05/02/2026)")
    # Correcting it keeps one record and the file already stored.
    again = _record(t, decision_number="126/QĐ-UBND", decision_file=None)
    assert again.pk == record.pk and again.decision_file.name == record.decision_file.name


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"decision_date": None}, "cả số và ngày"),
    ({"decision_date": dt.date(2026, 2, 1)}, "trước ngày họp"),
    ({"review_date": None, "decision_number": "", "decision_date": None}, "Nhập ít nhất"),
    ({"decision_file": _pdf("quyet-dinh.exe")}, "chỉ nhận tệp PDF"),
])
def test_it_refuses_an_incomplete_or_inconsistent_record(t, kwargs, message):
    with pytest.raises(CouncilDecisionError, match=message):
        _record(t, **kwargs)


@pytest.mark.parametrize("persona", ["justice_appraiser", "appraiser", "officer_a"])
def test_it_refuses_the_record_to_anyone_but_the_coordinator(t, persona):
    user = getattr(t, persona, None) or getattr(t.world, persona)
    with pytest.raises(CouncilDecisionError, match="Sở Nội vụ"):
        council_decision_record(year=t.world.year, actor=user, review_date=dt.date(2026, 2, 5))


def test_the_database_refuses_a_decision_number_without_date(t):
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilDecision.objects.create(year=t.world.year, decision_number="1/QĐ-UBND")


def test_the_page_records_it_and_the_ranking_cites_it(t, client):
    w = t.world
    client.force_login(t.coordinator)
    response = client.post(reverse("council_decision", args=[w.year.pk]), {
        "review_date": "2026-02-05", "members_present": "Nguyễn Văn A", "decision_number": "125/QĐ-UBND",
        "decision_date": "10/02/2026", "decision_file": _pdf(),
    })
    assert response.status_code == 302
    page = client.get(reverse("results_ranking", args=[w.year.pk])).content.decode()
    assert "Căn cứ Quyết định số 125/QĐ-UBND ngày 10/02/2026 của UBND tỉnh Quảng Ngãi" in page
    download = client.get(reverse("council_file", args=[w.year.pk, "quyet-dinh"]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_page_shows_a_refusal_beside_the_form(t, client):
    client.force_login(t.coordinator)
    response = client.post(reverse("council_decision", args=[t.world.year.pk]), {"decision_number": "125/QĐ-UBND"})
    assert response.status_code == 200 and "cả số và ngày" in response.content.decode()


def test_a_commune_gets_the_decision_file_only_once_results_are_published(t, client):
    w = t.world
    _record(t)
    url = reverse("council_file", args=[w.year.pk, "quyet-dinh"])
    client.force_login(w.officer_a)
    assert client.get(url).status_code == 403
    w.year.assignments.all().delete()  # the district appraiser then appraises the whole sheet
    drive(w.assessment_a, S.PUBLISHED, officer=w.officer_a, appraiser=w.appraiser, admin=w.admin)
    assert client.get(url).status_code == 200
    assert client.get(reverse("council_file", args=[w.year.pk, "bien-ban"])).status_code == 404


def test_the_summary_report_cites_the_decision_and_lists_who_appraised_which_area(t):
    w = t.world
    data = summary_report_data(year=w.year, unit=w.province)
    assert data["basis"] == ""
    _record(t)
    data = summary_report_data(year=w.year, unit=w.province)
    assert data["basis"].startswith("Căn cứ Quyết định số 125/QĐ-UBND ngày 10/02/2026")
    assert [(a["item"], a["assignee"], a["scope"]) for a in data["appraisers"]] == [
        ("Lĩnh vực 1. Lĩnh vực 1", "Sở Tư pháp", "tất cả các xã"),
        ("Tiêu chí 2.1. Tiêu chí 2.1", t.finance_appraiser.get_full_name(), "xã Ba Thành"),
        ("Các tiêu chí còn lại", "Sở Nội vụ (cơ quan chủ trì thẩm định)", "tất cả các xã"),
    ]
