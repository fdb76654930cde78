from crispy_forms.helper import FormHelper
from django import forms

from parindex.forms.fields import DateField

from .body_texts import BODY_TEXTS


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class ReportTextsForm(forms.Form):
    """One field per editable sentence of the body; each starts with what the report prints now."""

    def __init__(self, *args, defaults, **kwargs):
        super().__init__(*args, **kwargs)
        for text in BODY_TEXTS:
            help_parts = [text.help] if text.help else []
            help_parts.append(f"Mặc định: {defaults[text.key]}")
            self.fields[text.key] = forms.CharField(
                label=text.label, required=False, help_text=" ".join(help_parts),
                widget=forms.Textarea(attrs={"rows": 4 if len(defaults[text.key]) > 160 else 2}),
            )
        self.helper = _helper()


class ServerSignForm(forms.Form):
    number = forms.CharField(label="Số, ký hiệu", max_length=40, help_text="Ví dụ: 12/BC-UBND")
    issued_on = DateField(label="Ngày ban hành")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.auto_id = "server_%s"


class ReportIssueForm(forms.Form):
    number = forms.CharField(label="Số, ký hiệu", max_length=40, help_text="Ví dụ: 12/BC-UBND")
    issued_on = DateField(label="Ngày ban hành")
    signed_pdf = forms.FileField(label="Báo cáo đã ký (PDF)",
                                 help_text="Tệp PDF đã ký số (USB token) đúng như bản phát hành.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["signed_pdf"].widget.attrs["accept"] = "application/pdf,.pdf"
