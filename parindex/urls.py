from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from parindex.views import core

admin.site.site_header = "PAR Index — Quản trị"
admin.site.site_title = "PAR Index"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
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
