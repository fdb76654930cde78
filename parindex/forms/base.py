from crispy_forms.helper import FormHelper
from django import forms
from django.forms.models import ModelFormMetaclass

from .fields import number_formfield


class _NumberFieldsMetaclass(ModelFormMetaclass):
    """Every subclass's Meta gets `number_formfield` (Django reads the callback from Meta only, and a
    subclass's Meta does not inherit it)."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(number_formfield)
        return super().__new__(mcs, name, bases, attrs)


class ServiceModelForm(forms.ModelForm, metaclass=_NumberFieldsMetaclass):
    """A ModelForm that only shapes and type-checks input. Model and constraint validation is the
    service's job (with Vietnamese messages per field), so the form skips Django's generic
    "Constraint … is violated" check and never mutates the instance it was given. Every number is
    read by the one parser (parindex.forms.fields)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _post_clean(self):
        pass
