"""The one reader of the spreadsheets people upload (plan tasks, criteria sets, accounts).

A .xlsx file is a zip archive: a 200 KB upload can hold millions of rows (hundreds of MB of XML).
Before anything is parsed, the sizes the archive declares for its parts are added up and a file that
would expand beyond the limit is refused (zipfile never inflates a part beyond its declared size, so
the check holds). Rows are then streamed (openpyxl read-only mode) and reading stops at the row limit.
Every problem is reported the same way: row, column, reason."""

import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from parindex.errors import ParIndexError
from parindex.numbers import format_number

MB = 1024 * 1024
MAX_PARTS = 1000  # an xlsx written by Excel or LibreOffice has a few dozen parts


@dataclass(frozen=True)
class ImportProblem:
    reason: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"Dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class XlsxImportError(ParIndexError):
    """The file was refused before its rows were read: too large, too many rows, not an xlsx."""

    def __init__(self, problems):
        self.problems = [p if isinstance(p, ImportProblem) else ImportProblem(str(p)) for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def lines(self):
        return [str(p) for p in self.problems]


def import_max_rows():
    return settings.IMPORT_MAX_ROWS


NOT_XLSX = "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ (tệp bị hỏng hoặc thuộc định dạng khác)."


def xlsx_check(source, *, max_bytes=None):
    """Refuse a file that is not a zip archive, has too many parts, or expands beyond `max_bytes`
    (IMPORT_MAX_UNCOMPRESSED_MB), reading only the archive's directory."""
    max_bytes = settings.IMPORT_MAX_UNCOMPRESSED_MB * MB if max_bytes is None else max_bytes
    start = source.tell() if hasattr(source, "tell") else 0
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise XlsxImportError([NOT_XLSX]) from None
    finally:
        if hasattr(source, "seek"):
            source.seek(start)
    if len(parts) > MAX_PARTS:
        raise XlsxImportError([f"Tệp Excel có {len(parts)} thành phần, quá nhiều cho một bảng tính (tối đa {MAX_PARTS})."])
    expanded = sum(p.file_size for p in parts)
    if expanded > max_bytes:
        raise XlsxImportError([
            f"Tệp Excel khi giải nén lớn {format_number(expanded / MB, 0)} MB, vượt giới hạn "
            f"{format_number(max_bytes / MB, 0)} MB (thường do có rất nhiều dòng hoặc ô trống được định dạng). "
            f"Hãy chép riêng bảng dữ liệu (tối đa {format_number(import_max_rows(), 0)} dòng) sang một tệp mới rồi nhập lại."
        ])


@contextmanager
def xlsx_workbook(source, *, max_bytes=None):
    """The workbook of an uploaded file (read-only, cached values), checked first by `xlsx_check`."""
    from openpyxl import load_workbook

    xlsx_check(source, max_bytes=max_bytes)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds (zip, xml, key) for a broken file
        raise XlsxImportError([NOT_XLSX]) from None
    try:
        yield workbook
    finally:
        workbook.close()


def sheet_rows(worksheet, *, max_rows=None):
    """(row number, tuple of cell values) for each row of the sheet, streamed; refuses the file at the
    first row beyond `max_rows` (header and blank rows count: each one costs reading)."""
    max_rows = import_max_rows() if max_rows is None else max_rows
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise XlsxImportError([ImportProblem(
                f"bảng tính “{worksheet.title}” dài hơn {format_number(max_rows, 0)} dòng, giới hạn của một lần nhập. "
                "Hãy xóa các dòng thừa ở cuối bảng hoặc chia thành nhiều tệp.", row=number,
            )])
        yield number, values
