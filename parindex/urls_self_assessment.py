from django.urls import path

from parindex.views import evidence

urlpatterns = [
    path("tai-lieu-kiem-chung/<int:pk>/tai-ve/", evidence.evidence_download, name="evidence_download"),
]
