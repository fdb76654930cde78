from crispy_forms.helper import FormHelper
from django import forms

from parindex.models import Item, ItemLevel, PlanTask

from .base import ServiceModelForm
from .fields import CountField, DateField
from .widgets import DateInput


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class PlanDecisionForm(forms.Form):
    plan_number = forms.CharField(
        label="Số, ký hiệu quyết định (hoặc kế hoạch) ban hành kế hoạch CCHC năm", max_length=60, required=False,
        help_text="Ví dụ: 193/QĐ-UBND", widget=forms.TextInput(attrs={"placeholder": "193/QĐ-UBND"}),
    )
    plan_date = DateField(label="Ngày ban hành", required=False)
    documents_declared = CountField(
        label="Tổng số văn bản chỉ đạo, điều hành đã ban hành", required=False, min_value=0, max_value=9999,
        help_text="Số xã báo cáo (ví dụ 12). Để trống thì báo cáo lấy số văn bản có trong danh mục.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PlanTaskForm(ServiceModelForm):
    class Meta:
        model = PlanTask
        fields = ["order", "content", "area", "lead", "deadline", "status", "completed_on", "result_document"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "deadline": DateInput(),
            "completed_on": DateInput(),
        }

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Item.objects.filter(
            criteria_set_id=assessment.year.criteria_set_id, level=ItemLevel.AREA,
        ).order_by("sort_key")
        self.fields["area"].label_from_instance = lambda item: f"{item.code}. {item.name}"
        self.fields["order"].required = False
        self.fields["order"].help_text = "Để trống: thêm vào cuối danh sách."
        self.helper = _helper()


class PlanImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    replace = forms.BooleanField(label="Thay thế toàn bộ danh sách nhiệm vụ hiện có", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
