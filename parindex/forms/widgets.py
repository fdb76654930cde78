from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; it posts ISO dates, which the Vietnamese input formats accept."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PointsField(forms.DecimalField):
    """A decimal typed Vietnamese style ("95,39") or with a dot ("95.39")."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)
