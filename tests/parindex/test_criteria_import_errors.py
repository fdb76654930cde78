"""Broken files are refused with the row (or line) and the reason, and leave the database untouched."""

import io

import pytest
from openpyxl import load_workbook

from parindex.models import CriteriaSet, Item
from parindex.services import criteria as criteria_service
from parindex.services.criteria import CriteriaImportError, criteria_set_export, criteria_set_import

from .test_criteria_roundtrip import snapshot
from .test_criteria_shipped import SHIPPED

YAML = SHIPPED.read_text(encoding="utf-8")


def yaml_file(text, name="bo-chi-so.yaml"):
    stream = io.BytesIO(text.encode("utf-8"))
    stream.name = name
    return stream


def line_of(text, needle):
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def code_line(text, code):
    return line_of(text, f'code: "{code}"')


def replace_once(text, old, new):
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def import_errors(source, **kwargs):
    with pytest.raises(CriteriaImportError) as info:
        criteria_set_import(source=source, **kwargs)
    return info.value.errors


def assert_error(errors, *parts):
    assert any(all(p in e for p in parts) for e in errors), (parts, errors)


@pytest.fixture
def empty_db(db):
    assert not CriteriaSet.objects.exists()


def test_a_yaml_file_with_several_breakages_lists_each_with_line_and_reason(empty_db):
    text = YAML
    text = replace_once(text, '- code: "1.2"\n        name: Thực hiện chế độ báo cáo CCHC định kỳ (quý, 6 tháng, năm) '
                              'đầy đủ, đúng hạn\n        max_points: 2\n',
                        '- code: "1.2"\n        name: Thực hiện chế độ báo cáo CCHC định kỳ (quý, 6 tháng, năm) '
                        'đầy đủ, đúng hạn\n')
    text = replace_once(text, 'code: "2.1.1"\n            name: Ban hành văn bản QPPL đúng thẩm quyền, hình thức, '
                              'trình tự, thủ tục\n            max_points: 1\n',
                        'code: "2.1.1"\n            name: Ban hành văn bản QPPL đúng thẩm quyền, hình thức, '
                        'trình tự, thủ tục\n            max_points: 1.5\n')
    text = replace_once(text, 'code: "3.2.2"', 'code: "3.2.1"')
    text = replace_once(text, 'code: "4.1.1"', 'code: "4.1.a"')
    text = replace_once(text, 'code: "6.3.1"', 'code: "6.4.1"')
    text = replace_once(text, "max_points: 2\n        scoring_guide: |\n          Thực hiện đầy đủ, kịp thời: 2 điểm",
                        "max_points: hai\n        scoring_guide: |\n          Thực hiện đầy đủ, kịp thời: 2 điểm")
    text = replace_once(text, "declared_total: 100", "declared_total: 99")
    errors = import_errors(yaml_file(text))

    assert_error(errors, f"Dòng {code_line(text, '1.2')} (mã 1.2)", "thiếu điểm tối đa")
    assert_error(errors, f"Dòng {code_line(text, '2.1')} (mã 2.1)", "tổng điểm tối đa của các mục con (3,50)",
                 "(3,00)")
    duplicate_line = [n for n, line in enumerate(text.splitlines(), 1) if 'code: "3.2.1"' in line][1]
    assert_error(errors, f"Dòng {duplicate_line} (mã 3.2.1)", "trùng")
    assert_error(errors, f"Dòng {code_line(text, '4.1.a')}", "4.1.a", "không đúng dạng")
    assert_error(errors, f"Dòng {code_line(text, '6.4.1')} (mã 6.4.1)", "mục cha “6.3.”")
    assert_error(errors, f"Dòng {code_line(text, '5.6')} (mã 5.6)", "“hai”", "không phải là số")
    assert_error(errors, "Tổng điểm tối đa của các lĩnh vực (100,00)", "(99,00)")
    assert not CriteriaSet.objects.exists() and not Item.objects.exists()


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('code: "8.2"', "code:", "thiếu mã"),
    ('code: "7.3.5"', 'code: "7.3.5.1"', "quá 3 cấp"),
    ("max_points: 17.5", "max_points: -17.5", "không được âm"),
    ("max_points: 17.5", "max_points: 17.555", "quá 2 chữ số thập phân"),
    ("unit_kinds: [xa, phuong, thi_tran]", "unit_kinds: [xa, huyen]", "loại đơn vị “huyen”"),
    ("code: quang-ngai-xa-673-2023", "code: Quảng Ngãi 2023", "mã bộ chỉ số"),
    ("  date: 2023-07-17", "  date: 31/02/2023", "ngày “31/02/2023”"),
    ("scoring_guide: |\n              Ban hành trước ngày 31/12",
     "scoring_method: phieu\n            scoring_guide: |\n              Ban hành trước ngày 31/12", "cách chấm “phieu”"),
    ("allows_not_applicable: true", "allows_not_applicable: có lẽ", "“có lẽ”"),
])
def test_it_names_each_kind_of_yaml_mistake(empty_db, old, new, expected):
    errors = import_errors(yaml_file(replace_once(YAML, old, new)))
    assert_error(errors, expected)
    assert not CriteriaSet.objects.exists() and not Item.objects.exists()


