from django.urls import path

from parindex.views import appraisal, assignments, council, dashboards, explanation, publication, results

urlpatterns = [
    path("tham-dinh/", appraisal.appraisal_queue, name="appraisal_queue"),
    path("tham-dinh/<int:pk>/", appraisal.appraisal_sheet, name="appraisal_sheet"),
    path("tham-dinh/<int:pk>/thao-tac/<slug:action>/", appraisal.appraisal_transition, name="appraisal_transition"),
    path("danh-gia/<int:pk>/gia-han/", appraisal.lock_exception_grant, name="lock_exception_grant"),
    path("danh-gia/<int:pk>/mo-lai/", appraisal.assessment_reopen, name="assessment_reopen"),
    path("danh-gia/<int:pk>/giai-trinh/", explanation.explanation_sheet, name="explanation_sheet"),
    path("ky-danh-gia/<int:pk>/tien-do/", results.year_progress, name="year_progress"),
    path("ky-danh-gia/<int:pk>/ket-qua/", results.results_ranking, name="results_ranking"),
    path("ky-danh-gia/<int:pk>/cong-bo/", publication.results_publish, name="results_publish"),
    path("ky-danh-gia/<int:pk>/phan-cong/", assignments.assignment_list, name="assignment_list"),
    path("ky-danh-gia/<int:pk>/phan-cong/<int:assignment_pk>/bo/", assignments.assignment_remove,
         name="assignment_remove"),
    path("ky-danh-gia/<int:pk>/hoi-dong/", council.council_decision, name="council_decision"),
    path("ky-danh-gia/<int:pk>/hoi-dong/tep/<slug:kind>/", council.council_file, name="council_file"),
    path("ky-danh-gia/<int:pk>/tien-do-linh-vuc/", assignments.appraisal_progress, name="appraisal_progress"),
    path("ky-danh-gia/<int:pk>/bang-dieu-khien/", dashboards.dashboard_progress, name="dashboard_progress"),
    path("ky-danh-gia/<int:pk>/bang-dieu-khien/xep-hang/", dashboards.dashboard_ranking, name="dashboard_ranking"),
    path("ky-danh-gia/<int:pk>/bang-dieu-khien/linh-vuc/", dashboards.dashboard_areas, name="dashboard_areas"),
    path("ky-danh-gia/<int:pk>/bang-dieu-khien/so-sanh/", dashboards.dashboard_compare, name="dashboard_compare"),
    path("ky-danh-gia/<int:pk>/bang-dieu-khien/qua-cac-nam/", dashboards.dashboard_years, name="dashboard_years"),
    path("ky-danh-gia/<int:pk>/bang-dieu-khien/<slug:page>.xlsx", dashboards.dashboard_export,
         name="dashboard_export"),
]
