"""Issue 15, "no stored XSS in pages, PDF, DOCX, XLSX": text a person typed (HTML, script, a formula)
comes out of every file as the same literal text, and a spreadsheet cell never becomes a formula."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from parindex.models import Item
from parindex.services.criteria import criteria_set_export
from parindex.spreadsheets import workbook_save


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1"])
def test_formula_looking_text_is_written_as_text(text):
    workbook = Workbook()
    workbook.active["A1"] = text
    workbook.active["B1"] = "bình thường"
    buffer = io.BytesIO()
    workbook_save(workbook, buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix


def test_an_exported_criteria_set_keeps_a_formula_like_item_name_as_text(world):
    item = Item.objects.filter(criteria_set=world.year.criteria_set).order_by("sort_key").first()
    Item.objects.filter(pk=item.pk).update(name='=HYPERLINK("http://x","bấm")')
    buffer = io.BytesIO()
    criteria_set_export(criteria_set=world.year.criteria_set, destination=buffer, fmt="xlsx")
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        sheets = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets, "a cell was written as a formula"
    names = [c.value for row in load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows() for c in row]
    assert '=HYPERLINK("http://x","bấm")' in names
