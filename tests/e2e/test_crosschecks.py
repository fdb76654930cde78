"""Cross-checks in a real browser, on the demo: xã Ba Động claims the maximum for 7.2.1 while its own
online rate is 81,04% ("Chưa đạt"); the pre-submit check and the score sheet (beside the item) warn."""

import pytest
from django.db.models import F
from playwright.sync_api import expect

from parindex.models import Score, ServiceFigures

pytestmark = pytest.mark.e2e


def test_the_officer_sees_the_online_rate_warning_beside_7_2_1(demo, browse):
    ba_dong = demo.ba_dong
    Score.objects.filter(assessment=ba_dong, item__code="7.2.1").update(self_score=F("max_points"),
                                                                        self_note="Đạt chỉ tiêu.")
    ServiceFigures.objects.create(assessment=ba_dong, dossiers_received=2500, dossiers_online=2026)
    officer = browse("crosschecks", "canbo.badong")
    page = officer.page
    officer.goto(f"/tu-danh-gia/{ba_dong.pk}/kiem-tra/")
    warnings = page.locator("#warnings-title + ul")
    expect(warnings).to_contain_text("Tỷ lệ hồ sơ trực tuyến chưa đạt chỉ tiêu được giao")
    expect(warnings).to_contain_text("81,04%")
    officer.assert_healthy()
    officer.shot("01-check")
    officer.goto(f"/tu-danh-gia/{ba_dong.pk}/#item-7.2.1")
    area = page.locator("#area-7")
    if not area.evaluate("d => d.open"):
        area.locator("summary").first.click()
    expect(area).to_have_attribute("open", "")
    item = page.locator('[id="item-7.2.1"]')
    expect(item.locator(".crosscheck-findings")).to_contain_text("81,04%")
    item.scroll_into_view_if_needed()
    officer.assert_healthy()
    item.screenshot(path=str(officer.artifacts / "crosschecks-02-sheet-item.png"))
