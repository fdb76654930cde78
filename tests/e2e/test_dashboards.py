"""Browser journeys through the dashboards (issue 12): the appraiser of Ba Tơ and the province
administrator, at desktop and phone size; charts are inline SVG (no chart script), each beside its
table, and every page's table downloads as XLSX."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .test_phone_and_permissions import PHONE, assert_fits

DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def _download_rows(page, link_name="Tải bảng (Excel)"):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    return [row for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]


def _assert_charts_inline(persona):
    page = persona.page
    assert page.locator(".dashboard-chart svg.pygal-chart").count() >= 1
    # No chart library and no script inside the charts: the page's scripts are the app's own static
    # files (Bootstrap, the form messages), none of them a chart library.
    assert page.locator(".dashboard script, .dashboard style").count() == 0
    sources = page.eval_on_selector_all("script", "els => els.map(e => e.src)")
    assert all("/static/" in (s or "") and "chart" not in s.lower() for s in sources), sources


@pytest.mark.e2e
def test_the_appraiser_follows_the_district_on_the_dashboards(demo, browse):
    appraiser = browse("dashboard-appraiser", "thamdinh.bato", **DESKTOP)
    page = appraiser.page
    page.get_by_role("link", name="Bảng điều khiển").click()
    expect(page.locator("h1")).to_contain_text("Tiến độ Chỉ số CCHC năm 2024")
    expect(page.locator("#table-districts")).to_contain_text("huyện Ba Tơ")
    expect(page.locator("#table-districts")).not_to_contain_text("Minh Long")
    _assert_charts_inline(appraiser)
    appraiser.assert_healthy()
    appraiser.shot("01-progress")

    page.get_by_role("link", name="Xếp hạng, phân bố").click()
    approved = page.locator("#table-approved")
    expect(approved).to_contain_text("xã Ba Thành")
    expect(approved).to_contain_text("58,70%")
    unfinished = page.locator("#table-unfinished")
    expect(unfinished).to_contain_text("xã Ba Động")
    expect(unfinished).not_to_contain_text("%")  # no index beside unfinished assessments
    rows = _download_rows(page)
    assert any(r[1] == "xã Ba Thành" and r[6] == "Yếu" for r in rows if r and len(r) > 6)
    appraiser.shot("02-ranking")

    page.get_by_role("link", name="So sánh đơn vị").click()
    page.get_by_label("xã Ba Thành").check()
    page.get_by_label("thị trấn Ba Tơ").check()
    page.get_by_role("button", name="So sánh").click()
    expect(page.locator("#table-summary")).to_contain_text("84,75%")
    expect(page.locator("#table-summary")).to_contain_text("58,70%")
    expect(page.locator("#table-areas")).to_contain_text("6,73")  # Ba Thành, area 1, from the seed
    appraiser.assert_healthy()
    appraiser.shot("03-compare")


@pytest.mark.e2e
def test_the_province_dashboards_at_desktop_and_phone_size(demo, browse):
    admin = browse("dashboard-province", "quantri.quangngai", **DESKTOP)
    page = admin.page
    # The landing (the latest year's progress) links to its dashboards; the journey reads 2024's,
    # the year with the two districts.
    expect(page.get_by_role("link", name="Bảng điều khiển")).to_be_visible()
    admin.goto(f"/ky-danh-gia/{demo.year.pk}/bang-dieu-khien/")
    expect(page.locator("#table-districts")).to_contain_text("huyện Minh Long")
    admin.shot("01-progress")
    page.get_by_role("link", name="Theo lĩnh vực").click()
    expect(page.locator("#table-areas")).to_contain_text("Cải cách thể chế")
    expect(page.locator("#table-weakest tbody tr")).to_have_count(24)  # 3 items × 8 areas
    _assert_charts_inline(admin)
    admin.assert_healthy()
    admin.shot("02-areas")
    page.get_by_role("link", name="Xếp hạng, phân bố").click()
    page.get_by_label("Phạm vi").select_option(label="huyện Minh Long")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_contain_text("huyện Minh Long")
    expect(page.locator("#table-approved")).not_to_contain_text("Ba Thành")
    admin.shot("03-ranking-minh-long")
    page.get_by_role("link", name="Qua các năm").click()
    expect(page.locator("#table-years")).to_contain_text("2024")
    admin.shot("04-years")

    phone = browse("dashboard-province-phone", "quantri.quangngai", **PHONE)
    for slug in ("", "xep-hang/", "linh-vuc/"):
        phone.goto(f"/ky-danh-gia/{demo.year.pk}/bang-dieu-khien/{slug}")
        expect(phone.page.locator(".dashboard-chart svg").first).to_be_visible()
        assert_fits(phone)
        phone.shot(re.sub(r"[^a-z]", "", slug) or "progress")
    phone.assert_healthy()
