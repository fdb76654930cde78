"""Forms of the per-item autosave endpoints: they only shape what the page sends for one item (its
version and the fields the person changed). The rules are the sheets' services, the same ones the
full-sheet save calls."""

from django import forms


class _ItemForm(forms.Form):
    version = forms.IntegerField(min_value=1, error_messages={
        "required": "Thiếu phiên bản của tiêu chí: hãy tải lại trang.",
        "invalid": "Phiên bản của tiêu chí không hợp lệ: hãy tải lại trang.",
        "min_value": "Phiên bản của tiêu chí không hợp lệ: hãy tải lại trang.",
    })
    # Field names this item may carry; only those present in the POST are passed to the service
    # ("only the keys given are changed").
    ITEM_FIELDS = ()

    def item_values(self):
        data = self.cleaned_data
        values = {name: data[name] for name in self.ITEM_FIELDS if name in self.data}
        values["version"] = data["version"]
        return values


class ScoreItemForm(_ItemForm):
    """The commune's self-assessment of one item."""

    self_score = forms.CharField(required=False, strip=False, max_length=40)
    not_applicable = forms.BooleanField(required=False)
    note = forms.CharField(required=False, strip=False, max_length=20000)

    def item_values(self):
        data = self.cleaned_data
        # The score sheet always sends the item whole, like one leaf of the full form.
        return {"self_score": data["self_score"], "not_applicable": data["not_applicable"],
                "note": data["note"], "version": data["version"]}


class AppraisalItemForm(_ItemForm):
    """The appraiser's values of one item: round 1 (score, comment, flag) or round 2."""

    appraised_score = forms.CharField(required=False, strip=False, max_length=40)
    appraisal_comment = forms.CharField(required=False, strip=False, max_length=20000)
    flagged = forms.BooleanField(required=False)
    flag_comment = forms.CharField(required=False, strip=False, max_length=20000)
    round2_score = forms.CharField(required=False, strip=False, max_length=40)
    round2_comment = forms.CharField(required=False, strip=False, max_length=20000)
    ITEM_FIELDS = ("appraised_score", "appraisal_comment", "flagged", "flag_comment", "round2_score",
                   "round2_comment")


class ExplanationItemForm(_ItemForm):
    """The commune's answer to one flagged item."""

    explanation = forms.CharField(required=False, strip=False, max_length=20000)
    ITEM_FIELDS = ("explanation",)
