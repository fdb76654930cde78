from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from parindex.two_factor import ParIndexAdminSite
from parindex.views import core, two_factor

# The admin's own login is the password step only; a session whose code step is pending (or, with
# PARINDEX_REQUIRE_2FA_FOR_STAFF, an administrator not yet enrolled) has no admin permission.
admin.site.__class__ = ParIndexAdminSite
admin.site.site_header = "PAR Index — Quản trị"
admin.site.site_title = "PAR Index"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-nhap/xac-thuc/", two_factor.two_factor_verify_view, name="two_factor_verify"),
    path("tai-khoan/", two_factor.account, name="account"),
    path("tai-khoan/xac-thuc-hai-buoc/bat/", two_factor.two_factor_enrol, name="two_factor_enrol"),
    path("tai-khoan/xac-thuc-hai-buoc/ma-qr.svg", two_factor.two_factor_qr, name="two_factor_qr"),
    path("tai-khoan/xac-thuc-hai-buoc/tat/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("tai-khoan/xac-thuc-hai-buoc/ma-du-phong-moi/", two_factor.two_factor_backup_codes_new,
         name="two_factor_backup_codes_new"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quen-mat-khau/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("quan-tri/", admin.site.urls),
    path("", include("communes.urls")),
    path("", include("parindex.urls_self_assessment")),
    path("", include("parindex.urls_appraisal")),
    path("", include("parindex.urls_remedy")),
    path("", include("parindex.urls_history")),
    path("", include("reports.urls")),
]
