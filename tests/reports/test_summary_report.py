"""The district summary (Ba Tơ in the demo): every commune with per-area points, total, index %,
rank and band from the ranking selector, as PDF (table and chart) and XLSX."""

import openpyxl

from reports.models import JobStatus
from reports.xlsx import PERCENT_FORMAT, POINTS_FORMAT

from .conftest import pdf_text


def test_the_summary_pdf_ranks_the_approved_communes_and_lists_the_others(demo_files):
    assert demo_files.jobs["summary_pdf"].status == JobStatus.DONE, demo_files.jobs["summary_pdf"].error
    text = pdf_text(demo_files.summary_pdf)
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024" in text
    assert "Các đơn vị cấp xã thuộc huyện Ba Tơ" in text
    assert "5 Xã Ba Thành 6,73 6,00 15,46 4,50 7,50 7,24 7,27 4,00 58,70 58,70% Yếu" in text
    assert "Xã Ba Động Đang tự đánh giá" in text  # listed, not ranked
    assert "Long Hiệp" not in text  # another district
    assert "Biểu đồ: Chỉ số CCHC (%) của các đơn vị" in text


def test_the_summary_xlsx_has_numbers_ranks_and_bands(demo_files):
    sheet = openpyxl.load_workbook(demo_files.summary_xlsx)["Tổng hợp"]
    header = [c.value for c in sheet[4]]
    assert header[:4] == ["Xếp hạng", "Đơn vị", "Nhóm xếp hạng", "LV1 (11,50)"]
    assert header[-5:] == ["Tổng điểm", "Điểm tối đa áp dụng", "Chỉ số CCHC (%)", "Xếp loại", "Trạng thái"]
    assert sheet.freeze_panes == "C5"
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=5) if r[1].value and r[1].value[:1].isupper()
            and r[2].value}
    ba_thanh = rows["Xã Ba Thành"]
    assert ba_thanh[0].value == 5 and ba_thanh[2].value == "huyện Ba Tơ"
    assert [round(c.value, 2) for c in ba_thanh[3:11]] == [6.73, 6.0, 15.46, 4.5, 7.5, 7.24, 7.27, 4.0]
    assert ba_thanh[3].number_format == POINTS_FORMAT
    assert round(ba_thanh[13].value, 4) == 0.587 and ba_thanh[13].number_format == PERCENT_FORMAT
    assert ba_thanh[14].value == "Yếu"
    ranks = sorted(r[0].value for r in rows.values() if r[0].value)
    assert ranks == [1, 2, 3, 3, 5]  # ties share a rank
    assert rows["Xã Ba Động"][0].value is None and rows["Xã Ba Động"][11].value is None
    assert sheet.column_dimensions["B"].width >= 20
