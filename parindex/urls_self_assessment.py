from django.urls import path

from parindex.views import autosave, commune_result, documents, evidence, plan, self_assessment, yearly

urlpatterns = [
    # Score sheet
    path("tu-danh-gia/<int:pk>/", self_assessment.score_sheet, name="score_sheet"),
    path("tu-danh-gia/<int:pk>/kiem-tra/", self_assessment.score_sheet_check, name="score_sheet_check"),
    path("tu-danh-gia/<int:pk>/nop/", self_assessment.score_sheet_submit, name="score_sheet_submit"),
    path("tu-danh-gia/<int:pk>/rut-lai/", self_assessment.score_sheet_withdraw, name="score_sheet_withdraw"),
    path("tu-danh-gia/<int:pk>/lanh-dao-duyet/", self_assessment.score_sheet_leader_approve,
         name="score_sheet_leader_approve"),
    path("tu-danh-gia/<int:pk>/muc/<int:score_id>/luu/", autosave.score_item_save, name="score_item_save"),
    # The commune's result after approval
    path("tu-danh-gia/<int:pk>/ket-qua/", commune_result.commune_result_view, name="commune_result"),
    path("diem/<int:pk>/lich-su/", self_assessment.score_history_view, name="score_history"),
    path("tai-lieu-kiem-chung/<int:pk>/tai-ve/", evidence.evidence_download, name="evidence_download"),
    # Annual plan
    path("tu-danh-gia/<int:pk>/ke-hoach/", plan.plan_detail, name="plan_detail"),
    path("tu-danh-gia/<int:pk>/ke-hoach/them-nhiem-vu/", plan.plan_task_create, name="plan_task_create"),
    path("tu-danh-gia/<int:pk>/ke-hoach/nhap-excel/", plan.plan_tasks_import, name="plan_tasks_import"),
    path("tu-danh-gia/<int:pk>/ke-hoach/mau-excel/", plan.plan_tasks_template, name="plan_tasks_template"),
    path("nhiem-vu/<int:pk>/sua/", plan.plan_task_edit, name="plan_task_edit"),
    path("nhiem-vu/<int:pk>/xoa/", plan.plan_task_delete, name="plan_task_delete"),
    # Directive documents register
    path("tu-danh-gia/<int:pk>/van-ban/", documents.document_list, name="document_list"),
    path("tu-danh-gia/<int:pk>/van-ban/them/", documents.document_create, name="document_create"),
    path("van-ban/<int:pk>/sua/", documents.document_edit, name="document_edit"),
    path("van-ban/<int:pk>/xoa/", documents.document_delete, name="document_delete"),
    path("van-ban/<int:pk>/tai-ve/", documents.document_download, name="document_download"),
    # Meetings, public-service figures, narrative
    path("tu-danh-gia/<int:pk>/hoi-nghi/", yearly.meeting_list, name="meeting_list"),
    path("tu-danh-gia/<int:pk>/hoi-nghi/them/", yearly.meeting_create, name="meeting_create"),
    path("hoi-nghi/<int:pk>/sua/", yearly.meeting_edit, name="meeting_edit"),
    path("hoi-nghi/<int:pk>/xoa/", yearly.meeting_delete, name="meeting_delete"),
    path("tu-danh-gia/<int:pk>/dich-vu-cong/", yearly.service_figures_edit, name="service_figures_edit"),
    path("tu-danh-gia/<int:pk>/danh-gia-chung/", yearly.narrative_edit, name="narrative_edit"),
]
