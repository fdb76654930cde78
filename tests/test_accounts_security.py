"""Accounts (issue 15, finding 8): login throttling with a Vietnamese lockout page, sessions that end
after hours of inactivity (not 14 days), and password reset by e-mail."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="canbo.bathanh", email="canbo.bathanh@example.vn")


def sign_in(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def test_wrong_passwords_lock_the_username_even_against_the_right_password(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in(client, user.username, "sai-mat-khau").status_code in (200, 429)
    response = sign_in(client, user.username, PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert 'id="lockout-message"' in html and "tạm khóa" in html
    assert f"trong {settings.AXES_COOLOFF_TIME.seconds // 60} phút" in html
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_throttled_too(client, db):
    staff = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, staff.username, "sai", url=url)
    assert sign_in(client, staff.username, PASSWORD, url=url).status_code == 429


def test_a_success_before_the_limit_resets_the_count(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user.username, "sai")
    assert sign_in(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user.username, "sai")
    assert sign_in(client, user.username, PASSWORD).status_code == 302


def test_another_username_is_not_locked(client, user):
    other = UserFactory(username="canbo.badong")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "sai")
    assert sign_in(client, other.username, PASSWORD).status_code == 302


def test_a_session_ends_after_eight_idle_hours_and_each_request_renews_it(client, user):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    response = sign_in(client, user.username, PASSWORD)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    response = client.get(reverse("password_change"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600  # renewed


def test_password_reset_by_email_in_vietnamese(client, user):
    html = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in html and "Quên mật khẩu" in html
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "đặt lại mật khẩu" in message.subject
    link = re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/\S+/)", message.body).group(1)
    form_url = client.get(link).url  # Django moves the token into the session, then shows the form
    html = client.get(form_url).content.decode()
    assert "Đặt mật khẩu mới" in html
    response = client.post(form_url, {"new_password1": "Mat-khau-moi-2025", "new_password2": "Mat-khau-moi-2025"})
    assert response.url == reverse("password_reset_complete")
    assert sign_in(client, user.username, "Mat-khau-moi-2025").status_code == 302


def test_an_unknown_email_is_not_revealed(client, user):
    response = client.post(reverse("password_reset"), {"email": "khong-co@example.vn"})
    assert response.url == reverse("password_reset_done") and mail.outbox == []


def test_a_used_link_is_refused_in_vietnamese(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/\S+/)", mail.outbox[0].body).group(1)
    user.set_password("Doi-roi-2025")
    user.save()
    html = client.get(link, follow=True).content.decode()
    assert "không hợp lệ" in html
