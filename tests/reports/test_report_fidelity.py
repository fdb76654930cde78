"""Issue 14: the Ba Thành 2024 report says nothing the seed does not, read back from the PDF (pypdf)
and the DOCX (python-docx) made by the real job path from the demo data."""

import re
import subprocess

from docx import Document as DocxDocument
from pypdf import PdfReader

from .conftest import pdf_page_texts

SEED_DOCUMENTS = ["194/QĐ-UBND", "195/QĐ-UBND", "23/UBND", "45/UBND", "74/KH-UBND", "28/TB-UBND", "33/BC-UBND",
                  "102/BC-UBND", "189/BC-UBND"]
INVENTED = ["08/QĐ-UBND", "12/KH-UBND", "118/KH-UBND"]
LEGAL_BASIS = (
    "Căn cứ Bộ Chỉ số CCHC được ban hành kèm theo Quyết định số 673/QĐ-UBND ngày 17/07/2023 của UBND tỉnh "
    "Quảng Ngãi về phê duyệt Đề án “Xác định Chỉ số cải cách hành chính của các sở, ban, ngành; UBND các huyện, "
    "thị xã, thành phố và Ủy ban nhân dân các xã, phường, thị trấn trên địa bàn tỉnh Quảng Ngãi” giai đoạn "
    "2023-2030."
)
# The seed's own wording of the sentences the commune may reword (the demo stores it as typed).
SEED_WORDING = [
    "UBND xã Ba Thành báo cáo kết quả Chỉ số cải cách hành chính năm 2024 cụ thể, như sau:",
    "Trong năm 2024, UBND xã đã có nhiều nỗ lực quyết tâm trong việc thực hiện nhiệm vụ CCHC",
    "Trong năm 2024 UBND xã, Ban Chỉ đạo CCHC của xã đã tổ chức 02 Hội nghị: Tổng kết năm 2023, sơ kết công tác "
    "CCHC 6 tháng năm 2024, Hội nghị tọa đàm tọa đàm về hoạt động Cải cách hành chính, chuyển đổi số năm 2024",
    "tổng cộng: 05 phiên họp định kỳ.",
    "Điểm tự đánh giá được xác định cụ thể đối với từng tiêu chí, tiêu chí thành phần như sau:",
    "Trên đây là Báo cáo tóm tắt kết quả triển khai thực hiện công tác Cải cách hành chính trong năm 2024 của "
    "UBND xã Ba Thành. Kính báo cáo UBND huyện.",
]


def _flat(text):
    return " ".join(text.split())


def _pdf(demo_files):
    return _flat(" ".join(page.extract_text() for page in PdfReader(str(demo_files.pdf)).pages))


