"""The council's review and UBND tỉnh's ranking decision of a year: record it, download its files."""

import mimetypes
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from parindex.forms.fields import DateField
from parindex.models import AssessmentStatus, CouncilDecision
from parindex.selectors.visibility import year_get_visible
from parindex.services.council import CouncilDecisionError, council_decision_record
from parindex.views.evidence import stored_file_response


def _date_field(label):
    return DateField(label=label, required=False)


class CouncilDecisionForm(forms.Form):
    review_date = _date_field("Ngày họp Hội đồng thẩm định")
    members_present = forms.CharField(label="Thành viên dự họp (mỗi dòng một người)", required=False,
                                      widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    minutes = forms.FileField(label="Biên bản họp (PDF, Word, ảnh)", required=False)
    decision_number = forms.CharField(label="Số quyết định xếp hạng của UBND tỉnh", max_length=60, required=False,
                                      help_text="Ví dụ: 125/QĐ-UBND")
    decision_date = _date_field("Ngày quyết định")
    decision_file = forms.FileField(label="Tệp quyết định", required=False)


@login_required
def council_decision(request, pk):
    year = year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.manage_assignments", year):
        raise PermissionDenied("Chỉ cơ quan chủ trì thẩm định (Sở Nội vụ) được ghi kết quả họp Hội đồng.")
    record = CouncilDecision.objects.filter(year=year).first()
    initial = {}
    if record is not None:
        initial = {"review_date": record.review_date, "members_present": record.members_present,
                   "decision_number": record.decision_number, "decision_date": record.decision_date}
    form = CouncilDecisionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            council_decision_record(year=year, actor=request.user, **form.cleaned_data)
        except CouncilDecisionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã ghi kết quả họp Hội đồng thẩm định và quyết định xếp hạng.")
            return redirect("council_decision", pk=year.pk)
    return render(request, "parindex/results/council.html", {"year": year, "form": form, "record": record})


COUNCIL_FILES = {"bien-ban": "minutes", "quyet-dinh": "decision_file"}


@login_required
def council_file(request, pk, kind):
    """A file of the council record: for the appraisal side, and for everyone who sees the year
    once results are published (the decision is then public within the province)."""
    year = year_get_visible(request.user, pk)
    published = year.assessments.filter(status=AssessmentStatus.PUBLISHED).exists()
    if not (request.user.has_perm("parindex.view_appraisal") or published):
        raise PermissionDenied("Tệp này xem được sau khi công bố kết quả.")
    record = CouncilDecision.objects.filter(year=year).first()
    field = COUNCIL_FILES.get(kind)
    if record is None or field is None or not getattr(record, field):
        raise Http404("Không có tệp này")
    stored = getattr(record, field)
    name = PurePath(stored.name).name
    return stored_file_response(field_file=stored, original_name=name,
                                content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
