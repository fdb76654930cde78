"""Browser journeys of per-item autosave: nothing typed is lost when the connection drops, when the
session expires, when two tabs edit one item, when a workflow button is clicked before saving, or when
a refused value is left behind. Each step is a screenshot in $E2E_ARTIFACTS (autosave-*.png)."""

import re
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from parindex.demo import BA_DINH
from parindex.models import Assessment, AssessmentStatus, Score

pytestmark = pytest.mark.e2e


def _score(assessment, code):
    return Score.objects.get(assessment=assessment, item__code=code)


def _leaf(page, code):
    return page.locator(f'[data-code="{code}"]')


def _state(page, code):
    return _leaf(page, code).locator("[data-autosave-state]")


def _view_shot(persona, step):
    """A screenshot of what is on screen (the appraisal sheet is far too tall for a full-page one)."""
    persona.page.screenshot(path=str(persona.artifacts / f"{persona.journey}-{step}.png"), full_page=False)


def _open_sheet(persona, assessment):
    persona.goto(f"/tu-danh-gia/{assessment.pk}/")
    page = persona.page
    for details in page.locator("details.sheet-area").all():
        details.evaluate("d => d.open = true")
    return page


def _type_score(page, code, value, note=None):
    leaf = _leaf(page, code)
    leaf.locator("[data-autosave-field=self_score]").fill(value)
    if note is not None:
        leaf.locator("[data-autosave-field=note]").fill(note)
    leaf.locator("[data-autosave-field=note]").focus()
    leaf.locator("[data-autosave-field=note]").blur()


def test_typing_offline_keeps_every_value_and_sends_it_when_back_online(demo, browse):
    officer = browse("autosave-offline", "canbo.badong")
    page = _open_sheet(officer, demo.ba_dong)
    _type_score(page, "1.4", "1")
    expect(_state(page, "1.4")).to_have_text(re.compile(r"đã lưu lúc \d\d:\d\d"))
    officer.context.set_offline(True)
    _type_score(page, "1.5", "0,5", note="Gõ khi mất mạng")
    _type_score(page, "2.1.1", "1")
    expect(_state(page, "1.5")).to_contain_text("chưa gửi được")
    expect(_state(page, "2.1.1")).to_contain_text("chưa gửi được")
    expect(page.locator("[data-autosave-banner]")).to_contain_text("Có 2 giá trị chưa gửi được")
    officer.shot("1-offline-unsent")
    officer.context.set_offline(False)
    expect(_state(page, "1.5")).to_have_text(re.compile(r"đã lưu lúc"), timeout=30_000)
    expect(_state(page, "2.1.1")).to_have_text(re.compile(r"đã lưu lúc"), timeout=30_000)
    expect(page.locator("[data-autosave-banner]")).to_be_hidden()
    officer.shot("2-back-online-saved")
    a = demo.ba_dong
    assert _score(a, "1.4").self_score == Decimal("1")
    assert (_score(a, "1.5").self_score, _score(a, "1.5").self_note) == (Decimal("0.5"), "Gõ khi mất mạng")
    assert _score(a, "2.1.1").self_score == Decimal("1")
    officer.assert_healthy()


def test_an_expired_session_loses_nothing_after_logging_in_again(demo, browse):
    officer = browse("autosave-session", "canbo.badong")
    page = _open_sheet(officer, demo.ba_dong)
    Session.objects.all().delete()  # the session expires while the officer types
    _type_score(page, "1.4", "1,5", note="Gõ sau khi phiên hết hạn")
    expect(_state(page, "1.4")).to_contain_text("phiên đăng nhập đã hết hạn")
    login_link = page.locator("[data-autosave-login]")
    expect(login_link).to_be_visible()
    assert login_link.get_attribute("target") == "_blank"
    officer.shot("1-session-expired")
    # Log in again in a new tab, as the link offers, then come back to the sheet.
    with officer.context.expect_page() as opened:
        login_link.click()
    tab = opened.value
    tab.locator("#id_username").fill("canbo.badong")
    tab.locator("#id_password").fill(demo.password)
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.wait_for_load_state()
    tab.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(_state(page, "1.4")).to_have_text(re.compile(r"đã lưu lúc"), timeout=30_000)
    officer.shot("2-sent-after-login")
    s = _score(demo.ba_dong, "1.4")
    assert (s.self_score, s.self_note) == (Decimal("1.5"), "Gõ sau khi phiên hết hạn")


