"""A commune's year in a real browser, on the demo data: xã Ba Động (the draft sheet of the demo)
scores itself, the district appraises and asks for explanations, the commune explains, the
appraiser approves, the province publishes, and the commune downloads its PDF report.

The steps are one ordered test because each one starts from the state the previous one left;
each step ends with a screenshot `<journey>-<step>.png` in $E2E_ARTIFACTS."""

import re
import subprocess
from decimal import ROUND_DOWN, Decimal

import pytest
from playwright.sync_api import expect

from parindex.models import AssessmentStatus, Score
from parindex.numbers import format_percent, format_points
from parindex.selectors import assessment_totals

S = AssessmentStatus
# The report job is rendered by a real worker in the services run: it may take a while.
REPORT_TIMEOUT_MS = 120_000
OVER_MAX_CODE = "1.4"  # max 1,5: the officer types 9 by mistake
EVIDENCE_CODE = "1.5"  # gets the uploaded PDF
FLAGGED = {
    "1.5": "Quyết định đính kèm chưa có chữ ký, con dấu; đề nghị bổ sung bản đã ký.",
    "3.2.1": "Chưa có danh mục thủ tục hành chính niêm yết tại Bộ phận một cửa; đề nghị bổ sung ảnh chụp.",
}


def typed(value):
    """A points value as a Vietnamese officer types it: "1,5", "0,75", "2"."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def planned_score(index, maximum):
    """Full marks for most items, half for every third one: a plausible sheet, exactly summable."""
    if index % 3 == 2:
        return (maximum / 2).quantize(Decimal("0.01"), ROUND_DOWN)
    return maximum


def leaves_of(assessment):
    return list(Score.objects.filter(assessment=assessment).select_related("item", "item__area")
                .order_by("item__sort_key"))


def open_area(page, area_code):
    """Open an area of the score sheet the way a person does: click its heading if it is closed."""
    section = page.locator(f"#area-{area_code}")
    if not section.evaluate("d => d.open"):
        section.locator("summary").first.click()
    expect(section).to_have_attribute("open", "")
    return section


def sheet_score(page, score):
    return page.locator(f"#s-{score.id}-score")


def sheet_note(page, score):
    return page.locator(f"#s-{score.id}-note")


@pytest.mark.e2e
def test_a_commune_year_from_self_assessment_to_the_published_pdf_report(demo, browse, evidence_pdf, tmp_path):
    assessment = demo.ba_dong
    sheet_url = f"/tu-danh-gia/{assessment.pk}/"
    leaves = leaves_of(assessment)
    by_code = {s.item.code: s for s in leaves}
    plan = {s.id: planned_score(i, s.max_points) for i, s in enumerate(leaves)}

    # --- 1. The commune officer fills in the sheet ------------------------------------------------
    officer = browse("self-assessment", "canbo.badong")
    page = officer.page
    # The officer lands on the year's sheet.
    assert page.url.endswith(sheet_url)
    expect(page.locator("h1")).to_contain_text("UBND xã Ba Động")
    expect(page.locator("header .badge").first).to_have_text("Đang tự đánh giá")
    officer.assert_healthy()
    officer.shot("01-sheet")

    area1 = [s for s in leaves if s.item.area.code == "1"]
    over = by_code[OVER_MAX_CODE]
    first_round = {}
    for score in area1:
        value = "9" if score is over else typed(plan[score.id])
        sheet_score(page, score).fill(value)
        first_round[score.id] = value
        if score.self_score is None:
            sheet_note(page, score).fill(f"Tự chấm tiêu chí {score.item.code} theo hướng dẫn chấm điểm.")
    # The browser already hints at the mistake while typing.
    expect(sheet_score(page, over)).to_have_class(re.compile(r"\bis-invalid\b"))
    evidence_leaf = page.locator(f'[id="item-{EVIDENCE_CODE}"]')
    evidence_leaf.locator("details.evidence-add summary").click()
    evidence_leaf.locator(f"#s-{by_code[EVIDENCE_CODE].id}-files").set_input_files(str(evidence_pdf))
    officer.shot("02-typed-with-error")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state()

    # Refused: the Vietnamese error sits next to the field, and nothing typed is lost.
    expect(page.locator("#errors")).to_contain_text("Chưa lưu: có 1 lỗi")
    expect(sheet_score(page, over)).to_have_value("9")
    expect(sheet_score(page, over)).to_have_class(re.compile(r"\bis-invalid\b"))
    message = page.locator(f"#s-{over.id}-score-msg")
    expect(message).to_be_visible()
    expect(message).to_have_text(re.compile(r"Điểm tự đánh giá 9 vượt điểm tối đa 1,50?\."))
    for score in area1:
        expect(sheet_score(page, score)).to_have_value(first_round[score.id])
        if score.self_score is None:
            expect(sheet_note(page, score)).to_have_value(f"Tự chấm tiêu chí {score.item.code} theo hướng dẫn chấm điểm.")
    expect(evidence_leaf).to_contain_text(f"{evidence_pdf.name} (đã tải lên, sẽ gắn khi lưu)")
    # Valid values save themselves as each field is left (autosave); the refused one is never written.
    assert Score.objects.get(pk=over.pk).self_score is None, "a refused value was written"
    officer.shot("03-error-shown-values-kept")

    # The officer corrects the score and saves: everything typed is saved, the PDF is attached.
    sheet_score(page, over).fill(typed(plan[over.id]))
    expect(sheet_score(page, over)).not_to_have_class(re.compile(r"\bis-invalid\b"))
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu")
    expect(page.locator(f'[id="item-{EVIDENCE_CODE}"] .evidence-entry a')).to_have_text(evidence_pdf.name)
    saved = {s.id: s.self_score for s in Score.objects.filter(assessment=assessment, item__area__code="1")}
    assert saved == {s.id: plan[s.id] for s in area1}
    officer.shot("04-saved")

    # The quality check lists what is still missing.
    page.get_by_role("link", name="Kiểm tra và nộp").click()
    expect(page.locator("h2")).to_contain_text("Kiểm tra trước khi nộp")
    expect(page.locator("#errors-title")).to_contain_text(f"({len(leaves) - len(area1)})")
    expect(page.locator(".list-group-item-danger").first).to_contain_text("Chưa chấm điểm tự đánh giá.")
    expect(page.get_by_role("button", name="Nộp bản tự đánh giá")).to_have_count(0)
    officer.shot("05-check-finds-missing-items")

    # The officer scores every other item, with a note saying how (the check wants evidence or a note).
    page.get_by_role("link", name="← Về phiếu chấm").click()
    for area_code in sorted({s.item.area.code for s in leaves} - {"1"}, key=int):
        open_area(page, area_code)
        for score in (s for s in leaves if s.item.area.code == area_code):
            sheet_score(page, score).fill(typed(plan[score.id]))
            sheet_note(page, score).fill("Đã thực hiện; hồ sơ lưu tại Văn phòng UBND xã.")
    expected_self = sum(plan.values())
    expect(page.locator("[data-sheet-total]")).to_have_text(format_points(expected_self))
    officer.shot("06-all-items-typed")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Tổng điểm tự đánh giá: {format_points(expected_self)}/100,00 điểm")

    # The check passes; the officer confirms and submits.
    page.get_by_role("link", name="Kiểm tra và nộp").click()
    expect(page.locator("#errors-title")).to_contain_text("(0)")
    expect(page.get_by_text("Không có lỗi.")).to_be_visible()
    officer.shot("07-check-passes")
    page.get_by_label(re.compile("Tôi xác nhận nộp bản tự đánh giá năm 2024")).check()
    page.get_by_role("button", name="Nộp bản tự đánh giá").click()
    page.wait_for_load_state()

    # Locked, and the page says why.
    assert page.url.endswith(sheet_url)
    expect(page.locator(".alert-success")).to_contain_text("Đã nộp bản tự đánh giá")
    expect(page.locator(".lock-banner")).to_contain_text("Đã nộp lúc")
    expect(page.locator("[data-score-input]")).to_have_count(0)
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    expect(page.locator("header .badge").first).to_have_text("Đã nộp")
    assessment.refresh_from_db()
    assert assessment.status == S.SUBMITTED
    officer.assert_healthy()
    officer.shot("08-submitted-locked")

    # --- 2. The district appraiser appraises and asks for explanations ----------------------------
    appraiser = browse("appraisal", "thamdinh.bato")
    page = appraiser.page
    expect(page.locator("h1")).to_contain_text("Danh sách thẩm định")
    row = page.locator("#queue-table tbody tr", has_text="xã Ba Động")
    expect(row).to_contain_text("Đã nộp")
    expect(row).to_contain_text(format_points(expected_self))
    appraiser.assert_healthy()
    appraiser.shot("01-queue")
    row.get_by_role("link", name="xã Ba Động").click()
    page.get_by_role("button", name="Bắt đầu thẩm định").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Vòng 1", exact=True)).to_be_visible()
    appraiser.shot("02-started")

    # "Accept the self-score" for each area, then two items are marked down and flagged.
    for button in page.get_by_role("button", name="Chấp nhận điểm tự chấm cả lĩnh vực").all():
        button.click()
    for code, comment in FLAGGED.items():
        score = by_code[code]
        page.locator(f"#s-{score.id}-appraised_score").fill("0")
        page.locator(f"#s-{score.id}-appraisal_comment").fill("Tài liệu kiểm chứng chưa đạt yêu cầu.")
        page.locator(f"#s-{score.id}-flagged").check()
        page.locator(f"#s-{score.id}-flag_comment").fill(comment)
    round1 = {s.id: plan[s.id] for s in leaves} | {by_code[c].id: Decimal(0) for c in FLAGGED}
    expect(page.locator("#live-appraised")).to_have_text(format_points(sum(round1.values())) + "*")
    appraiser.shot("03-appraised-two-flagged")
    page.get_by_role("button", name="Lưu điểm thẩm định").click()
    page.wait_for_load_state()
    # Autosave stores items as they are filled in; the button saves whatever is left.
    expect(page.locator(".alert-success")).to_contain_text(re.compile(r"Đã lưu \(\d+ tiêu chí thay đổi\)|đã được lưu"))
    assert {s.id: s.appraised_score for s in Score.objects.filter(assessment=assessment)} == round1
    page.locator("#comment-return").fill("Đề nghị xã giải trình, bổ sung 02 tiêu chí.")
    page.get_by_role("button", name="Trả lại để giải trình").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("trả lại để giải trình")
    assert any("giải trình" in d for d in appraiser.dialogs), appraiser.dialogs
    assessment.refresh_from_db()
    assert assessment.status == S.RETURNED
    appraiser.assert_healthy()
    appraiser.shot("04-returned")

    # --- 3. The commune explains; the appraiser scores round 2 and approves; the province publishes -
    officer.journey = "explanation"
    page = officer.page
    officer.goto("/")
    assert page.url.endswith(sheet_url)
    page.get_by_role("link", name="Mở phiếu giải trình").click()
    for code, comment in FLAGGED.items():
        expect(page.locator(f"#leaf-{by_code[code].id}")).to_contain_text(comment)
    officer.shot("01-requests")
    answers = {
        "1.5": "Xã bổ sung bản Quyết định đã ký, đóng dấu (đính kèm).",
        "3.2.1": "Danh mục TTHC đã niêm yết đầy đủ tại Bộ phận một cửa từ tháng 02/2024.",
    }
    for code, answer in answers.items():
        page.locator(f"#s-{by_code[code].id}-explanation").fill(answer)
    signed = tmp_path / "qd-ke-hoach-cchc-2024-da-ky.pdf"
    signed.write_bytes(evidence_pdf.read_bytes().replace(b"%%EOF", b"% da ky\n%%EOF"))
    page.locator(f"#s-{by_code['1.5'].id}-file").set_input_files(str(signed))
    officer.shot("02-answered")
    page.get_by_role("button", name="Nộp giải trình").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Đã nộp giải trình")
    expect(page.locator(f"#leaf-{by_code['1.5'].id}")).to_contain_text(signed.name)
    assessment.refresh_from_db()
    assert assessment.status == S.EXPLAINED
    officer.assert_healthy()
    officer.shot("03-resubmitted")

    appraiser.journey = "round2"
    page = appraiser.page
    page.reload()
    expect(page.get_by_text("Vòng 2 (sau giải trình)")).to_be_visible()
    # Below the self-scores and above round 1: the final total differs from both other totals.
    round2 = {"1.5": Decimal("0.5"), "3.2.1": Decimal("0.5")}
    for code, value in round2.items():
        score = by_code[code]
        expect(page.locator(f"#leaf-{score.id}")).to_contain_text(answers[code])
        page.locator(f"#s-{score.id}-round2_score").fill(typed(value))
        page.locator(f"#s-{score.id}-round2_comment").fill("Đã xem tài liệu bổ sung.")
    appraiser.shot("01-round2-typed")
    page.get_by_role("button", name="Lưu điểm thẩm định").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text(re.compile(r"Đã lưu \(\d tiêu chí thay đổi\)|đã được lưu"))
    page.get_by_role("button", name="Phê duyệt kết quả").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("phê duyệt kết quả")
    assessment.refresh_from_db()
    assert assessment.status == S.APPROVED
    totals = assessment_totals(assessment=assessment)
    expected_final = sum(round1.values()) - sum(round1[by_code[c].id] for c in round2) + sum(round2.values())
    assert totals.final_total == expected_final
    assert expected_final not in (sum(plan.values()), sum(round1.values()))
    expect(page.locator("#live-final")).to_have_text(format_points(totals.final_total))
    appraiser.assert_healthy()
    appraiser.shot("02-approved")

    admin = browse("publish", "quantri.quangngai")
    page = admin.page
    # The administrator lands on the latest year (2026, open for self-assessment); this journey is 2024's.
    expect(page.locator("h1")).to_contain_text("Tiến độ Chỉ số CCHC năm 2026")
    admin.goto(f"/ky-danh-gia/{demo.year.pk}/tien-do/")
    expect(page.locator("h1")).to_contain_text("Tiến độ Chỉ số CCHC năm 2024")
    admin.shot("01-progress")
    page.get_by_role("link", name="Công bố kết quả").first.click()
    page.get_by_label("Số quyết định công bố").fill("125/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("2025-02-10")
    admin.shot("02-decision")
    page.get_by_role("button", name="Xem trước khi công bố").click()
    page.wait_for_load_state()
    # The confirmation shows what will be published and what is left out, and asks to acknowledge
    # that this is a partial publication (the demo's other communes are still in progress).
    expect(page.locator("#publication-to-publish")).to_contain_text(assessment.unit.name)
    expect(page.locator("#publication-left-out")).to_contain_text("Đã trả lại để giải trình, chờ xã giải trình")
    page.get_by_label(re.compile("^Tôi xác nhận đây là công bố một phần")).check()
    admin.shot("02b-confirm")
    page.get_by_role("button", name=re.compile(r"^Xác nhận công bố \d+ kết quả$")).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("Đã công bố kết quả")
    assessment.refresh_from_db()
    assert assessment.status == S.PUBLISHED
    admin.assert_healthy()
    admin.shot("03-published")

    # --- 4. The commune requests its PDF report, follows the job and downloads the file ------------
    officer.journey = "report"
    page = officer.page
    officer.goto(sheet_url)
    expect(page.locator("header .badge").first).to_have_text("Đã công bố")
    page.locator(".report-buttons").get_by_role("button", name="PDF").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Báo cáo của xã (PDF)")
    expect(page.locator("main")).to_contain_text("Xã Ba Động — năm 2024")
    # Queued or running (a worker renders it), or already done (tasks run in-process): either way the
    # page shows where the job stands.
    expect(page.locator("#report-job-status .badge")).to_be_visible()
    expect(page.locator("#report-job [role=progressbar], #report-job-download")).to_be_visible()
    officer.shot("01-requested")
    download_link = page.locator("#report-job-download")
    # The page follows the job by itself (it polls and reloads when the job has finished).
    expect(download_link).to_be_visible(timeout=REPORT_TIMEOUT_MS)
    officer.assert_healthy()
    officer.shot("02-done")
    with page.expect_download() as info:
        download_link.click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                   check=True).stdout.decode("utf-8").split())
    # Kept beside the screenshots: what the checks below read.
    (officer.artifacts / "report-03-pdf-text.txt").write_text(text, encoding="utf-8")
    for line in ("ỦY BAN NHÂN DÂN", "XÃ BA ĐỘNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert line in text, line
    for area in totals.areas:
        figure = f"{format_points(area.appraised_total)}/{format_points(area.max_points)} điểm"
        assert figure in text, (area.code, figure)
    total = f"{format_points(totals.final_total)}/{format_points(totals.applicable_max)} điểm"
    assert total in text, total
    assert format_percent(totals.index_percent) in text
