from django.urls import path

from . import views, views_assessment

urlpatterns = [
    path("bao-cao/", views.report_job_list, name="report_job_list"),
    path("bao-cao/yeu-cau/", views.report_request, name="report_request"),
    path("bao-cao/<int:pk>/", views.report_job_detail, name="report_job_detail"),
    path("bao-cao/<int:pk>/trang-thai/", views.report_job_status, name="report_job_status"),
    path("bao-cao/<int:pk>/thu-lai/", views.report_job_retry, name="report_job_retry"),
    path("bao-cao/<int:pk>/tai-ve/", views.report_job_download, name="report_job_download"),
    path("danh-gia/<int:pk>/bao-cao/loi-van/", views_assessment.report_texts_edit, name="report_texts_edit"),
    path("danh-gia/<int:pk>/bao-cao/ban-hanh/", views_assessment.report_issue, name="report_issue"),
    path("danh-gia/<int:pk>/bao-cao/ky-so/", views_assessment.report_sign_on_server, name="report_sign_on_server"),
    path("danh-gia/<int:pk>/bao-cao/ban-da-ky/", views_assessment.issued_report_download,
         name="issued_report_download"),
]
