"""The admin as a province administrator sees it: only their province, and roles kept in step."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from communes.models import Membership, Role, Unit, UnitKind
from communes.services import PROVINCE_ADMIN_GROUP
from tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory

from .xlsx import xlsx_file

User = get_user_model()
STRONG = "Xa-BaThanh@2024"


@pytest.fixture
def elsewhere(world):
    """Another province with a commune and an officer, which world.admin must never see."""
    province = ProvinceFactory(name="Bình Định", code="52")
    district = DistrictFactory(name="Phù Cát", code="540", parent=province)
    commune = CommuneFactory(name="Cát Hải", code="21800", parent=district)
    officer = UserFactory(username="canbo.cathai")
    Membership.objects.create(user=officer, unit=commune, role=Role.COMMUNE_OFFICER)
    return province, commune, officer


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def test_province_admin_reaches_the_admin_index(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:communes_unit_changelist") in response.content.decode()


def test_unit_list_shows_only_the_admins_province_as_a_tree(admin_client, world, elsewhere):
    response = admin_client.get(reverse("admin:communes_unit_changelist"))
    assert response.status_code == 200
    units = list(response.context["cl"].result_list)
    assert units == sorted(units, key=lambda u: u.path)
    assert world.commune_a in units and world.commune_c in units
    assert elsewhere[1] not in units and elsewhere[0] not in units


def test_unit_list_filters_by_kind_and_searches(admin_client, world):
    response = admin_client.get(reverse("admin:communes_unit_changelist"), {"kind": UnitKind.DISTRICT})
    assert set(response.context["cl"].result_list) == {world.district, world.other_district}
    response = admin_client.get(reverse("admin:communes_unit_changelist"), {"q": "Ba Thành"})
    assert list(response.context["cl"].result_list) == [world.commune_a]


def test_unit_of_another_province_is_not_reachable(admin_client, elsewhere):
    response = admin_client.get(reverse("admin:communes_unit_change", args=[elsewhere[1].pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert response.url == reverse("admin:index")


def test_unit_page_has_lineage_signatories_and_recipients(admin_client, world):
    response = admin_client.get(reverse("admin:communes_unit_change", args=[world.commune_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for prefix in ("predecessor_links", "signatories", "recipients"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html


def _unit_data(**overrides):
    data = {
        "name": "Ba Tơ", "kind": UnitKind.COMMUNE, "code": "23000", "parent": "", "valid_from": "01/07/2025",
        "valid_to": "", "parent_name": "",
        "predecessor_links-TOTAL_FORMS": "0", "predecessor_links-INITIAL_FORMS": "0",
        "signatories-TOTAL_FORMS": "0", "signatories-INITIAL_FORMS": "0",
        "recipients-TOTAL_FORMS": "0", "recipients-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_province_admin_creates_a_two_tier_commune_with_lineage(admin_client, world):
    data = _unit_data(parent=world.province.pk, **{
        "predecessor_links-TOTAL_FORMS": "2",
        "predecessor_links-0-predecessor": world.commune_a.pk, "predecessor_links-0-effective_date": "01/07/2025",
        "predecessor_links-1-predecessor": world.commune_b.pk, "predecessor_links-1-effective_date": "01/07/2025",
    })
    response = admin_client.post(reverse("admin:communes_unit_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = Unit.objects.get(code="23000")
    assert new.path == f"{world.province.path}23000/"
    assert set(new.predecessors.all()) == {world.commune_a, world.commune_b}


def test_province_admin_cannot_create_a_unit_outside_their_province(admin_client, elsewhere):
    response = admin_client.post(reverse("admin:communes_unit_add"), _unit_data(parent=elsewhere[0].pk))
    assert response.status_code == 200
    assert not Unit.objects.filter(code="23000").exists()
    response = admin_client.post(reverse("admin:communes_unit_add"), _unit_data(kind=UnitKind.PROVINCE))
    assert "Bạn chỉ được tạo, sửa đơn vị thuộc tỉnh mình quản trị." in response.content.decode()
    assert not Unit.objects.filter(code="23000").exists()


def test_a_commune_cannot_hang_under_a_commune(admin_client, world):
    response = admin_client.post(reverse("admin:communes_unit_add"), _unit_data(parent=world.commune_a.pk))
    assert "Đơn vị cấp xã phải trực thuộc một huyện hoặc một tỉnh" in response.content.decode()


def test_changing_a_district_code_carries_the_path_to_its_communes(admin_client, world):
    data = _unit_data(name="Ba Tơ", kind=UnitKind.DISTRICT, code="513", parent=world.province.pk, valid_from="")
    response = admin_client.post(reverse("admin:communes_unit_change", args=[world.district.pk]), data)
    assert response.status_code == 302
    world.commune_a.refresh_from_db()
    assert world.commune_a.path == "/51/513/C1/"
    # the appraiser of the district still sees its communes
    from communes.selectors import units_visible_to

    assert world.commune_a in units_visible_to(User.objects.get(pk=world.appraiser.pk))


def test_user_list_shows_only_accounts_of_the_province(admin_client, world, elsewhere):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = admin_client.get(reverse("admin:auth_user_changelist"))
    users = set(response.context["cl"].result_list)
    assert {world.officer_a, world.appraiser, world.other_appraiser, world.admin} <= users
    assert elsewhere[2] not in users and root not in users


def test_user_list_filters_by_role(admin_client, world):
    response = admin_client.get(reverse("admin:auth_user_changelist"), {"vai_tro": Role.APPRAISER})
    assert set(response.context["cl"].result_list) == {world.appraiser, world.other_appraiser}


def test_province_admin_cannot_open_an_account_of_another_province(admin_client, elsewhere):
    response = admin_client.get(reverse("admin:auth_user_change", args=[elsewhere[2].pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    response = admin_client.get(reverse("admin:auth_user_password_change", args=[elsewhere[2].pk]))
    assert response.status_code == 404


def test_province_admin_cannot_make_anyone_superuser(admin_client, world):
    url = reverse("admin:auth_user_change", args=[world.officer_a.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="is_superuser"' not in html and 'name="groups"' not in html and 'name="is_staff"' not in html
    assert 'name="memberships-TOTAL_FORMS"' in html


def _membership_post(user, memberships, **extra):
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "last_login_0": "", "last_login_1": "",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
    }
    for i, m in enumerate(memberships):
        for key, value in m.items():
            data[f"memberships-{i}-{key}"] = value
        data[f"memberships-{i}-user"] = user.pk
    data.update(extra)
    return data


def test_granting_province_admin_in_the_inline_gives_admin_access(admin_client, world):
    m = Membership.objects.get(user=world.appraiser)
    data = _membership_post(world.appraiser, [
        {"id": m.pk, "unit": world.district.pk, "role": Role.APPRAISER},
        {"unit": world.province.pk, "role": Role.PROVINCE_ADMIN},
    ])
    response = admin_client.post(reverse("admin:auth_user_change", args=[world.appraiser.pk]), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    world.appraiser.refresh_from_db()
    assert world.appraiser.is_staff
    assert world.appraiser.groups.filter(name=PROVINCE_ADMIN_GROUP).exists()


def test_removing_province_admin_in_the_inline_removes_admin_access(client, world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    m = Membership.objects.get(user=world.admin)
    data = _membership_post(world.admin, [
        {"id": m.pk, "unit": world.province.pk, "role": Role.PROVINCE_ADMIN, "DELETE": "on"},
    ], is_staff="on")
    data.update({"date_joined_0": "01/01/2024", "date_joined_1": "08:00:00"})
    response = client.post(reverse("admin:auth_user_change", args=[world.admin.pk]), data)
    assert response.status_code == 302
    world.admin.refresh_from_db()
    assert not world.admin.is_staff
    assert not world.admin.groups.exists()


def test_inline_refuses_a_role_on_a_unit_of_the_wrong_kind(admin_client, world):
    m = Membership.objects.get(user=world.officer_a)
    data = _membership_post(world.officer_a, [
        {"id": m.pk, "unit": world.commune_a.pk, "role": Role.COMMUNE_OFFICER},
        {"unit": world.district.pk, "role": Role.COMMUNE_LEADER},
    ])
    response = admin_client.post(reverse("admin:auth_user_change", args=[world.officer_a.pk]), data)
    assert response.status_code == 200
    assert "phải gắn với một xã" in response.content.decode()
    assert Membership.objects.filter(user=world.officer_a).count() == 1


def test_province_admin_adds_an_account_with_its_first_role(admin_client, world):
    response = admin_client.post(reverse("admin:auth_user_add"), {
        "username": "canbo.moi", "usable_password": "true", "password1": STRONG, "password2": STRONG,
        "full_name": "Hồ Thị Lan", "email": "lan@example.vn", "unit": world.commune_b.pk,
        "role": Role.COMMUNE_OFFICER,
    })
    assert response.status_code == 302
    user = User.objects.get(username="canbo.moi")
    assert user.get_full_name() == "Hồ Thị Lan"
    assert Membership.objects.get(user=user).unit == world.commune_b
    # and still sees it afterwards
    assert admin_client.get(response.url).status_code == 200


def test_province_admin_must_give_a_new_account_a_unit(admin_client):
    response = admin_client.post(reverse("admin:auth_user_add"), {
        "username": "canbo.moi", "usable_password": "true", "password1": STRONG, "password2": STRONG,
    })
    assert response.status_code == 200
    assert not User.objects.filter(username="canbo.moi").exists()


def test_membership_admin_lists_only_the_province(admin_client, world, elsewhere):
    response = admin_client.get(reverse("admin:communes_membership_changelist"))
    memberships = list(response.context["cl"].result_list)
    assert Membership.objects.get(user=world.officer_a) in memberships
    assert not any(m.user == elsewhere[2] for m in memberships)


def test_deleting_a_province_admin_membership_revokes_admin_access(client, world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    m = Membership.objects.get(user=world.admin)
    response = client.post(reverse("admin:communes_membership_delete", args=[m.pk]), {"post": "yes"})
    assert response.status_code == 302
    world.admin.refresh_from_db()
    assert not world.admin.is_staff


def test_non_staff_is_sent_to_the_admin_login(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("admin:communes_unit_changelist"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


# Bulk creation page.

def test_import_page_is_linked_from_the_account_list(admin_client):
    response = admin_client.get(reverse("admin:auth_user_changelist"))
    assert reverse("admin:auth_user_import") in response.content.decode()
    assert "Tạo tài khoản hàng loạt từ Excel" in response.content.decode()


def test_import_page_creates_accounts_and_shows_generated_passwords_once(admin_client, world):
    upload = xlsx_file([
        ["C1", "canbo2.c1", "Nguyễn Văn An", "", "Cán bộ xã", ""],
        ["C2", "lanhdao.c2", "Trần Văn Bảy", "", "Lãnh đạo xã", STRONG],
    ])
    response = admin_client.post(reverse("admin:auth_user_import"), {"source": upload})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    generated = response.context["result"].accounts[0].password
    assert escape(generated) in html and STRONG not in html
    assert 'download="danh-sach-tai-khoan.xlsx"' in html
    assert User.objects.filter(username__in=["canbo2.c1", "lanhdao.c2"]).count() == 2
    # a second look at the page shows the form, never the passwords again
    again = admin_client.get(reverse("admin:auth_user_import"))
    assert escape(generated) not in again.content.decode()


def test_import_page_lists_errors_in_vietnamese_and_creates_nothing(admin_client):
    upload = xlsx_file([
        ["C1", "canbo2.c1", "Nguyễn Văn An", "", "Cán bộ xã", ""],
        ["C404", "canbo2.c404", "Nguyễn Văn Bình", "", "Thủ quỹ", "123"],
    ])
    response = admin_client.post(reverse("admin:auth_user_import"), {"source": upload})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert "Dòng 3: mã đơn vị “C404” không tồn tại." in errors
    assert any(e.startswith("Dòng 3: vai trò “Thủ quỹ” không hợp lệ") for e in errors)
    assert not User.objects.filter(username__startswith="canbo2.").exists()


def test_import_page_refuses_another_file_type(admin_client):
    upload = xlsx_file([])
    upload.name = "danh-sach.csv"
    response = admin_client.post(reverse("admin:auth_user_import"), {"source": upload})
    assert "Chỉ nhận tệp Excel định dạng .xlsx." in response.content.decode()


def test_import_template_downloads(admin_client):
    response = admin_client.get(reverse("admin:auth_user_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_import_page_needs_admin_access(client, world):
    client.force_login(world.appraiser)
    response = client.get(reverse("admin:auth_user_import"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))



def test_unit_autocomplete_offers_only_units_of_the_province(admin_client, world, elsewhere):
    params = {"app_label": "communes", "model_name": "membership", "field_name": "unit"}
    found = admin_client.get(reverse("admin:autocomplete"), {**params, "term": "Ba"}).json()["results"]
    assert {r["text"] for r in found} >= {"xã Ba Thành", "xã Ba Động"}
    found = admin_client.get(reverse("admin:autocomplete"), {**params, "term": "Cát"}).json()["results"]
    assert found == []


def test_membership_admin_refuses_an_account_the_province_admin_does_not_manage(admin_client, world, elsewhere):
    # A role given to an account without roles, or of another province, would bring that account
    # under this administrator (password included): only accounts already in the province qualify.
    roleless = UserFactory(username="cu.canbo")
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    for user in (roleless, elsewhere[2], root):
        response = admin_client.post(reverse("admin:communes_membership_add"), {
            "user": user.pk, "unit": world.commune_b.pk, "role": Role.COMMUNE_OFFICER, "title": "", "phone": "",
        })
        assert response.status_code == 200, user
        assert not Membership.objects.filter(user=user, unit=world.commune_b).exists()
    response = admin_client.post(reverse("admin:communes_membership_add"), {
        "user": world.officer_a.pk, "unit": world.commune_b.pk, "role": Role.COMMUNE_OFFICER, "title": "",
        "phone": "",
    })
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.officer_a, unit=world.commune_b).exists()

