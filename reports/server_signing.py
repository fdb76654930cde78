"""Optional: the agency's own certificate (PKCS#12 on the server) signs the report, for agencies
that have one; off unless REPORT_SIGNING_PKCS12 is set. The report is rendered with its number and
date, signed by pyHanko with a visible signature in the NĐ30 signature space (between the
authority lines and the signer's name, ô 7c/8), and then issued through the same check as an
uploaded file: the server's certificate must chain to a trust anchor like any other."""

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from parindex.models import Assessment

from .issuing import ReportIssueError, outside_event_loop, report_issue, report_issue_lock_reason

FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "liberation-serif" / "LiberationSerif-Regular.ttf"
MM = 72 / 25.4
# The PDF's page geometry (report-print.css): 30 mm left margin, 165 mm text, closing table 40 % / 60 %.
SIGNATURE_COLUMN_CENTRE = (30 + 165 * 0.4 + 165 * 0.6 / 2) * MM
BOX_WIDTH = 75 * MM


def server_signing_enabled():
    return bool(settings.REPORT_SIGNING_PKCS12)


def signature_box(content, *, signer_name, authority_line):
    """(page index, (x1, y1, x2, y2)) of the signature space: above the signer's printed name and
    below the last authority line ("PHÓ CHỦ TỊCH"), centred in the signature column."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    for index, page in enumerate(reader.pages):
        found = {}

        def visit(text, cm, tm, font_dict, font_size, found=found):
            text = text.strip()
            if text in (signer_name, authority_line) and text not in found:
                found[text] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # baseline in page space

        page.extract_text(visitor_text=visit)
        if signer_name in found and authority_line in found:
            bottom, top = found[signer_name] + 16, found[authority_line] - 6
            return index, (SIGNATURE_COLUMN_CENTRE - BOX_WIDTH / 2, bottom,
                           SIGNATURE_COLUMN_CENTRE + BOX_WIDTH / 2, max(top, bottom + 30))
    raise ReportIssueError("Không tìm thấy vị trí chữ ký trong báo cáo (tên người ký).")


def _signer():
    from pyhanko.sign import signers

    passphrase = settings.REPORT_SIGNING_PKCS12_PASSPHRASE
    signer = signers.SimpleSigner.load_pkcs12(str(settings.REPORT_SIGNING_PKCS12),
                                              passphrase=passphrase.encode("utf-8") if passphrase else None)
    if signer is None:
        raise ReportIssueError("Không đọc được chứng thư số của cơ quan (tệp PKCS#12 hoặc mật khẩu).")
    return signer


_stamp_font = None


def stamp_font():
    """Liberation Serif scaled to 1000 units per em, written once per process: pyHanko writes glyph
    widths in font units where PDF expects thousandths of an em, so a 2048-unit TrueType font came out
    with its letters twice as far apart."""
    global _stamp_font
    if _stamp_font is None or not Path(_stamp_font).is_file():
        import tempfile

        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        font = TTFont(str(FONT))
        scale_upem(font, 1000)
        handle, path = tempfile.mkstemp(prefix="parindex-stamp-", suffix=".ttf")
        with open(handle, "wb") as out:
            font.save(out)
        _stamp_font = path
    return _stamp_font


def pdf_sign_visible(content, *, page, box, location):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    style = TextStampStyle(stamp_text="Ký số bởi: %(signer)s\nThời gian: %(ts)s",
                           text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(stamp_font()), font_size=9),
                           border_width=0)
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="ChuKySoCoQuan", location=location),
        signer=_signer(), stamp_style=style,
        new_field_spec=fields.SigFieldSpec("ChuKySoCoQuan", on_page=page, box=tuple(round(v, 2) for v in box)),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    return outside_event_loop(pdf_signer.sign_pdf, writer).getvalue()


def report_sign_on_server(*, assessment, actor, number, issued_on):
    """Render the report with its number and date, sign it with the agency's certificate, issue it."""
    from .data import commune_report_data
    from .issuing import _report_number
    from .pdf import commune_report_pdf

    if not server_signing_enabled():
        raise ReportIssueError("Máy chủ chưa được cấu hình chứng thư số của cơ quan để ký báo cáo.")
    reason = report_issue_lock_reason(assessment=assessment, actor=actor)
    if reason:
        raise ReportIssueError(f"Không thể ban hành: {reason}")
    try:
        printed = _report_number(number)
    except ValidationError as exc:
        raise ReportIssueError(f"Số, ký hiệu không hợp lệ: {' '.join(exc.messages)}") from None
    with transaction.atomic():
        # The printed number and date are those of the issue; undone with everything else on refusal.
        Assessment.objects.filter(pk=assessment.pk).update(report_number=printed, report_date=issued_on)
        data = commune_report_data(assessment=assessment)
        content = commune_report_pdf(data)
        page, box = signature_box(content, signer_name=data["signature"]["name"],
                                  authority_line=data["signature"]["authority_lines"][-1])
        signed = pdf_sign_visible(content, page=page, box=box, location=assessment.unit.place_name)
        upload = SimpleUploadedFile(f"{data['filename_stem']}-da-ky.pdf", signed, content_type="application/pdf")
        return report_issue(assessment=assessment, actor=actor, number=number, issued_on=issued_on, upload=upload)
