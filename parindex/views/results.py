"""Year-level pages: the administrator's progress landing, the ranking, and publication."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from parindex.models import AssessmentStatus, CouncilDecision, EvaluationYear
from parindex.selectors import years_visible_to
from parindex.selectors.queue import year_progress as year_progress_select
from parindex.selectors.rankings import ranking_visible_to
from parindex.services.workflow import WorkflowError
from parindex.services.workflow import results_publish as results_publish_service

S = AssessmentStatus


def _year_get_visible(user, pk):
    try:
        return years_visible_to(user).get(pk=pk)
    except (ValueError, TypeError, EvaluationYear.DoesNotExist):
        raise Http404("Không tìm thấy kỳ đánh giá") from None


@login_required
def year_progress(request, pk):
    """The administrator's landing: where the year stands, by status and by district, and who is late."""
    year = _year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.view_appraisal"):
        raise PermissionDenied("Trang này dành cho cán bộ thẩm định và quản trị.")
    progress = year_progress_select(user=request.user, year=year)
    return render(request, "parindex/results/progress.html", {
        "year": year, "progress": progress, "statuses": S.choices,
        "can_publish": request.user.has_perm("parindex.publish_results", year),
        "can_assign": request.user.has_perm("parindex.manage_assignments", year),
    })


@login_required
def results_ranking(request, pk):
    """Results of the year within the user's scope, ranked within their group (district or province).
    Commune accounts see their own row (with its true rank) once their result is published."""
    year = _year_get_visible(request.user, pk)
    results = ranking_visible_to(user=request.user, year=year)
    if not request.user.has_perm("parindex.view_appraisal"):
        results = [r for r in results if r.assessment.status == S.PUBLISHED]
        if not results:
            raise PermissionDenied("Kết quả xếp hạng chỉ xem được sau khi công bố.")
    group = request.GET.get("group", "")
    groups = sorted({r.group for r in results}, key=lambda g: g.path)
    if group:
        results = [r for r in results if str(r.group.id) == group]
    return render(request, "parindex/results/ranking.html", {
        "year": year, "results": results, "groups": groups, "group": group,
        "criteria_set": year.criteria_set, "ranked_count": sum(1 for r in results if r.rank is not None),
        "can_publish": request.user.has_perm("parindex.publish_results", year),
        "council": CouncilDecision.objects.filter(year=year).first(),
        "can_record_council": request.user.has_perm("parindex.manage_assignments", year),
    })


class PublishForm(forms.Form):
    decision_number = forms.CharField(label="Số quyết định công bố", max_length=60,
                                      help_text="Ví dụ: 125/QĐ-UBND")
    decision_date = forms.DateField(
        label="Ngày quyết định", input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@login_required
def results_publish(request, pk):
    """Publication by decision (number, date): the approved results of the year become final and frozen."""
    year = _year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.publish_results", year):
        raise PermissionDenied("Chỉ quản trị cấp tỉnh được công bố kết quả.")
    form = PublishForm(request.POST or None, initial={
        "decision_number": year.publication_decision_number, "decision_date": year.publication_decision_date,
    })
    if request.method == "POST" and form.is_valid():
        try:
            published = results_publish_service(year=year, actor=request.user, **form.cleaned_data)
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã công bố kết quả của {len(published)} đơn vị.")
            return redirect("results_ranking", pk=year.pk)
    counts = {value: 0 for value in S.values}
    for status in year.assessments.values_list("status", flat=True):
        counts[status] += 1
    pending = year.assessments.exclude(status__in=(S.APPROVED, S.PUBLISHED)).select_related("unit", "unit__parent")
    return render(request, "parindex/results/publish.html", {
        "year": year, "form": form, "approved": counts[S.APPROVED], "published": counts[S.PUBLISHED],
        "pending": pending, "total": sum(counts.values()),
    })
