"""Bulletin -> .docx (python-docx) -> PDF by LibreOffice, in the look of GB/T 9704.

The letter is portrait: red issuer heading over a red rule, document number, centred bold
title, recipients, body (first-line indent of two characters), attachment notes, signature
and date to the right, "— n —" page numbers. Each attachment starts a new section (landscape
if its layout says so) headed by its label and title; a table with `page_rows` is printed as
one table per page, the header reprinted when `repeat_header`, "续表" above a continuation
when `continued_marker`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Pt

from corpus.generate import docxkit as kit
from corpus.generate import layout as L
from corpus.generate import office
from corpus.generate.spec import Bulletin, TableSpec

RULE_PT = {"thin": 4, "thick": 12}  # eighths of a point


def _indented(doc, text, font, size=L.BODY_PT, bold=False):
    par = kit.add_para(doc, text, size, font, kit.JUSTIFY, L.BODY_LINE, bold)
    par.paragraph_format.first_line_indent = Pt(2 * size)
    return par


def _letter(doc, b: Bulletin) -> None:
    _, _, text_w, _ = L.page_box(False)
    size = min(L.ISSUER_PT, 0.95 * text_w / max(L.text_em(b.issuer), 1))
    head = kit.add_para(doc, "", size, b.font, kit.CENTER, size * 1.5)
    kit.add_run(head, b.issuer, size, b.font, True, L.RED)
    ruled = head
    if b.doc_number:
        ruled = kit.add_para(doc, b.doc_number, L.BODY_PT, b.font, kit.CENTER, L.BODY_LINE)
        ruled.paragraph_format.space_before = Pt(L.BODY_LINE / 2)
    rule = OxmlElement("w:pBdr")  # the red separator line under the issuer
    rule.append(kit.edge("w:bottom", 18, L.RED))
    ruled._p.get_or_add_pPr().insert_element_before(rule, "w:spacing", "w:ind", "w:jc")
    title = kit.add_para(doc, b.title, L.TITLE_PT, b.font, kit.CENTER, L.TITLE_PT * 1.6, True)
    title.paragraph_format.space_before = Pt(L.BODY_LINE)
    rec = kit.add_para(doc, b.recipients, L.BODY_PT, b.font, kit.LEFT, L.BODY_LINE)
    rec.paragraph_format.space_before = Pt(L.BODY_LINE)
    for p in b.body:
        font = L.sans_for(b.font) if p.kind == "heading1" else b.font
        _indented(doc, p.text, font, bold=p.kind == "heading2")
    for t in L.inline_tables(b):
        _title(doc, None, t.title, b.font)
        _table(doc, t, False, 0.0, b.font)
    if b.attachment_notes:
        kit.add_para(doc, "", L.BODY_PT, b.font, kit.LEFT, L.BODY_LINE)
        for note in b.attachment_notes:
            _indented(doc, note, b.font)
    for _ in range(2):
        kit.add_para(doc, "", L.BODY_PT, b.font, kit.LEFT, L.BODY_LINE)
    for text, chars in ((b.signature, 2), (b.date_text, 4)):
        par = kit.add_para(doc, text, L.BODY_PT, b.font, kit.RIGHT, L.BODY_LINE)
        par.paragraph_format.right_indent = Pt(chars * L.BODY_PT)
        par.paragraph_format.keep_with_next = text == b.signature  # signature and date together


def _title(doc, label, title, font):
    if label:
        kit.add_para(doc, label, L.LABEL_PT, L.sans_for(font), kit.LEFT, L.LABEL_PT * 1.7)
    par = kit.add_para(doc, title, L.TABLE_TITLE_PT, font, kit.CENTER, L.TABLE_TITLE_PT * 1.5, True)
    par.paragraph_format.space_after = Pt(8)


def _fill(cell, text, size, font, bold=False):
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    par = kit.set_format(cell.paragraphs[0], kit.CENTER, size * 1.3)
    if text:
        kit.add_run(par, text, size, font, bold)


def _table(doc, t: TableSpec, landscape: bool, first_block: float, font: str) -> None:
    plan = L.plan_table(t, landscape, first_block)
    for i, part in enumerate(plan.parts):
        if i:
            kit.page_break(doc)
            if t.layout.continued_marker:
                kit.add_para(doc, "续表", L.LABEL_PT - 2, font, kit.LEFT, L.BODY_LINE)
        _part(doc, t, plan, part, font)


def _part(doc, t: TableSpec, plan: L.Plan, part: L.Part, font: str) -> None:
    head = plan.header if part.header else []
    table = doc.add_table(rows=len(head) + len(part.rows), cols=plan.ncols)
    table.alignment, table.autofit = WD_TABLE_ALIGNMENT.CENTER, False
    tbl_pr = table._tbl.tblPr
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    if t.layout.ruling == "ruled":
        kit.table_borders(tbl_pr, dict.fromkeys(sides, RULE_PT["thin"]))
    elif t.layout.ruling == "partial":
        kit.table_borders(tbl_pr, {"top": RULE_PT["thick"], "bottom": RULE_PT["thick"]})
    else:
        kit.table_borders(tbl_pr, {})
    kit.cell_margins(tbl_pr)
    flat = table._cells  # before any merge: python-docx's cell lookup is slow, take them once
    grid = [flat[r * plan.ncols : (r + 1) * plan.ncols] for r in range(len(table.rows))]
    for column, width in zip(table.columns, plan.widths, strict=True):
        column.width = Pt(width)
    for row in grid:
        for cell, width in zip(row, plan.widths, strict=True):
            cell.width = Pt(width)
    for r, row in enumerate(head):
        table.rows[r].height = Pt(plan.row_height(row))
        table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if plan.flowing and t.layout.repeat_header:
            table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for c in row:
            _fill(_merge(grid, r, c), c.text, plan.size, L.sans_for(font))
    for i, row in enumerate(part.rows):
        r = len(head) + i
        table.rows[r].height = Pt(plan.heights[part.first + i])
        table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        tr_pr = table.rows[r]._tr.get_or_add_trPr()  # schema order: cantSplit before trHeight
        tr_pr.insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader")
        for c in row:
            _fill(_merge(grid, r, c), c.text, plan.size, font)
    if t.layout.ruling == "partial" and head and part.rows:
        for tc in table.rows[len(head)]._tr.tc_lst:  # the rule under the header
            kit.tc_border(tc, "top", RULE_PT["thin"])


def _merge(grid, r, c: L.Cell):
    cell = grid[r][c.col]
    if c.colspan > 1 or c.rowspan > 1:
        cell = cell.merge(grid[r + c.rowspan - 1][c.col + c.colspan - 1])
    return cell


def build(b: Bulletin):
    doc = Document()
    kit.set_default_font(doc, b.font)
    props = doc.core_properties
    props.title, props.author = b.title.replace("\n", ""), b.issuer
    props.created = props.modified = dt.datetime.fromisoformat(b.published).replace(hour=9)
    props.last_modified_by, props.revision = b.issuer, 1
    kit.set_page(doc.sections[0], landscape=False)
    kit.add_footer(doc.sections[0], b.font)  # later sections inherit it
    _letter(doc, b)
    for t in L.attachments(b):
        kit.new_section(doc, t.layout.landscape)
        _title(doc, L.label(t.attachment or ""), t.title, b.font)
        _, _, text_w, _ = L.page_box(t.layout.landscape)
        _table(doc, t, t.layout.landscape, L.title_block(t.title, text_w), b.font)
    return doc


def render(bulletins: list[Bulletin], outdir: Path, keep_sources: bool = False) -> list[Path]:
    """Write <id>.docx for each bulletin, convert them in one batch, return the PDFs."""
    outdir.mkdir(parents=True, exist_ok=True)
    sources = []
    for b in bulletins:
        path = outdir / f"{b.id}.docx"
        build(b).save(str(path))
        sources.append(path)
    pdfs = office.convert(sources, outdir) if sources else []
    for b, pdf in zip(bulletins, pdfs, strict=True):
        office.fix_dates(pdf, b.published.replace("-", "") + "090000")
    if not keep_sources:
        for path in sources:
            path.unlink()
    return pdfs
