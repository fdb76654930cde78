from django import forms
from django.contrib.auth import get_user_model

from communes.models import DEPARTMENT_KINDS, Role, Unit
from parindex.services.assignments import assignable_items


class _ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = "" if obj.parent_id is None else "\u00a0\u00a0\u00a0"
        return f"{indent}{obj.code}. {obj.name[:90]}"


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        units = ", ".join(sorted({m.unit.display_name for m in obj.memberships.all() if m.role == Role.APPRAISER}))
        return f"{obj.get_full_name() or obj.username} ({units})"


class _UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class AssignmentForm(forms.Form):
    """Assign (or reassign) one area or criterion of a year; the service checks the rules."""

    item = _ItemChoice(label="Lĩnh vực hoặc tiêu chí", queryset=None)
    team = forms.ModelChoiceField(label="Sở, ngành", queryset=None, required=False,
                                  help_text="Mọi cán bộ thẩm định của sở, ngành đều chấm được phần này.")
    appraiser = _UserChoice(label="hoặc một cán bộ thẩm định", queryset=None, required=False)
    communes = _UnitChoices(label="Các xã (để trống: tất cả các xã của kỳ đánh giá)", queryset=None,
                            required=False, widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        scope = year.scope.path
        self.fields["item"].queryset = assignable_items(year=year)
        self.fields["team"].queryset = Unit.objects.filter(kind__in=DEPARTMENT_KINDS, path__startswith=scope)
        self.fields["appraiser"].queryset = (
            get_user_model().objects.filter(memberships__role=Role.APPRAISER, memberships__unit__path__startswith=scope)
            .distinct().prefetch_related("memberships__unit").order_by("username")
        )
        self.fields["communes"].queryset = Unit.objects.filter(assessments__year=year).order_by("path")

    def clean(self):
        data = super().clean()
        if bool(data.get("team")) == bool(data.get("appraiser")):
            raise forms.ValidationError("Chọn một sở, ngành hoặc một cán bộ thẩm định (chỉ một trong hai).")
        return data
