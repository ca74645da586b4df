"""Bulletin -> PDF with reportlab directly: a second producer, as real archives mix them.

reportlab embeds TrueType outlines only, and the Noto CJK fonts are CFF, so the text is set
in a TrueType CJK font from Debian: AR PL UMing (fonts-arphic-uming) for 宋体-like text and
WenQuanYi Micro Hei (fonts-wqy-microhei) for 黑体-like headings. The embedded subsets carry a
ToUnicode map, so the text extracts as Unicode. Tables are Platypus Tables ruled by
TableStyle, merged cells are SPANs, a flowing table repeats its header with repeatRows, and
`invariant` fixes the dates and the file ID, so the same Bulletin gives the same bytes.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    HRFlowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as P

from corpus.generate import layout as L
from corpus.generate.spec import Bulletin, TableSpec

SERIF_FALLBACK = ("AR PL UMing CN", "/usr/share/fonts/truetype/arphic/uming.ttc", 0)
SANS_FALLBACK = ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0)


def _match(name: str) -> tuple[str, int] | None:
    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", name],
                         capture_output=True, text=True, check=False).stdout  # fmt: skip
    path, _, index = out.partition("\t")
    return (path, int(index or 0)) if path else None


@functools.cache
def find_ttf(name: str) -> str | None:
    """Register a TrueType CJK font for `name` and return its reportlab name, or None.

    The named font if it is TrueType and has CJK glyphs, else the fallback of its kind."""
    sans = "Sans" in name or "Hei" in name
    fallback = SANS_FALLBACK if sans else SERIF_FALLBACK
    candidates = [_match(name), _match(fallback[0]), fallback[1:]]
    for found in candidates:
        if not found or not Path(found[0]).exists():
            continue
        key = f"CJK-{Path(found[0]).stem}-{found[1]}"
        if key in pdfmetrics.getRegisteredFontNames():
            return key
        try:
            font = TTFont(key, found[0], subfontIndex=found[1])
        except TTFError:  # CFF outlines (Noto CJK) or not a font reportlab reads
            continue
        if ord("中") not in font.face.charToGlyph:
            continue
        pdfmetrics.registerFont(font)
        return key
    return None


def _fonts(b: Bulletin) -> tuple[str, str]:
    serif, sans = find_ttf(b.font), find_ttf(L.sans_for(b.font))
    if serif is None or sans is None:
        raise SystemExit(
            "no TrueType CJK font: apt-get install fonts-arphic-uming fonts-wqy-microhei"
        )
    return serif, sans


def _style(font: str, size: float, leading: float, align=TA_LEFT, **kw) -> ParagraphStyle:
    return ParagraphStyle("s", fontName=font, fontSize=size, leading=leading, alignment=align,
                          wordWrap="CJK", **kw)  # fmt: skip


def _para(text: str, style: ParagraphStyle) -> P:
    return P(escape(text).replace("\n", "<br/>"), style)


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(doc.footer_font, 14)
    landscape = canvas._pagesize[0] > canvas._pagesize[1]
    y = L.FOOTER_MM[landscape] * L.MM
    canvas.drawCentredString(canvas._pagesize[0] / 2, y, f"— {doc.page} —")
    canvas.restoreState()


def _template(name: str, landscape: bool) -> PageTemplate:
    w, h, text_w, text_h = L.page_box(landscape)
    _, bottom, left, _ = L.MARGINS[landscape]
    frame = Frame(left * L.MM, bottom * L.MM, text_w, text_h, 0, 0, 0, 0, id=name)
    return PageTemplate(name, [frame], onPage=_footer, pagesize=(w, h))


def _tables(t: TableSpec, landscape: bool, first_block: float, serif: str, sans: str) -> list:
    plan = L.plan_table(t, landscape, first_block)
    out: list = []
    for i, part in enumerate(plan.parts):
        if i:
            out.append(PageBreak())
            if t.layout.continued_marker:
                out.append(_para("续表", _style(serif, L.LABEL_PT - 2, L.BODY_LINE)))
        out.append(_table(t, plan, part, serif, sans))
    return out


def _table(t: TableSpec, plan: L.Plan, part: L.Part, serif: str, sans: str) -> Table:
    head = plan.header if part.header else []
    rows = [*head, *part.rows]
    data: list[list] = [[""] * plan.ncols for _ in rows]
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), serif, plan.size, plan.size * 1.3),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), L.PAD_H),
        ("RIGHTPADDING", (0, 0), (-1, -1), L.PAD_H),
        ("TOPPADDING", (0, 0), (-1, -1), L.PAD_V),
        ("BOTTOMPADDING", (0, 0), (-1, -1), L.PAD_V),
    ]
    if head:
        cmds.append(("FONT", (0, 0), (-1, len(head) - 1), sans, plan.size, plan.size * 1.3))
    for r, row in enumerate(rows):
        font = sans if r < len(head) else serif
        cell_style = _style(font, plan.size, plan.size * 1.3, TA_CENTER)
        for c in row:
            width = sum(plan.widths[c.col : c.col + c.colspan])
            wraps = L.lines_needed(c.text, width, plan.size) > len(c.text.split("\n"))
            data[r][c.col] = _para(c.text, cell_style) if wraps else c.text
            if c.colspan > 1 or c.rowspan > 1:
                cmds.append(("SPAN", (c.col, r), (c.col + c.colspan - 1, r + c.rowspan - 1)))
    if t.layout.ruling == "ruled":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif t.layout.ruling == "partial":
        cmds.append(("LINEABOVE", (0, 0), (-1, 0), 1.5, colors.black))
        cmds.append(("LINEBELOW", (0, -1), (-1, -1), 1.5, colors.black))
        if head:
            cmds.append(("LINEBELOW", (0, len(head) - 1), (-1, len(head) - 1), 0.75, colors.black))
    repeat = len(head) if plan.flowing and t.layout.repeat_header else 0
    return Table(data, colWidths=plan.widths, style=TableStyle(cmds), repeatRows=repeat)


def _story(b: Bulletin) -> list:
    serif, sans = _fonts(b)
    _, _, text_w, _ = L.page_box(False)
    size = min(L.ISSUER_PT, 0.95 * text_w / max(L.text_em(b.issuer), 1))
    body = _style(serif, L.BODY_PT, L.BODY_LINE, TA_JUSTIFY, firstLineIndent=2 * L.BODY_PT)
    story: list = [NextPageTemplate("P")]
    red = colors.HexColor(f"#{L.RED}")
    story.append(_para(b.issuer, _style(sans, size, size * 1.5, TA_CENTER, textColor=red)))
    if b.doc_number:
        story += [
            Spacer(1, 8),
            _para(b.doc_number, _style(serif, L.BODY_PT, L.BODY_LINE, TA_CENTER)),
        ]
    story.append(HRFlowable(width="100%", thickness=2.25, color=red, spaceBefore=4, spaceAfter=0))
    title = _style(sans, L.TITLE_PT, L.TITLE_PT * 1.6, TA_CENTER, spaceBefore=L.BODY_LINE)
    story += [_para(b.title, title)]
    story += [_para(b.recipients, _style(serif, L.BODY_PT, L.BODY_LINE, spaceBefore=L.BODY_LINE))]
    heading = _style(sans, L.BODY_PT, L.BODY_LINE, firstLineIndent=2 * L.BODY_PT)
    story += [_para(p.text, heading if p.kind == "heading1" else body) for p in b.body]
    for t in L.inline_tables(b):
        story += [_para(t.title, _style(sans, L.TABLE_TITLE_PT, L.TABLE_TITLE_PT * 1.5, TA_CENTER))]
        story += _tables(t, False, 0.0, serif, sans)
    if b.attachment_notes:
        story += [Spacer(1, L.BODY_LINE), *(_para(n, body) for n in b.attachment_notes)]
    sign: list = [Spacer(1, 2 * L.BODY_LINE)]
    for text, chars in ((b.signature, 2), (b.date_text, 4)):
        right = _style(serif, L.BODY_PT, L.BODY_LINE, TA_RIGHT, rightIndent=chars * L.BODY_PT)
        sign.append(_para(text, right))
    story.append(KeepTogether(sign))  # signature and date on one page
    for t in L.attachments(b):
        landscape = t.layout.landscape
        story += [NextPageTemplate("L" if landscape else "P"), PageBreak()]
        story.append(_para(L.label(t.attachment or ""), _style(sans, L.LABEL_PT, L.LABEL_PT * 1.7)))
        ttitle = _style(sans, L.TABLE_TITLE_PT, L.TABLE_TITLE_PT * 1.5, TA_CENTER, spaceAfter=8)
        story.append(_para(t.title, ttitle))
        text_w = L.page_box(landscape)[2]
        story += _tables(t, landscape, L.title_block(t.title, text_w), serif, sans)
    return story


def build(b: Bulletin, path: Path) -> None:
    doc = BaseDocTemplate(str(path), pagesize=L.A4, invariant=1, title=b.title.replace("\n", ""),
                          author=b.issuer, creator=b.issuer, subject="", keywords="")  # fmt: skip
    doc.addPageTemplates([_template("P", False), _template("L", True)])
    doc.footer_font = _fonts(b)[0]
    doc.build(_story(b))


def render(bulletins: list[Bulletin], outdir: Path, keep_sources: bool = False) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for b in bulletins:
        pdf = outdir / f"{b.id}.pdf"
        build(b, pdf)
        pdfs.append(pdf)
    return pdfs
