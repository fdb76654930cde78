"""Accounts and roles: granting a role keeps the account's admin access in step with it, and a
province administrator can create many commune accounts at once from an Excel list."""

import secrets
import string
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from parindex.errors import ParIndexError
from parindex.spreadsheets import workbook_save
from parindex.xlsx_import import XlsxImportError, sheet_rows, xlsx_workbook

from .models import COMMUNE_KINDS, DEPARTMENT_KINDS, DISTRICT_KINDS, PROVINCE_KINDS, Membership, Role, Unit
from .selectors import user_has_role_over

PROVINCE_ADMIN_GROUP = "Quản trị cấp tỉnh"

# What a province administrator manages in the Django admin: criteria sets (with their items),
# evaluation years, units (with lineage, signatories, recipients) and accounts (with their roles).
PROVINCE_ADMIN_MODELS = {
    "parindex": ("criteriaset", "item", "evaluationyear"),
    "communes": ("unit", "unitlineage", "signatory", "recipient", "membership"),
    "auth": ("user",),
}


def province_admin_group_ensure():
    """The group holding the province administrators' model permissions, created on first use."""
    group, _ = Group.objects.get_or_create(name=PROVINCE_ADMIN_GROUP)
    of_managed_models = Q()
    for app_label, models in PROVINCE_ADMIN_MODELS.items():
        of_managed_models |= Q(content_type__app_label=app_label, content_type__model__in=models)
    wanted = set(Permission.objects.filter(of_managed_models).values_list("pk", flat=True))
    current = set(group.permissions.values_list("pk", flat=True))
    if current != wanted:
        group.permissions.set(wanted)
    return group


def user_admin_access_sync(*, user):
    """is_staff and the province administrators' group follow the user's roles: whoever holds a
    province-admin role gets into the admin with the group's permissions, and loses both when the
    role goes. Superusers keep their access whatever their roles."""
    is_province_admin = Membership.objects.filter(user=user, role=Role.PROVINCE_ADMIN).exists()
    if is_province_admin:
        user.groups.add(province_admin_group_ensure())
    else:
        # Only a former administrator can be in the group: everyone else costs one query here, which
        # matters when an import grants roles to two thousand commune accounts.
        former = list(user.groups.filter(name=PROVINCE_ADMIN_GROUP))
        if former:
            user.groups.remove(*former)
    staff = is_province_admin or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    # memberships_of() caches on the user object; a grant in the same request must be seen.
    if hasattr(user, "_par_memberships"):
        del user._par_memberships
    return user


ROLE_UNIT_KINDS = {
    Role.COMMUNE_OFFICER: COMMUNE_KINDS,
    Role.COMMUNE_LEADER: COMMUNE_KINDS,
    Role.APPRAISER: DISTRICT_KINDS | PROVINCE_KINDS | DEPARTMENT_KINDS,
    Role.PROVINCE_ADMIN: PROVINCE_KINDS,
    Role.VIEWER: COMMUNE_KINDS | DISTRICT_KINDS | PROVINCE_KINDS,
}


def role_unit_mismatch(*, role, unit):
    """Why `role` cannot be held on `unit` (a Vietnamese sentence), or None when it fits."""
    if unit.kind in ROLE_UNIT_KINDS[role]:
        return None
    where = {
        Role.COMMUNE_OFFICER: "một xã, phường, thị trấn hoặc đặc khu",
        Role.COMMUNE_LEADER: "một xã, phường, thị trấn hoặc đặc khu",
        Role.APPRAISER: "một huyện, một tỉnh (chính quyền hai cấp) hoặc một sở, ngành",
        Role.PROVINCE_ADMIN: "một tỉnh, thành phố trực thuộc trung ương",
        Role.VIEWER: "một đơn vị hành chính",
    }[role]
    return f"Vai trò “{Role(role).label}” phải gắn với {where}, không gắn với {unit.display_name}."


class MembershipError(ParIndexError):
    """A refused role change; the message is Vietnamese and says why."""


def membership_grant(*, user, unit, role, title="", phone=""):
    """Give `user` the `role` over `unit` (idempotent) and bring their admin access in step."""
    reason = role_unit_mismatch(role=role, unit=unit)
    if reason:
        raise MembershipError(reason)
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title, "phone": phone},
    )
    user_admin_access_sync(user=user)
    return membership


def membership_revoke(*, membership):
    user = membership.user
    membership.delete()
    user_admin_access_sync(user=user)


def actor_may_manage_unit(*, actor, unit):
    """A superuser manages every unit; a province administrator the units of their province."""
    return actor.is_superuser or user_has_role_over(actor, unit, [Role.PROVINCE_ADMIN])


# --- Bulk creation of accounts from an Excel list -------------------------------------------

# Symbols that survive being read out, typed on a phone and pasted into HTML or a spreadsheet.
PASSWORD_ALPHABET = string.ascii_letters + string.digits + "@#%*-_+="
GENERATED_PASSWORD_LENGTH = 14
MAX_IMPORT_ROWS = 2000

