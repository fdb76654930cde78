"""Issuing the report: the commune uploads the PDF it signed outside the system with its number and
date; pyHanko checks the signature against the configured trust anchors; the file is kept byte for
byte and the page shows "Đã ban hành" with the signature details to everyone who sees the assessment."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.models import Assessment, AssessmentStatus
from reports.data import commune_report_data
from reports.models import IssuedReport, SignatureStatus
from tests.factories import fill_scores

from .signing import make_ca, make_signer, plain_pdf, sign_pdf


@pytest.fixture
def ca():
    return make_ca()


@pytest.fixture
def anchors(settings, tmp_path, ca):
    """The test CA is the one trust anchor; nothing untrusted or unsigned is accepted by default."""
    folder = tmp_path / "anchors"
    folder.mkdir()
    (folder / "test-root.pem").write_bytes(ca.pem())
    settings.REPORT_TRUST_ANCHORS_DIR = folder
    settings.REPORT_ACCEPT_UNTRUSTED_SIGNATURES = False
    settings.REPORT_ACCEPT_UNSIGNED = False
    return folder


@pytest.fixture
def approved(world, media):
    fill_scores(world.assessment_a, self_share=1)
    Assessment.objects.filter(pk=world.assessment_a.pk).update(status=AssessmentStatus.APPROVED)
    world.assessment_a.refresh_from_db()
    return world


def _issue(client, world, content, number="12", issued_on="2025-01-10"):
    return client.post(reverse("report_issue", args=[world.assessment_a.pk]), {
        "number": number, "issued_on": issued_on,
        "signed_pdf": SimpleUploadedFile("bao-cao-da-ky.pdf", content, content_type="application/pdf"),
    }, follow=True)


def test_a_validly_signed_report_is_issued_kept_byte_for_byte_and_described(approved, anchors, ca, client):
    signed = sign_pdf(plain_pdf(), ca=ca)
    client.force_login(approved.officer_a)
    html = _issue(client, approved, signed).content.decode()
    issued = IssuedReport.objects.get(assessment=approved.assessment_a)
    assert issued.signature_status == SignatureStatus.TRUSTED
    assert issued.number == "12/BC-UBND" and issued.issued_on.isoformat() == "2025-01-10"
    with issued.file.open("rb") as handle:
        assert handle.read() == signed
    assert issued.sha256 == hashlib.sha256(signed).hexdigest()
    [signature] = issued.signatures
    assert "Phạm Văn Thước" in signature["signer"] and "Test Root CA" in signature["issuer"]
    assert signature["intact"] and signature["trusted"] and signature["signing_time"]
    assert "Đã ban hành" in html and "Chữ ký số hợp lệ" in html and "Phạm Văn Thước" in html
    # The regenerated report now carries both the number and the date.
    header = commune_report_data(assessment=approved.assessment_a)["header"]
    assert header["number"] == "Số: 12/BC-UBND" and header["place_date"].endswith("ngày 10 tháng 01 năm 2025")


def test_the_appraiser_reads_the_issued_version(approved, anchors, ca, client):
    signed = sign_pdf(plain_pdf(), ca=ca)
    client.force_login(approved.officer_a)
    _issue(client, approved, signed)
    client.force_login(approved.appraiser)
    page = client.get(reverse("report_issue", args=[approved.assessment_a.pk])).content.decode()
    assert "Đã ban hành" in page and "data-issue-form" not in page
    response = client.get(reverse("issued_report_download", args=[approved.assessment_a.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == signed
    client.force_login(approved.other_appraiser)
    assert client.get(reverse("issued_report_download", args=[approved.assessment_a.pk])).status_code == 404


def test_it_refuses_a_file_changed_after_signing(approved, anchors, ca, client):
    signed = bytearray(sign_pdf(plain_pdf(), ca=ca))
    position = bytes(signed).find(b"stream") + 20  # a byte of the first content stream, inside the signed range
    signed[position] ^= 0x01
    client.force_login(approved.officer_a)
    html = _issue(client, approved, bytes(signed)).content.decode()
    assert "đã bị thay đổi sau khi ký" in html
    assert not IssuedReport.objects.exists()


def test_it_refuses_a_signature_from_an_untrusted_authority_unless_allowed_and_then_says_so(
        approved, anchors, client, settings):
    stranger = make_ca("Unknown CA")
    signed = sign_pdf(plain_pdf(), ca=stranger, signer=make_signer(stranger))
    client.force_login(approved.officer_a)
    html = _issue(client, approved, signed).content.decode()
    assert "không thuộc tổ chức chứng thực được hệ thống tin cậy" in html and "Unknown CA" in html
    assert not IssuedReport.objects.exists()
    settings.REPORT_ACCEPT_UNTRUSTED_SIGNATURES = True
    html = _issue(client, approved, signed).content.decode()
    issued = IssuedReport.objects.get()
    assert issued.signature_status == SignatureStatus.UNTRUSTED
    assert "chứng thư số chưa được tin cậy" in html and "Chữ ký số hợp lệ" not in html


def test_an_unsigned_pdf_is_accepted_only_as_unsigned_when_the_setting_allows_it(approved, anchors, client, settings):
    client.force_login(approved.officer_a)
    html = _issue(client, approved, plain_pdf()).content.decode()
    assert "chưa có chữ ký số" in html and not IssuedReport.objects.exists()
    settings.REPORT_ACCEPT_UNSIGNED = True
    html = _issue(client, approved, plain_pdf()).content.decode()
    issued = IssuedReport.objects.get()
    assert issued.signature_status == SignatureStatus.UNSIGNED and issued.signatures == []
    assert "Chưa ký số" in html


def test_it_refuses_a_second_issue_a_bad_number_and_an_outsider(approved, anchors, ca, client):
    client.force_login(approved.officer_a)
    refused = _issue(client, approved, sign_pdf(plain_pdf(), ca=ca), number="12/KH-UBND").content.decode()
    assert "không khớp loại văn bản Báo cáo" in refused
    _issue(client, approved, sign_pdf(plain_pdf(), ca=ca))
    html = _issue(client, approved, sign_pdf(plain_pdf("khác"), ca=ca), number="13").content.decode()
    assert "đã được ban hành" in html and IssuedReport.objects.get().number == "12/BC-UBND"
    client.force_login(approved.appraiser)
    assert _issue(client, approved, sign_pdf(plain_pdf(), ca=ca)).status_code == 403
    client.force_login(approved.officer_b)
    assert _issue(client, approved, sign_pdf(plain_pdf(), ca=ca)).status_code == 404
