from django.urls import path

from parindex.views import evidence, self_assessment

urlpatterns = [
    path("tu-danh-gia/<int:pk>/", self_assessment.score_sheet, name="score_sheet"),
    path("tu-danh-gia/<int:pk>/kiem-tra/", self_assessment.score_sheet_check, name="score_sheet_check"),
    path("tu-danh-gia/<int:pk>/nop/", self_assessment.score_sheet_submit, name="score_sheet_submit"),
    path("tu-danh-gia/<int:pk>/rut-lai/", self_assessment.score_sheet_withdraw, name="score_sheet_withdraw"),
    path("tu-danh-gia/<int:pk>/lanh-dao-duyet/", self_assessment.score_sheet_leader_approve,
         name="score_sheet_leader_approve"),
    path("diem/<int:pk>/lich-su/", self_assessment.score_history_view, name="score_history"),
    path("tai-lieu-kiem-chung/<int:pk>/tai-ve/", evidence.evidence_download, name="evidence_download"),
]
