"""Who may (or must) use two-step verification, and the state of a user's devices (django-otp)."""

from base64 import b32encode

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from communes.models import Role
from communes.selectors import memberships_of

# Administrators (staff, superusers, province administrators) and appraisers act over many communes:
# their accounts are the ones worth a second factor.
TWO_FACTOR_ROLES = (Role.APPRAISER, Role.PROVINCE_ADMIN)


def two_factor_eligible(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(m.role in TWO_FACTOR_ROLES for m in memberships_of(user))


def two_factor_required(user) -> bool:
    """PARINDEX_REQUIRE_2FA_FOR_STAFF makes enrolment compulsory for every eligible account."""
    return bool(settings.PARINDEX_REQUIRE_2FA_FOR_STAFF) and two_factor_eligible(user)


def two_factor_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(user):
    """The device being enrolled (not yet confirmed by a code), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_secret_text(device) -> str:
    """The secret as an authenticator app takes it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
