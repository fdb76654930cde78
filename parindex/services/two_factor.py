"""Two-step verification (TOTP with backup codes, django-otp): enrol, verify, remove.

A code of six digits is checked against the authenticator (TOTP) device, anything else against the
backup codes, so a typing mistake counts against one device only. django-otp throttles each device:
after n wrong codes the next try must wait 2^(n-1) seconds, and a try within that wait is refused
without being checked."""

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex.errors import ParIndexError
from parindex.selectors.two_factor import totp_device_pending, two_factor_eligible, two_factor_enabled

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Ứng dụng xác thực"
BACKUP_DEVICE_NAME = "Mã dự phòng"


class TwoFactorError(ParIndexError):
    pass


WRONG_CODE = ("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng "
              "xác thực (hoặc một mã dự phòng).")


def _normalised(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _throttled_message(device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    wait = 1
    if data and data.get("locked_until"):
        wait = max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))
    return f"Bạn đã nhập sai mã nhiều lần. Hãy chờ {wait} giây rồi thử lại."


def _check(device, code: str) -> bool:
    """Verify with django-otp's throttling, refusing with a Vietnamese message while throttled."""
    message = _throttled_message(device)
    if message:
        raise TwoFactorError(message)
    # select_for_update inside a transaction: two tries at once cannot both pass one throttle step,
    # and a backup code cannot be used twice.
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        return device.verify_token(code)


def two_factor_verify(*, user, code: str):
    """The confirmed device that accepts `code` (an authenticator code or a backup code, which is then
    used up); TwoFactorError otherwise."""
    code = _normalised(code)
    if code.isdigit() and len(code) == 6:
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    if not code or not devices:
        raise TwoFactorError(WRONG_CODE)
    for device in devices:
        if _check(device, code):
            return device
    raise TwoFactorError(WRONG_CODE)


def totp_enrolment_start(*, user) -> TOTPDevice:
    """The device this user is enrolling: the pending one, or a new one with a fresh secret."""
    if not two_factor_eligible(user):
        raise TwoFactorError("Xác thực hai bước dành cho quản trị viên và cán bộ thẩm định.")
    if two_factor_enabled(user):
        raise TwoFactorError("Tài khoản đã bật xác thực hai bước. Hãy tắt trước khi đăng ký thiết bị mới.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code it produced; returns it and the new backup codes (shown
    once: only the codes' records remain, deleted as each is used).

    Not one transaction: a wrong code must leave its throttling step recorded."""
    if two_factor_enabled(user):
        raise TwoFactorError("Tài khoản đã bật xác thực hai bước.")
    device = totp_device_pending(user)
    if device is None:
        raise TwoFactorError("Chưa có thiết bị nào đang đăng ký. Hãy bắt đầu lại từ trang Tài khoản.")
    code = _normalised(code)
    if not (code.isdigit() and len(code) == 6):
        raise TwoFactorError("Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực.")
    if not _check(device, code):
        raise TwoFactorError("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện "
                             "trong ứng dụng xác thực.")
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = backup_codes_renew(user=user)
    device.refresh_from_db()
    return device, codes


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """A new set of backup codes replacing any earlier ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in codes])
    return codes


def backup_codes_replace(*, user, code: str) -> list[str]:
    """New backup codes for an enrolled user (the old ones stop working), proven by a current
    authenticator code: someone who ran out of codes, or fears they were seen, need not turn two-step
    verification off and enrol again. A backup code is not accepted here, so that one stolen code
    cannot buy ten more."""
    if not two_factor_enabled(user):
        raise TwoFactorError("Tài khoản chưa bật xác thực hai bước.")
    normalised = _normalised(code)
    if not (normalised.isdigit() and len(normalised) == 6):
        raise TwoFactorError("Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực (không dùng mã dự phòng).")
    two_factor_verify(user=user, code=normalised)
    return backup_codes_renew(user=user)


def two_factor_remove(*, user, code: str) -> None:
    """Turn two-step verification off, proven by a current code (or a backup code). The check is
    outside the deleting transaction, so that a wrong code stays counted by the throttle."""
    if not two_factor_enabled(user):
        raise TwoFactorError("Tài khoản chưa bật xác thực hai bước.")
    two_factor_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
