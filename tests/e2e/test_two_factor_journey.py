"""An appraiser turns on two-step verification in the browser: scans (here: reads) the secret, types
the code an authenticator app would show, keeps the backup codes, and from then on logs in with the
password and then a code; a wrong code is refused in Vietnamese."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect


def code_for_secret(secret, offset=0):
    """What an authenticator app shows for the secret as the page prints it (groups of four)."""
    plain = secret.replace(" ", "")
    totp = TOTP(b32decode(plain + "=" * (-len(plain) % 8)))
    totp.time = time.time() + 30 * offset
    return f"{totp.token():06d}"


@pytest.mark.e2e
def test_an_appraiser_enrols_and_then_logs_in_with_a_code(demo, browse):
    appraiser = browse("two-factor", "thamdinh.bato")
    page = appraiser.page
    console = []
    page.on("console", lambda msg: console.append(msg.text))

    appraiser.goto("/tai-khoan/")
    expect(page.locator("#two-factor-state")).to_have_text("Chưa bật.")
    page.get_by_role("link", name="Bật xác thực hai bước").click()
    qr = page.locator("#two-factor-qr")
    expect(qr).to_be_visible()
    width = qr.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
    assert width > 0, "the QR code did not load"
    secret = page.locator("#two-factor-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7 ]+", secret)
    appraiser.assert_healthy()
    appraiser.shot("01-enrol")

    page.get_by_label("Mã xác thực").fill(code_for_secret(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    codes = page.locator("#backup-codes li")
    expect(codes).to_have_count(10)
    backup = codes.first.inner_text().strip()
    appraiser.shot("02-backup-codes")
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.locator("#two-factor-state")).to_have_text("Đang bật.")

    page.get_by_role("button", name="Đăng xuất").click()
    page.locator("#id_username").fill("thamdinh.bato")
    page.locator("#id_password").fill(demo.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/xac-thuc/"))
    appraiser.shot("03-code-step")

    wrong = f"{(int(code_for_secret(secret, 1)) + 1) % 1000000:06d}"
    page.get_by_label("Mã xác thực").fill(wrong)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Mã xác thực không đúng hoặc đã hết hạn")).to_be_visible()
    appraiser.shot("04-wrong-code")
    # django-otp makes the next try wait a second after a wrong code.
    page.wait_for_timeout(1500)
    # The next time step: the enrolment already used this one, and a code is accepted only once.
    page.get_by_label("Mã xác thực").fill(code_for_secret(secret, 1))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/tham-dinh/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    appraiser.assert_healthy()
    appraiser.shot("05-queue")

    # A backup code works once, in place of the phone.
    page.get_by_role("button", name="Đăng xuất").click()
    page.locator("#id_username").fill("thamdinh.bato")
    page.locator("#id_password").fill(demo.password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Mã xác thực").fill(backup)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("còn 9 mã")).to_be_visible()
    assert not [m for m in console if "Content Security Policy" in m], console
