"""Evidence file downloads: only through the visibility rule, never from a public URL."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from parindex.models import EvidenceFile
from parindex.selectors import assessment_get_visible
from parindex.services.evidence import KIND_BY_CONTENT_TYPE, download_name


def stored_file_response(*, field_file, original_name, content_type):
    """Serve a private stored file: inline for PDF and images (they open in place), else as a download."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Không tìm thấy tệp trên máy chủ") from None
    kind = KIND_BY_CONTENT_TYPE.get(content_type)
    inline = bool(kind and kind.inline)
    response = FileResponse(
        handle, as_attachment=not inline, content_type=content_type or "application/octet-stream",
        filename=download_name(original_name=original_name, content_type=content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_download(request, pk):
    evidence_file = get_object_or_404(EvidenceFile.objects.only("id", "assessment_id"), pk=pk)
    assessment_get_visible(request.user, evidence_file.assessment_id)
    evidence_file = EvidenceFile.objects.get(pk=pk)
    return stored_file_response(field_file=evidence_file.file, original_name=evidence_file.original_name,
                                content_type=evidence_file.content_type)
