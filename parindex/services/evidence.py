"""Evidence files and their links to scores.

An uploaded file is accepted by what it IS, not by what it is called: the leading bytes are read
with puremagic, Office Open XML containers are opened to see whether they hold a Word document or
a workbook, and legacy OLE2 files must carry a Word or Excel stream. Files are stored under their
sha256 (never at a public URL); the same file uploaded twice to one assessment is one row.
"""

import hashlib
import os
import zipfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.db import IntegrityError, transaction

from parindex.errors import ParIndexError
from parindex.models import AssessmentStatus, Evidence, EvidenceFile, LockStage
from parindex.numbers import format_number
from parindex.services.history import by
from parindex.services.workflow import self_assessment_lock_reason, stage_lock_reason


class EvidenceError(ParIndexError):
    """A refused upload or link; the message is Vietnamese and says why."""


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extensions: tuple
    inline: bool  # opens in the browser tab (PDF, images) rather than downloading


KINDS = {
    k.code: k
    for k in [
        FileKind("pdf", "PDF", "application/pdf", (".pdf",), True),
        FileKind("png", "ảnh PNG", "image/png", (".png",), True),
        FileKind("jpg", "ảnh JPG", "image/jpeg", (".jpg", ".jpeg", ".jfif"), True),
        FileKind("doc", "Word (DOC)", "application/msword", (".doc",), False),
        FileKind("docx", "Word (DOCX)",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), False),
        FileKind("xls", "Excel (XLS)", "application/vnd.ms-excel", (".xls",), False),
        FileKind("xlsx", "Excel (XLSX)",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), False),
    ]
}
KIND_BY_CONTENT_TYPE = {k.content_type: k for k in KINDS.values()}
ALLOWED_LABEL = "PDF, Word (DOC, DOCX), Excel (XLS, XLSX), ảnh JPG, PNG"
# Accept attribute for <input type=file>: a hint for the picker only, the server decides.
ACCEPT = ",".join(ext for k in KINDS.values() for ext in k.extensions)

HEAD_BYTES = 8192
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
# OLE2 directory entries store stream names in UTF-16LE.
OLE_WORD_STREAM = "WordDocument".encode("utf-16-le")
OLE_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
OLE_SCAN_LIMIT = 64 * 1024 * 1024


def max_upload_bytes():
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


def _read_head(uploaded_file):
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    return head


def _magic_extensions(head):
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return set()
    return {m.extension.lower() for m in matches if m.extension}


def _zip_kind(uploaded_file):
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded_file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return KINDS["docx"]
    if any(n.startswith("xl/") for n in names):
        return KINDS["xlsx"]
    return None


def _ole_kind(uploaded_file):
    # MSI installers and other programs are OLE2 too: only a Word or Excel stream makes it a document.
    uploaded_file.seek(0)
    data = uploaded_file.read(OLE_SCAN_LIMIT)
    uploaded_file.seek(0)
    if OLE_WORD_STREAM in data:
        return KINDS["doc"]
    if any(stream in data for stream in OLE_EXCEL_STREAMS):
        return KINDS["xls"]
    return None


def file_kind_detect(uploaded_file):
    """The FileKind of the file's content, or None when it is not an allowed type."""
    head = _read_head(uploaded_file)
    if not head:
        return None
    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    extensions = _magic_extensions(head)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and ".png" in extensions:
        return KINDS["png"]
    if head.startswith(b"\xff\xd8\xff") and extensions & {".jpg", ".jpeg", ".jfif", ".jpe"}:
        return KINDS["jpg"]
    if head.startswith(b"PK\x03\x04") and extensions & {".docx", ".xlsx", ".zip"}:
        return _zip_kind(uploaded_file)
    if head.startswith(OLE2_SIGNATURE):
        return _ole_kind(uploaded_file)
    return None


def uploaded_file_check(uploaded_file):
    """Size and content checks shared by evidence files and register documents. Returns the FileKind."""
    name = os.path.basename(getattr(uploaded_file, "name", "") or "tệp")
    if uploaded_file.size is not None and uploaded_file.size > max_upload_bytes():
        raise EvidenceError(
            f"Tệp “{name}” dung lượng {format_number(uploaded_file.size / (1024 * 1024), 1)} MB, "
            f"vượt giới hạn {settings.EVIDENCE_MAX_UPLOAD_MB} MB."
        )
    if not uploaded_file.size:
        raise EvidenceError(f"Tệp “{name}” rỗng.")
    kind = file_kind_detect(uploaded_file)
    if kind is None:
        raise EvidenceError(
            f"Tệp “{name}” không phải là loại được phép ({ALLOWED_LABEL}); "
            "loại tệp được xác định theo nội dung, không theo tên."
        )
    return kind


def download_name(*, original_name, content_type):
    """The name to send: the original one, with the right extension added when the name lies about
    the content (a PNG called "x.pdf" downloads as "x.pdf.png" so it opens in the right program)."""
    kind = KIND_BY_CONTENT_TYPE.get(content_type)
    if kind is None or original_name.lower().endswith(kind.extensions):
        return original_name
    return original_name + kind.extensions[0]


