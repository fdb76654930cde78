"""The officer's sheet on a phone (390×844), and what another commune's officer or another
district's appraiser gets for a sheet that is not theirs (a 404: the sheet's existence is not
revealed)."""

import re

import pytest
from playwright.sync_api import expect

from parindex.models import Score

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def assert_fits(persona):
    width = persona.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert persona.page.evaluate(NO_HORIZONTAL_SCROLL), f"the page scrolls sideways: {width} on {persona.page.url}"


@pytest.mark.e2e
def test_the_officer_sheet_is_usable_at_phone_size(demo, browse):
    assessment = demo.ba_dong
    officer = browse("phone", "canbo.badong", **PHONE)
    page = officer.page
    assert page.url.endswith(f"/tu-danh-gia/{assessment.pk}/")
    assert page.evaluate("window.innerWidth") == 390
    officer.assert_healthy()
    assert_fits(officer)
    officer.shot("01-sheet")

    # The menu folds into the toggler and opens on a tap.
    page.get_by_role("button", name="Mở menu").tap()
    expect(page.get_by_role("link", name="Trang làm việc")).to_be_visible()
    assert_fits(officer)
    officer.shot("02-menu")
    page.get_by_role("button", name="Mở menu").tap()
    expect(page.get_by_role("link", name="Trang làm việc")).to_be_hidden()

    # An item far down the sheet: open its area, scroll to it, type a score and a note.
    score = (Score.objects.filter(assessment=assessment, item__area__code="7").select_related("item")
             .order_by("item__sort_key").last())
    area = page.locator("#area-7")
    area.locator("summary").first.tap()
    expect(area).to_have_attribute("open", "")
    score_input = page.locator(f"#s-{score.id}-score")
    note = page.locator(f"#s-{score.id}-note")
    score_input.scroll_into_view_if_needed()
    # A click (not a forced fill) fails when something, such as the sticky save bar, covers the input.
    score_input.click()
    page.keyboard.type("0,5")
    note.scroll_into_view_if_needed()
    note.click()
    page.keyboard.type("Đã thực hiện một phần trong năm.")
    expect(score_input).to_have_value("0,5")
    expect(note).to_have_value("Đã thực hiện một phần trong năm.")
    assert_fits(officer)
    box = score_input.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= 390, box
    officer.shot("03-typing")

    save = page.get_by_role("button", name="Lưu nháp")
    expect(save).to_be_in_viewport()
    save.tap()
    page.wait_for_load_state()
    # Autosave may have saved the values already while typing: either way the page says they are saved.
    expect(page.locator(".alert-success")).to_contain_text(re.compile("Đã lưu 1 thay đổi|Mọi giá trị trên phiếu đã được lưu"))
    score.refresh_from_db()
    assert str(score.self_score) == "0.50" and score.self_note == "Đã thực hiện một phần trong năm."
    assert_fits(officer)
    officer.shot("04-saved")

    page.get_by_role("link", name="Kiểm tra và nộp").tap()
    expect(page.locator("h2")).to_contain_text("Kiểm tra trước khi nộp")
    assert_fits(officer)
    officer.assert_healthy()
    officer.shot("05-check")


@pytest.mark.e2e
def test_a_sheet_of_another_commune_or_district_is_not_found(demo, browse):
    assessment = demo.ba_dong
    stranger = browse("permissions", "canbo.bathanh")
    for path in (f"/tu-danh-gia/{assessment.pk}/", f"/tu-danh-gia/{assessment.pk}/kiem-tra/",
                 f"/danh-gia/{assessment.pk}/giai-trinh/"):
        response = stranger.goto(path)
        assert response.status == 404, (path, response.status)
        expect(stranger.page.locator("h1")).to_have_text("Không tìm thấy trang")
        expect(stranger.page.get_by_text("Ba Động")).to_have_count(0)
    stranger.assert_healthy()
    stranger.shot("01-other-commune-404")
    # Their own sheet still opens.
    response = stranger.goto(f"/tu-danh-gia/{demo.ba_thanh.pk}/")
    assert response.status == 200
    expect(stranger.page.locator("h1")).to_contain_text("UBND xã Ba Thành")

    other_district = browse("permissions", "thamdinh.minhlong")
    response = other_district.goto(f"/tham-dinh/{assessment.pk}/")
    assert response.status == 404
    expect(other_district.page.locator("h1")).to_have_text("Không tìm thấy trang")
    other_district.shot("02-other-district-404")
    response = other_district.goto("/tham-dinh/")
    expect(other_district.page.locator("#queue-table")).not_to_contain_text("xã Ba Động")
