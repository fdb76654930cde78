from django.urls import path

from parindex.views import remedy

urlpatterns = [
    path("ket-qua/<int:pk>/ke-hoach-khac-phuc/", remedy.remedy_plan, name="remedy_plan"),
    path("ket-qua/<int:pk>/ke-hoach-khac-phuc/lap-du-thao/", remedy.remedy_plan_create, name="remedy_plan_create"),
    path("ket-qua/<int:pk>/ke-hoach-khac-phuc/thong-tin/", remedy.remedy_plan_header, name="remedy_plan_header"),
    path("ket-qua/<int:pk>/ke-hoach-khac-phuc/them-nhiem-vu/", remedy.remedy_line_add, name="remedy_line_add"),
    path("ket-qua/<int:pk>/ke-hoach-khac-phuc/chap-nhan/", remedy.remedy_plan_accept, name="remedy_plan_accept"),
    path("nhiem-vu-khac-phuc/<int:pk>/sua/", remedy.remedy_line_edit, name="remedy_line_edit"),
    path("nhiem-vu-khac-phuc/<int:pk>/xoa/", remedy.remedy_line_delete, name="remedy_line_delete"),
]