IMPORT_COLUMNS = {
    "unit_code": "Mã đơn vị",
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "email": "Email",
    "role": "Vai trò",
    "password": "Mật khẩu",
}
REQUIRED_COLUMNS = ("unit_code", "username", "full_name", "role")

# The short labels the list uses, as well as the full labels and codes of Role.
ROLE_LABELS = {
    "can bo xa": Role.COMMUNE_OFFICER,
    "lanh dao xa": Role.COMMUNE_LEADER,
    "can bo tham dinh": Role.APPRAISER,
    "quan tri cap tinh": Role.PROVINCE_ADMIN,
    "nguoi xem": Role.VIEWER,
}


def _fold(text):
    """Lower case without diacritics or extra spaces, so "Cán bộ  xã" and "can bo xa" match."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.lower().split())


def role_from_label(label):
    folded = _fold(label)
    if folded in ROLE_LABELS:
        return ROLE_LABELS[folded]
    for role in Role:
        if folded in (_fold(role.label), role.value):
            return role
    return None


def password_generate():
    """A random password that passes the validators: letters of both cases, digits and a symbol."""
    while True:
        candidate = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(GENERATED_PASSWORD_LENGTH))
        if (any(c.islower() for c in candidate) and any(c.isupper() for c in candidate)
                and any(c.isdigit() for c in candidate) and any(not c.isalnum() for c in candidate)):
            return candidate


def split_full_name(full_name):
    """"Nguyễn Văn An" → ("Nguyễn Văn", "An"): get_full_name() then prints it back in Vietnamese order."""
    parts = full_name.split()
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]


@dataclass
class ImportedAccount:
    row: int
    username: str
    full_name: str
    email: str
    unit: Unit
    role: str
    password: str
    password_generated: bool

    @property
    def role_label(self):
        return Role(self.role).label


@dataclass
class AccountImportResult:
    accounts: list = field(default_factory=list)

    @property
    def generated(self):
        return [a for a in self.accounts if a.password_generated]


class AccountImportError(ParIndexError):
    """The list was refused as a whole; `errors` are Vietnamese lines naming the row and the reason."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a unit code typed as a number: 21199.0 → "21199"
    return str(value).strip()


def _read_rows(source, *, columns=IMPORT_COLUMNS, required=REQUIRED_COLUMNS, error=None, what="tài khoản"):
    """(row number, {column key: text}) for each non-empty row under the header row. `columns` maps
    keys to the header titles looked for; refusals raise `error` (AccountImportError by default), so
    the unit import (communes/unit_import.py) reads its list the same way."""
    error = error or AccountImportError
    try:
        with xlsx_workbook(source) as workbook:
            return _rows_of(workbook.worksheets[0], columns=columns, required=required, error=error, what=what)
    except XlsxImportError as exc:
        raise error(exc.lines) from None


def _rows_of(sheet, *, columns, required, error, what):
    # Header and a few blank rows above the limit of accounts: beyond that the file is refused unread.
    rows = (values for _, values in sheet_rows(sheet, max_rows=MAX_IMPORT_ROWS + 50))
    header = next(rows, None)
    if not header:
        raise error(["Bảng tính trống: dòng 1 phải là tiêu đề cột."])
    wanted = {_fold(label): key for key, label in columns.items()}
    positions = {}
    for index, title in enumerate(header):
        key = wanted.get(_fold(title))
        if key and key not in positions:
            positions[key] = index
    missing = [columns[k] for k in required if k not in positions]
    if missing:
        raise error([
            "Dòng 1: thiếu cột " + ", ".join(f"“{m}”" for m in missing)
            + ". Các cột cần có: " + ", ".join(columns.values()) + "."
        ])
    parsed = []
    for number, values in enumerate(rows, start=2):
        record = {
            key: _cell_text(values[i] if i < len(values) else None) for key, i in positions.items()
        }
        if any(record.values()):
            parsed.append((number, record))
        if len(parsed) > MAX_IMPORT_ROWS:
            raise error([f"Danh sách quá dài: tối đa {MAX_IMPORT_ROWS} {what} mỗi lần."])
    return parsed


