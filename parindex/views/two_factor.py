"""The account page and two-step verification: enrol an authenticator app (QR code and secret),
confirm it with a code, the code step after the password at login, and removal."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from communes.selectors import memberships_of
from parindex.forms.two_factor import CodeForm
from parindex.selectors.two_factor import (
    backup_codes_left,
    totp_device_pending,
    totp_secret_text,
    two_factor_eligible,
    two_factor_enabled,
    two_factor_required,
)
from parindex.services.two_factor import (
    TwoFactorError,
    backup_codes_replace,
    totp_enrolment_confirm,
    totp_enrolment_start,
    two_factor_remove,
    two_factor_verify,
)


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


def _require_eligible(user):
    if not two_factor_eligible(user):
        raise PermissionDenied("Xác thực hai bước dành cho quản trị viên và cán bộ thẩm định.")


@login_required
def account(request):
    user = request.user
    eligible = two_factor_eligible(user)
    return render(request, "accounts/account.html", {
        "memberships": memberships_of(user),
        "eligible": eligible,
        "enabled": eligible and two_factor_enabled(user),
        "required": two_factor_required(user),
        "backup_left": backup_codes_left(user) if eligible else 0,
    })


@never_cache
@login_required
def two_factor_enrol(request):
    _require_eligible(request.user)
    if two_factor_enabled(request.user):
        messages.info(request, "Tài khoản đã bật xác thực hai bước.")
        return redirect("account")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = totp_enrolment_confirm(user=request.user, code=form.cleaned_data["code"])
        except TwoFactorError as exc:
            form.add_error("code", exc.message)
        else:
            # The person just proved the device: this session counts as verified.
            otp_login(request, device)
            return render(request, "accounts/two_factor_backup_codes.html",
                          {"codes": codes, "next": _safe_next(request)})
    try:
        device = totp_enrolment_start(user=request.user)
    except TwoFactorError as exc:
        raise PermissionDenied(exc.message) from exc
    return render(request, "accounts/two_factor_enrol.html", {
        "form": form, "secret": totp_secret_text(device), "next": _safe_next(request),
        "required": two_factor_required(request.user),
    })


@never_cache
@login_required
def two_factor_qr(request):
    """The QR code of the device being enrolled, as an SVG image (an <img> on the enrolment page:
    the page's Content-Security-Policy allows no inline image markup from scripts)."""
    device = totp_device_pending(request.user)
    if device is None:
        raise Http404("Không có thiết bị nào đang đăng ký.")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def two_factor_verify_view(request):
    """The second step of the login: an authenticator code or a backup code."""
    user = request.user
    if getattr(user, "otp_device", None) is not None or not two_factor_enabled(user):
        return redirect(_safe_next(request) or "home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_verify(user=user, code=form.cleaned_data["code"])
        except TwoFactorError as exc:
            form.add_error("code", exc.message)
        else:
            otp_login(request, device)
            if device.__class__.__name__ == "StaticDevice":
                left = backup_codes_left(user)
                messages.warning(request, f"Bạn vừa dùng một mã dự phòng; còn {left} mã. Mỗi mã chỉ dùng được "
                                          "một lần.")
            return redirect(_safe_next(request) or "home")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


@never_cache
@login_required
def two_factor_disable(request):
    _require_eligible(request.user)
    if not two_factor_enabled(request.user):
        return redirect("account")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_remove(user=request.user, code=form.cleaned_data["code"])
        except TwoFactorError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, "Đã tắt xác thực hai bước. Đăng nhập từ nay chỉ cần mật khẩu.")
            return redirect("account")
    return render(request, "accounts/two_factor_disable.html", {"form": form})


@never_cache
@login_required
def two_factor_backup_codes_new(request):
    _require_eligible(request.user)
    if not two_factor_enabled(request.user):
        return redirect("account")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = backup_codes_replace(user=request.user, code=form.cleaned_data["code"])
        except TwoFactorError as exc:
            form.add_error("code", exc.message)
        else:
            return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes, "renewed": True})
    return render(request, "accounts/two_factor_backup_codes_new.html", {"form": form})
