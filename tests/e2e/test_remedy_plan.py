"""The remedy plan in a real browser, on the demo: xã Ba Thành's officer opens the plan drafted from
the points lost in 2024, edits a line, accepts the plan and exports it as a PDF Kế hoạch (read back
with pypdf); each step is kept as a screenshot `remedy-<step>.png`, and page 1 of the PDF as a PNG."""

import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from parindex.models import RemedyPlan, RemedyPlanStatus

pytestmark = pytest.mark.e2e
REPORT_TIMEOUT_MS = 120_000
EDITED = "Ban hành Kế hoạch CCHC năm 2025 đúng hạn, có đủ nhiệm vụ theo từng lĩnh vực."


def test_the_officer_drafts_edits_accepts_and_exports_the_remedy_plan(demo, browse, tmp_path):
    officer = browse("remedy", "canbo.bathanh")
    page = officer.page
    officer.goto(f"/ket-qua/{demo.ba_thanh.pk}/ke-hoach-khac-phuc/")
    expect(page.locator("h2").first).to_contain_text("Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số CCHC năm 2025")
    page.get_by_role("button", name="Lập dự thảo kế hoạch khắc phục").click()
    page.wait_for_load_state()
    lines = page.locator("[data-remedy-line]")
    expect(lines.first).to_be_visible()
    count = lines.count()
    assert count > 3
    expect(page.locator("[data-remedy-status]")).to_have_text("Dự thảo")
    officer.assert_healthy()
    officer.shot("01-draft")

    # Edit the first line.
    lines.first.get_by_role("link", name="Sửa").click()
    page.wait_for_load_state()
    page.locator("#id_content").fill(EDITED)
    page.locator("#id_lead").fill("Văn phòng - Thống kê")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    expect(lines.first).to_contain_text(EDITED)
    officer.shot("02-edited")

    # Accept: the demo's 2025 year is open on xã Ba Tơ, into which Ba Thành merged on 1/7/2025, so
    # the tasks go into the successor's 2025 plan.
    page.get_by_role("button", name="Chấp nhận kế hoạch").click()
    page.wait_for_load_state()
    expect(page.locator("[data-remedy-status]")).to_have_text("Đã chấp nhận")
    expect(page.locator("[data-remedy-transfer]")).to_contain_text(
        "Các nhiệm vụ đã được đưa vào Kế hoạch CCHC năm 2025 của UBND xã Ba Tơ")
    expect(page.get_by_role("button", name="Chấp nhận kế hoạch")).to_have_count(0)
    officer.assert_healthy()
    officer.shot("03-accepted")
    plan = RemedyPlan.objects.get(assessment=demo.ba_thanh)
    assert plan.status == RemedyPlanStatus.ACCEPTED and plan.lines.count() == count

    # Export the PDF through the report job.
    page.get_by_role("button", name="Kế hoạch khắc phục (PDF)").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Kế hoạch khắc phục (PDF)")
    download_link = page.locator("#report-job-download")
    expect(download_link).to_be_visible(timeout=REPORT_TIMEOUT_MS)
    officer.shot("04-export")
    with page.expect_download() as info:
        download_link.click()
    pdf = tmp_path / "ke-hoach.pdf"
    info.value.save_as(pdf)
    reader = PdfReader(pdf)
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    (officer.artifacts / "remedy-05-pdf-text.txt").write_text(text, encoding="utf-8")
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "XÃ BA THÀNH", "KẾ HOẠCH", "/KH-UBND",
                     "Khắc phục, cải thiện và nâng cao Chỉ số cải cách hành chính năm 2025", "Nơi nhận:",
                     "DANH MỤC NHIỆM VỤ KHẮC PHỤC", "Văn phòng - Thống kê"):
        assert expected in text, expected
    assert " ".join(EDITED.split()[:5]) in text
    for number in (1, 2):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), "-singlefile", str(pdf),
                        str(officer.artifacts / f"remedy-06-pdf-page-{number}")], check=True)
