"""Excel tables (openpyxl): the commune's score table (the appendix) with its key figures, and the
summary of a district or the province. Numbers are stored as real numbers with a number format
tagged Vietnamese ([$-42A]), so they sum and sort in Excel and show as "6,73" / "98,28%"."""

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from parindex.spreadsheets import workbook_save

POINTS_FORMAT = "[$-42A]#,##0.00"
PERCENT_FORMAT = "[$-42A]0.00%"
COUNT_FORMAT = "[$-42A]#,##0"
FONT = "Times New Roman"

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def _font(bold=False, italic=False, size=12):
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _title(ws, row, text, columns, size=13, bold=True, italic=False):
    ws.cell(row=row, column=1, value=text).font = _font(bold=bold, italic=italic, size=size)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _header_row(ws, row, headers):
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = _font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER


def _widths(ws, widths):
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _save(workbook):
    buffer = io.BytesIO()
    workbook_save(workbook, buffer)
    return buffer.getvalue()


def commune_scores_xlsx(data, progress=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng điểm"
    a = data["appendix"]
    columns = len(a["columns"])
    _title(ws, 1, data["unit"]["committee"].upper(), columns, size=12)
    _title(ws, 2, a["title"], columns)
    _title(ws, 3, a["reference"], columns, size=12, bold=False, italic=True)
    row = 4
    if data.get("illustrative_note"):
        _title(ws, row, data["illustrative_note"], columns, size=11)
        row += 1
    elif data["illustrative"]:
        _title(ws, row, "DỮ LIỆU MINH HỌA — không phải số liệu chính thức", columns, size=11)
        row += 1
    if a.get("sample_note"):
        _title(ws, row, a["sample_note"], columns, size=11, bold=False, italic=True)
        row += 1
    header_row = row + 1
    _header_row(ws, header_row, a["columns"])
    row = header_row + 1
    for r in a["rows"]:
        bold = r["level"] == "area" or not r["is_leaf"]
        italic = r["level"] == "criterion" and not r["is_leaf"]
        values = [r["code"], r["name"], _number(r["max"])]
        if r["not_applicable"]:
            values += ["Không áp dụng", "Không áp dụng"]
        else:
            values += [_number(r["self"]), _number(r["appraised"])]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = _font(bold=bold, italic=italic)
            cell.border = BORDER
            if col >= 3 and isinstance(value, float):
                cell.number_format = POINTS_FORMAT
            if col == 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top",
                                           indent=1 if r["level"] == "sub_criterion" else 0)
        row += 1
    for r in a["total_rows"]:
        values = ["", r["label"], _number(r["max"]), _number(r["self"]), _number(r["appraised"])]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = _font(bold=True)
            cell.border = BORDER
            if col >= 3 and isinstance(value, float):
                cell.number_format = POINTS_FORMAT
        row += 1
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _widths(ws, [10, 70, 14, 16, 16])
    if progress:
        progress(60)

    # Per-area results, the figures of section II of the report.
    areas = wb.create_sheet("Kết quả lĩnh vực")
    _title(areas, 1, f"KẾT QUẢ CHỈ SỐ CCHC NĂM {data['year']} THEO LĨNH VỰC — {data['unit']['display_name'].upper()}", 8)
    headers = ["Mã", "Lĩnh vực", "Số tiêu chí", "Số tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá",
               "Điểm thẩm định", "Kết quả thẩm định (như trong báo cáo)"]
    _header_row(areas, 3, headers)
    row = 4
    for area in data["areas"]:
        values = [area["code"], area["name"], area["criteria"], area["sub_criteria"], _number(area["applicable_max"]),
                  _number(area["self"]), _number(area["appraised"]), area["fraction"]]
        for col, value in enumerate(values, start=1):
            cell = areas.cell(row=row, column=col, value=value)
            cell.font = _font()
            cell.border = BORDER
            if col >= 5 and isinstance(value, float):
                cell.number_format = POINTS_FORMAT
            if col == 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    totals = data["totals"]
    for col, value in enumerate(["", "TỔNG CỘNG", None, None, _number(totals["applicable_max"]),
                                 _number(totals["self"]), _number(totals["appraised"])], start=1):
        cell = areas.cell(row=row, column=col, value=value)
        cell.font = _font(bold=True)
        cell.border = BORDER
        if isinstance(value, float):
            cell.number_format = POINTS_FORMAT
    if totals["index_percent"] is not None:
        row += 2
        areas.cell(row=row, column=2, value="Chỉ số CCHC (%)").font = _font(bold=True)
        cell = areas.cell(row=row, column=5, value=float(totals["index_percent"] / 100))
        cell.number_format, cell.font = PERCENT_FORMAT, _font(bold=True)
        if totals["rank"]:
            row += 1
            areas.cell(row=row, column=2, value=f"Xếp hạng trong {totals['rank']['group']}").font = _font()
            areas.cell(row=row, column=5, value=totals["rank"]["rank"]).font = _font()
            areas.cell(row=row, column=6, value=f"/{totals['rank']['of']}").font = _font()
            if totals["rank"]["band"]:
                row += 1
                areas.cell(row=row, column=2, value="Xếp loại").font = _font()
                areas.cell(row=row, column=5, value=totals["rank"]["band"]).font = _font()
    areas.freeze_panes = "C4"
    _widths(areas, [8, 60, 12, 14, 14, 16, 16, 22])

    # The other figures the report quotes (plan tasks, documents, online services).
    figures = wb.create_sheet("Số liệu báo cáo")
    _title(figures, 1, f"SỐ LIỆU TRONG BÁO CÁO NĂM {data['year']} — {data['unit']['display_name'].upper()}", 2)
    _header_row(figures, 3, ["Nội dung", "Số liệu"])
    for row, item in enumerate(data["figures"], start=4):
        figures.cell(row=row, column=1, value=item["label"]).font = _font()
        value = item["value"]
        if value is not None and item["kind"] == "percent":
            value = float(Decimal(value) / 100)
        cell = figures.cell(row=row, column=2, value=_number(value))
        cell.font = _font()
        cell.number_format = PERCENT_FORMAT if item["kind"] == "percent" else COUNT_FORMAT
        for col in (1, 2):
            figures.cell(row=row, column=col).border = BORDER
    figures.freeze_panes = "A4"
    _widths(figures, [55, 16])
    return _save(wb)


