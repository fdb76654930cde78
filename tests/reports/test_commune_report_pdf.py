"""The commune's báo cáo as PDF, produced through the real job path (report_request → Celery task,
eager here) from the demo data, read back with pdftotext and pdffonts."""

import re
import subprocess

from reports.models import JobStatus

from .conftest import (
    AREA_RESULTS,
    HEADER,
    KEY_FIGURES,
    SIGNATORY,
    pdf_page_texts,
    pdf_text,
    save_page_one_png,
)


def test_the_ba_thanh_report_is_rendered_through_the_celery_task_with_the_seed_figures(demo_files):
    job = demo_files.jobs["pdf"]
    assert job.status == JobStatus.DONE, job.error
    assert job.progress == 100 and job.attempts == 1 and job.task_id
    assert job.filename == "bao-cao-chi-so-cchc-2024-xa-ba-thanh.pdf"
    path = demo_files.pdf
    assert path.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(path)
    for expected in HEADER + AREA_RESULTS + KEY_FIGURES + [SIGNATORY, "Nơi nhận", "BÁO CÁO"]:
        assert expected in text, f"“{expected}” is missing from the PDF text"
    assert "Kết quả Chỉ số cải cách hành chính năm 2024" in text
    assert "Thực hiện Công văn số 50/UBND ngày 08/01/2025 của UBND huyện" in text
    assert "02 Hội nghị" in text and "05 phiên họp" in text
    assert "12 văn bản" in text
    assert "06 tiêu chí và 02 tiêu chí thành phần" in text
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text
    assert "(Có phụ lục kèm theo)" in text
    # The closing as the commune typed it (the seed's own sentence).
    assert "của UBND xã Ba Thành. Kính báo cáo UBND huyện." in text
    save_page_one_png(path, "ba-thanh-2024-page1")


def test_number_and_place_date_share_one_line_under_the_two_column_header(demo_files):
    page_one = pdf_page_texts(demo_files.pdf)[0].splitlines()
    lines = [line for line in page_one if line.strip()]
    # Ô 2 beside ô 1, then ô 3 beside ô 4: a draft's blank number (given after signing) and the date.
    assert "ỦY BAN NHÂN DÂN" in lines[0] and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines[0]
    assert "XÃ BA THÀNH" in lines[1] and "Độc lập - Tự do - Hạnh phúc" in lines[1]
    number_line = next(line for line in lines if "Số:" in line)
    # A draft: neither the number nor the day is given (both come with issuing).
    assert "/BC-UBND" in number_line and "Ba Thành, ngày" in number_line
    assert not re.search(r"Số: *\d", number_line) and not re.search(r"ngày *\d", number_line)


def test_the_pdf_embeds_the_bundled_liberation_serif(demo_files):
    fonts = subprocess.run(["pdffonts", str(demo_files.pdf)], capture_output=True, check=True, text=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("Liberation-Serif" in row for row in rows), fonts
    assert all(" yes " in row for row in rows), fonts  # the "emb" column
    assert any("Bold" in row for row in rows) and any("Italic" in row for row in rows)


def test_page_numbers_start_on_page_two_and_the_appendix_counts_its_own_pages(demo_files):
    pages = pdf_page_texts(demo_files.pdf)
    first_lines = [next((line.strip() for line in page.splitlines() if line.strip()), "") for page in pages]
    appendix_start = next(i for i, page in enumerate(pages) if "BẢNG ĐIỂM CHI TIẾT" in page)
    assert appendix_start >= 2
    # Page 1 of the report and of the appendix: no number; the others: 2, 3, … in each part.
    assert not first_lines[0].isdigit()
    assert [int(n) for n in first_lines[1:appendix_start]] == list(range(2, appendix_start + 1))
    assert first_lines[appendix_start] == "Phụ lục"
    assert [int(n) for n in first_lines[appendix_start + 1:]] == list(range(2, len(pages) - appendix_start + 1))


def test_the_signature_block_stays_with_the_closing_sentence(demo_files):
    pages = pdf_page_texts(demo_files.pdf)
    signed = next(page for page in pages if "Phạm Văn Thước" in page)
    assert "Kính báo cáo UBND huyện." in signed and "Nơi nhận:" in signed and "TM. ỦY BAN NHÂN DÂN" in signed
    noi_nhan = next(line for line in signed.splitlines() if "Nơi nhận:" in line)
    assert "TM. ỦY BAN NHÂN DÂN" in noi_nhan  # level with the first line of the signature block
    assert "- Lưu: VT." in signed


def test_the_appendix_lists_every_leaf_with_subtotals_and_the_total(demo_files):
    pages = pdf_page_texts(demo_files.pdf)
    appendix = "\n".join(p for p in pages if "Điểm thẩm định" in p)
    assert "BẢNG ĐIỂM CHI TIẾT CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024" in appendix
    assert "(Kèm theo Báo cáo số" in appendix and "Ủy ban nhân dân xã Ba Thành)" in appendix
    codes = {line.split()[0] for line in appendix.splitlines() if line.split()}
    missing = [code for code in demo_files.leaf_codes if code not in codes]
    assert not missing, missing
    total_line = next(line for line in appendix.splitlines() if "TỔNG CỘNG" in line)
    assert total_line.split()[-3:] == ["100,00", "71,00", "58,70"]
    area_line = next(line for line in appendix.splitlines() if line.split()[:1] == ["1"])
    assert area_line.split()[-3:] == ["11,50", "11,50", "6,73"]


def test_the_report_has_the_self_and_appraised_chart(demo_files):
    text = pdf_text(demo_files.pdf)
    assert "Biểu đồ: Điểm tự đánh giá và điểm thẩm định theo lĩnh vực" in text
    # The chart's labels are text in the PDF (the SVG is drawn, not pasted as a bitmap).
    assert "LV1" in text and "LV8" in text and "Tự đánh giá" in text and "Thẩm định" in text
