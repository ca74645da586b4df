"""Tables without vertical rules: three-line tables and whitespace-aligned tables.

A row of such a table prints its cells as runs of glyphs separated by wide gaps.
Rows with at least three runs, two of them numbers, form the body; the column
spans are the union of the runs' x-ranges over the body. Header rows are the
rows right above the body whose runs fall on those columns; a run that covers
several columns is a merged header cell, so header paths come out as for ruled
tables. Body cells are read per column (an empty column gives an empty cell).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.lines import Char, centre_in, chars_to_lines, join_cjk
from pipeline.extract.tables import BACKEND, PageTable, is_numeric
from pipeline.model import BBox, Cell, Row, Source

# A gap wider than this many font sizes separates two cells: wider than the
# automatic CJK/Latin spacing (about 0.2), while a drawn space glyph bridges.
CELL_GAP = 0.3
MIN_BODY_CELLS = 3
MIN_NUMERIC_CELLS = 2
MIN_BODY_ROWS = 2
MAX_HEADER_ROWS = 3
# A lone header run wider than this share of the table is a title, not a group cell.
GROUP_CELL_SHARE = 0.5
# Rows further apart than this many line heights do not belong to one table.
ROW_GAP = 3.0


@dataclass(frozen=True, slots=True)
class Run:
    """Glyphs of one row that sit together: one cell's text."""

    text: str
    bbox: BBox


@dataclass(frozen=True, slots=True)
class TextRow:
    runs: tuple[Run, ...]
    top: float
    bottom: float

    @property
    def body_like(self) -> bool:
        numeric = sum(is_numeric(r.text) for r in self.runs)
        return len(self.runs) >= MIN_BODY_CELLS and numeric >= MIN_NUMERIC_CELLS


def read_whitespace_tables(
    page_number: int, chars: Sequence[Char], taken: Sequence[BBox], *, infer_spaces: bool
) -> list[PageTable]:
    """Tables on a page outside the ruled ones (`taken`), top to bottom."""
    free = [c for c in chars if not any(centre_in(c, b) for b in taken)]
    rows = _rows(free, infer_spaces)
    tables = []
    i = 0
    while i < len(rows):
        if not rows[i].body_like:
            i += 1
            continue
        end = i
        while end + 1 < len(rows) and rows[end + 1].body_like and _close(rows[end], rows[end + 1]):
            end += 1
        if end - i + 1 >= MIN_BODY_ROWS:
            start = _header_start(rows, i)
            tables.append(_table(page_number, rows[start:i], rows[i : end + 1]))
        i = end + 1
    return tables


def _rows(chars: Sequence[Char], infer_spaces: bool) -> list[TextRow]:
    lines = chars_to_lines(chars, infer_spaces=infer_spaces)
    rows = []
    for line in lines:
        members = [c for c in chars if centre_in(c, line.bbox)]
        runs = _runs(sorted(members, key=lambda c: c["x0"]), infer_spaces)
        rows.append(TextRow(tuple(runs), line.bbox[1], line.bbox[3]))
    return rows


def _runs(chars: Sequence[Char], infer_spaces: bool) -> list[Run]:
    groups: list[list[Char]] = []
    for c in chars:
        size = max(float(c.get("size", 0.0)), 1.0)
        if groups and c["x0"] - groups[-1][-1]["x1"] <= CELL_GAP * size:
            groups[-1].append(c)
        else:
            groups.append([c])
    runs = []
    for g in groups:
        g = [c for c in g if not c["text"].isspace()]
        if not g:
            continue
        text = "".join(ln.text for ln in chars_to_lines(g, infer_spaces=infer_spaces))
        bbox = (g[0]["x0"], min(c["top"] for c in g), g[-1]["x1"], max(c["bottom"] for c in g))
        runs.append(Run(text, bbox))
    return runs


def _close(upper: TextRow, lower: TextRow) -> bool:
    height = max(upper.bottom - upper.top, 1.0)
    return lower.top - upper.bottom <= ROW_GAP * height


def _header_start(rows: Sequence[TextRow], body: int) -> int:
    """Rows right above the body that read as header cells, not as a title."""
    left = min(r.bbox[0] for r in rows[body].runs)
    right = max(r.bbox[2] for r in rows[body].runs)
    start = body
    while (
        start > 0
        and body - start < MAX_HEADER_ROWS
        and _close(rows[start - 1], rows[start])
        and _header_like(rows[start - 1], right - left)
    ):
        start -= 1
    return start


def _header_like(row: TextRow, width: float) -> bool:
    """Several cells, or one group cell narrower than a title would be."""
    if len(row.runs) >= 2:
        return True
    run = row.runs[0]
    return run.bbox[2] - run.bbox[0] <= GROUP_CELL_SHARE * width and not run.text.endswith("表")


def _spans(body: Sequence[TextRow]) -> list[tuple[float, float]]:
    """Column x-ranges: the union of overlapping runs over the body rows."""
    spans: list[list[float]] = []
    for run in sorted((r for row in body for r in row.runs), key=lambda r: r.bbox[0]):
        if spans and run.bbox[0] <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], run.bbox[2])
        else:
            spans.append([run.bbox[0], run.bbox[2]])
    return [(a, b) for a, b in spans]


def _overlaps(run: Run, span: tuple[float, float]) -> bool:
    return run.bbox[0] < span[1] and span[0] < run.bbox[2]


def _table(page: int, header: Sequence[TextRow], body: Sequence[TextRow]) -> PageTable:
    spans = _spans(body)
    columns = tuple(
        tuple(r.text for row in header for r in row.runs if _overlaps(r, span)) for span in spans
    )
    rows = tuple(_body_row(page, row, spans) for row in body)
    top = (header or body)[0].top
    bbox = (spans[0][0], top, spans[-1][1], body[-1].bottom)
    return PageTable(
        page=page,
        bbox=bbox,
        header_rows=tuple(_header_row(page, row) for row in header),
        columns=columns if header else (),
        body_rows=rows,
    )


def _header_row(page: int, row: TextRow) -> Row:
    return tuple(Cell(r.text, Source(page, r.bbox, BACKEND)) for r in row.runs)


def _body_row(page: int, row: TextRow, spans: Sequence[tuple[float, float]]) -> Row:
    cells = []
    for span in spans:
        runs = [r for r in row.runs if _overlaps(r, span)]
        text = ""
        for r in runs:
            text = join_cjk(text, r.text)
        bbox = (span[0], row.top, span[1], row.bottom) if not runs else _union(runs)
        cells.append(Cell(text, Source(page, bbox, BACKEND)))
    return tuple(cells)


def _union(runs: Sequence[Run]) -> BBox:
    return (
        min(r.bbox[0] for r in runs),
        min(r.bbox[1] for r in runs),
        max(r.bbox[2] for r in runs),
        max(r.bbox[3] for r in runs),
    )
