"""Optional server-side signing: with the agency's PKCS#12 configured, the report is rendered with its
number and date, signed visibly in the NĐ30 signature space and issued; off unless configured."""

import io

import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from django.urls import reverse
from pypdf import PdfReader

from reports.models import IssuedReport, SignatureStatus

from .signing import make_ca, make_signer


@pytest.fixture
def agency_certificate(settings, tmp_path):
    ca = make_ca()
    cert, key = make_signer(ca, common_name="UBND xã Ba Thành", organisation="UBND xã Ba Thành")
    p12 = tmp_path / "co-quan.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"co-quan", key, cert, [ca.cert],
                                                          BestAvailableEncryption(b"mat-khau")))
    anchors = tmp_path / "anchors"
    anchors.mkdir()
    (anchors / "root.pem").write_bytes(ca.pem())
    settings.REPORT_TRUST_ANCHORS_DIR = anchors
    settings.REPORT_SIGNING_PKCS12 = str(p12)
    settings.REPORT_SIGNING_PKCS12_PASSPHRASE = "mat-khau"
    return p12


def _sign(client, demo):
    return client.post(reverse("report_sign_on_server", args=[demo.ba_thanh.pk]),
                       {"number": "12", "issued_on": "2025-01-10"}, follow=True)


def test_the_server_signs_visibly_in_the_signature_space_and_issues(demo, agency_certificate, client):
    client.force_login(demo.officer)
    page = client.get(reverse("report_issue", args=[demo.ba_thanh.pk])).content.decode()
    assert "data-server-sign-form" in page
    html = _sign(client, demo).content.decode()
    issued = IssuedReport.objects.get(assessment=demo.ba_thanh)
    assert issued.signature_status == SignatureStatus.TRUSTED, html
    assert "Đã ban hành" in html and "UBND xã Ba Thành" in issued.signatures[0]["signer"]
    with issued.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Số: 12/BC-UBND" in text and "Ba Thành, ngày 10 tháng 01 năm 2025" in text
    # The visible signature sits on the page of the signature block, between title and name.
    [(index, widget)] = [(i, a.get_object()) for i, p in enumerate(reader.pages) for a in p.get("/Annots", [])
                         if a.get_object().get("/FT") == "/Sig"]
    assert "Phạm Văn Thước" in reader.pages[index].extract_text()
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert 300 < x1 < x2 < 560 and y2 - y1 > 30


def test_it_is_off_unless_configured_and_refused_to_others(demo, client, settings):
    settings.REPORT_SIGNING_PKCS12 = ""
    client.force_login(demo.officer)
    assert "data-server-sign-form" not in client.get(reverse("report_issue", args=[demo.ba_thanh.pk])) \
        .content.decode()
    assert "chưa được cấu hình" in _sign(client, demo).content.decode()
    assert not IssuedReport.objects.exists()
    client.force_login(demo.appraiser)
    assert _sign(client, demo).status_code == 403
