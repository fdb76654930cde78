import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parindex.models import Document
from parindex.services.evidence import evidence_link_add
from parindex.services.plan import PlanError, document_delete, document_symbol_normalize
from tests.factories import DocumentFactory

from .files import exe_bytes, pdf_bytes, upload


@pytest.mark.parametrize(
    ("doc_type", "typed", "stored"),
    [
        ("QĐ", "193/QĐ-UBND", "193/QĐ-UBND"),
        ("QĐ", " 193/qđ-ubnd ", "193/QĐ-UBND"),
        ("QĐ", "01/2024/QĐ-UBND", "01/2024/QĐ-UBND"),
        ("KH", "Số: 74/KH-UBND", "74/KH-UBND"),
        ("TTr", "5/ttr-ubnd", "5/TTr-UBND"),
        ("BC", "102/BC-UBND", "102/BC-UBND"),
        ("CV", "45/UBND", "45/UBND"),
        ("CV", "45/UBND-VP", "45/UBND-VP"),
    ],
)
def test_valid_symbols_are_normalised(doc_type, typed, stored):
    assert document_symbol_normalize(doc_type=doc_type, number_symbol=typed) == stored


@pytest.mark.parametrize(
    ("doc_type", "typed", "message"),
    [
        ("QĐ", "12/KH-UBND", "Ký hiệu “KH” (Kế hoạch) không khớp loại văn bản Quyết định"),
        ("QĐ", "193/QĐ", "không đúng dạng số/ký hiệu"),
        ("QĐ", "QĐ-UBND", "không đúng dạng số/ký hiệu"),
        ("CV", "45/CV-UBND", "Công văn không có chữ viết tắt tên loại văn bản"),
        ("CV", "45/QĐ-UBND", "Công văn không có chữ viết tắt tên loại văn bản"),
        ("CV", "UBND-VP", "không đúng dạng số, ký hiệu công văn"),
        ("QĐ", "", "Nhập số, ký hiệu"),
    ],
)
def test_invalid_symbols_are_refused_with_a_reason(doc_type, typed, message):
    with pytest.raises(ValidationError) as caught:
        document_symbol_normalize(doc_type=doc_type, number_symbol=typed)
    assert message in caught.value.messages[0]


def create_url(world):
    return reverse("document_create", args=[world.assessment_a.pk])


def form_data(**overrides):
    data = {"doc_type": "QĐ", "number_symbol": "194/QĐ-UBND", "issued_on": "2023-12-29", "issuer": "UBND xã",
            "summary": "Phân công tham mưu, thực hiện nhiệm vụ CCHC năm 2024"}
    data.update(overrides)
    return data


def test_officer_adds_a_document_with_a_file(client, world):
    client.force_login(world.officer_a)
    response = client.post(create_url(world), form_data(upload=upload("Quyết định 194.pdf", pdf_bytes())))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "Quyết định 194.pdf"
    download = client.get(reverse("document_download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_a_wrong_symbol_is_shown_next_to_the_field_and_the_form_keeps_its_values(client, world):
    client.force_login(world.officer_a)
    response = client.post(create_url(world), form_data(doc_type="CV", number_symbol="23/CV-UBND"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Công văn không có chữ viết tắt tên loại văn bản" in html
    assert 'value="23/CV-UBND"' in html
    assert "Phân công tham mưu" in html
    assert not Document.objects.exists()


def test_an_executable_is_refused_as_a_document_file(client, world):
    client.force_login(world.officer_a)
    response = client.post(create_url(world), form_data(upload=upload("qd.pdf", exe_bytes())))
    assert response.status_code == 200
    assert "không phải là loại được phép" in response.content.decode()
    assert not Document.objects.exists()


def test_the_same_number_and_date_twice_is_refused(client, world):
    client.force_login(world.officer_a)
    client.post(create_url(world), form_data())
    response = client.post(create_url(world), form_data(number_symbol="194/qđ-ubnd"))
    assert "Sổ văn bản đã có văn bản số 194/QĐ-UBND ngày 29/12/2023." in response.content.decode()
    assert Document.objects.count() == 1


def test_list_filters_by_type(client, world):
    DocumentFactory(assessment=world.assessment_a, doc_type="QĐ", number_symbol="193/QĐ-UBND")
    DocumentFactory(assessment=world.assessment_a, doc_type="CV", number_symbol="23/UBND")
    client.force_login(world.appraiser)
    url = reverse("document_list", args=[world.assessment_a.pk])
    html = client.get(url, {"doc_type": "CV"}).content.decode()
    assert "23/UBND" in html and "193/QĐ-UBND" not in html
    html = client.get(url).content.decode()
    assert "23/UBND" in html and "193/QĐ-UBND" in html
    assert "Thêm văn bản" not in html


def test_a_document_used_as_evidence_cannot_be_deleted(world):
    document = DocumentFactory(assessment=world.assessment_a)
    for score in world.assessment_a.scores.all()[:2]:
        evidence_link_add(score=score, actor=world.officer_a, document=document)
    with pytest.raises(PlanError, match="đang là tài liệu kiểm chứng của 2 tiêu chí"):
        document_delete(document=document, actor=world.officer_a)


def test_officer_edits_and_deletes_a_document(client, world):
    document = DocumentFactory(assessment=world.assessment_a, number_symbol="195/QĐ-UBND")
    client.force_login(world.officer_a)
    client.post(reverse("document_edit", args=[document.pk]),
                form_data(number_symbol="195/QĐ-UBND", summary="Kế hoạch khắc phục, nâng cao Chỉ số CCHC"))
    document.refresh_from_db()
    assert document.summary == "Kế hoạch khắc phục, nâng cao Chỉ số CCHC"
    client.post(reverse("document_delete", args=[document.pk]))
    assert not Document.objects.exists()


def test_outsiders_and_readers(client, world):
    document = DocumentFactory(assessment=world.assessment_a)
    client.force_login(world.officer_b)
    assert client.get(reverse("document_list", args=[world.assessment_a.pk])).status_code == 404
    assert client.post(reverse("document_delete", args=[document.pk])).status_code == 404
    client.force_login(world.appraiser)
    assert client.post(reverse("document_edit", args=[document.pk]), form_data()).status_code == 403
    assert Document.objects.get().summary == document.summary


def test_a_register_document_can_be_linked_on_the_sheet(client, world):
    document = DocumentFactory(assessment=world.assessment_a, number_symbol="193/QĐ-UBND",
                               issued_on=dt.date(2023, 12, 29))
    client.force_login(world.officer_a)
    html = client.get(reverse("score_sheet", args=[world.assessment_a.pk])).content.decode()
    assert f'<option value="{document.pk}">193/QĐ-UBND (29/12/2023)' in html
