"""The register of directive documents: list with a type filter, form, delete, download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from parindex.forms.documents import DocumentFilterForm, DocumentForm
from parindex.models import Document
from parindex.selectors import assessment_get_visible
from parindex.services import plan as services
from parindex.services.evidence import KIND_BY_CONTENT_TYPE, file_kind_detect

from .evidence import stored_file_response
from .plan import confirm_delete, form_save, page_context, require_edit


def _list_url(assessment):
    return reverse("document_list", args=[assessment.pk])


def _document_visible(request, pk):
    document = get_object_or_404(Document, pk=pk)
    document.assessment = assessment_get_visible(request.user, document.assessment_id)
    return document


def _fields(form):
    data = dict(form.cleaned_data)
    upload = data.pop("upload", None)
    remove_file = data.pop("remove_file", False)
    return data, upload, remove_file


@login_required
def document_list(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    context = page_context(request, assessment, "documents")
    filter_form = DocumentFilterForm(request.GET or None)
    documents = Document.objects.filter(assessment=assessment).annotate(link_count=Count("links"))
    if filter_form.is_valid() and filter_form.cleaned_data["doc_type"]:
        documents = documents.filter(doc_type=filter_form.cleaned_data["doc_type"])
    context.update(filter_form=filter_form, documents=documents.order_by("id"))
    return render(request, "parindex/plan/document_list.html", context)


@login_required
def document_create(request, pk):
    assessment = assessment_get_visible(request.user, pk)
    refused = require_edit(request, assessment, _list_url(assessment))
    if refused:
        return refused
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save():
        fields, upload, _ = _fields(form)
        services.document_create(assessment=assessment, actor=request.user, upload=upload, **fields)

    if form_save(request, form, save, done="Đã thêm văn bản vào sổ văn bản.",
                 field_errors=_upload_errors_on_field):
        return redirect("document_list", pk=assessment.pk)
    context = page_context(request, assessment, "documents")
    context.update(form=form, title="Thêm văn bản chỉ đạo, điều hành")
    return render(request, "parindex/plan/document_form.html", context)


def _upload_errors_on_field(exc):
    # The service names the file field "file"; the form calls it "upload".
    if hasattr(exc, "error_dict") and "file" in exc.error_dict:
        errors = exc.message_dict
        errors["upload"] = errors.pop("file")
        return ValidationError(errors)
    return exc


@login_required
def document_edit(request, pk):
    document = _document_visible(request, pk)
    assessment = document.assessment
    refused = require_edit(request, assessment, _list_url(assessment))
    if refused:
        return refused
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document)

    def save():
        fields, upload, remove_file = _fields(form)
        services.document_update(document=document, actor=request.user, upload=upload, remove_file=remove_file,
                                 **fields)

    if form_save(request, form, save, done="Đã lưu văn bản.", field_errors=_upload_errors_on_field):
        return redirect("document_list", pk=assessment.pk)
    context = page_context(request, assessment, "documents")
    context.update(form=form, document=document, title=f"Sửa văn bản {document.number_symbol}")
    return render(request, "parindex/plan/document_form.html", context)


@login_required
def document_delete(request, pk):
    document = _document_visible(request, pk)
    return confirm_delete(
        request, assessment=document.assessment, tab="documents", label=str(document),
        back_url=_list_url(document.assessment), done="Đã xóa văn bản khỏi sổ văn bản.",
        delete=lambda: services.document_delete(document=document, actor=request.user),
    )


@login_required
def document_download(request, pk):
    document = _document_visible(request, pk)
    if not document.file:
        raise Http404("Văn bản không có tệp đính kèm")
    with document.file.open("rb") as handle:
        kind = file_kind_detect(handle)
    content_type = kind.content_type if kind else "application/octet-stream"
    if content_type not in KIND_BY_CONTENT_TYPE:
        content_type = "application/octet-stream"
    return stored_file_response(field_file=document.file, original_name=document.original_name or "van-ban",
                                content_type=content_type)
