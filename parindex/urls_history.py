from django.urls import path

from parindex.views import history

urlpatterns = [
    path("danh-gia/<int:pk>/lich-su/", history.assessment_history_view, name="assessment_history"),
]
