"""Publication of a year's results by decision: the administrator chooses the approved communes,
sees what will be published (with index, rank and band) and what is left out and why, and confirms;
a partial publication must be acknowledged as such. The workflow service makes the change."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from parindex.forms.fields import DateField
from parindex.models import AssessmentStatus
from parindex.selectors.publication import publication_preview
from parindex.selectors.visibility import year_get_visible
from parindex.services.workflow import WorkflowError
from parindex.services.workflow import results_publish as results_publish_service

S = AssessmentStatus


class PublishForm(forms.Form):
    decision_number = forms.CharField(label="Số quyết định công bố", max_length=60,
                                      help_text="Ví dụ: 125/QĐ-UBND")
    decision_date = DateField(label="Ngày quyết định")
    assessments = forms.ModelMultipleChoiceField(
        label="Các đơn vị công bố đợt này", queryset=None, required=True,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "Chọn ít nhất một đơn vị đã phê duyệt để công bố.",
                        "invalid_choice": "Chỉ công bố được các đơn vị đã phê duyệt của kỳ đánh giá này.",
                        "invalid_pk_value": "Chỉ công bố được các đơn vị đã phê duyệt của kỳ đánh giá này."},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    partial_ack = forms.BooleanField(
        label="Tôi xác nhận đây là công bố một phần: các đơn vị không công bố đợt này giữ nguyên trạng thái "
              "và được công bố sau.", required=False,
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessments"].queryset = year.assessments.filter(status=S.APPROVED).select_related("unit")
        self.fields["assessments"].label_from_instance = lambda a: a.unit.display_name


def _confirmation_errors(form, preview):
    """A confirmed partial publication needs the explicit acknowledgement."""
    if form.cleaned_data.get("confirm") and preview.is_partial and not form.cleaned_data.get("partial_ack"):
        form.add_error("partial_ack", "Đây là công bố một phần: hãy đánh dấu xác nhận trước khi công bố.")
        return True
    return False


@login_required
def results_publish(request, pk):
    """Step 1 (GET, or POST without confirm): the decision and the communes; step 2 (the POST is valid):
    the preview to confirm; step 3 (POST with confirm): the workflow service publishes."""
    year = year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.publish_results", year):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh được công bố kết quả.")
    approved = year.assessments.filter(status=S.APPROVED)
    form = PublishForm(request.POST or None, year=year, initial={
        "decision_number": year.publication_decision_number, "decision_date": year.publication_decision_date,
        "assessments": approved,
    })
    confirming = False
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["assessments"])
        preview = publication_preview(year=year, chosen_ids=[a.id for a in chosen])
        if form.cleaned_data["confirm"] and not _confirmation_errors(form, preview):
            try:
                published = results_publish_service(
                    year=year, actor=request.user, decision_number=form.cleaned_data["decision_number"],
                    decision_date=form.cleaned_data["decision_date"], assessments=chosen,
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Đã công bố kết quả của {len(published)} đơn vị.")
                return redirect("results_ranking", pk=year.pk)
        confirming = True
    else:
        preview = publication_preview(year=year)
    return render(request, "parindex/results/publish.html", {
        "year": year, "form": form, "preview": preview, "confirming": confirming,
        "selected": set(request.POST.getlist("assessments")) if request.method == "POST"
        else {str(line.assessment.id) for line in preview.to_publish},
    })
