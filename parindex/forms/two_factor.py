from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực", max_length=32, strip=True,
        error_messages={"required": "Hãy nhập mã xác thực."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True, "class": "form-control"}),
    )
