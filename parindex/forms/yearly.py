from crispy_forms.helper import FormHelper
from django import forms

from parindex.models import Meeting, ServiceFigures

from .base import ServiceModelForm
from .fields import PointsField
from .widgets import DateInput


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class MeetingForm(ServiceModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "title", "document"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = "Ví dụ: Kế hoạch số 74/KH-UBND ngày 12/7/2024"
        self.helper = _helper()


class ServiceFiguresForm(ServiceModelForm):
    online_rate_published = PointsField(
        label="Tỷ lệ hồ sơ trực tuyến đã công bố (%)", required=False, min_value=0, max_value=100,
        decimal_places=2,
        help_text="Chỉ nhập khi có số liệu công bố chính thức (ví dụ 95,39); khi nhập, tỷ lệ này được dùng thay cho tỷ lệ tính từ số hồ sơ.",
    )
    digitised_rate_published = PointsField(
        label="Tỷ lệ số hóa kết quả đã công bố (%)", required=False, min_value=0, max_value=100,
        decimal_places=2,
        help_text="Ví dụ 95,39. Để trống để tính từ số hồ sơ.",
    )

    class Meta:
        model = ServiceFigures
        fields = ["period_start", "period_end", "dossiers_received", "dossiers_online", "dossiers_fully_online",
                  "results_digitised", "online_rate_published", "digitised_rate_published"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class NarrativeForm(forms.Form):
    strengths = forms.CharField(label="Mặt tích cực", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    weaknesses = forms.CharField(label="Những tồn tại, hạn chế, nguyên nhân", required=False,
                                 widget=forms.Textarea(attrs={"rows": 6}))
    proposals = forms.CharField(label="Kiến nghị và đề xuất", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="Để trống nếu không có kiến nghị (báo cáo ghi “Không có”).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
