"""Issuing the report: the commune signs the PDF outside the system (USB token, government CA),
uploads it with its number and date, and the system keeps it byte for byte as the record.

Signatures are checked with pyHanko against the trust anchors in settings.REPORT_TRUST_ANCHORS_DIR:
a signature whose signed bytes changed is refused; one that is intact but does not chain to a
trusted anchor is refused unless REPORT_ACCEPT_UNTRUSTED_SIGNATURES, and then shown as untrusted;
an unsigned PDF is refused unless REPORT_ACCEPT_UNSIGNED, and then shown as "chưa ký số"."""

import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from parindex.errors import ParIndexError
from parindex.models import Assessment, AssessmentStatus, DocumentType

from .models import IssuedReport, SignatureStatus

ANCHOR_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class ReportIssueError(ParIndexError):
    """A refused issue (Vietnamese message)."""


@dataclass
class SignatureCheck:
    status: str
    signatures: list = field(default_factory=list)


def trust_anchors():
    """The certificates in the configured folder (PEM or DER); none when the folder is missing."""
    from pyhanko.keys import load_certs_from_pemder

    folder = Path(settings.REPORT_TRUST_ANCHORS_DIR or "")
    if not folder.is_dir():
        return []
    files = sorted(str(p) for p in folder.iterdir() if p.suffix.lower() in ANCHOR_SUFFIXES and p.is_file())
    return list(load_certs_from_pemder(files)) if files else []


def _local(moment):
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _describe(status, name):
    cert = status.signing_cert
    when = status.signer_reported_dt
    timestamp = getattr(status, "timestamp_validity", None)
    if timestamp is not None and getattr(timestamp, "timestamp", None):
        when = timestamp.timestamp
    return {
        "field": name or "",
        "signer": cert.subject.human_friendly,
        "issuer": cert.issuer.human_friendly,
        "serial": format(cert.serial_number, "X"),
        "valid_from": cert.not_valid_before.isoformat(),
        "valid_to": cert.not_valid_after.isoformat(),
        "signing_time": when.isoformat() if when else "",
        # As the page shows it: local time, Vietnamese order.
        "signing_time_text": _local(when).strftime("%H:%M:%S ngày %d/%m/%Y") if when else "",
        "timestamped": bool(timestamp is not None),
        "intact": bool(status.intact and status.valid),
        "trusted": bool(status.trusted),
        "covers_whole_file": status.coverage.name == "ENTIRE_FILE",
    }


