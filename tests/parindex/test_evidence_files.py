import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from parindex.models import Evidence, EvidenceFile
from parindex.services.evidence import (
    EvidenceError,
    evidence_file_store,
    evidence_link_add,
    evidence_link_remove,
)
from parindex.services.workflow import assessment_submit
from tests.factories import DocumentFactory, fill_scores

from .files import (
    docx_bytes,
    exe_bytes,
    jpg_bytes,
    ole_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)


def store(world, name, content, actor=None):
    return evidence_file_store(assessment=world.assessment_a, uploaded_file=upload(name, content),
                               actor=actor or world.officer_a)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bien-ban.pdf", pdf_bytes(), "application/pdf"),
        ("anh.png", png_bytes(), "image/png"),
        ("anh.jpg", jpg_bytes(), "image/jpeg"),
        ("ke-hoach.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("bang.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("cu.doc", ole_bytes("WordDocument"), "application/msword"),
        ("cu.xls", ole_bytes("Workbook"), "application/vnd.ms-excel"),
    ],
)
def test_it_accepts_allowed_types_by_content(world, name, content, content_type):
    stored = store(world, name, content)
    assert stored.content_type == content_type
    assert stored.original_name == name
    assert stored.size == len(content)


def test_it_refuses_an_exe_renamed_pdf(world):
    with pytest.raises(EvidenceError, match="không phải là loại được phép"):
        store(world, "quyet-dinh.pdf", exe_bytes())
    assert not EvidenceFile.objects.exists()


def test_it_refuses_a_plain_zip_named_docx(world):
    with pytest.raises(EvidenceError, match="không phải là loại được phép"):
        store(world, "van-ban.docx", zip_bytes())


def test_it_refuses_an_ole_file_without_word_or_excel_stream(world):
    # An MSI installer is an OLE2 file too.
    with pytest.raises(EvidenceError):
        store(world, "setup.doc", ole_bytes("SummaryInformation"))


def test_a_png_named_pdf_is_treated_by_its_content(world, client):
    stored = store(world, "quyet-dinh.pdf", png_bytes())
    assert stored.content_type == "image/png"
    client.force_login(world.officer_a)
    response = client.get(reverse("evidence_download", args=[stored.pk]))
    assert response["Content-Type"] == "image/png"
    assert 'filename="quyet-dinh.pdf.png"' in response["Content-Disposition"]


def test_it_refuses_a_file_over_the_size_limit(world, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = pdf_bytes() + b"0" * (1024 * 1024)
    with pytest.raises(EvidenceError, match="vượt giới hạn 1 MB"):
        store(world, "lon.pdf", big)


def test_it_refuses_an_empty_file(world):
    with pytest.raises(EvidenceError, match="rỗng"):
        store(world, "rong.pdf", b"")


def test_an_identical_file_uploaded_twice_is_one_row(world):
    first = store(world, "bien-ban.pdf", pdf_bytes("a"))
    second = store(world, "ban-sao.pdf", pdf_bytes("a"))
    assert second.pk == first.pk
    assert second.original_name == "bien-ban.pdf"
    assert EvidenceFile.objects.count() == 1
    other = store(world, "khac.pdf", pdf_bytes("b"))
    assert other.pk != first.pk
    assert len(first.sha256) == 64


def test_the_same_file_in_another_commune_is_its_own_row(world):
    first = store(world, "bien-ban.pdf", pdf_bytes())
    second = evidence_file_store(assessment=world.assessment_b, uploaded_file=upload("bien-ban.pdf", pdf_bytes()),
                                 actor=world.officer_b)
    assert first.pk != second.pk


def test_files_are_stored_under_their_hash_not_their_name(world):
    stored = store(world, "Quyết định 193.pdf", pdf_bytes())
    assert stored.file.name.endswith(stored.sha256)
    assert "Quyết" not in stored.file.name


def test_an_officer_of_another_commune_cannot_upload(world):
    with pytest.raises(EvidenceError, match="không có quyền"):
        store(world, "x.pdf", pdf_bytes(), actor=world.officer_b)


def test_an_appraiser_cannot_upload_commune_evidence(world):
    with pytest.raises(EvidenceError, match="không có quyền"):
        store(world, "x.pdf", pdf_bytes(), actor=world.appraiser)


def test_it_refuses_uploads_after_the_deadline(world):
    world.year.self_assessment_opens = timezone.now() - dt.timedelta(days=10)
    world.year.self_assessment_deadline = timezone.now() - dt.timedelta(days=1)
    world.year.save()
    with pytest.raises(EvidenceError, match="hết hạn"):
        store(world, "x.pdf", pdf_bytes())


def test_link_records_history_with_the_actor(world):
    score = world.assessment_a.scores.first()
    stored = store(world, "x.pdf", pdf_bytes())
    link = evidence_link_add(score=score, actor=world.officer_a, file=stored, locator="trang 3")
    assert link.history.get().history_user == world.officer_a
    assert link.history.get().history_type == "+"
    link_id = link.id
    evidence_link_remove(evidence=link, actor=world.leader_a)
    removal = Evidence.history.filter(id=link_id, history_type="-").get()
    assert removal.history_user == world.leader_a
    assert not Evidence.objects.exists()


def test_a_register_document_can_prove_several_items(world):
    document = DocumentFactory(assessment=world.assessment_a)
    scores = list(world.assessment_a.scores.all()[:3])
    for s in scores:
        evidence_link_add(score=s, actor=world.officer_a, document=document, locator="mục II")
    assert document.links.count() == 3


def test_it_refuses_a_document_of_another_commune(world):
    document = DocumentFactory(assessment=world.assessment_b)
    score = world.assessment_a.scores.first()
    with pytest.raises(EvidenceError, match="bản đánh giá khác"):
        evidence_link_add(score=score, actor=world.officer_a, document=document)


def test_a_link_needs_exactly_one_source(world):
    score = world.assessment_a.scores.first()
    with pytest.raises(EvidenceError, match="Chọn một tệp"):
        evidence_link_add(score=score, actor=world.officer_a)


def test_links_cannot_change_after_submission(world):
    fill_scores(world.assessment_a)
    score = world.assessment_a.scores.first()
    stored = store(world, "x.pdf", pdf_bytes())
    link = evidence_link_add(score=score, actor=world.officer_a, file=stored)
    assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    score.refresh_from_db()
    link.refresh_from_db()
    with pytest.raises(EvidenceError, match="Đã nộp"):
        evidence_link_remove(evidence=link, actor=world.officer_a)
    with pytest.raises(EvidenceError, match="Đã nộp"):
        evidence_link_add(score=score, actor=world.officer_a, file=stored, locator="trang 2")
