"""python-docx helpers shared by the seed rebuild and the DOCX renderer.

They set what LibreOffice needs to lay a Chinese official document out as Word would: a font
named for every script (w:eastAsia too), exact line pitch, GB/T 9704 page margins, a
"— n —" page-number footer, and borders written on the table itself.
"""

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
# (top, bottom, left, right, footer distance) in mm; GB/T 9704 for portrait pages.
MARGINS = {False: (37, 35, 28, 26, 22), True: (18, 18, 15, 15, 7)}


def set_fonts(rpr, name):
    """Name the font for every script: without w:eastAsia LibreOffice substitutes the CJK."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)  # a theme font would win over the name
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), name)


def add_run(par, text, size, font, bold=False, color=None):
    run = par.add_run(text)  # python-docx turns "\n" into a line break
    run.font.size, run.bold = Pt(size), bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    set_fonts(run._r.get_or_add_rPr(), font)
    return run


def set_format(par, align, line):
    fmt = par.paragraph_format
    fmt.alignment, fmt.space_before, fmt.space_after = align, Pt(0), Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    return par


def add_para(parent, text, size, font, align=LEFT, line=None, bold=False, color=None):
    par = set_format(parent.add_paragraph(), align, line or size * 1.7)
    if text:
        add_run(par, text, size, font, bold, color)
    return par


def edge(tag, size, color="000000", val="single"):
    el = OxmlElement(tag)
    for key, value in (("val", val), ("sz", str(size)), ("space", "4"), ("color", color)):
        el.set(qn(f"w:{key}"), value)
    return el


def set_default_font(doc, font):
    """Document-wide font, so even empty paragraphs and the footer use a CJK font."""
    rpr = doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr")[0]
    set_fonts(rpr, font)
    # Chinese rules for CJK text only; with w:val zh-CN LibreOffice breaks lines inside 98.11%.
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")


def set_page(section, landscape):
    """A4 with GB/T 9704 margins; landscape pages (wide tables) get narrow margins."""
    short, long_ = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    top, bottom, left, right, foot = MARGINS[landscape]
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.footer_distance = Mm(foot)


def add_footer(section, font, size=14):
    """Centred "— n —" around a PAGE field, so each page prints its own number."""
    par = section.footer.paragraphs[0]
    par.alignment = CENTER
    add_run(par, "— ", size, font)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field.append(add_run(par, "1", size, font)._r)  # moves the styled placeholder into the field
    par._p.append(field)
    add_run(par, " —", size, font)


def new_section(doc, landscape):
    doc.add_section(WD_SECTION.NEW_PAGE)
    # python-docx carries the break in a new empty paragraph; 1 pt keeps it from adding a page.
    set_format(doc.paragraphs[-1], LEFT, 1)
    set_page(doc.sections[-1], landscape)


def page_break(doc):
    """An empty 1 pt paragraph that starts a new page."""
    set_format(doc.add_paragraph(), LEFT, 1).paragraph_format.page_break_before = True


def cell_margins(tbl_pr, side_twips=57):
    """Narrow cell padding, none above or below."""
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 0), ("left", side_twips), ("bottom", 0), ("right", side_twips)):
        margin = margins.makeelement(qn(f"w:{side}"), {qn("w:w"): str(twips), qn("w:type"): "dxa"})
        margins.append(margin)
    tbl_pr.insert_element_before(margins, "w:tblLook")


def table_borders(tbl_pr, sizes):
    """Borders of a whole table: `sizes` maps edge (top, insideH, ...) to eighths of a point."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        size = sizes.get(side, 0)
        borders.append(edge(f"w:{side}", size) if size else edge(f"w:{side}", 0, val="nil"))
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def tc_border(tc, side, size):
    """One edge of one cell, given as its w:tc element (a rule under a header, say)."""
    tc_pr = tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        successors = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText")
        tc_pr.insert_element_before(borders, *successors, "w:vAlign", "w:hideMark")
    borders.append(edge(f"w:{side}", size))
