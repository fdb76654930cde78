from django import forms

from parindex.models import Document, DocumentType
from parindex.services.evidence import ACCEPT, ALLOWED_LABEL

from .base import ServiceModelForm
from .widgets import DateInput


class DocumentForm(ServiceModelForm):
    upload = forms.FileField(label="Tệp văn bản", required=False,
                             help_text=f"Không bắt buộc. Loại tệp: {ALLOWED_LABEL}.",
                             widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    remove_file = forms.BooleanField(label="Xóa tệp đã đính kèm", required=False)

    class Meta:
        model = Document
        fields = ["doc_type", "number_symbol", "issued_on", "issuer", "summary"]
        widgets = {"issued_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [
            (t.value, f"{t.label} ({t.value})" if t != DocumentType.CONG_VAN else f"{t.label} (không có ký hiệu loại)")
            for t in DocumentType
        ]
        if not (self.instance and self.instance.file):
            del self.fields["remove_file"]


class DocumentFilterForm(forms.Form):
    doc_type = forms.ChoiceField(label="Loại văn bản", required=False,
                                 choices=[("", "Tất cả")] + list(DocumentType.choices))