def outside_event_loop(function, *args, **kwargs):
    """Call `function` where asyncio.run() is allowed: pyHanko's synchronous API starts an event loop,
    which fails inside a running one (an ASGI server, Playwright's sync API in tests)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def signed_pdf_check(*, content):
    """What the signatures of a PDF say. Raises ReportIssueError for a file that is not a readable
    PDF or whose signed content changed; never decides acceptance of untrusted/unsigned files."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    if not content.startswith(b"%PDF-"):
        raise ReportIssueError("Tệp tải lên không phải tệp PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ReportIssueError(f"Không đọc được tệp PDF ({exc}).") from None
    if not embedded:
        return SignatureCheck(status=SignatureStatus.UNSIGNED)
    anchors = trust_anchors()
    described = []
    # pyHanko logs every failed path build with a traceback: an untrusted signer is an expected
    # outcome here, reported to the user, not a server error.
    logger = logging.getLogger("pyhanko")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        for sig in embedded:
            context = ValidationContext(trust_roots=anchors, allow_fetching=False)
            try:
                status = outside_event_loop(validate_pdf_signature, sig, context)
            except Exception as exc:  # pyHanko raises many kinds for a malformed signature dictionary
                raise ReportIssueError(f"Không kiểm tra được chữ ký “{sig.field_name}”: {exc}") from None
            described.append(_describe(status, sig.field_name))
    finally:
        logger.setLevel(level)
    broken = [d for d in described if not d["intact"]]
    if broken:
        raise ReportIssueError(
            f"Chữ ký số của “{broken[0]['signer']}” không hợp lệ: nội dung tệp đã bị thay đổi sau khi ký. "
            "Hãy tải lên đúng tệp đã ký.")
    if not described[-1]["covers_whole_file"]:
        raise ReportIssueError("Tệp có nội dung được thêm vào sau chữ ký số cuối cùng: hãy tải lên đúng tệp đã ký.")
    trusted = all(d["trusted"] for d in described)
    return SignatureCheck(status=SignatureStatus.TRUSTED if trusted else SignatureStatus.UNTRUSTED,
                          signatures=described)


def report_issue_lock_reason(*, assessment, actor):
    if not actor.has_perm("parindex.edit_self_assessment", assessment):
        return f"Bạn không có quyền ban hành báo cáo của {assessment.unit}."
    if assessment.status == AssessmentStatus.DRAFT:
        return "Bản đánh giá chưa nộp: chưa thể ban hành báo cáo."
    if IssuedReport.objects.filter(assessment=assessment).exists():
        return "Báo cáo đã được ban hành; bản đã ký được lưu nguyên trạng."
    return None


def _report_number(number):
    from parindex.services.plan import document_symbol_normalize

    number = (number or "").strip()
    if number.isdigit():
        number = f"{int(number):02d}/BC-UBND"
    number = document_symbol_normalize(doc_type=DocumentType.BAO_CAO, number_symbol=number)
    # NĐ30: numbers below 10 take a leading zero ("05/BC-UBND").
    head, _, rest = number.partition("/")
    return f"{int(head):02d}/{rest}"


def report_issue(*, assessment, actor, number, issued_on, upload):
    """Record the issued report: its number and date, and the signed PDF exactly as uploaded."""
    from django.core.exceptions import ValidationError

    reason = report_issue_lock_reason(assessment=assessment, actor=actor)
    if reason:
        raise ReportIssueError(f"Không thể ban hành: {reason}")
    try:
        number = _report_number(number)
    except ValidationError as exc:
        raise ReportIssueError(f"Số, ký hiệu không hợp lệ: {' '.join(exc.messages)}") from None
    if issued_on.year < assessment.year.year:
        raise ReportIssueError(f"Ngày ban hành {issued_on:%d/%m/%Y} trước năm đánh giá {assessment.year.year}.")
    if upload.size > settings.REPORT_ISSUED_MAX_UPLOAD_MB * 1024 * 1024:
        raise ReportIssueError(f"Tệp lớn hơn {settings.REPORT_ISSUED_MAX_UPLOAD_MB} MB.")
    content = b"".join(upload.chunks())
    check = signed_pdf_check(content=content)
    if check.status == SignatureStatus.UNSIGNED and not settings.REPORT_ACCEPT_UNSIGNED:
        raise ReportIssueError("Tệp PDF chưa có chữ ký số. Hãy ký số báo cáo (USB token) rồi tải lên bản đã ký.")
    if check.status == SignatureStatus.UNTRUSTED and not settings.REPORT_ACCEPT_UNTRUSTED_SIGNATURES:
        signer = next(d for d in check.signatures if not d["trusted"])
        raise ReportIssueError(
            f"Chữ ký số của “{signer['signer']}” toàn vẹn nhưng chứng thư số (do “{signer['issuer']}” cấp) "
            "không thuộc tổ chức chứng thực được hệ thống tin cậy. Liên hệ quản trị để bổ sung chứng thư gốc.")
    digest = hashlib.sha256(content).hexdigest()
    issued = IssuedReport(assessment=assessment, number=number, issued_on=issued_on,
                          original_name=(upload.name or "bao-cao.pdf")[:255], sha256=digest, size=len(content),
                          signature_status=check.status, signatures=check.signatures, issued_by=actor)
    try:
        with transaction.atomic():
            issued.file.save(f"{digest}.pdf", ContentFile(content), save=False)
            issued.save()
            Assessment.objects.filter(pk=assessment.pk).update(report_number=number, report_date=issued_on)
    except IntegrityError:
        issued.file.delete(save=False)
        raise ReportIssueError("Báo cáo đã được ban hành (vừa có người cập nhật).") from None
    assessment.report_number, assessment.report_date = number, issued_on
    return issued


def issued_report_content(*, issued):
    """The stored bytes, refused if they no longer match the hash recorded at issue."""
    with issued.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != issued.sha256:
        raise ReportIssueError("Tệp báo cáo đã ban hành trên máy chủ không còn khớp mã băm lúc lưu.")
    return content
