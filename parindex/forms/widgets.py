from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; it posts ISO dates, which the Vietnamese input formats accept."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
