"""Bulletin -> .html -> PDF by LibreOffice (HTML imported into Writer).

The HTML is what an office's web page or an HTML export looks like: one page style set by
`@page`, tables with rowspan/colspan and a `border` attribute (ruled) or cell rules in CSS
(partial), `page-break-before` before each attachment and each continuation, and the
page-number footer as LibreOffice writes it itself (`<div title="footer">` with a PAGE
`<sdfield>`). LibreOffice's HTML import knows one page style only, so a table marked
`landscape` is printed on a portrait page (the caller records that in the truth), and it
reads only the first class of an element, lengths in pt and not em.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from corpus.generate import layout as L
from corpus.generate import office
from corpus.generate.spec import Bulletin, TableSpec

LANDSCAPE = False  # LibreOffice's HTML import has one page style for the whole document
PX = 96 / 72  # CSS pixels per point
FOOT_CM = 2.2  # bottom margin: the footer is inside it, above the GB/T 9704 3.5 cm


def _css(b: Bulletin) -> str:
    top, _, left, right = L.MARGINS[False]
    sans = L.sans_for(b.font)
    return f"""
@page {{ size: 21cm 29.7cm; margin: {top / 10}cm {right / 10}cm {FOOT_CM}cm {left / 10}cm }}
body {{ font-family: "{b.font}"; font-size: {L.BODY_PT}pt }}
p {{ margin-top: 0; margin-bottom: 0; line-height: {L.BODY_LINE}pt }}
p.issuer {{ text-align: center; color: #{L.RED}; font-weight: bold; line-height: 150% }}
p.docno {{ text-align: center; margin-top: 8pt }}
p.rule {{ border-bottom: 2.25pt solid #{L.RED}; font-size: 4pt; line-height: 4pt }}
p.title {{ text-align: center; font-size: {L.TITLE_PT}pt; font-weight: bold;
  line-height: {L.TITLE_PT * 1.6}pt; margin-top: {L.BODY_LINE}pt }}
p.to {{ margin-top: {L.BODY_LINE}pt }}
p.body {{ text-indent: {2 * L.BODY_PT}pt; text-align: justify }}
p.h1 {{ text-indent: {2 * L.BODY_PT}pt; font-family: "{sans}" }}
p.h2 {{ text-indent: {2 * L.BODY_PT}pt; font-weight: bold }}
p.sign {{ text-align: right; margin-right: {2 * L.BODY_PT}pt; page-break-after: avoid }}
p.date {{ text-align: right; margin-right: {4 * L.BODY_PT}pt }}
p.label {{ page-break-before: always; font-family: "{sans}"; font-size: {L.LABEL_PT}pt }}
p.ttitle {{ text-align: center; font-size: {L.TABLE_TITLE_PT}pt; font-weight: bold;
  line-height: {L.TABLE_TITLE_PT * 1.5}pt; margin-bottom: 8pt }}
p.brk {{ page-break-before: always; font-size: 1pt; line-height: 1pt }}
p.cont {{ page-break-before: always; font-size: {L.LABEL_PT - 2}pt }}
td {{ font-family: "{b.font}" }}
th {{ font-family: "{sans}"; font-weight: normal }}
"""


def _p(cls: str, text: str, style: str = "") -> str:
    attr = f' style="{style}"' if style else ""
    inner = escape(text).replace(chr(10), "<br>") or "&nbsp;"  # an empty <p> takes no room
    return f'<p class="{cls}"{attr}>{inner}</p>'


def _cell(tag: str, c: L.Cell, plan: L.Plan, rule: dict[str, str]) -> str:
    attrs = ['align="center" valign="middle"']
    if c.colspan > 1:
        attrs.append(f'colspan="{c.colspan}"')
    if c.rowspan > 1:
        attrs.append(f'rowspan="{c.rowspan}"')
    style = f"font-size: {plan.size:g}pt; line-height: {plan.size * 1.3:.1f}pt"
    style += "".join(f"; border-{side}: {value}" for side, value in rule.items())
    attrs.append(f'style="{style}"')
    text = escape(c.text).replace("\n", "<br>")
    return f"<{tag} {' '.join(attrs)}>{text}</{tag}>"


def _part(t: TableSpec, plan: L.Plan, part: L.Part) -> list[str]:
    ruled = t.layout.ruling == "ruled"
    thick, thin = "1.5pt solid #000000", "0.75pt solid #000000"
    width = sum(plan.widths)
    border = 'border="1"' if ruled else 'border="0"'
    out = [f'<table {border} cellspacing="0" cellpadding="2" width="{width * PX:.0f}" '
           f'style="border-collapse: collapse">']  # fmt: skip
    out.append("<colgroup>")
    out += [f'<col width="{w * PX:.0f}">' for w in plan.widths]
    out.append("</colgroup>")
    head = plan.header if part.header else []
    partial = t.layout.ruling == "partial"
    # LibreOffice repeats a <thead> on each page: only a flowing table that asks for it has one
    group = "thead" if plan.flowing and t.layout.repeat_header else "tbody"
    if head:
        out.append(f"<{group}>")
        for r, row in enumerate(head):
            cells = []
            for c in row:
                rule = {}
                if partial and r == 0:
                    rule["top"] = thick
                if partial and r + c.rowspan == len(head):
                    rule["bottom"] = thin
                cells.append(_cell("th", c, plan, rule))
            out.append(f'<tr height="{plan.row_height(row) * PX:.0f}">{"".join(cells)}</tr>')
        out.append(f"</{group}>")
    out.append("<tbody>")
    for i, row in enumerate(part.rows):
        rule = {}
        if partial and i == 0 and not head:
            rule["top"] = thick
        if partial and i == len(part.rows) - 1:
            rule["bottom"] = thick
        cells = "".join(_cell("td", c, plan, rule) for c in row)
        out.append(f'<tr height="{plan.heights[part.first + i] * PX:.0f}">{cells}</tr>')
    out.append("</tbody></table>")
    return out


def _table(t: TableSpec, first_block: float) -> list[str]:
    plan = L.plan_table(t, LANDSCAPE, first_block)
    out: list[str] = []
    for i, part in enumerate(plan.parts):
        if i:
            out.append(_p("cont", "续表") if t.layout.continued_marker else _p("brk", ""))
        out += _part(t, plan, part)
    return out


def build(b: Bulletin) -> str:
    _, _, text_w, _ = L.page_box(False)
    size = min(L.ISSUER_PT, 0.95 * text_w / max(L.text_em(b.issuer), 1))
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">']
    out += [f"<title>{escape(b.title.replace(chr(10), ''))}</title>"]
    out += [f'<meta name="author" content="{escape(b.issuer)}">']
    out += [f"<style>{_css(b)}</style>", "</head>", "<body>"]
    footer = ('<div title="footer"><p align="center" style="font-size: 14pt">— '
              "<sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield> —</p></div>")  # fmt: skip
    out += [footer, footer]  # LibreOffice reads the second as the footer of left-hand pages
    out.append(_p("issuer", b.issuer, f"font-size: {size:.1f}pt"))
    if b.doc_number:
        out.append(_p("docno", b.doc_number))
    out.append(_p("rule", ""))
    out += [_p("title", b.title), _p("to", b.recipients)]
    kinds = {"heading1": "h1", "heading2": "h2"}
    out += [_p(kinds.get(p.kind, "body"), p.text) for p in b.body]
    for t in L.inline_tables(b):
        out += [_p("ttitle", t.title), *_table(t, 0.0)]
    if b.attachment_notes:
        out += [_p("body", ""), *(_p("body", note) for note in b.attachment_notes)]
    out += [_p("body", ""), _p("body", ""), _p("sign", b.signature), _p("date", b.date_text)]
    for t in L.attachments(b):
        out += [_p("label", L.label(t.attachment or "")), _p("ttitle", t.title)]
        out += _table(t, L.title_block(t.title, text_w))
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def render(bulletins: list[Bulletin], outdir: Path, keep_sources: bool = True) -> list[Path]:
    """Write <id>.html for each bulletin and convert them in one batch; the HTML is kept
    (a realistic input for an HTML reader) whatever `keep_sources` says."""
    outdir.mkdir(parents=True, exist_ok=True)
    sources = []
    for b in bulletins:
        path = outdir / f"{b.id}.html"
        path.write_text(build(b), encoding="utf-8")
        sources.append(path)
    pdfs = office.convert(sources, outdir, office.HTML_FILTER) if sources else []
    for b, pdf in zip(bulletins, pdfs, strict=True):
        office.fix_dates(pdf, b.published.replace("-", "") + "090000")
    return pdfs