def _docx(demo_files):
    document = DocxDocument(str(demo_files.docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return document, _flat(" ".join([p.text for p in document.paragraphs] + cells))


def _both(demo_files):
    return {"PDF": _pdf(demo_files), "DOCX": _docx(demo_files)[1]}


def test_the_report_itself_says_its_item_scores_are_illustrative(demo_files):
    for name, text in _both(demo_files).items():
        assert "DỮ LIỆU MINH HỌA: điểm từng tiêu chí, tiêu chí thành phần trong Phụ lục được phân bổ" in text, name


def test_the_online_item_agrees_with_the_commune_s_own_figures(demo_files):
    text = _pdf(demo_files)
    assert "Trực tuyến 946/946 hồ sơ".lower() in text.lower() and "đạt 100,00%" in text
    appendix = "\n".join(p for p in pdf_page_texts(demo_files.pdf) if "Điểm thẩm định" in p)
    line = next(line for line in appendix.splitlines() if line.split()[:1] == ["7.2.1"])
    assert line.split()[-3:] == ["1,50", "1,50", "1,50"], line


def test_the_nine_recorded_documents_in_the_commune_s_order_and_the_declared_count(demo_files):
    for name, text in _both(demo_files).items():
        assert "tổng cộng: 12 văn bản" in text, name
        positions = [text.index(f"số {number} ") for number in SEED_DOCUMENTS]
        assert positions == sorted(positions), f"{name}: the register's order is not the commune's"
        for number in INVENTED:
            assert f"số {number}" not in text, f"{name} prints the invented {number}"
        assert "(minh họa)" not in text, name


def test_the_legal_basis_is_printed_whole_and_nothing_is_added_after_it(demo_files):
    for name, text in _both(demo_files).items():
        assert LEGAL_BASIS in text, name
        assert "đã tổ chức tự đánh giá, chấm điểm đối với từng tiêu chí" not in text, name


def test_a_draft_gives_neither_number_nor_date(demo_files):
    for name, text in _both(demo_files).items():
        assert re.search(r"Số:\s*/BC-UBND", text), name
        assert re.search(r"Ba Thành, ngày\s+tháng \d+ năm \d{4}", text), name
        assert "ngày 10 tháng 01 năm 2025" not in text, name
        assert re.search(r"\(Kèm theo Báo cáo số\s*/BC-UBND ngày\s+tháng", text), name


def test_the_seed_s_wording_is_printed_as_the_commune_typed_it(demo_files):
    for name, text in _both(demo_files).items():
        for sentence in SEED_WORDING:
            assert sentence in text, f"{name}: “{sentence}” is missing"
        assert "Đề án 06 6 tháng" not in text and "01 buổi tọa đàm" not in text, name


def test_area_names_are_whole_and_percentages_have_one_style(demo_files):
    for name, text in _both(demo_files).items():
        assert "Lĩnh vực Cải cách thể chế: 04 tiêu chí và 07 tiêu chí thành phần" in text, name
        assert "Lĩnh vực Cải cách tài chính công: 03 tiêu chí" in text, name
        assert "phát triển kinh tế - xã hội của tỉnh: 02 tiêu chí và 03 tiêu chí thành phần" in text, name
        assert "71,00/100,00 điểm (71,00%)" in text, name
        assert "98,28%" in text and "1,72%" in text, name
        # Every percentage of the body carries two decimals (the appendix's item names are the set's text).
        body = text.split("BẢNG ĐIỂM CHI TIẾT")[0]
        assert not re.findall(r"(?<![\d,])\d+%", body), name


def test_no_group_row_ends_an_appendix_page(demo_files):
    pages = [p for p in pdf_page_texts(demo_files.pdf) if "Điểm thẩm định" in p]
    assert len(pages) >= 2
    leaves = set(demo_files.leaf_codes)
    code = re.compile(r"^\s*(\d+(?:\.\d+)*)\s")
    for page in pages[:-1]:
        codes = [m.group(1) for m in map(code.match, page.splitlines()) if m]
        assert codes[-1] in leaves, f"page ends with the group row {codes[-1]}"


def test_docx_headings_use_word_heading_styles(demo_files):
    document, _ = _docx(demo_files)
    styles = {p.text.strip(): p.style.name for p in document.paragraphs if p.text.strip()}
    assert styles["I. CÔNG TÁC TRIỂN KHAI XÁC ĐỊNH CHỈ SỐ CCHC"] == "Heading 1"
    assert styles["III. ĐÁNH GIÁ CHUNG"] == "Heading 1"
    assert styles["1. Bộ tiêu chí xác định Chỉ số CCHC quy định:"] == "Heading 2"
    assert styles["Phụ lục"] == "Heading 1"
    body = next(p for p in document.paragraphs if p.text.startswith("Thực hiện Công văn số 50/UBND"))
    assert body.style.name == "Normal"


def test_docx_chart_table_has_a_total_row(demo_files):
    document, _ = _docx(demo_files)
    table = next(t for t in document.tables if t.cell(0, 0).text == "Lĩnh vực")
    last = [cell.text for cell in table.rows[-1].cells]
    assert last == ["Tổng cộng", "100,00", "71,00", "58,70"]
    assert len(table.rows) == 1 + 8 + 1


def test_the_pdf_is_tagged_pdf_a_with_embedded_fonts(demo_files):
    reader = PdfReader(str(demo_files.pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert "/OutputIntents" in root
    fonts = subprocess.run(["pdffonts", str(demo_files.pdf)], capture_output=True, check=True, text=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in row for row in rows), fonts
