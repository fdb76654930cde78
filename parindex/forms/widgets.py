from django import forms

DATE_PLACEHOLDER = "dd/mm/yyyy"
DATE_MESSAGE = "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy"


class DateInput(forms.DateInput):
    """A date typed and shown as dd/mm/yyyy whatever the browser's language: a text input (an
    <input type=date> shows mm/dd/yyyy on an English browser). Pasted ISO dates are accepted too
    (parindex.forms.fields.DateField); static/js/vn-forms.js gives the pattern's message in Vietnamese."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off", "maxlength": "10",
            # Valid with the `v` flag chromium compiles patterns with ("/" and "-" escaped in classes).
            "pattern": r"\s*([0-9]{1,2}[\/.\-][0-9]{1,2}[\/.\-][0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})\s*",
            "title": DATE_MESSAGE, "data-date-input": "", "class": "form-control date-input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")