def _validate_row(number, record, *, actor, units, seen_usernames, existing_usernames):
    User = get_user_model()
    errors = []

    def error(text):
        errors.append(f"Dòng {number}: {text}")

    for key in REQUIRED_COLUMNS:
        if not record.get(key):
            error(f"thiếu “{IMPORT_COLUMNS[key]}”.")
    if errors:
        return errors, None

    unit = units.get(record["unit_code"])
    if unit is None:
        error(f"mã đơn vị “{record['unit_code']}” không tồn tại.")
    elif not actor_may_manage_unit(actor=actor, unit=unit):
        error(f"bạn không quản lý đơn vị “{record['unit_code']}” ({unit.display_name}).")

    username = record["username"]
    try:
        User.username_validator(username)
        if len(username) > User._meta.get_field("username").max_length:
            raise ValidationError("too long")
    except ValidationError:
        error(f"tên đăng nhập “{username}” không hợp lệ (chỉ dùng chữ không dấu, số và các ký tự @ . + - _, "
              "tối đa 150 ký tự).")
    else:
        if username.lower() in existing_usernames:
            error(f"tên đăng nhập “{username}” đã có người dùng.")
        elif username.lower() in seen_usernames:
            error(f"tên đăng nhập “{username}” bị trùng với dòng {seen_usernames[username.lower()]}.")
        else:
            seen_usernames[username.lower()] = number

    role = role_from_label(record["role"])
    if role is None:
        error(f"vai trò “{record['role']}” không hợp lệ. Chọn một trong: Cán bộ xã, Lãnh đạo xã, "
              "Cán bộ thẩm định, Quản trị cấp tỉnh, Người xem.")
    elif unit is not None:
        mismatch = role_unit_mismatch(role=role, unit=unit)
        if mismatch:
            error(mismatch)

    email = record.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error(f"email “{email}” không hợp lệ.")

    first_name, last_name = split_full_name(record["full_name"])
    password = record.get("password", "")
    generated = not password
    if generated:
        password = password_generate()
    probe = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, user=probe)
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        error(f"mật khẩu không đạt yêu cầu: {reason}")
    if errors:
        return errors, None
    return [], ImportedAccount(
        row=number, username=username, full_name=" ".join(record["full_name"].split()), email=email, unit=unit,
        role=role, password=password, password_generated=generated,
    )


def accounts_import_xlsx(*, source, actor):
    """Create the accounts listed in an Excel file, all or none.

    Columns (row 1): Mã đơn vị, Tên đăng nhập, Họ và tên, Email, Vai trò, Mật khẩu (optional; a strong
    random one is generated when empty and returned once in the result). Raises AccountImportError
    with one Vietnamese line per problem, naming the row, and creates nothing."""
    if not (actor.is_superuser or Membership.objects.filter(user=actor, role=Role.PROVINCE_ADMIN).exists()):
        raise AccountImportError(["Chỉ quản trị cấp tỉnh được tạo tài khoản hàng loạt."])
    rows = _read_rows(source)
    if not rows:
        raise AccountImportError(["Bảng tính không có dòng dữ liệu nào dưới dòng tiêu đề."])
    User = get_user_model()
    codes = {r["unit_code"] for _, r in rows if r.get("unit_code")}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    names = {r["username"].lower() for _, r in rows if r.get("username")}
    # Usernames differing only in case would be two accounts a person cannot tell apart.
    existing = set(
        User.objects.annotate(folded=Lower("username")).filter(folded__in=names).values_list("folded", flat=True)
    )
    errors, accounts, seen = [], [], {}
    for number, record in rows:
        row_errors, account = _validate_row(
            number, record, actor=actor, units=units, seen_usernames=seen, existing_usernames=existing,
        )
        errors += row_errors
        if account:
            accounts.append(account)
    if errors:
        raise AccountImportError(errors)
    with transaction.atomic():
        for account in accounts:
            first_name, last_name = split_full_name(account.full_name)
            user = User(username=account.username, first_name=first_name, last_name=last_name, email=account.email)
            user.set_password(account.password)
            user.save()
            membership_grant(user=user, unit=account.unit, role=account.role)
    return AccountImportResult(accounts=accounts)


def accounts_export_xlsx(*, accounts):
    """The created accounts with their generated passwords, as XLSX bytes, for the one-time download."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tài khoản"
    sheet.append(["Mã đơn vị", "Đơn vị", "Tên đăng nhập", "Họ và tên", "Email", "Vai trò", "Mật khẩu"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for a in accounts:
        # Passwords the administrator typed are theirs already; only generated ones are handed out.
        password = a.password if a.password_generated else ""
        sheet.append([a.unit.code, a.unit.display_name, a.username, a.full_name, a.email, a.role_label, password])
    for column, width in zip("ABCDEFG", (10, 24, 22, 26, 28, 30, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook_save(workbook, buffer)
    return buffer.getvalue()


def account_import_template_xlsx():
    """An empty list with the expected columns and one example row, for administrators to fill."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách tài khoản"
    sheet.append(list(IMPORT_COLUMNS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["21199", "canbo.vidu", "Nguyễn Văn An", "an@example.vn", "Cán bộ xã", ""])
    roles = DataValidation(
        type="list", formula1='"Cán bộ xã,Lãnh đạo xã,Cán bộ thẩm định,Quản trị cấp tỉnh,Người xem"',
        allow_blank=False,
    )
    sheet.add_data_validation(roles)
    roles.add("E2:E2000")
    for column, width in zip("ABCDEF", (12, 22, 26, 28, 22, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook_save(workbook, buffer)
    return buffer.getvalue()


def unit_descendant_paths_update(*, unit, old_path):
    """After a unit's code or parent changed, carry its new path down to every descendant: the
    visibility rule reads paths, so a stale one would hide or leak a whole subtree."""
    if old_path == unit.path:
        return 0
    descendants = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
    for d in descendants:
        d.path = unit.path + d.path[len(old_path):]
    Unit.objects.bulk_update(descendants, ["path"])
    return len(descendants)