def summary_xlsx(data, progress=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    area_headers = [f"LV{a['code']} ({a['max_text']})" for a in data["areas"]]
    headers = ["Xếp hạng", "Đơn vị", "Nhóm xếp hạng"] + area_headers + \
        ["Tổng điểm", "Điểm tối đa áp dụng", "Chỉ số CCHC (%)", "Xếp loại", "Trạng thái"]
    columns = len(headers)
    _title(ws, 1, data["title"], columns)
    _title(ws, 2, data["subtitle"] + ("" if data["published"] else " — kết quả chưa công bố"), columns,
           size=12, bold=False, italic=True)
    header_row = 4
    if data["illustrative"]:
        _title(ws, 3, "DỮ LIỆU MINH HỌA — không phải số liệu chính thức", columns, size=11)
    _header_row(ws, header_row, headers)
    for row, r in enumerate(data["rows"], start=header_row + 1):
        index = float(r["index_percent"] / 100) if r["index_percent"] is not None else None
        values = [r["rank"], r["unit_label"], r["group"]] + [_number(v) for v in r["areas"]] + \
            [_number(r["total"]), _number(r["max"]), index, r["band"], r["status"]]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = _font()
            cell.border = BORDER
            if isinstance(value, float):
                cell.number_format = PERCENT_FORMAT if col == columns - 2 else POINTS_FORMAT
    legend_row = header_row + len(data["rows"]) + 2
    ws.cell(row=legend_row, column=1, value="LV: lĩnh vực — " + "; ".join(
        f"LV{a['code']}: {a['name']}" for a in data["areas"])).font = _font(italic=True, size=11)
    ws.cell(row=legend_row + 1, column=1,
            value="Xếp hạng chỉ tính các đơn vị đã được phê duyệt kết quả.").font = _font(italic=True, size=11)
    extra_lines = ([data["basis"]] if data.get("basis") else []) + [
        f"Phân công thẩm định: {a['item']} — {a['assignee']} ({a['scope']})" for a in data.get("appraisers", [])]
    for offset, text in enumerate(extra_lines, start=2):
        ws.cell(row=legend_row + offset, column=1, value=text).font = _font(italic=True, size=11)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{header_row + len(data['rows'])}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{header_row}:{header_row}"
    _widths(ws, [10, 28, 20] + [11] * len(area_headers) + [12, 12, 13, 14, 18])
    return _save(wb)


# --- Dashboard tables ----------------------------------------------------------------------------
KIND_FORMATS = {"points": POINTS_FORMAT, "percent": PERCENT_FORMAT, "count": COUNT_FORMAT}


def _sheet_name(table, taken):
    # Excel: at most 31 characters, none of []:*?/\, unique in the workbook.
    name = re.sub(r"[\[\]:*?/\\]", "-", table.title.split(" (")[0])[:31].strip()
    return name if name and name not in taken else table.key[:31]


def dashboard_xlsx(*, title, subtitle, tables, illustrative=False):
    """Each dashboard table on its own sheet, numbers as numbers (percent columns as fractions with a
    % format), the same rows the page shows."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(_sheet_name(table, wb.sheetnames))
        columns = max(len(table.columns), 1)
        _title(ws, 1, title, columns)
        ws.cell(row=2, column=1, value=subtitle).font = _font(italic=True, size=12)
        row = 3
        if illustrative:
            ws.cell(row=row, column=1, value="DỮ LIỆU MINH HỌA — không phải số liệu chính thức").font = _font(size=11)
            row += 1
        ws.cell(row=row, column=1, value=table.title).font = _font(bold=True)
        header_row = row + 1
        _header_row(ws, header_row, [c.label for c in table.columns])
        for r, values in enumerate(table.rows, start=header_row + 1):
            for col, (column, value) in enumerate(zip(table.columns, values, strict=False), start=1):
                cell = ws.cell(row=r, column=col)
                if column.kind in KIND_FORMATS and value is not None and not isinstance(value, str):
                    cell.value = float(value / 100) if column.kind == "percent" else _number(value)
                    cell.number_format = KIND_FORMATS[column.kind]
                else:
                    cell.value = value  # text that looks like a formula: written as text by _save
                cell.font = _font()
                cell.border = BORDER
        if table.note:
            ws.cell(row=header_row + len(table.rows) + 2, column=1, value=table.note).font = _font(italic=True, size=11)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
        _widths(ws, [max(10, min(60, len(c.label) + 4)) if c.kind == "text" else 14 for c in table.columns])
    return _save(wb)