def test_a_file_that_is_not_yaml_or_not_a_known_type_is_refused(empty_db):
    assert_error(import_errors(yaml_file("code: [unclosed\n  name: x")), "Dòng", "không đọc được")
    assert_error(import_errors(yaml_file("code: x", name="bo.docx")), "chỉ nhận tệp .yaml, .yml hoặc .xlsx")
    broken = io.BytesIO(b"not a zip")
    broken.name = "bo.xlsx"
    assert_error(import_errors(broken), "không phải là bảng tính Excel (.xlsx) hợp lệ")


@pytest.fixture
def workbook_bytes(db):
    """The shipped set exported to XLSX, then removed from the database."""
    criteria_set = criteria_set_import(source=SHIPPED)
    buffer = io.BytesIO()
    criteria_set_export(criteria_set=criteria_set, destination=buffer, fmt="xlsx")
    CriteriaSet.objects.all().delete()
    return buffer.getvalue()


def edited_workbook(content, edit):
    workbook = load_workbook(io.BytesIO(content))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "bo-chi-so.xlsx"
    return out


def row_of(sheet, code):
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == code)


def test_an_xlsx_file_with_several_breakages_lists_each_with_row_and_reason(workbook_bytes):
    rows = {}

    def edit(workbook):
        sheet, info = workbook.worksheets[:2]
        for code in ("1.2", "2.1", "2.1.1", "3.2.2", "4.1.1", "5.6", "6.3.1"):
            rows[code] = row_of(sheet, code)
        sheet.cell(row=rows["1.2"], column=3).value = None
        sheet.cell(row=rows["2.1.1"], column=3).value = 1.5
        sheet.cell(row=rows["3.2.2"], column=1).value = "3.2.1"
        sheet.cell(row=rows["4.1.1"], column=1).value = "4.1.a"
        sheet.cell(row=rows["5.6"], column=3).value = "hai điểm"
        sheet.cell(row=rows["6.3.1"], column=1).value = "6.9.1"
        total_row = next(r for r in range(1, info.max_row + 1) if info.cell(row=r, column=1).value == "Tổng điểm tối đa")
        info.cell(row=total_row, column=2).value = 99

    errors = import_errors(edited_workbook(workbook_bytes, edit))
    assert_error(errors, f"Dòng {rows['1.2']} (mã 1.2)", "thiếu điểm tối đa")
    assert_error(errors, f"Dòng {rows['2.1']} (mã 2.1)", "các mục con (3,50)", "(3,00)")
    assert_error(errors, f"Dòng {rows['3.2.2']} (mã 3.2.1)", "trùng", f"dòng {row_of_original(workbook_bytes, '3.2.1')}")
    assert_error(errors, f"Dòng {rows['4.1.1']}", "4.1.a", "không đúng dạng")
    assert_error(errors, f"Dòng {rows['5.6']} (mã 5.6)", "“hai điểm”", "không phải là số")
    assert_error(errors, f"Dòng {rows['6.3.1']} (mã 6.9.1)", "không tìm thấy mục cha mã 6.9")
    assert_error(errors, "Tổng điểm tối đa của các lĩnh vực (100,00)", "(99,00)")
    assert not CriteriaSet.objects.exists() and not Item.objects.exists()


def row_of_original(content, code):
    return row_of(load_workbook(io.BytesIO(content)).worksheets[0], code)


def test_an_xlsx_without_the_header_or_the_metadata_sheet_is_refused(workbook_bytes):
    def drop_header(workbook):
        workbook.worksheets[0].delete_rows(1)

    assert_error(import_errors(edited_workbook(workbook_bytes, drop_header)), "không tìm thấy dòng tiêu đề")

    def drop_info(workbook):
        del workbook[workbook.sheetnames[1]]

    assert_error(import_errors(edited_workbook(workbook_bytes, drop_info)), "Thiếu trang “Thông tin bộ chỉ số”")


def test_an_xlsx_with_a_title_above_the_header_and_number_codes_imports(workbook_bytes):
    def add_title(workbook):
        sheet = workbook.worksheets[0]
        for r in range(2, sheet.max_row + 1):
            if sheet.cell(row=r, column=1).value in ("1", "2"):
                sheet.cell(row=r, column=1).value = int(sheet.cell(row=r, column=1).value)
        sheet.insert_rows(1, amount=2)
        sheet.cell(row=1, column=1).value = "PHỤ LỤC: BỘ CHỈ SỐ CCHC CẤP XÃ"

    criteria_set = criteria_set_import(source=edited_workbook(workbook_bytes, add_title))
    assert criteria_set.items.count() == 119


def test_an_import_over_an_existing_code_needs_replace(db):
    first = criteria_set_import(source=SHIPPED)
    before = snapshot(first)
    assert_error(import_errors(SHIPPED), "Đã có bộ chỉ số mã “quang-ngai-xa-673-2023”", "--replace")
    assert snapshot(first) == before


def test_a_failed_replace_leaves_the_previous_set_untouched(db, monkeypatch):
    first = criteria_set_import(source=SHIPPED)
    before = snapshot(first)
    changed = replace_once(YAML, "name: Lĩnh vực Cải cách thể chế", "name: Thể chế (đổi tên)")

    real_create = criteria_service._create_items

    def create_then_fail(criteria_set, nodes):
        # The database refuses something half-way (a lost connection, a constraint): nothing may remain.
        real_create(criteria_set, nodes)
        raise RuntimeError("database went away")

    monkeypatch.setattr(criteria_service, "_create_items", create_then_fail)
    with pytest.raises(RuntimeError):
        criteria_set_import(source=yaml_file(changed), replace=True)
    assert snapshot(first) == before
    assert CriteriaSet.objects.count() == 1
