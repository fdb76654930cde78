"""Browser journeys of the compact grid view and of a browser in English: dates typed and shown
dd/mm/yyyy, the Vietnamese file picker and validation messages; the grid's filters and counts and a
value autosaved from the grid; the appraiser's "Trả lại" that counts the flagged items and loses
nothing. Screenshots in $E2E_ARTIFACTS (grid-*.png, locale-*.png)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from parindex.demo import BA_DINH
from parindex.models import Assessment, AssessmentStatus, Score
from tests.parindex.files import pdf_bytes

pytestmark = pytest.mark.e2e

DATE_MESSAGE = "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy"


def _view_shot(persona, step):
    persona.page.screenshot(path=str(persona.artifacts / f"{persona.journey}-{step}.png"), full_page=False)


def test_an_english_browser_gets_vietnamese_dates_file_picker_and_messages(demo, browse, tmp_path):
    # A browser that speaks English (en-US): what it would show by itself is in English, so anything
    # Vietnamese on the page comes from the app.
    officer = browse("locale", "canbo.badong", locale="en-US")
    page = officer.page
    assert page.evaluate("navigator.language") == "en-US"

    # The plan's date: typed day first, stored, shown day first again.
    officer.goto(f"/tu-danh-gia/{demo.ba_dong.pk}/ke-hoach/")
    date = page.locator("#id_plan_date")
    expect(date).to_have_attribute("placeholder", "dd/mm/yyyy")
    assert date.get_attribute("type") == "text"
    page.locator("#id_plan_number").fill("193/QĐ-UBND")
    date.fill("5/2/2024")
    date.blur()
    expect(date).to_have_value("05/02/2024")  # padded when left
    page.get_by_role("button", name="Lưu").first.click()
    page.wait_for_load_state()
    demo.ba_dong.refresh_from_db()
    assert demo.ba_dong.plan_date == dt.date(2024, 2, 5)
    expect(page.locator("#id_plan_date")).to_have_value("05/02/2024")
    officer.shot("1-plan-date")

    # A month-first date passes the shape check and is refused by the server, in Vietnamese, kept.
    page.locator("#id_plan_date").fill("12/29/2023")
    page.get_by_role("button", name="Lưu").first.click()
    page.wait_for_load_state()
    expect(page.get_by_text(DATE_MESSAGE)).to_be_visible()
    expect(page.locator("#id_plan_date")).to_have_value("12/29/2023")

    # The document form: the browser's own messages speak Vietnamese (required field, date shape)...
    officer.goto(f"/tu-danh-gia/{demo.ba_dong.pk}/van-ban/them/")
    page.locator("#id_issued_on").fill("hôm qua")
    check = "el => { el.checkValidity(); return el.validationMessage; }"
    assert page.locator("#id_number_symbol").evaluate(check) == "Hãy nhập thông tin vào ô này."
    assert page.locator("#id_issued_on").evaluate(check) == DATE_MESSAGE
    # The file picker: Vietnamese before and after choosing.
    picker = page.locator("[data-file-picker]")
    expect(picker.locator("label")).to_have_text(re.compile(r"Chọn tệp…"))
    expect(picker.locator("[data-file-name]")).to_have_text("Chưa chọn tệp")
    pdf = tmp_path / "Quyết định 12.pdf"
    pdf.write_bytes(pdf_bytes())
    page.locator("#id_upload").set_input_files(str(pdf))
    expect(picker.locator("[data-file-name]")).to_have_text("Quyết định 12.pdf")
    assert "Choose File" not in page.content() and "No file chosen" not in page.content()
    officer.shot("2-document-form")
    # ... and so does the server, which checks everything again (the form is novalidate).
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    expect(page.get_by_text(DATE_MESSAGE)).to_be_visible()
    assert "This field is required" not in page.content()

    # The evidence upload on the score sheet: the same picker, and the file is attached on saving.
    officer.goto(f"/tu-danh-gia/{demo.ba_dong.pk}/#item-1.4")
    leaf = page.locator('[data-code="1.4"]')
    leaf.locator("details.evidence-add > summary").click()
    leaf_picker = leaf.locator("[data-file-picker]")
    expect(leaf_picker.locator("[data-file-name]")).to_have_text("Chưa chọn tệp nào")
    leaf_picker.locator("input[type=file]").set_input_files(str(pdf))
    expect(leaf_picker.locator("[data-file-name]")).to_have_text("Quyết định 12.pdf")
    _view_shot(officer, "3-evidence-picker")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state()
    expect(page.locator('[data-code="1.4"] .evidence-entry', has_text="Quyết định 12.pdf")).to_be_visible()
    officer.assert_healthy()


def _visible_rows(page):
    return page.locator("tr[data-grid-row]:visible")


def _badge(page, key):
    return int(page.locator(f'[data-grid-count="{key}"]').inner_text())


def test_the_grid_view_filters_with_counts_and_autosaves_a_value(demo, browse):
    officer = browse("grid-officer", "canbo.badong")
    page = officer.page
    officer.goto(f"/tu-danh-gia/{demo.ba_dong.pk}/")
    page.get_by_role("link", name=re.compile("Dạng bảng")).click()
    page.wait_for_load_state()
    assert "view=grid" in page.url
    leaves = Score.objects.filter(assessment=demo.ba_dong).count()
    expect(_visible_rows(page)).to_have_count(leaves)
    officer.shot("1-grid")

    for key in ("chua-cham", "co-loi", "thieu-minh-chung", "giai-trinh", "vong-2"):
        page.locator(f'[data-grid-filter="{key}"]').click()
        expect(page.locator(f'[data-grid-filter="{key}"]')).to_have_attribute("aria-current", "true")
        expect(_visible_rows(page)).to_have_count(_badge(page, key))
        assert f"loc={key}" in page.url
        # The same filter from the server (a reload, or without JavaScript) shows the same rows.
        page.reload()
        expect(_visible_rows(page)).to_have_count(_badge(page, key))
    unscored = Score.objects.filter(assessment=demo.ba_dong, item__scoring_method="self",
                                    self_score__isnull=True, not_applicable=False).count()
    page.locator('[data-grid-filter="chua-cham"]').click()
    assert _badge(page, "chua-cham") == unscored
    _view_shot(officer, "2-unscored")

    # A value typed in the grid is saved by itself (the same endpoint as the cards).
    code = _visible_rows(page).first.get_attribute("data-code")
    row = page.locator(f'tr[data-code="{code}"]')
    row.locator("[data-autosave-field=self_score]").fill("0,5")
    row.locator("[data-autosave-field=self_score]").blur()
    expect(row.locator("[data-autosave-state]")).to_have_text(re.compile(r"đã lưu lúc \d\d:\d\d"))
    expect(page.locator('[data-grid-count="chua-cham"]')).to_have_text(str(unscored - 1))
    expect(row).to_be_visible()  # the saved row stays until a filter is chosen again
    score = Score.objects.get(assessment=demo.ba_dong, item__code=code)
    assert score.self_score == Decimal("0.5")
    _view_shot(officer, "3-autosaved")

    # A refused value joins "Có lỗi" at once.
    row.locator("[data-autosave-field=self_score]").fill("999")
    row.locator("[data-autosave-field=self_score]").blur()
    expect(row.locator("[data-autosave-state]")).to_contain_text("lỗi: ")
    expect(page.locator('[data-grid-count="co-loi"]')).to_have_text("1")
    officer.assert_healthy()


def test_the_grid_at_phone_size_does_not_scroll_sideways(demo, browse):
    officer = browse("grid-phone", "canbo.badong", viewport={"width": 390, "height": 844}, is_mobile=True,
                     has_touch=True)
    officer.goto(f"/tu-danh-gia/{demo.ba_dong.pk}/?view=grid")
    page = officer.page
    expect(page.locator("tr[data-grid-row]").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _view_shot(officer, "1-grid")
    officer.assert_healthy()


def test_the_appraiser_returns_from_the_grid_with_the_flagged_items_counted(demo, browse):
    a = Assessment.objects.get(unit__code=BA_DINH, year=demo.year)
    assert a.status == AssessmentStatus.IN_APPRAISAL
    appraiser = browse("grid-appraiser", "thamdinh.bato")
    appraiser.goto(f"/tham-dinh/{a.pk}/?view=grid")
    page = appraiser.page
    for code, comment in (("1.4", "Bổ sung biên bản họp"), ("2.1.1", "Tỷ lệ chưa khớp")):
        row = page.locator(f'tr[data-code="{code}"]')
        row.locator("[data-autosave-field=flagged]").check()
        row.locator("[data-autosave-field=flag_comment]").fill(comment)  # typed, field not left
    _view_shot(appraiser, "1-flags-typed")
    page.locator("#action-return button[type=submit]").click()
    expect(page.locator(".badge", has_text="Trả lại để giải trình")).to_be_visible()
    assert any(m.startswith("Trả lại 2 mục để xã giải trình?") for m in appraiser.dialogs), appraiser.dialogs
    a.refresh_from_db()
    assert a.status == AssessmentStatus.RETURNED
    for code, comment in (("1.4", "Bổ sung biên bản họp"), ("2.1.1", "Tỷ lệ chưa khớp")):
        score = Score.objects.get(assessment=a, item__code=code)
        assert score.flagged and score.flag_comment == comment
    # The round-2 list names both, each a link to its row, with the explanation to come.
    panel = page.locator("#round2-list")
    expect(panel).to_contain_text("2 tiêu chí bị yêu cầu giải trình")
    panel.locator("summary").click()
    expect(panel.locator("[data-round2-item]")).to_have_count(2)
    expect(panel).to_contain_text("xã đang giải trình")
    panel.get_by_role("link", name="2.1.1").click()
    expect(page.locator('tr[data-code="2.1.1"]')).to_be_in_viewport()  # still the grid after the action
    _view_shot(appraiser, "2-returned-round2-list")
    appraiser.assert_healthy()
