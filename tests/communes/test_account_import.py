from io import BytesIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from openpyxl import load_workbook

from communes.models import Membership, Role
from communes.services import (
    PROVINCE_ADMIN_GROUP,
    AccountImportError,
    accounts_export_xlsx,
    accounts_import_xlsx,
    password_generate,
)
from tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory

from .xlsx import xlsx_file

User = get_user_model()
STRONG = "Xa-BaThanh@2024"


def _import(world, rows, actor=None, **kwargs):
    return accounts_import_xlsx(source=xlsx_file(rows, **kwargs), actor=actor or world.admin)


def test_it_creates_accounts_with_their_roles(world):
    result = _import(world, [
        ["C1", "canbo.c1", "Nguyễn Văn An", "an@example.vn", "Cán bộ xã", STRONG],
        ["D1", "thamdinh.d1", "Trần Thị Bình", "", "Cán bộ thẩm định", STRONG],
        ["51", "quantri2", "Lê Văn Cường", "", "Quản trị cấp tỉnh", STRONG],
    ])
    assert [a.username for a in result.accounts] == ["canbo.c1", "thamdinh.d1", "quantri2"]
    an = User.objects.get(username="canbo.c1")
    assert an.get_full_name() == "Nguyễn Văn An"
    assert an.email == "an@example.vn"
    assert Membership.objects.get(user=an).role == Role.COMMUNE_OFFICER
    assert Membership.objects.get(user__username="thamdinh.d1").unit == world.district
    assert authenticate(username="canbo.c1", password=STRONG) == an
    admin2 = User.objects.get(username="quantri2")
    assert admin2.is_staff and admin2.groups.filter(name=PROVINCE_ADMIN_GROUP).exists()


def test_it_generates_a_strong_password_when_the_cell_is_empty(world):
    result = _import(world, [["C2", "canbo.c2", "Phạm Thị Dung", "", "cán bộ  XÃ", None]])
    account = result.accounts[0]
    assert account.password_generated and len(account.password) >= 12
    assert result.generated == [account]
    assert authenticate(username="canbo.c2", password=account.password) is not None


def test_the_download_lists_generated_passwords_only(world):
    result = _import(world, [
        ["C1", "canbo.c1", "Nguyễn Văn An", "", "Cán bộ xã", STRONG],
        ["C2", "canbo.c2", "Phạm Thị Dung", "", "Cán bộ xã", ""],
    ])
    sheet = load_workbook(BytesIO(accounts_export_xlsx(accounts=result.accounts))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][2] == "canbo.c1" and rows[0][6] is None
    assert rows[1][2] == "canbo.c2" and rows[1][6] == result.accounts[1].password


def test_it_accepts_a_unit_code_typed_as_a_number(world):
    CommuneFactory(name="Ba Điền", code="21202", parent=world.district)
    _import(world, [[21202, "canbo.badien", "Đinh Văn Em", "", "Cán bộ xã", STRONG]])
    assert Membership.objects.get(user__username="canbo.badien").unit.code == "21202"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["C9", "x.one", "Nguyễn An", "", "Cán bộ xã", STRONG], "Dòng 2: mã đơn vị “C9” không tồn tại."),
        (["C1", "officer_a", "Nguyễn An", "", "Cán bộ xã", STRONG], "Dòng 2: tên đăng nhập “officer_a” đã có"),
        (["C1", "OFFICER_A", "Nguyễn An", "", "Cán bộ xã", STRONG], "Dòng 2: tên đăng nhập “OFFICER_A” đã có"),
        (["C1", "x one", "Nguyễn An", "", "Cán bộ xã", STRONG], "tên đăng nhập “x one” không hợp lệ"),
        (["C1", "x.one", "Nguyễn An", "", "Chủ tịch", STRONG], "Dòng 2: vai trò “Chủ tịch” không hợp lệ"),
        (["C1", "x.one", "Nguyễn An", "", "Cán bộ xã", "12345678"], "Dòng 2: mật khẩu không đạt yêu cầu"),
        (["C1", "x.one", "Nguyễn An", "", "Cán bộ xã", "abc"], "Dòng 2: mật khẩu không đạt yêu cầu"),
        (["C1", "x.one", "Nguyễn An", "khong-phai-email", "Cán bộ xã", STRONG], "email “khong-phai-email”"),
        (["D1", "x.one", "Nguyễn An", "", "Cán bộ xã", STRONG], "phải gắn với một xã"),
        (["C1", "", "Nguyễn An", "", "Cán bộ xã", STRONG], "Dòng 2: thiếu “Tên đăng nhập”."),
    ],
)
def test_it_refuses_a_bad_row_with_its_number_and_reason(world, row, message):
    with pytest.raises(AccountImportError) as caught:
        _import(world, [row])
    assert any(message in e for e in caught.value.errors), caught.value.errors
    assert not User.objects.filter(username__in=["x.one", "x one"]).exists()


