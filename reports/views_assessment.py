"""The report of one assessment: the commune's wording of the body, and the issued (signed) report
with its signature details, which everyone who sees the assessment reads (appraisers included)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from parindex.selectors import assessment_get_visible

from . import body_texts, issuing, server_signing
from .forms import ReportIssueForm, ReportTextsForm, ServerSignForm
from .models import IssuedReport


def _issued(assessment):
    return IssuedReport.objects.filter(assessment=assessment).select_related("issued_by").first()


def _text_rows(assessment):
    current = body_texts.report_body_texts(assessment=assessment)
    overridden = body_texts.report_texts_overridden(assessment=assessment)
    return [(t.label, current[t.key], t.key in overridden) for t in body_texts.BODY_TEXTS]


@login_required
def report_texts_edit(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    lock_reason = body_texts.report_texts_lock_reason(assessment=assessment, actor=request.user)
    may_edit = request.user.has_perm("parindex.edit_self_assessment", assessment)
    defaults = body_texts.body_text_defaults(assessment=assessment)
    form = ReportTextsForm(initial=body_texts.report_body_texts(assessment=assessment), defaults=defaults)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = ReportTextsForm(request.POST, defaults=defaults)
        if form.is_valid():
            try:
                changed = body_texts.report_texts_save(assessment=assessment, actor=request.user,
                                                       texts=form.cleaned_data)
            except body_texts.ReportTextError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"Đã lưu lời văn báo cáo ({len(changed)} đoạn thay đổi).")
                return redirect("report_texts_edit", pk=assessment.pk)
    return render(request, "reports/assessment/texts.html", {
        "assessment": assessment, "form": form, "can_edit": lock_reason is None, "lock_reason": lock_reason,
        "rows": _text_rows(assessment), "issued": _issued(assessment), "active_tab": "report_texts",
    })


@login_required
def report_issue(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    lock_reason = issuing.report_issue_lock_reason(assessment=assessment, actor=request.user)
    form = ReportIssueForm()
    if request.method == "POST":
        if not request.user.has_perm("parindex.edit_self_assessment", assessment):
            raise PermissionDenied
        form = ReportIssueForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                issuing.report_issue(assessment=assessment, actor=request.user, number=form.cleaned_data["number"],
                                     issued_on=form.cleaned_data["issued_on"],
                                     upload=form.cleaned_data["signed_pdf"])
            except issuing.ReportIssueError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "Đã ban hành báo cáo: bản đã ký được lưu nguyên trạng.")
                return redirect("report_issue", pk=assessment.pk)
    return render(request, "reports/assessment/issue.html", {
        "assessment": assessment, "form": form, "can_issue": lock_reason is None, "lock_reason": lock_reason,
        "issued": _issued(assessment), "active_tab": "report_issue",
        "server_form": ServerSignForm() if server_signing.server_signing_enabled() else None,
    })


@require_POST
@login_required
def report_sign_on_server(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.edit_self_assessment", assessment):
        raise PermissionDenied
    form = ServerSignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nhập số, ký hiệu và ngày ban hành để ký số.")
        return redirect("report_issue", pk=assessment.pk)
    try:
        server_signing.report_sign_on_server(assessment=assessment, actor=request.user, **form.cleaned_data)
    except issuing.ReportIssueError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ký số bằng chứng thư của cơ quan và ban hành báo cáo.")
    return redirect("report_issue", pk=assessment.pk)


@require_GET
@login_required
def issued_report_download(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    issued = _issued(assessment)
    if issued is None:
        raise Http404("Báo cáo chưa ban hành")
    try:
        issuing.issued_report_content(issued=issued)
    except (OSError, issuing.ReportIssueError) as exc:
        raise Http404(getattr(exc, "message", "Tệp báo cáo không còn trên máy chủ")) from None
    return FileResponse(issued.file.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"bao-cao-{issued.number.replace('/', '-')}-{assessment.unit.code}.pdf")
