from django import forms

from parindex.models import RemedyLine

from .base import ServiceModelForm
from .fields import DateField
from .widgets import DateInput


class RemedyLineForm(ServiceModelForm):
    class Meta:
        model = RemedyLine
        fields = ["content", "lead", "deadline", "expected_output"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "deadline": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].required = True


class RemedyPlanHeaderForm(forms.Form):
    number = forms.CharField(label="Số kế hoạch", max_length=30, required=False,
                             help_text="Ví dụ: 12 (in thành “Số: 12/KH-UBND”). Để trống khi chưa lấy số.")
    issued_on = DateField(label="Ngày ban hành", required=False)
