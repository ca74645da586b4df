"""Page geometry and table planning shared by the three renderers.

A table is planned once, in points, on a grid of columns: its header cells placed with
their spans, its body split into parts (one per page when `page_rows` is given), column
widths from the text, and a font size small enough that each part fits on its page. A body
row with d more cells than the columns splits one column (`split`) into d + 1 grid columns
that the other rows span; a row with fewer cells lets its cell at `split` span the columns
it lacks. Each renderer draws the same plan, so the producers differ in their fonts and
line breaking, not in what they print.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

from corpus.generate.spec import Bulletin, TableSpec

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
# (top, bottom, left, right) in mm: GB/T 9704 for portrait, narrow for landscape tables.
MARGINS = {False: (37, 35, 28, 26), True: (18, 18, 15, 15)}
FOOTER_MM = {False: 22, True: 7}  # distance of the page number from the page's bottom edge
BODY_PT, BODY_LINE = 15.0, 26.0  # 仿宋/宋体 三号-ish body text on a fixed 26 pt pitch
TITLE_PT, ISSUER_PT = 21.0, 28.0
LABEL_PT, TABLE_TITLE_PT = 14.0, 17.0
PAD_H, PAD_V = 3.0, 2.0  # cell padding (pt)
MIN_FONT = 6.0
RED = "E00000"
SANS = "Noto Sans CJK SC"


def label(attachment: str) -> str:
    """The label line above an attachment: "附件3" for "3", unchanged if already labelled."""
    return attachment if attachment.startswith("附件") else f"附件{attachment}"


def sans_for(font: str) -> str:
    """黑体-like face for level-1 headings and labels."""
    return font if ("Sans" in font or "Hei" in font) else SANS


def page_box(landscape: bool) -> tuple[float, float, float, float]:
    """(page width, page height, text width, text height) in points."""
    w, h = (A4[1], A4[0]) if landscape else A4
    top, bottom, left, right = MARGINS[landscape]
    return w, h, w - (left + right) * MM, h - (top + bottom) * MM


def text_em(text: str) -> float:
    """Width of one line of `text` in ems: CJK and full-width 1, digits and Latin about 0.55."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            width += 1.0
        elif ch == " ":
            width += 0.3
        else:
            width += 0.56
    return width


def lines_needed(text: str, width: float, size: float) -> int:
    room = max(width - 2 * PAD_H, size)
    return sum(max(1, math.ceil(text_em(line) * size / room - 1e-9)) for line in text.split("\n"))


@dataclass
class Cell:
    text: str
    col: int  # first grid column
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Part:
    """Rows printed together: on their own page when the table has `page_rows`."""

    first: int  # index of the first body row
    rows: list[list[Cell]]
    header: bool  # print the header above these rows
    continued: bool  # print 续表 above (a continuation)


@dataclass
class Plan:
    ncols: int  # grid columns
    widths: list[float]
    header: list[list[Cell]]
    parts: list[Part]
    size: float  # font size of the table
    flowing: bool  # no page_rows: the renderer breaks pages (and may repeat the header)
    heights: dict[int, float] = field(default_factory=dict)  # body row index -> height

    def header_height(self) -> float:
        return sum(self.row_height(row) for row in self.header)

    def row_height(self, row: list[Cell]) -> float:
        pitch = self.size * 1.3
        lines = 1
        for c in row:
            width = sum(self.widths[c.col : c.col + c.colspan])
            lines = max(lines, math.ceil(lines_needed(c.text, width, self.size) / c.rowspan))
        return lines * pitch + 2 * PAD_V


