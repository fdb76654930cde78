"""Two-step verification (TOTP + backup codes) for administrators and appraisers (issue 15, accounts)."""

import datetime as dt
import re
import time
from base64 import b32decode

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex.services.two_factor import backup_codes_renew, totp_enrolment_start
from tests.factories import PASSWORD, UserFactory


def code_for_secret(secret, offset=0):
    """The code an authenticator app shows for the secret as the page prints it (groups of four)."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * offset
    return f"{totp.token():06d}"


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + 30 * offset
    return f"{totp.token():06d}"


def enrolled(user):
    device = totp_enrolment_start(user=user)
    device.confirmed = True
    device.save()
    codes = backup_codes_renew(user=user)
    return device, codes


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def unthrottle(user):
    """As if the wait after a wrong code had passed."""
    earlier = timezone.now() - dt.timedelta(minutes=5)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=earlier)
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=earlier)


# Enrolment


def test_an_appraiser_enrols_from_the_account_page_with_a_qr_code_and_the_secret(client, world):
    client.force_login(world.appraiser)
    html = client.get(reverse("account")).content.decode()
    assert "Xác thực hai bước" in html and "Chưa bật" in html
    page = client.get(reverse("two_factor_enrol"))
    html = page.content.decode()
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    assert f'src="{reverse("two_factor_qr")}"' in html
    qr = client.get(reverse("two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.lstrip().startswith(b"<?xml")
    assert b"<svg" in qr.content

    response = client.post(reverse("two_factor_enrol"), {"code": code_for_secret(secret)})
    html = response.content.decode()
    assert response.status_code == 200 and "chỉ hiện một lần" in html
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', html)
    assert len(codes) == 10
    device = TOTPDevice.objects.get(user=world.appraiser)
    assert device.confirmed
    assert set(StaticToken.objects.filter(device__user=world.appraiser).values_list("token", flat=True)) == set(codes)
    # The enrolling session has just proved the device: it keeps working without a second code.
    assert client.get(reverse("appraisal_queue")).status_code == 200
    assert "Đang bật" in client.get(reverse("account")).content.decode()


def test_the_backup_codes_are_shown_once_only(client, world):
    client.force_login(world.appraiser)
    device = totp_enrolment_start(user=world.appraiser)
    client.post(reverse("two_factor_enrol"), {"code": code_for(device)})
    html = client.get(reverse("account")).content.decode()
    assert re.search(r"[a-z2-7]{8}</li>", html) is None and "Còn <strong>10</strong> mã dự phòng" in html
    assert client.get(reverse("two_factor_enrol")).status_code == 302  # already on: no new codes


def test_a_wrong_code_at_enrolment_says_so_in_vietnamese_and_keeps_the_secret(client, world):
    client.force_login(world.appraiser)
    html = client.get(reverse("two_factor_enrol")).content.decode()
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    wrong = f"{(int(code_for_secret(secret)) + 1) % 1000000:06d}"
    response = client.post(reverse("two_factor_enrol"), {"code": wrong})
    html = response.content.decode()
    assert response.status_code == 200 and "Mã xác thực không đúng hoặc đã hết hạn" in html
    assert secret in html  # the same device: what was scanned still works
    assert not TOTPDevice.objects.filter(user=world.appraiser, confirmed=True).exists()
    response = client.post(reverse("two_factor_enrol"), {"code": "abc"})
    assert "Hãy nhập mã 6 chữ số" in response.content.decode()


def test_commune_officers_are_not_offered_two_factor(client, world):
    client.force_login(world.officer_a)
    assert "Xác thực hai bước" not in client.get(reverse("account")).content.decode()
    assert client.get(reverse("two_factor_enrol")).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_the_qr_code_is_only_the_enrolling_users_own(client, world):
    totp_enrolment_start(user=world.appraiser)
    client.force_login(world.other_appraiser)
    assert client.get(reverse("two_factor_qr")).status_code == 404  # nobody else's secret, ever
    client.logout()
    response = client.get(reverse("two_factor_qr"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_staff_and_province_administrators_may_enrol(client, world, db):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    for user in (superuser, world.admin):
        client.force_login(user)
        assert client.get(reverse("two_factor_enrol")).status_code == 200


# Login


def test_login_asks_for_the_code_after_the_password(client, world):
    device, _ = enrolled(world.appraiser)
    response = sign_in(client, world.appraiser)
    assert response.status_code == 302
    response = client.get(reverse("appraisal_queue"))
    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_verify')}?next=%2Ftham-dinh%2F"
    html = client.get(response.url).content.decode()
    assert "Nhập mã 6 chữ số" in html
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/tham-dinh/"})
    assert response.status_code == 302 and response.url == "/tham-dinh/"
    assert client.get(reverse("appraisal_queue")).status_code == 200


def test_without_the_code_no_page_opens_but_logout(client, world):
    enrolled(world.appraiser)
    sign_in(client, world.appraiser)
    for url in (reverse("home"), reverse("appraisal_queue"), reverse("account"), reverse("report_job_list"),
                reverse("appraisal_sheet", args=[world.assessment_a.pk]), reverse("two_factor_disable")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify")), url
    response = client.post(reverse("appraisal_transition", args=[world.assessment_a.pk, "start"]))
    assert response.status_code == 302 and response.url == reverse("two_factor_verify")
    # A fetch from an open page (autosave) is told with JSON, never a redirect it would follow silently.
    response = client.post("/tham-dinh/1/muc/1/luu/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401 and response.json()["login_url"] == reverse("two_factor_verify")
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_in_vietnamese_then_the_right_one_passes(client, world):
    device, _ = enrolled(world.appraiser)
    sign_in(client, world.appraiser)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("two_factor_verify"), {"code": wrong, "next": "/tham-dinh/"})
    html = response.content.decode()
    assert response.status_code == 200 and "Mã xác thực không đúng hoặc đã hết hạn" in html
    assert 'value="/tham-dinh/"' in html  # where the person was going is kept
    assert client.get(reverse("appraisal_queue")).url.startswith(reverse("two_factor_verify"))
    unthrottle(world.appraiser)
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert response.status_code == 302 and client.get(reverse("appraisal_queue")).status_code == 200


def test_wrong_codes_are_throttled_even_the_right_one_must_wait(client, world):
    device, _ = enrolled(world.appraiser)
    sign_in(client, world.appraiser)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    for _ in range(3):
        client.post(reverse("two_factor_verify"), {"code": wrong})
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    html = response.content.decode()
    assert response.status_code == 200 and "Bạn đã nhập sai mã nhiều lần. Hãy chờ" in html
    assert client.get(reverse("appraisal_queue")).url.startswith(reverse("two_factor_verify"))
    # Tries during the wait are refused unchecked: guessing faster gains nothing.
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1


def test_a_backup_code_logs_in_once(client, world):
    _, codes = enrolled(world.appraiser)
    sign_in(client, world.appraiser)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200 and "còn 9 mã" in response.content.decode()
    assert client.get(reverse("appraisal_queue")).status_code == 200
    client.logout()
    sign_in(client, world.appraiser)
    unthrottle(world.appraiser)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert client.get(reverse("appraisal_queue")).url.startswith(reverse("two_factor_verify"))


def test_users_without_a_device_log_in_with_the_password_alone(client, world):
    sign_in(client, world.appraiser)
    assert client.get(reverse("appraisal_queue")).status_code == 200
    assert client.get(reverse("two_factor_verify")).status_code == 302  # nothing to verify


def test_the_verify_step_does_not_send_anywhere_else(client, world):
    device, _ = enrolled(world.appraiser)
    sign_in(client, world.appraiser)
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response.url == reverse("home")


# Removal


def test_removal_needs_a_current_code_and_then_login_needs_the_password_only(client, world):
    device, _ = enrolled(world.appraiser)
    sign_in(client, world.appraiser)
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    wrong = f"{(int(code_for(device, 1)) + 1) % 1000000:06d}"
    response = client.post(reverse("two_factor_disable"), {"code": wrong})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.appraiser).exists()
    unthrottle(world.appraiser)
    response = client.post(reverse("two_factor_disable"), {"code": code_for(device, 1)})
    assert response.status_code == 302 and response.url == reverse("account")
    assert not TOTPDevice.objects.filter(user=world.appraiser).exists()
    assert not StaticDevice.objects.filter(user=world.appraiser).exists()
    client.logout()
    sign_in(client, world.appraiser)
    assert client.get(reverse("appraisal_queue")).status_code == 200


def test_removal_with_a_backup_code(client, world):
    device, codes = enrolled(world.appraiser)
    client.force_login(world.appraiser)
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    response = client.post(reverse("two_factor_disable"), {"code": codes[3]})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(user=world.appraiser).exists()


def test_one_user_cannot_remove_anothers_device(client, world):
    enrolled(world.appraiser)
    other_device, _ = enrolled(world.other_appraiser)
    client.force_login(world.other_appraiser)
    client.post(reverse("two_factor_verify"), {"code": code_for(other_device)})
    # The form acts on the signed-in user only; the appraiser's device stays whatever is posted.
    client.post(reverse("two_factor_disable"), {"code": code_for(other_device, 1), "user": world.appraiser.pk})
    assert TOTPDevice.objects.filter(user=world.appraiser, confirmed=True).exists()
    assert not TOTPDevice.objects.filter(user=world.other_appraiser).exists()


def test_new_backup_codes_need_an_authenticator_code_and_replace_the_old_ones(client, world):
    device, old_codes = enrolled(world.appraiser)
    sign_in(client, world.appraiser)
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert "Tạo mã dự phòng mới" in client.get(reverse("account")).content.decode()
    refused = client.post(reverse("two_factor_backup_codes_new"), {"code": old_codes[0]}).content.decode()
    assert "không dùng mã dự phòng" in refused
    assert StaticToken.objects.filter(device__user=world.appraiser, token=old_codes[0]).exists()
    response = client.post(reverse("two_factor_backup_codes_new"), {"code": code_for(device, 1)})
    html = response.content.decode()
    assert response.status_code == 200 and "Mã dự phòng mới" in html
    new_codes = re.findall(r'<li class="col">(\w+)</li>', html)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert set(StaticToken.objects.filter(device__user=world.appraiser).values_list("token", flat=True)) == set(new_codes)


def test_new_backup_codes_are_for_enrolled_eligible_accounts_only(client, world):
    client.force_login(world.officer_a)
    assert client.get(reverse("two_factor_backup_codes_new")).status_code == 403
    client.force_login(world.appraiser)
    response = client.get(reverse("two_factor_backup_codes_new"))
    assert response.status_code == 302 and response.url == reverse("account")


# Forced enrolment


@override_settings(PARINDEX_REQUIRE_2FA_FOR_STAFF=True)
def test_forced_enrolment_sends_staff_and_appraisers_to_enrol_first(client, world):
    sign_in(client, world.appraiser)
    response = client.get(reverse("appraisal_queue"))
    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_enrol')}?next=%2Ftham-dinh%2F"
    html = client.get(response.url).content.decode()
    assert "phải bật xác thực hai bước" in html
    device = TOTPDevice.objects.get(user=world.appraiser, confirmed=False)
    response = client.post(reverse("two_factor_enrol"), {"code": code_for(device), "next": "/tham-dinh/"})
    assert 'href="/tham-dinh/"' in response.content.decode()
    assert client.get(reverse("appraisal_queue")).status_code == 200


@override_settings(PARINDEX_REQUIRE_2FA_FOR_STAFF=True)
def test_forced_enrolment_leaves_commune_officers_alone(client, world):
    sign_in(client, world.officer_a)
    assert client.get(reverse("account")).status_code == 200
    assert client.get(reverse("score_sheet", args=[world.assessment_a.pk])).status_code == 200


@override_settings(PARINDEX_REQUIRE_2FA_FOR_STAFF=True)
def test_forced_enrolment_closes_the_admin_too(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_enrol"))


# The admin


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_admin_asks_for_the_code_of_an_enrolled_administrator(client, superuser):
    device, _ = enrolled(superuser)
    client.post(reverse("admin:login"), {"username": superuser.username, "password": PASSWORD})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_session(client, superuser, settings):
    enrolled(superuser)
    # Without the gate in the middleware, the admin site's own permission check still holds.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "parindex.two_factor.TwoFactorMiddleware"]
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_admin_opens_with_the_password_alone_without_a_device(client, superuser):
    client.post(reverse("admin:login"), {"username": superuser.username, "password": PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 200
