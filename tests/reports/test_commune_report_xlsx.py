"""The commune's score table (XLSX): real numbers with a Vietnamese number format, frozen header."""

from decimal import Decimal

import openpyxl

from reports.models import JobStatus
from reports.xlsx import PERCENT_FORMAT, POINTS_FORMAT

from .conftest import AREA_RESULTS

APPRAISED = ["6.73", "6", "15.46", "4.5", "7.5", "7.24", "7.27", "4"]
MAXIMA = ["11.5", "11", "21", "9", "14", "12", "17.5", "4"]


def test_the_area_sheet_has_every_appraised_and_max_figure_as_numbers(demo_files):
    assert demo_files.jobs["xlsx"].status == JobStatus.DONE, demo_files.jobs["xlsx"].error
    workbook = openpyxl.load_workbook(demo_files.xlsx)
    sheet = workbook["Kết quả lĩnh vực"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] and str(r[0]).isdigit()]
    assert [Decimal(str(r[6])) for r in rows] == [Decimal(v) for v in APPRAISED]
    assert [Decimal(str(r[4])) for r in rows] == [Decimal(v) for v in MAXIMA]
    assert [r[7] for r in rows] == AREA_RESULTS  # the same "appraised/max" text as the report
    assert sheet["G4"].number_format == POINTS_FORMAT
    assert sheet.freeze_panes == "C4"


def test_the_score_sheet_lists_every_leaf_with_the_total(demo_files):
    sheet = openpyxl.load_workbook(demo_files.xlsx)["Bảng điểm"]
    header_row = next(r for r in sheet.iter_rows() if r[0].value == "Mã")[0].row
    assert sheet.freeze_panes == f"C{header_row + 1}"
    codes = [r[0] for r in sheet.iter_rows(min_row=header_row + 1, values_only=True) if r[0]]
    assert set(demo_files.leaf_codes) <= set(codes)
    total = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "TỔNG CỘNG")
    assert [round(Decimal(str(v)), 2) for v in total[2:5]] == [Decimal("100.00"), Decimal("71.00"), Decimal("58.70")]
    assert sheet.column_dimensions["B"].width >= 60


def test_the_figures_sheet_has_the_plan_and_online_service_figures(demo_files):
    sheet = openpyxl.load_workbook(demo_files.xlsx)["Số liệu báo cáo"]
    figures = {r[0]: r[1] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert figures["Số nhiệm vụ của kế hoạch CCHC năm"] == 58
    assert figures["Số nhiệm vụ hoàn thành"] == 57
    assert round(figures["Tỷ lệ hoàn thành (%)"], 4) == 0.9828
    assert round(figures["Tỷ lệ không hoàn thành (%)"], 4) == 0.0172
    assert figures["Số hồ sơ tiếp nhận"] == 946
    assert round(figures["Tỷ lệ số hóa kết quả hồ sơ (%)"], 4) == 0.9539
    percent_cell = next(r[1] for r in sheet.iter_rows(min_row=4) if r[0].value == "Tỷ lệ hoàn thành (%)")
    assert percent_cell.number_format == PERCENT_FORMAT