def test_two_tabs_editing_one_item_get_a_conflict_not_an_overwrite(demo, browse):
    officer = browse("autosave-conflict", "canbo.badong")
    first = _open_sheet(officer, demo.ba_dong)
    second_tab = officer.context.new_page()
    second_tab.goto(officer.url(f"/tu-danh-gia/{demo.ba_dong.pk}/"))
    for details in second_tab.locator("details.sheet-area").all():
        details.evaluate("d => d.open = true")
    _type_score(first, "1.5", "2")
    expect(_state(first, "1.5")).to_have_text(re.compile(r"đã lưu lúc"))
    _type_score(second_tab, "1.5", "0,5")
    expect(_state(second_tab, "1.5")).to_contain_text("xung đột")
    box = _leaf(second_tab, "1.5").locator("[data-autosave-conflict]")
    expect(box).to_contain_text("Của họ: 2 điểm")
    expect(box).to_contain_text("Của bạn: 0,5 điểm")
    _leaf(second_tab, "1.5").scroll_into_view_if_needed()
    second_tab.screenshot(path=str(officer.artifacts / "autosave-conflict-1-both-values.png"), full_page=False)
    assert _score(demo.ba_dong, "1.5").self_score == Decimal("2")  # nothing overwritten
    box.locator("[data-keep=mine]").click()
    expect(_state(second_tab, "1.5")).to_have_text(re.compile(r"đã lưu lúc"))
    assert _score(demo.ba_dong, "1.5").self_score == Decimal("0.5")  # kept on purpose


def test_a_refused_value_warns_before_leaving_the_page(demo, browse):
    officer = browse("autosave-refused", "canbo.badong")
    page = _open_sheet(officer, demo.ba_dong)
    page.remove_listener("dialog", officer._accept_dialog)
    seen = []

    def on_dialog(dialog):
        seen.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    _type_score(page, "1.4", "111,5")
    expect(_state(page, "1.4")).to_contain_text("lỗi: Điểm tự đánh giá 111,5 vượt điểm tối đa")
    officer.shot("1-refused")
    page.get_by_role("link", name=re.compile("Kế hoạch")).first.click()
    page.wait_for_timeout(500)
    assert "beforeunload" in seen
    assert f"/tu-danh-gia/{demo.ba_dong.pk}/" in page.url  # still on the sheet, value still there
    expect(_leaf(page, "1.4").locator("[data-autosave-field=self_score]")).to_have_value("111,5")


def test_the_appraiser_returning_with_unsaved_flags_loses_nothing(demo, browse):
    a = Assessment.objects.get(unit__code=BA_DINH, year=demo.year)
    assert a.status == AssessmentStatus.IN_APPRAISAL
    appraiser = browse("autosave-return", "thamdinh.bato")
    appraiser.goto(f"/tham-dinh/{a.pk}/")
    page = appraiser.page
    for code, comment in (("1.4", "Bổ sung biên bản họp"), ("2.1.1", "Tỷ lệ chưa khớp")):
        leaf = _leaf(page, code)
        leaf.locator("[data-autosave-field=flagged]").check()
        leaf.locator("[data-autosave-field=flag_comment]").fill(comment)  # typed, field not left
    _leaf(page, "2.1.1").scroll_into_view_if_needed()
    _view_shot(appraiser, "1-flags-typed")
    page.locator("#action-return button[type=submit]").click()
    expect(page.locator(".badge", has_text="Trả lại để giải trình")).to_be_visible()
    _view_shot(appraiser, "2-returned")
    assert any("Trả" in m for m in appraiser.dialogs), appraiser.dialogs
    a.refresh_from_db()
    assert a.status == AssessmentStatus.RETURNED
    assert _score(a, "1.4").flagged and _score(a, "1.4").flag_comment == "Bổ sung biên bản họp"
    assert _score(a, "2.1.1").flagged and _score(a, "2.1.1").flag_comment == "Tỷ lệ chưa khớp"
    appraiser.assert_healthy()


def test_the_appraisal_workflow_buttons_are_in_the_bottom_bar_on_a_phone(demo, browse):
    a = Assessment.objects.get(unit__code=BA_DINH, year=demo.year)
    appraiser = browse("autosave-phone", "thamdinh.bato", viewport={"width": 390, "height": 844},
                       is_mobile=True, has_touch=True)
    appraiser.goto(f"/tham-dinh/{a.pk}/")
    page = appraiser.page
    page.mouse.wheel(0, 20000)
    bar = page.locator(".sheet-actions-bar")
    button = bar.get_by_role("button", name=re.compile("Trả lại"))
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    _view_shot(appraiser, "1-bottom-bar")
