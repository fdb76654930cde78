"""The one way every spreadsheet the application writes is saved (reports, criteria sets, account lists,
import templates). Text a person typed may start with "=", "+", "-" or "@"; a spreadsheet program would
take such a cell for a formula (formula injection: "=HYPERLINK(…)" in a comment becomes a live link).
Every such cell is written as text, with Excel's quote prefix so it stays text when edited."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_as_text(cell):
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_save(workbook, destination):
    """Save `workbook` to a path or a binary file object, every formula-looking text written as text.
    The application writes no formulas of its own."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cell_as_text(cell)
    workbook.save(destination)
