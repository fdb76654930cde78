"""The commune's báo cáo as an editable Word file: same figures and NĐ30 layout as the PDF."""

import openpyxl
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from reports.models import JobStatus

from .conftest import AREA_RESULTS, HEADER, KEY_FIGURES, SIGNATORY, pdf_text


def _all_text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_docx_carries_the_header_the_figures_and_the_signature(demo_files):
    assert demo_files.jobs["docx"].status == JobStatus.DONE, demo_files.jobs["docx"].error
    assert demo_files.jobs["docx"].filename == "bao-cao-chi-so-cchc-2024-xa-ba-thanh.docx"
    document = Document(demo_files.docx)
    text = _all_text(document)
    for expected in HEADER + AREA_RESULTS + KEY_FIGURES + [SIGNATORY, "Nơi nhận:", "BÁO CÁO",
                                                                    "Kính báo cáo UBND huyện."]:
        assert expected in text, f"“{expected}” is missing from the DOCX"


def test_the_docx_page_is_a4_with_nd30_margins_and_the_appendix_is_a_landscape_section(demo_files):
    document = Document(demo_files.docx)
    report, appendix = document.sections
    assert round(report.page_width.mm) == 210 and round(report.page_height.mm) == 297
    assert [round(m.mm) for m in (report.top_margin, report.bottom_margin, report.left_margin,
                                   report.right_margin)] == [20, 20, 30, 15]
    assert report.different_first_page_header_footer  # no page number on page 1
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"  # numbered on its own
    assert "PAGE" in report.header._element.xml


def test_the_header_and_signature_are_borderless_two_column_tables(demo_files):
    document = Document(demo_files.docx)
    header, *_, closing, appendix_table = document.tables
    assert [c.text.split("\n")[0] for c in header.rows[0].cells] == ["ỦY BAN NHÂN DÂN",
                                                                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    # A draft: the number and the day are left blank, to be given when the report is issued.
    assert header.rows[1].cells[0].text.startswith("Số:") and "/BC-UBND" in header.rows[1].cells[0].text
    assert header.rows[1].cells[1].text.startswith("Ba Thành, ngày \xa0")
    for table in (header, closing):
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert all(edge.get(qn("w:val")) == "nil" for edge in borders)
    assert closing.rows[0].cells[0].text.startswith("Nơi nhận:")
    assert closing.rows[0].cells[0].text.endswith("- Lưu: VT.")
    assert closing.rows[0].cells[1].text.startswith("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    assert appendix_table.rows[0].cells[4].text == "Điểm thẩm định"
    assert appendix_table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page


def test_every_run_uses_times_new_roman_for_vietnamese_too(demo_files):
    document = Document(demo_files.docx)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert {normal.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [run for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
             for run in p.runs]
    assert runs
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman" and fonts.get(qn("w:cs")) == "Times New Roman"


def test_a_sample_criteria_set_is_marked_as_sample_content_in_every_format(demo_files):
    # The shipped set is sample content below area level: the printed appendix must say so.
    assert "nội dung mẫu" in _all_text(Document(demo_files.docx))
    assert "nội dung mẫu" in pdf_text(demo_files.pdf)
    sheet = openpyxl.load_workbook(demo_files.xlsx)["Bảng điểm"]
    assert any("nội dung mẫu" in str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
