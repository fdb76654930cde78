from crispy_forms.helper import FormHelper
from django import forms


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that only shapes and type-checks input. Model and constraint validation is the
    service's job (with Vietnamese messages per field), so the form skips Django's generic
    "Constraint … is violated" check and never mutates the instance it was given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _post_clean(self):
        pass