def _place_header(rows) -> tuple[list[list[tuple[str, int, int, int]]], int]:
    """Header cells as (text, original column, colspan, rowspan), honouring row spans."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        col, out = 0, []
        for cell in row:
            while (r, col) in taken:
                col += 1
            out.append((cell.text, col, cell.colspan, cell.rowspan))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            col += cell.colspan
        placed.append(out)
    width = max((c for _, c in taken), default=-1) + 1
    return placed, width


def plan_table(t: TableSpec, landscape: bool, first_block: float) -> Plan:
    """Plan `t` for a text area of the given orientation; `first_block` is the height taken
    above the first part (label and title)."""
    placed, n = _place_header(t.header_rows)
    n = max(n, len(t.columns), 1)
    diffs = [len(r) - n for r in t.body_rows] or [0]
    extra, fewer = max(0, max(diffs)), max(0, -min(diffs))
    split = max(0, min(2, n - 1 - fewer))
    ncols = n + extra

    def gcol(j: int) -> int:
        return j if j <= split else j + extra

    def gspan(a: int, s: int) -> int:
        last = a + s - 1
        return gcol(last) + (extra + 1 if last == split else 1) - gcol(a)

    header = [[Cell(x, gcol(c), gspan(c, s), rs) for x, c, s, rs in row] for row in placed]
    body = []
    for row in t.body_rows:
        d = len(row) - n
        cells = []
        for i, text in enumerate(row):
            if i < split or d == 0:
                cells.append(Cell(text, gcol(i), gspan(i, 1)))
            elif d > 0 and i <= split + d:
                piece = i - split
                span = 1 if piece < d else extra + 1 - d
                cells.append(Cell(text, split + piece, span))
            elif d > 0:
                cells.append(Cell(text, gcol(i - d), 1))
            elif i == split:
                cells.append(Cell(text, gcol(i), gspan(i, 1 - d)))
            else:
                cells.append(Cell(text, gcol(i - d), 1))
        body.append(cells)

    parts = _parts(t, body)
    _, _, text_w, text_h = page_box(landscape)
    room = text_h * 0.93
    size = t.layout.font_size
    while True:
        widths, numbers_fit = _widths(header, body, ncols, size, text_w)
        plan = Plan(ncols, widths, header, parts, size, not t.layout.page_rows)
        if size <= MIN_FONT or (numbers_fit and (plan.flowing or _fits(plan, room, first_block))):
            break
        size = max(MIN_FONT, size - 0.5)
    plan.heights = {p.first + i: plan.row_height(r) for p in parts for i, r in enumerate(p.rows)}
    return plan


def _parts(t: TableSpec, body: list[list[Cell]]) -> list[Part]:
    counts = t.layout.page_rows or [len(body)]
    parts, start = [], 0
    for i, count in enumerate(counts):
        last = i == len(counts) - 1 or start + count >= len(body)
        rows = body[start:] if last else body[start : start + count]
        parts.append(Part(start, rows, i == 0 or t.layout.repeat_header, i > 0))
        start += count
        if last:
            break
    return parts


def _fits(plan: Plan, room: float, first_block: float) -> bool:
    for i, part in enumerate(plan.parts):
        need = first_block if i == 0 else 0.0
        need += BODY_LINE if part.continued and i > 0 else 0.0
        need += plan.header_height() if part.header else 0.0
        need += sum(plan.row_height(r) for r in part.rows)
        if need > room:
            return False
    return True


def _least(text: str, size: float, in_header: bool) -> float:
    """The narrowest a cell can be: CJK text wraps between any two characters, a number or
    a percentage (full-width ones too) does not wrap at all."""
    wraps = in_header or any(unicodedata.category(ch) == "Lo" for ch in text)  # not "１２％"
    em = 2.0 if wraps else max(text_em(x) for x in text.split("\n")) * 1.08
    return em * size + 2 * PAD_H


def _widths(header, body, ncols: int, size: float, room: float) -> tuple[list[float], bool]:
    """Column widths that fill the text width, and whether every number fits on one line.

    Natural widths (each cell on one line) if they fit; else the wrapping (CJK) columns give
    up width first, down to two characters; else everything is scaled down."""
    need = [2 * PAD_H + size] * ncols
    least = list(need)
    spanned = []
    rows = [(True, row) for row in header] + [(False, row) for row in body]
    for in_header, row in rows:
        for c in row:
            width = max(text_em(x) for x in c.text.split("\n")) * size * 1.04 + 2 * PAD_H
            if in_header:
                width = min(width, 5.5 * size + 2 * PAD_H)  # header text may wrap
            if c.colspan == 1:
                need[c.col] = max(need[c.col], width)
                least[c.col] = max(least[c.col], min(width, _least(c.text, size, in_header)))
            else:
                spanned.append((c, width))
    for c, width in spanned:
        have = sum(need[c.col : c.col + c.colspan])
        if width > have:
            for j in range(c.col, c.col + c.colspan):
                need[j] += (width - have) / c.colspan
    if sum(need) <= room:  # fill the width, giving the slack to every column alike
        slack = room - sum(need)
        return [w + slack / ncols for w in need], True
    if sum(least) <= room:
        flex = (room - sum(least)) / (sum(need) - sum(least))
        return [lo + (w - lo) * flex for w, lo in zip(need, least, strict=True)], True
    return [w * room / sum(need) for w in need], False


def title_block(title: str, text_w: float) -> float:
    """Height of the label line and the centred (possibly wrapped) title above a table."""
    lines = lines_needed(title, text_w, TABLE_TITLE_PT)
    return LABEL_PT * 1.7 + lines * TABLE_TITLE_PT * 1.5 + 8


def attachments(b: Bulletin) -> list[TableSpec]:
    return [t for t in b.tables if t.attachment]


def inline_tables(b: Bulletin) -> list[TableSpec]:
    """Tables without an attachment label are printed after the body text."""
    return [t for t in b.tables if not t.attachment]
