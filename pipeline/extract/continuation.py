"""What a table part on the next page needs before its rows join the table.

Two things a page break does to a table's rows:

- A row broken at the page end: the rest of its text cells ("执法局" of a long
  name) opens the next page as a line of its own, mostly empty and without
  numbers, which the page's reader takes for a header. Each of its texts joins
  the cell of the row it continues that it sits under.
- A part of a table without vertical rules whose rows leave a column empty (a
  lone 合计 row with no 序号) is read with fewer columns. Its cells go back to
  the columns of the table whose text they sit under, the missing ones empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.extract.lines import join_cjk
from pipeline.extract.tables import is_numeric
from pipeline.model import BBox, Cell, Row, Source

Span = tuple[float, float]

# A cell belongs to the column whose text is nearest when the next is this many times farther.
CLEAR = 0.5


def carried_fragment(last: Row | None, header: Sequence[Row]) -> dict[int, Cell] | None:
    """The rest of the row `last`, by the index of the cell each piece continues, when
    `header` is one mostly empty row of text under text cells of `last`; else None."""
    if last is None or len(header) != 1:
        return None
    filled = [c for c in header[0] if c.text.strip()]
    if not filled or len(filled) * 2 > len(last) or any(is_numeric(c.text) for c in filled):
        return None
    placed: dict[int, Cell] = {}
    for cell in filled:
        k = _under(cell, last)
        if k is None or k in placed or is_numeric(last[k].text):
            return None
        placed[k] = cell
    return placed


def _under(cell: Cell, row: Row) -> int | None:
    """Index of the cell of `row` whose x-range holds the centre of `cell`."""
    if cell.source.bbox is None:
        return None
    x = (cell.source.bbox[0] + cell.source.bbox[2]) / 2
    hits = [
        k
        for k, c in enumerate(row)
        if c.source.bbox is not None and c.source.bbox[0] <= x <= c.source.bbox[2]
    ]
    return hits[0] if len(hits) == 1 else None


def join_fragment(row: Row, fragment: dict[int, Cell]) -> Row:
    """`row` with the texts of its rest from the next page appended to their cells."""
    return tuple(
        Cell(join_cjk(c.text, fragment[k].text), c.source) if k in fragment else c
        for k, c in enumerate(row)
    )


def realign(rows: Sequence[Row], reference: Sequence[Row], width: int) -> list[Row] | None:
    """`rows` spread over the `width` columns of `reference` rows, or None when a cell
    does not sit clearly under one column's text, or two under one (rows kept as printed)."""
    cores = _cores(reference, width)
    if cores is None:
        return None
    out = []
    for row in rows:
        placed = _place(row, cores)
        if placed is None:
            return None
        out.append(placed)
    return out


def _cores(reference: Sequence[Row], width: int) -> list[Span] | None:
    """Per column, the x-range its printed texts cover in rows of the full width."""
    cores: list[Span | None] = [None] * width
    for row in reference:
        if len(row) != width:
            continue
        for k, cell in enumerate(row):
            box = cell.source.bbox
            if box is None or not cell.text.strip():
                continue
            core = cores[k]
            cores[k] = (
                (box[0], box[2]) if core is None else (min(core[0], box[0]), max(core[1], box[2]))
            )
    if any(c is None for c in cores):
        return None
    return [c for c in cores if c is not None]


def _place(row: Row, cores: Sequence[Span]) -> Row | None:
    if len(row) >= len(cores) or len(cores) < 2:
        return row
    slots: list[Cell | None] = [None] * len(cores)
    top = min((c.source.bbox[1] for c in row if c.source.bbox), default=0.0)
    bottom = max((c.source.bbox[3] for c in row if c.source.bbox), default=0.0)
    for cell in row:
        box = cell.source.bbox
        if box is None:
            return None
        k = _column_of((box[0] + box[2]) / 2, cores)
        if k is None or slots[k] is not None:
            return None
        slots[k] = cell
    page = row[0].source.page
    backend = row[0].source.backend
    return tuple(
        cell if cell is not None else _empty(page, backend, (a, top, b, bottom))
        for cell, (a, b) in zip(slots, cores, strict=True)
    )


def _column_of(x: float, cores: Sequence[Span]) -> int | None:
    """The column whose text lies nearest x, if clearly nearer than any other."""
    distances = sorted((max(a - x, x - b, 0.0), k) for k, (a, b) in enumerate(cores))
    (best, k), (second, _) = distances[0], distances[1]
    return k if best <= CLEAR * second else None


def _empty(page: int, backend: str, bbox: BBox) -> Cell:
    return Cell("", Source(page, bbox, backend))