def _sha256(uploaded_file):
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def _require_can_edit(*, assessment, actor):
    if not actor.has_perm("parindex.edit_self_assessment", assessment):
        raise EvidenceError(f"Bạn không có quyền cập nhật tài liệu kiểm chứng của {assessment.unit}.")


def _stage_lock_reason(*, assessment, stage):
    """Why evidence of `stage` cannot be changed now, or None."""
    if stage == Evidence.Stage.SELF:
        return self_assessment_lock_reason(assessment=assessment)
    if assessment.status != AssessmentStatus.RETURNED:
        return "Chỉ bổ sung tài liệu giải trình khi bản đánh giá đang được trả lại để giải trình."
    return stage_lock_reason(assessment=assessment, stage=LockStage.EXPLANATION)


def _editable_in_some_stage(assessment):
    return any(_stage_lock_reason(assessment=assessment, stage=s) is None for s in Evidence.Stage.values)


def evidence_file_store(*, assessment, uploaded_file, actor):
    """Store an uploaded file as evidence of the assessment (self-assessment or explanation stage).
    Returns the existing row when the identical file was already uploaded to this assessment."""
    _require_can_edit(assessment=assessment, actor=actor)
    if not _editable_in_some_stage(assessment):
        reason = self_assessment_lock_reason(assessment=assessment)
        raise EvidenceError(f"Không thể tải tệp lên: {reason}")
    kind = uploaded_file_check(uploaded_file)
    sha256 = _sha256(uploaded_file)
    existing = EvidenceFile.objects.filter(assessment=assessment, sha256=sha256).first()
    if existing:
        return existing
    # upload_to names the stored file by the hash; the original name lives in its own column.
    evidence_file = EvidenceFile(
        assessment=assessment, original_name=os.path.basename(uploaded_file.name)[:255], sha256=sha256,
        size=uploaded_file.size, content_type=kind.content_type, uploaded_by=actor,
    )
    storage = evidence_file.file.storage
    name = evidence_file.file.field.generate_filename(evidence_file, sha256)
    if storage.exists(name) and storage.size(name) == uploaded_file.size:
        # Same hash, same path: the bytes are already there (left by an earlier upload whose row
        # was deleted or rolled back). Writing again would only create a renamed copy.
        evidence_file.file.name = name
        written = False
    else:
        evidence_file.file.save(sha256, uploaded_file, save=False)
        written = True
    try:
        with transaction.atomic():
            by(evidence_file, actor).save()
    except IntegrityError:
        # Two people uploaded the same file at the same moment: the first row wins.
        if written and evidence_file.file.name != name:
            evidence_file.file.delete(save=False)
        return EvidenceFile.objects.get(assessment=assessment, sha256=sha256)
    return evidence_file


def evidence_link_add(*, score, actor, file=None, document=None, locator="", stage=Evidence.Stage.SELF):
    """Link a score to an uploaded file or a register document (exactly one), naming the page or
    section when given. Linking the same thing twice with the same locator returns the existing link."""
    assessment = score.assessment
    _require_can_edit(assessment=assessment, actor=actor)
    reason = _stage_lock_reason(assessment=assessment, stage=stage)
    if reason:
        raise EvidenceError(f"Không thể thêm tài liệu kiểm chứng: {reason}")
    if (file is None) == (document is None):
        raise EvidenceError("Chọn một tệp đã tải lên hoặc một văn bản trong sổ văn bản.")
    source = file or document
    if source.assessment_id != assessment.pk:
        raise EvidenceError("Tài liệu này thuộc bản đánh giá khác.")
    locator = (locator or "").strip()
    if len(locator) > Evidence._meta.get_field("locator").max_length:
        raise EvidenceError("Trang, mục quá dài (tối đa 120 ký tự).")
    existing = Evidence.objects.filter(score=score, file=file, document=document, locator=locator).first()
    if existing:
        return existing
    evidence = Evidence(score=score, file=file, document=document, locator=locator, stage=stage, added_by=actor)
    evidence._history_user = actor
    by(evidence, actor).save()
    return evidence


def evidence_link_remove(*, evidence, actor):
    """Remove a link (the uploaded file stays, it may prove other items)."""
    assessment = evidence.score.assessment
    _require_can_edit(assessment=assessment, actor=actor)
    reason = _stage_lock_reason(assessment=assessment, stage=evidence.stage)
    if reason:
        raise EvidenceError(f"Không thể gỡ tài liệu kiểm chứng: {reason}")
    evidence._history_user = actor
    by(evidence, actor).delete()


def evidence_file_delete_unused(*, evidence_file, actor):
    """Delete an uploaded file that no item links to any more."""
    assessment = evidence_file.assessment
    _require_can_edit(assessment=assessment, actor=actor)
    reason = self_assessment_lock_reason(assessment=assessment)
    if reason:
        raise EvidenceError(f"Không thể xóa tệp: {reason}")
    if evidence_file.links.exists():
        raise EvidenceError(f"Tệp “{evidence_file.original_name}” đang được dùng làm tài liệu kiểm chứng.")
    stored = evidence_file.file
    by(evidence_file, actor).delete()
    transaction.on_commit(lambda: stored.delete(save=False))
