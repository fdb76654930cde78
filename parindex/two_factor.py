"""The gate of two-step verification: a session whose password step is done but whose code step is
not (or, with PARINDEX_REQUIRE_2FA_FOR_STAFF, an administrator or appraiser not yet enrolled) reaches
only the pages that finish that step. The admin site checks the same rule in has_permission, so the
admin stays closed even if the middleware were left out."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from parindex.selectors.two_factor import two_factor_eligible, two_factor_enabled, two_factor_required

VERIFY = "verify"
ENROL = "enrol"


def two_factor_gate(request) -> str | None:
    """What the session still has to do: VERIFY (enter a code), ENROL (set up a device), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if getattr(user, "otp_device", None) is not None:
        return None
    # Eligibility first: it reads the memberships every page reads anyway (cached on the user), so
    # commune officers, who cannot enrol, pay no query per request for the device lookup. An account
    # that lost its appraiser role keeps its device but is no longer asked for a code, like any officer.
    if not two_factor_eligible(user):
        return None
    if two_factor_enabled(user):
        return VERIFY
    if two_factor_required(user):
        return ENROL
    return None


def _open_paths(gate):
    always = [reverse("logout"), reverse("two_factor_verify")]
    if gate == ENROL:
        always += [reverse("account"), reverse("two_factor_enrol"), reverse("two_factor_qr"),
                   reverse("password_change"), reverse("password_change_done")]
    return always


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "") or "X-Requested-With" in request.headers


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(settings.STATIC_URL) or path == reverse("healthz"):
            return self.get_response(request)
        gate = two_factor_gate(request)
        if gate is None or path in _open_paths(gate):
            return self.get_response(request)
        target = reverse("two_factor_verify") if gate == VERIFY else reverse("two_factor_enrol")
        if _wants_json(request):
            return JsonResponse({
                "ok": False, "login_url": target,
                "message": "Cần nhập mã xác thực hai bước. Các giá trị vẫn được giữ trên trang.",
            }, status=401)
        if gate == ENROL:
            messages.warning(request, "Tài khoản quản trị và thẩm định phải bật xác thực hai bước trước "
                                      "khi tiếp tục làm việc.")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)


class ParIndexAdminSite(AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and two_factor_gate(request) is None
