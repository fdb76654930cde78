"""Meetings, online public-service figures and the narrative of the report."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from parindex.forms.yearly import MeetingForm, NarrativeForm, ServiceFiguresForm
from parindex.models import Meeting, ServiceFigures
from parindex.selectors import assessment_get_visible
from parindex.selectors.plan import meeting_counts, service_figure_rates
from parindex.services import plan as services

from .plan import confirm_delete, form_save, page_context, require_edit


def _meetings_url(assessment):
    return reverse("meeting_list", args=[assessment.pk])


def _meeting_visible(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    meeting.assessment = assessment_get_visible(request.user, meeting.assessment_id)
    return meeting


@login_required
def meeting_list(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    context = page_context(request, assessment, "meetings")
    counts = meeting_counts(assessment=assessment)
    context.update(meetings=Meeting.objects.filter(assessment=assessment).order_by("held_on", "id"),
                   counts=[(label, counts[value]) for value, label in Meeting._meta.get_field("kind").choices])
    return render(request, "parindex/plan/meeting_list.html", context)


def _meeting_form_view(request, assessment, meeting=None):
    refused = require_edit(request, assessment, _meetings_url(assessment))
    if refused:
        return refused
    form = MeetingForm(request.POST or None, instance=meeting)

    def save():
        if meeting is None:
            services.meeting_create(assessment=assessment, actor=request.user, **form.cleaned_data)
        else:
            services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)

    if form_save(request, form, save, done="Đã lưu hội nghị, cuộc họp."):
        return redirect("meeting_list", pk=assessment.pk)
    context = page_context(request, assessment, "meetings")
    context.update(form=form, title="Sửa hội nghị, cuộc họp" if meeting else "Thêm hội nghị, cuộc họp về CCHC")
    return render(request, "parindex/plan/meeting_form.html", context)


@login_required
def meeting_create(request, pk):
    return _meeting_form_view(request, assessment_get_visible(request.user, pk))


@login_required
def meeting_edit(request, pk):
    meeting = _meeting_visible(request, pk)
    return _meeting_form_view(request, meeting.assessment, meeting)


@login_required
def meeting_delete(request, pk):
    meeting = _meeting_visible(request, pk)
    return confirm_delete(
        request, assessment=meeting.assessment, tab="meetings", label=str(meeting),
        back_url=_meetings_url(meeting.assessment), done="Đã xóa hội nghị, cuộc họp.",
        delete=lambda: services.meeting_delete(meeting=meeting, actor=request.user),
    )


@login_required
def service_figures_edit(request, pk):
    """Everyone who sees the assessment reads the figures and rates; the commune edits them."""
    assessment = assessment_get_visible(request.user, pk)
    context = page_context(request, assessment, "figures")
    figures = ServiceFigures.objects.filter(assessment=assessment).first()
    form = ServiceFiguresForm(instance=figures)
    if request.method == "POST":
        if not context["has_perm"]:
            raise PermissionDenied
        refused = require_edit(request, assessment, request.path)
        if refused:
            return refused
        form = ServiceFiguresForm(request.POST, instance=figures)
        if form_save(request, form, done="Đã lưu số liệu dịch vụ công trực tuyến.",
                     save=lambda: services.service_figures_save(assessment=assessment, actor=request.user,
                                                                **form.cleaned_data)):
            return redirect("service_figures_edit", pk=assessment.pk)
    context.update(form=form, rates=service_figure_rates(assessment=assessment))
    return render(request, "parindex/plan/service_figures.html", context)


@login_required
def narrative_edit(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    context = page_context(request, assessment, "narrative")
    form = NarrativeForm(initial={"strengths": assessment.strengths, "weaknesses": assessment.weaknesses,
                                  "proposals": assessment.proposals})
    if request.method == "POST":
        if not context["has_perm"]:
            raise PermissionDenied
        refused = require_edit(request, assessment, request.path)
        if refused:
            return refused
        form = NarrativeForm(request.POST)
        if form_save(request, form, done="Đã lưu phần đánh giá chung.",
                     save=lambda: services.narrative_save(assessment=assessment, actor=request.user,
                                                          **form.cleaned_data)):
            return redirect("narrative_edit", pk=assessment.pk)
    context["form"] = form
    return render(request, "parindex/plan/narrative.html", context)
