"""Signing in with username and password, and landing on one's work."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from communes.models import Role
from communes.services import membership_grant
from tests.factories import PASSWORD, CommuneFactory, UserFactory

User = get_user_model()


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password}, follow=False)


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_in_vietnamese(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in html
    assert 'name="username"' in html and 'name="password"' in html


def test_a_wrong_password_is_refused_and_the_username_kept(client, world):
    response = _sign_in(client, "officer_a", "sai-mat-khau")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert 'value="officer_a"' in response.content.decode()
    assert response.context["form"].errors


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("officer_a", lambda w: reverse("score_sheet", args=[w.assessment_a.pk])),
        ("leader_a", lambda w: reverse("score_sheet", args=[w.assessment_a.pk])),
        ("officer_b", lambda w: reverse("score_sheet", args=[w.assessment_b.pk])),
        ("appraiser", lambda w: reverse("appraisal_queue")),
        ("other_appraiser", lambda w: reverse("appraisal_queue")),
        ("admin", lambda w: reverse("year_progress", args=[w.year.pk])),
    ],
)
def test_after_login_each_role_lands_on_its_work(client, world, persona, landing):
    username = getattr(world, persona).username
    response = _sign_in(client, username)
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url == landing(world)
    assert client.get(home.url).status_code == 200


def test_a_viewer_lands_on_the_list_of_what_they_may_see(client, world):
    _sign_in(client, "viewer")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "xã Ba Thành" in html and "xã Ba Động" in html
    assert "Long Hiệp" not in html


def test_an_account_without_a_role_is_told_to_ask_the_administrator(client, world):
    UserFactory(username="chua_giao")
    _sign_in(client, "chua_giao")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "chưa được giao đơn vị" in response.content.decode()


def test_an_officer_whose_commune_has_no_assessment_gets_the_fallback_page(client, world):
    commune = CommuneFactory(name="Ba Vinh", code="C9", parent=world.district)
    officer = UserFactory(username="canbo_c9")
    membership_grant(user=officer, unit=commune, role=Role.COMMUNE_OFFICER)
    _sign_in(client, "canbo_c9")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Ba Thành" not in response.content.decode()


def test_next_parameter_is_honoured_after_login(client, world):
    target = reverse("password_change")
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.url == target


def test_password_change_applies_djangos_validators(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert User.objects.get(pk=world.officer_a.pk).check_password(PASSWORD)


def test_password_change_accepts_a_strong_password(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Ba-Thanh@2025!", "new_password2": "Ba-Thanh@2025!",
    })
    assert response.status_code == 302
    assert User.objects.get(pk=world.officer_a.pk).check_password("Ba-Thanh@2025!")
