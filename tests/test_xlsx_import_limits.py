"""Issue 15, finding 1: a small .xlsx holding millions of rows took a server worker down. The three
imports (plan tasks, criteria sets, accounts) share one reader that refuses such a file from the
sizes in the archive's directory, before parsing, and stops reading at the row limit."""

import io
import time
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from communes.services import AccountImportError, accounts_import_xlsx
from parindex.models import PlanTask
from parindex.services.criteria import CriteriaImportError, criteria_set_import
from parindex.services.plan import plan_tasks_import
from parindex.xlsx_import import NOT_XLSX, ImportProblem, XlsxImportError, sheet_rows, xlsx_workbook
from tests.parindex.files import upload


def _many_rows_xlsx(rows, *, header=("STT", "Nội dung", "Tình trạng")):
    """A real workbook whose first sheet is rewritten with `rows` one-cell rows, streamed into the
    archive: a file of a few hundred KB that expands to tens of MB."""
    workbook = Workbook()
    workbook.active.append(list(header))
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
                continue
            with target.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                # Identical rows without a row number, as in the file of the report: they compress
                # to almost nothing.
                row = b"<row><c><v>1</v></c></row>"
                for _ in range(rows // 10000):
                    sheet.write(row * 10000)
                sheet.write(row * (rows % 10000) + b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb():
    # 3 million rows: about 80 MB of XML in a file of a few hundred KB (the report's was 194 KB).
    return _many_rows_xlsx(3_000_000)


def test_the_crafted_file_is_small_but_expands_far_beyond_the_limit(bomb):
    assert len(bomb) < 500 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 50 * 1024 * 1024


def test_the_reader_refuses_it_from_the_archive_directory_before_parsing(bomb):
    started = time.monotonic()
    with pytest.raises(XlsxImportError) as refused, xlsx_workbook(io.BytesIO(bomb)):
        pytest.fail("the workbook must not be opened")
    print(f"refused in {time.monotonic() - started:.3f} s")
    assert "khi giải nén lớn" in refused.value.message and "vượt giới hạn 50 MB" in refused.value.message


def test_plan_import_refuses_the_bomb_with_a_vietnamese_reason(world, bomb):
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a,
                               uploaded_file=upload("nhiem-vu.xlsx", bomb))
    assert not result.ok and "khi giải nén lớn" in result.errors[0]
    assert not PlanTask.objects.exists()


def test_the_plan_import_page_refuses_the_bomb(client, world, bomb):
    client.force_login(world.officer_a)
    response = client.post(reverse("plan_tasks_import", args=[world.assessment_a.pk]),
                           {"file": upload("nhiem-vu.xlsx", bomb)})
    assert response.status_code == 200
    assert "khi giải nén lớn" in response.content.decode()


def test_criteria_import_refuses_the_bomb(db, bomb):
    source = io.BytesIO(bomb)
    source.name = "bo-chi-so.xlsx"
    with pytest.raises(CriteriaImportError) as refused:
        criteria_set_import(source=source)
    assert "khi giải nén lớn" in str(refused.value.errors)


def test_account_import_refuses_the_bomb(world, bomb):
    source = io.BytesIO(bomb)
    source.name = "tai-khoan.xlsx"
    with pytest.raises(AccountImportError) as refused:
        accounts_import_xlsx(source=source, actor=world.admin)
    assert "khi giải nén lớn" in refused.value.errors[0]


@override_settings(IMPORT_MAX_ROWS=100)
def test_reading_stops_at_the_row_limit_with_row_and_reason(world):
    data = _many_rows_xlsx(5000)
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a,
                               uploaded_file=upload("nhiem-vu.xlsx", data))
    assert result.errors == [
        "Dòng 101: bảng tính “Sheet” dài hơn 100 dòng, giới hạn của một lần nhập. "
        "Hãy xóa các dòng thừa ở cuối bảng hoặc chia thành nhiều tệp."
    ]


def test_rows_are_streamed_not_read_ahead():
    data = _many_rows_xlsx(3000)
    with xlsx_workbook(io.BytesIO(data)) as workbook:
        rows = sheet_rows(workbook.worksheets[0], max_rows=10)
        assert next(rows)[0] == 1
        with pytest.raises(XlsxImportError) as refused:
            list(rows)
    assert refused.value.problems[0].row == 11


def test_a_file_that_is_not_a_zip_is_refused_the_same_way_for_every_import(world):
    with pytest.raises(AccountImportError) as refused:
        accounts_import_xlsx(source=io.BytesIO(b"not a zip at all"), actor=world.admin)
    assert refused.value.errors == [NOT_XLSX]
    broken = io.BytesIO(b"not a zip at all")
    broken.name = "bo-chi-so.xlsx"
    with pytest.raises(CriteriaImportError) as refused:
        criteria_set_import(source=broken)
    assert refused.value.errors == [NOT_XLSX]
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a,
                               uploaded_file=upload("nhiem-vu.xlsx", b"PK\x03\x04 broken"))
    assert not result.ok


def test_one_error_format_row_column_reason():
    assert str(ImportProblem("không phải là số", row=5, column="STT")) == "Dòng 5, cột “STT”: không phải là số"
    assert str(ImportProblem("thiếu nội dung", row=7)) == "Dòng 7: thiếu nội dung"
    assert str(ImportProblem("Bảng tính trống.")) == "Bảng tính trống."
