"""Issuing the report in a real browser: xã Ba Thành's officer rewords nothing (the seed's wording is
stored), signs the generated PDF with a certificate of a test CA (made here, pyHanko), uploads it
with its number and date, sees "Đã ban hành" with the signature details; the district's appraiser
then reads and downloads exactly the signed file."""

import pytest
from playwright.sync_api import expect

from reports.data import commune_report_data
from reports.pdf import commune_report_pdf
from tests.reports.signing import make_ca, sign_pdf


@pytest.fixture
def trusted_ca(settings, tmp_path):
    ca = make_ca()
    folder = tmp_path / "anchors"
    folder.mkdir()
    (folder / "test-root.pem").write_bytes(ca.pem())
    settings.REPORT_TRUST_ANCHORS_DIR = folder
    settings.REPORT_ACCEPT_UNTRUSTED_SIGNATURES = False
    settings.REPORT_ACCEPT_UNSIGNED = False
    return ca


@pytest.mark.e2e
def test_the_commune_issues_its_signed_report_and_the_appraiser_reads_it(demo, browse, trusted_ca, tmp_path):
    ba_thanh = demo.ba_thanh
    officer = browse("issue", "canbo.bathanh")
    officer.goto(f"/danh-gia/{ba_thanh.pk}/bao-cao/loi-van/")
    expect(officer.page.locator("#id_closing")).to_have_value(
        "Trên đây là Báo cáo tóm tắt kết quả triển khai thực hiện công tác Cải cách hành chính trong năm 2024 của "
        "UBND xã Ba Thành. Kính báo cáo UBND huyện.")
    officer.shot("01-wording")

    # The commune signs the draft the system made (outside the system: here with the test CA).
    signed = sign_pdf(commune_report_pdf(commune_report_data(assessment=ba_thanh)), ca=trusted_ca)
    signed_path = tmp_path / "bao-cao-ba-thanh-da-ky.pdf"
    signed_path.write_bytes(signed)

    officer.goto(f"/danh-gia/{ba_thanh.pk}/bao-cao/ban-hanh/")
    page = officer.page
    expect(page.locator("[data-not-issued]")).to_be_visible()
    page.locator("#id_number").fill("12")
    page.locator("#id_issued_on").fill("2025-01-10")
    page.locator("#id_signed_pdf").set_input_files(str(signed_path))
    officer.shot("02-upload")
    page.get_by_role("button", name="Ban hành").click()
    expect(page.locator("[data-issued-badge]")).to_have_text("Đã ban hành")
    expect(page.locator("[data-signature-status]")).to_have_text("Chữ ký số hợp lệ")
    expect(page.locator("[data-signatures]")).to_contain_text("Phạm Văn Thước")
    expect(page.locator("[data-issued-report]")).to_contain_text("12/BC-UBND")
    officer.shot("03-issued")
    officer.assert_healthy()

    appraiser = browse("issue", "thamdinh.bato")
    appraiser.goto(f"/danh-gia/{ba_thanh.pk}/bao-cao/ban-hanh/")
    expect(appraiser.page.locator("[data-issued-badge]")).to_have_text("Đã ban hành")
    expect(appraiser.page.locator("[data-issue-form]")).to_have_count(0)
    with appraiser.page.expect_download() as download:
        appraiser.page.get_by_role("link", name="Tải bản đã ký (PDF)").click()
    assert open(download.value.path(), "rb").read() == signed
    appraiser.shot("04-appraiser-reads")
    appraiser.assert_healthy()
