"""Ruled tables on one page: cells with bboxes, header rows and header paths.

pdfplumber's `find_tables` gives a grid whose rows hold one bbox per grid
column, or None where a merged cell covers that position. Header paths are
read by asking, for each grid column and header row, which cell covers it, so
a two-level merged header becomes ("办结得分(35分)", "得分").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from pipeline.extract.backends import PDFPLUMBER
from pipeline.extract.lines import Char, centre_in, chars_to_lines, draws_spaces, join_cjk
from pipeline.model import BBox, Cell, Row, Source

BACKEND = PDFPLUMBER
NUMERIC = re.compile(r"^[-+−－]?[\d０-９][\d０-９,，.．]*\s*[%％]?$")


@dataclass(frozen=True, slots=True)
class PageTable:
    """A table as found on one page, before stitching."""

    page: int
    bbox: BBox
    header_rows: tuple[Row, ...]
    columns: tuple[tuple[str, ...], ...]
    body_rows: tuple[Row, ...]


def is_numeric(text: str) -> bool:
    """True for a cell that prints a plain number or percentage."""
    return bool(NUMERIC.match(text.strip()))


class CharIndex:
    """Characters sorted by the height of their centre: those in a box are found by bisection."""

    def __init__(self, chars: Sequence[Char]) -> None:
        self.chars = sorted(chars, key=_centre_y)
        self.ys = [_centre_y(c) for c in self.chars]
        self.centres = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in self.chars]

    def inside(self, bbox: BBox) -> list[Char]:
        """The characters whose centre lies inside `bbox` (edges included, as `centre_in`)."""
        lo = bisect.bisect_left(self.ys, bbox[1])
        hi = bisect.bisect_right(self.ys, bbox[3])
        x0, top, x1, bottom = bbox
        centres = self.centres
        return [
            self.chars[i]
            for i in range(lo, hi)
            if x0 <= centres[i][0] <= x1 and top <= centres[i][1] <= bottom
        ]


def _centre_y(c: Char) -> float:
    return float(c["top"] + c["bottom"]) / 2


def cell_text(chars: Sequence[Char] | CharIndex, bbox: BBox, *, infer_spaces: bool) -> str:
    """Text of the characters whose centre lies inside `bbox`, lines joined."""
    if isinstance(chars, CharIndex):
        inside = chars.inside(bbox)
    else:
        inside = [c for c in chars if centre_in(c, bbox)]
    text = ""
    for line in chars_to_lines(inside, infer_spaces=infer_spaces):
        text = join_cjk(text, line.text)
    return text


def read_page_tables(page: Any, page_number: int, chars: Sequence[Char]) -> list[PageTable]:
    """Every ruled table on a pdfplumber page, top to bottom."""
    found = sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0]))
    return [to_page_table(t, page_number, chars) for t in found if len(t.rows) > 0]


def to_page_table(table: Any, page_number: int, chars: Sequence[Char]) -> PageTable:
    """A table pdfplumber found, its cells read from `chars` (a text layer or OCR)."""
    grid = [list(row.cells) for row in table.rows]
    spaces = not draws_spaces(chars)
    index = CharIndex(chars)
    texts = {
        bbox: cell_text(index, bbox, infer_spaces=spaces)
        for row in grid
        for bbox in row
        if bbox is not None
    }
    return grid_to_page_table(grid, texts, page_number, tuple(table.bbox), BACKEND)


def grid_to_page_table(
    grid: Sequence[Sequence[BBox | None]],
    texts: dict[BBox, str],
    page: int,
    bbox: BBox,
    backend: str,
) -> PageTable:
    """A page table from a cell grid (top-left origin) and the text of each cell.

    `grid` holds one entry per grid column and row: a cell's bbox at its top-left
    grid position, None where a merged cell covers the position. Every backend
    that finds a grid goes through here, so header rows and paths follow one rule.
    """
    n_header = count_header_rows(grid, texts)
    rows = tuple(_row_cells(r, texts, page, backend) for r in grid)
    columns = header_paths(grid[:n_header], texts) if n_header else ()
    return PageTable(
        page=page,
        bbox=bbox,
        header_rows=rows[:n_header],
        columns=columns,
        body_rows=rows[n_header:],
    )


def _row_cells(row: Sequence[BBox | None], texts: dict[BBox, str], page: int, backend: str) -> Row:
    return tuple(
        Cell(text=texts[b], source=Source(page=page, bbox=b, backend=backend))
        for b in row
        if b is not None
    )


def count_header_rows(grid: Sequence[Sequence[BBox | None]], texts: dict[BBox, str]) -> int:
    """Leading rows with fewer than two numeric cells are header rows."""
    for i, row in enumerate(grid):
        numeric = sum(1 for b in row if b is not None and is_numeric(texts[b]))
        if numeric >= 2:
            return i
    return 0


def header_paths(
    header: Sequence[Sequence[BBox | None]], texts: dict[BBox, str]
) -> tuple[tuple[str, ...], ...]:
    """One path per grid column: the texts of the header cells covering it, top down.

    pdfplumber keys grid columns by a cell's left edge and rows by its top edge,
    so a point just inside those edges falls in exactly one cell, merged or not.
    """
    cells = [b for row in header for b in row if b is not None]
    xs = sorted({b[0] for b in cells})
    tops = [min(b[1] for b in row if b is not None) for row in header]
    paths = []
    for x in xs:
        covering: list[BBox] = []
        for y in tops:
            cell = _cell_at(cells, x + 0.5, y + 0.5)
            if cell is not None and cell not in covering:
                covering.append(cell)
        paths.append(tuple(texts[b] for b in covering if texts[b]))
    return tuple(paths)


def _cell_at(cells: Sequence[BBox], x: float, y: float) -> BBox | None:
    return next((b for b in cells if b[0] <= x < b[2] and b[1] <= y < b[3]), None)


def page_table_backend(table: PageTable, backend: str) -> PageTable:
    """The table with every cell's source naming `backend`."""

    def row(cells: Row) -> Row:
        # the constructors, not dataclasses.replace: a page has hundreds of cells
        return tuple(
            Cell(
                text=c.text,
                source=Source(
                    page=s.page,
                    bbox=s.bbox,
                    backend=backend,
                    index=s.index,
                    confidence=s.confidence,
                ),
            )
            for c in cells
            for s in (c.source,)
        )

    return replace(
        table,
        header_rows=tuple(row(r) for r in table.header_rows),
        body_rows=tuple(row(r) for r in table.body_rows),
    )
