"""Merged cells to a grid: header rows and one header path per column.

A table given as rows of cells with colspan/rowspan (HTML, DOCX, text) is laid
out on a grid where every position names the printed cell covering it, so a
two-level merged header reads, column by column, as a path of the distinct
cells above it: ("办结得分(35分)", "得分"). A weight printed in a row of its own
("(35分)" under its group name) joins the element above it, which is what a PDF
cell holding both lines gives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.blocks import TableCell
from pipeline.extract.lines import join_cjk
from pipeline.extract.tables import is_numeric

# (row, position in that row) of the printed cell covering a grid position.
CellAt = tuple[int, int]
Grid = list[list[CellAt | None]]

WEIGHT_ONLY = re.compile(r"^[(（]\s*[\d０-９]+(?:[.．][\d０-９]+)?\s*分\s*[)）]$")


def rows_to_grid(rows: Sequence[Sequence[TableCell]]) -> Grid:
    """Lay the cells out as in HTML: each cell takes the next free position.

    Spans reaching past the last row are cut, and a colspan wider than the table can be
    (span_bound) is cut to that width; a cell never overwrites another.
    """
    grid: Grid = [[] for _ in rows]
    widest = span_bound(rows)
    for r, row in enumerate(rows):
        c = 0
        for k, cell in enumerate(row):
            c = _next_free(grid[r], c)
            colspan = min(max(cell.colspan, 1), widest)
            for rr in range(r, min(r + max(cell.rowspan, 1), len(rows))):
                for cc in range(c, c + colspan):
                    _claim(grid[rr], cc, (r, k))
            c += colspan
    return grid


def span_bound(rows: Sequence[Sequence[TableCell]]) -> int:
    """The widest a single cell may span: twice the most cells any row starts, plus the cells
    that span rows (each can push a row's cells one place right). A legitimate colspan stays
    under it; one of thousands over a table of three columns (a hostile page) does not
    multiply the grid."""
    most = max((len(row) for row in rows), default=0)
    spanning = sum(1 for row in rows for cell in row if cell.rowspan > 1)
    return max(2 * most + spanning, 1)


def _next_free(line: list[CellAt | None], c: int) -> int:
    while c < len(line) and line[c] is not None:
        c += 1
    return c


def _claim(line: list[CellAt | None], c: int, at: CellAt) -> None:
    if len(line) <= c:
        line.extend([None] * (c + 1 - len(line)))
    if line[c] is None:
        line[c] = at


def count_header_rows(rows: Sequence[Sequence[TableCell]]) -> int:
    """Leading rows with fewer than two numeric cells (0 when no row has two)."""
    for i, row in enumerate(rows):
        if sum(1 for cell in row if is_numeric(cell.text)) >= 2:
            return i
    return 0


def header_paths(
    rows: Sequence[Sequence[TableCell]], grid: Grid, n_header: int
) -> tuple[tuple[str, ...], ...]:
    """One path per grid column: the distinct non-empty header cells covering it, top down."""
    width = max((len(grid[r]) for r in range(n_header)), default=0)
    paths = []
    for c in range(width):
        covering: list[CellAt] = []
        for r in range(n_header):
            at = grid[r][c] if c < len(grid[r]) else None
            if at is not None and at not in covering:
                covering.append(at)
        texts = [rows[r][k].text.strip() for r, k in covering]
        paths.append(join_weights([t for t in texts if t]))
    return tuple(paths)


def join_weights(path: Sequence[str]) -> tuple[str, ...]:
    """Join an element that is only a weight ("(35分)") onto the element above it."""
    out: list[str] = []
    for text in path:
        if out and WEIGHT_ONLY.match(text):
            out[-1] = join_cjk(out[-1], text)
        else:
            out.append(text)
    return tuple(out)


def body_cells(
    rows: Sequence[Sequence[TableCell]], grid: Grid, n_header: int
) -> list[list[CellAt]]:
    """Each body row's cells, left to right, as (row, position) of the printed cell.

    A text cell spanning down from an earlier body row is a group printed once over its
    rows (商品类 over 食品, 家电, 小计): it is repeated in each row it covers, where it
    stands, so every row knows its group and keeps the header's width. A number spanning
    rows is not repeated (it would be counted once per row). A row whose own cells the
    grid does not place in order is kept as printed."""
    out: list[list[CellAt]] = []
    for r in range(n_header, len(rows)):
        cells: list[CellAt] = []
        for at in grid[r] if r < len(grid) else ():
            if at is None or at in cells:
                continue
            if at[0] == r or (at[0] >= n_header and _group_text(rows[at[0]][at[1]].text)):
                cells.append(at)
        own = [at for at in cells if at[0] == r]
        out.append(cells if own == [(r, k) for k in range(len(rows[r]))] else _printed(rows, r))
    return out


def _group_text(text: str) -> bool:
    return bool(text.strip()) and not is_numeric(text)


def _printed(rows: Sequence[Sequence[TableCell]], r: int) -> list[CellAt]:
    return [(r, k) for k in range(len(rows[r]))]
