from django.urls import path

from . import views

urlpatterns = [
    path("bao-cao/", views.report_job_list, name="report_job_list"),
    path("bao-cao/yeu-cau/", views.report_request, name="report_request"),
    path("bao-cao/<int:pk>/", views.report_job_detail, name="report_job_detail"),
    path("bao-cao/<int:pk>/trang-thai/", views.report_job_status, name="report_job_status"),
    path("bao-cao/<int:pk>/thu-lai/", views.report_job_retry, name="report_job_retry"),
    path("bao-cao/<int:pk>/tai-ve/", views.report_job_download, name="report_job_download"),
]