def test_one_bad_row_creates_nothing(world):
    with pytest.raises(AccountImportError) as caught:
        _import(world, [
            ["C1", "good.one", "Nguyễn Văn An", "", "Cán bộ xã", STRONG],
            ["C2", "good.two", "Nguyễn Văn Bình", "", "Cán bộ xã", STRONG],
            ["ZZ", "bad.three", "Nguyễn Văn Cường", "", "Cán bộ xã", STRONG],
        ])
    assert caught.value.errors == ["Dòng 4: mã đơn vị “ZZ” không tồn tại."]
    assert not User.objects.filter(username__startswith="good.").exists()


def test_it_reports_a_username_repeated_in_the_list(world):
    with pytest.raises(AccountImportError) as caught:
        _import(world, [
            ["C1", "trung.ten", "Nguyễn Văn An", "", "Cán bộ xã", STRONG],
            ["C2", "Trung.Ten", "Nguyễn Văn Bình", "", "Cán bộ xã", STRONG],
        ])
    assert caught.value.errors == ["Dòng 3: tên đăng nhập “Trung.Ten” bị trùng với dòng 2."]


def test_a_province_admin_cannot_create_accounts_in_another_province(world):
    other = ProvinceFactory(name="Bình Định", code="52")
    commune = CommuneFactory(name="Nhơn Lý", code="21700", parent=DistrictFactory(code="540", parent=other))
    with pytest.raises(AccountImportError) as caught:
        _import(world, [[commune.code, "canbo.nhonly", "Võ Văn Hải", "", "Cán bộ xã", STRONG]])
    assert "bạn không quản lý đơn vị “21700”" in caught.value.errors[0]
    assert not User.objects.filter(username="canbo.nhonly").exists()


def test_only_province_admins_may_import(world):
    with pytest.raises(AccountImportError, match="Chỉ quản trị cấp tỉnh"):
        _import(world, [["C1", "x.one", "Nguyễn An", "", "Cán bộ xã", STRONG]], actor=world.appraiser)


def test_it_names_missing_columns(world):
    with pytest.raises(AccountImportError) as caught:
        _import(world, [["C1", "x.one"]], header=["Mã đơn vị", "Tên đăng nhập"])
    assert "thiếu cột “Họ và tên”, “Vai trò”" in caught.value.errors[0]


def test_it_refuses_a_file_that_is_not_xlsx(world):
    with pytest.raises(AccountImportError, match="không phải là bảng tính Excel"):
        accounts_import_xlsx(source=BytesIO(b"username,password\n"), actor=world.admin)


def test_empty_rows_are_skipped_and_an_empty_list_is_refused(world):
    with pytest.raises(AccountImportError, match="không có dòng dữ liệu"):
        _import(world, [[None, None, None, None, None, None]])


def test_generated_passwords_avoid_characters_that_html_or_dictation_mangle():
    for _ in range(200):
        password = password_generate()
        assert not set(password) & set("&<>\"' ")
