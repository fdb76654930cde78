"""The commune report as an editable Word file (python-docx), in the NĐ30 layout of the PDF: A4,
margins 20/20/30/15 mm, Times New Roman (with the East-Asian and complex-script font slots set,
so Word never substitutes another font for Vietnamese letters), the header as a borderless
two-column table, "Nơi nhận" beside the signature, and the appendix as a landscape section with
its own page numbers. The commune edits it (number, date, wording) before signing."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # A4 210 mm minus 30 mm left and 15 mm right


# Word rejects a file whose XML children are out of the schema's order: each element added by hand is
# inserted before the first sibling that must follow it.
_SUCCESSORS = {
    "w:tblBorders": ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"),
    "w:pBdr": ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
    "w:pgNumType": ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange"),
    "w:szCs": ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
               "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"),
    "w:lang": ("w:eastAsianLayout", "w:specVanish", "w:oMath"),
}


def _insert(parent, child):
    tag = child.tag
    name = next(k for k in _SUCCESSORS if qn(k) == tag)
    for existing in parent.findall(tag):
        parent.remove(existing)
    successors = {qn(t) for t in _SUCCESSORS[name]}
    following = next((el for el in parent if el.tag in successors), None)
    if following is None:
        parent.append(child)
    else:
        following.addprevious(child)
    return child


def _set_run_font(run, size=None, bold=None, italic=None):
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        run.font.size = Pt(size)
        cs_size = OxmlElement("w:szCs")
        cs_size.set(qn("w:val"), str(int(size * 2)))
        _insert(rpr, cs_size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _setup_styles(document):
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    _insert(rpr, lang)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    for name in HEADING_STYLES.values():
        _heading_style(document.styles[name])


# The body's "I. …" and "1. …" headings and the appendix heading are Word headings, so the navigation
# pane and a table of contents find them; they keep the NĐ30 look (14 pt bold, black, Times New Roman).
HEADING_STYLES = {"heading1": "Heading 1", "heading2": "Heading 2"}


def _heading_style(style):
    style.font.name = FONT
    style.font.size = Pt(14)
    style.font.bold = True
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    # The template's theme fonts (Calibri Light) would win over the named font.
    for slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(slot), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    fmt = style.paragraph_format
    fmt.space_before = Pt(6)
    fmt.space_after = Pt(6)
    fmt.keep_with_next = True


def _page(section, landscape=False):
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(8)
    section.footer_distance = Mm(8)
    # NĐ30: no page number on the first page of the report nor of an appendix.
    section.different_first_page_header_footer = True


def _page_number_field(paragraph):
    run = paragraph.add_run()
    _set_run_font(run, size=14)
    begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    run._element.append(begin)
    run._element.append(instr)
    run._element.append(end)


def _headers(section, illustrative, restart_numbering):
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(p)
    first = section.first_page_header
    first.is_linked_to_previous = False
    if illustrative:
        for h in (header, first):
            note = h.add_paragraph()
            note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_run_font(note.add_run("DỮ LIỆU MINH HỌA"), size=10, bold=True)
    if restart_numbering:
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:start"), "1")
        _insert(section._sectPr, pg)


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _insert(tbl_pr, borders)


def _fixed_widths(table, widths_mm):
    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/>
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))


def _cell_paragraph(cell, text="", size=14, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, first=False):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    if text:
        _set_run_font(p.add_run(text), size=size, bold=bold, italic=italic)
    return p


def _rule(paragraph_container, width_mm, container_mm, space_after=0):
    """A short solid rule of `width_mm`, centred: an empty paragraph with a bottom border and
    indents (drawn rules, never underscores)."""
    p = paragraph_container.add_paragraph()
    indent = max(0, (container_mm - width_mm) / 2)
    p.paragraph_format.left_indent = Mm(indent)
    p.paragraph_format.right_indent = Mm(indent)
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    border.append(bottom)
    _insert(ppr, border)
    return p


def _body_paragraph(document, block):
    style = block["style"]
    p = document.add_paragraph(style=HEADING_STYLES.get(style))
    fmt = p.paragraph_format
    fmt.first_line_indent = Cm(1.27)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.1
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if style == "note" else WD_ALIGN_PARAGRAPH.JUSTIFY
    if style == "note":
        fmt.first_line_indent = Cm(0)
    if style in ("heading1", "heading2", "label"):
        fmt.keep_with_next = True
    for text, flags in block["runs"]:
        if text:
            _set_run_font(p.add_run(text), size=14, bold="b" in flags or None,
                          italic=("i" in flags or style == "note") or None)
    return p


def _chart_table(document, data):
    """The chart's figures as a small table (Word gets the numbers; the PDF carries the picture)."""
    chart = data["chart"]
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(caption.add_run(f"Bảng: {chart['title']}"), size=12, italic=True)
    headers = ["Lĩnh vực"] + [s["name"] for s in chart["series"]]
    table = document.add_table(rows=2 + len(chart["labels"]), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        _cell_paragraph(table.cell(0, i), text, size=12, bold=True, first=True)
    for r, area in enumerate(data["areas"], start=1):
        _cell_paragraph(table.cell(r, 0), f"LV{area['code']}. {area['name']}", size=12,
                        align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
        for c, serie in enumerate(chart["series"], start=1):
            value = serie["values"][r - 1]
            _cell_paragraph(table.cell(r, c), _points(value), size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, first=True)
    last = len(chart["labels"]) + 1
    _cell_paragraph(table.cell(last, 0), "Tổng cộng", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for c, serie in enumerate(chart["series"], start=1):
        _cell_paragraph(table.cell(last, c), _points(chart["totals"][serie["name"]]), size=12, bold=True,
                        align=WD_ALIGN_PARAGRAPH.RIGHT, first=True)
    _fixed_widths(table, [85] + [80 / len(chart["series"])] * len(chart["series"]))
    document.add_paragraph().paragraph_format.space_after = Pt(6)


def _points(value):
    from parindex.numbers import format_points

    return format_points(value) if value is not None else ""


def _header_table(document, data):
    h = data["header"]
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    first = True
    if h["parent_name"]:
        _cell_paragraph(left, h["parent_name"], size=13, first=True)
        first = False
    for line in h["issuer_lines"]:
        _cell_paragraph(left, line, size=13, bold=True, first=first)
        first = False
    _rule(left, 20, 66)
    _cell_paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, first=True)
    _cell_paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(right, 56, 99)  # 56 mm: the tiêu ngữ's width in 13 pt bold, so the rule is as long as the text
    number = _cell_paragraph(table.cell(1, 0), h["number"], size=13, first=True)
    place = _cell_paragraph(table.cell(1, 1), h["place_date"], size=13, italic=True, first=True)
    for p in (number, place):
        p.paragraph_format.space_before = Pt(6)
    _fixed_widths(table, [66, 99])


def _closing_table(document, data):
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _cell_paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for line in data["recipients"]:
        _cell_paragraph(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    first = True
    for line in data["signature"]["authority_lines"]:
        _cell_paragraph(right, line, size=14, bold=True, first=first)
        first = False
    space = right.add_paragraph()
    space.paragraph_format.space_before = Mm(25)
    _cell_paragraph(right, data["signature"]["name"], size=14, bold=True)
    _fixed_widths(table, [66, 99])
    # Keep the block on one page.
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)


def _appendix(document, data):
    width = _appendix_heading(document, data)
    a = data["appendix"]
    table = document.add_table(rows=1, cols=len(a["columns"]))
    table.style = "Table Grid"
    for i, text in enumerate(a["columns"]):
        _cell_paragraph(table.cell(0, i), text, size=12, bold=True, first=True)
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_pr.append(repeat)
    for r in a["rows"]:
        cells = table.add_row().cells
        bold = r["level"] == "area" or not r["is_leaf"]
        italic = r["level"] == "criterion" and not r["is_leaf"]
        _cell_paragraph(cells[0], r["code"], size=12, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.LEFT,
                        first=True)
        name = _cell_paragraph(cells[1], r["name"], size=12, bold=bold, italic=italic,
                               align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
        if r["level"] == "sub_criterion":
            name.paragraph_format.left_indent = Mm(4)
        for cell, key in zip(cells[2:], ("max_text", "self_text", "appraised_text"), strict=True):
            _cell_paragraph(cell, r[key], size=12, bold=bold, italic=italic or r["not_applicable"],
                            align=WD_ALIGN_PARAGRAPH.RIGHT, first=True)
    for r in a["total_rows"]:
        cells = table.add_row().cells
        _cell_paragraph(cells[1], r["label"], size=12, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
        for cell, key in zip(cells[2:], ("max_text", "self_text", "appraised_text"), strict=True):
            _cell_paragraph(cell, r[key], size=12, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, first=True)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    _fixed_widths(table, [16, width - 16 - 3 * 30, 30, 30, 30])
    if a.get("sample_note"):
        note = document.add_paragraph()
        _set_run_font(note.add_run(a["sample_note"]), size=12, italic=True)


def _illustrative_note(document, data):
    if data.get("illustrative_note"):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(8)
        _set_run_font(p.add_run(data["illustrative_note"]), size=12, bold=True)


def _appendix_heading(document, data):
    """A landscape section with its own page numbers, headed like the PDF's appendix; returns its text width."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    _headers(section, data["illustrative"], restart_numbering=True)
    a = data["appendix"]
    width = 297 - 30 - 15
    for text, bold, italic in ((a["heading"], True, False), (a["title"], True, False), (a["reference"], False, True)):
        p = document.add_paragraph(style=HEADING_STYLES["heading1"] if text == a["heading"] else None)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
        _set_run_font(p.add_run(text), size=14, bold=bold, italic=italic)
    _rule(document, 35, width, space_after=8)
    _illustrative_note(document, data)
    return width


def _remedy_appendix(document, data):
    """The remedy plan's task table."""
    width = _appendix_heading(document, data)
    a = data["appendix"]
    table = document.add_table(rows=1, cols=len(a["columns"]))
    table.style = "Table Grid"
    for i, text in enumerate(a["columns"]):
        _cell_paragraph(table.cell(0, i), text, size=12, bold=True, first=True)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    left = WD_ALIGN_PARAGRAPH.LEFT
    for r in a["rows"]:
        cells = table.add_row().cells
        _cell_paragraph(cells[0], r["order"], size=12, first=True)
        _cell_paragraph(cells[1], r["item"], size=12, align=left, first=True)
        if r["lost"]:
            _cell_paragraph(cells[1], r["lost"], size=11, italic=True, align=left)
        for cell, key in zip(cells[2:], ("content", "lead", "deadline", "output"), strict=True):
            _cell_paragraph(cell, r[key], size=12, align=left, first=True)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    _fixed_widths(table, [12, 26, width - 12 - 26 - 42 - 24 - 58, 42, 24, 58])


def remedy_plan_docx(data, progress=None):
    """The Kế hoạch khắc phục: the commune report's layout (header, body, recipients, signature) with
    the task table as its appendix."""
    return commune_report_docx(data, progress=progress, appendix=_remedy_appendix)


def commune_report_docx(data, progress=None, appendix=None):
    document = Document()
    _setup_styles(document)
    props = document.core_properties
    props.title = data["title"]
    props.author = data["unit"]["committee"]
    props.language = "vi-VN"
    section = document.sections[0]
    _page(section)
    _headers(section, data["illustrative"], restart_numbering=False)
    _header_table(document, data)
    for text, space_before in ((data["header"]["doc_type"], 18), (data["header"]["subject"], 0)):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(space_before)
        _set_run_font(p.add_run(text), size=14, bold=True)
    _rule(document, 35, TEXT_WIDTH_MM, space_after=12)
    _illustrative_note(document, data)
    for block in data["intro"]:
        _body_paragraph(document, block)
    for section_blocks in data["sections"]:
        for block in section_blocks:
            if block["style"] == "chart":
                _chart_table(document, data)
            else:
                _body_paragraph(document, block)
    if data["closing"]:
        closing = _body_paragraph(document, {"style": "body", "runs": [[data["closing"], ""]]})
        closing.paragraph_format.keep_with_next = True
    _closing_table(document, data)
    if progress:
        progress(70)
    (appendix or _appendix)(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
