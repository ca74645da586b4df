"""Columns of a table without vertical rules, from the whitespace rivers of its body.

A column's core is an x-range where the body rows print text; the rivers between
cores are the gaps no (or almost no) row prints into. A few rows that print a
cell across two columns, or split one, would bridge or add a river; so in a
table of several rows an x-range counts only where more than `OUTLIER_SHARE`
of the rows print, cores closer than a cell gap are one, and a core whose rows
never print in the cores beside it (a cell spanning its two neighbours) is not
a column. Each column owns the x-range from the middle of the river on its
left to the middle of the one on its right.

A body row whose cells each fall in one core, one cell a core, is read column by
column (a missing cell is an empty cell). Any other row is kept as printed: its
cells left to right, however many there are.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.runs import CELL_GAP, Run

Span = tuple[float, float]

OUTLIER_SHARE = 0.15
# Tables with fewer rows than this trust every row (no outliers).
MIN_ROWS_FOR_OUTLIERS = 4


@dataclass(frozen=True, slots=True)
class Columns:
    """The text extent (`cores`) and the owned x-range (`boxes`) of each column."""

    cores: tuple[Span, ...]
    boxes: tuple[Span, ...]

    def box_of(self, x: float) -> int:
        """Index of the column whose x-range holds x (the nearest one outside)."""
        for k, (_, right) in enumerate(self.boxes):
            if x < right:
                return k
        return len(self.boxes) - 1

    def core_of(self, run: Run) -> int | None:
        """The one core `run` overlaps and is centred within, else None (a cell over
        a river or over two columns)."""
        hits = [k for k, c in enumerate(self.cores) if run.bbox[0] < c[1] and c[0] < run.bbox[2]]
        if len(hits) != 1:
            return None
        left, right = self.cores[hits[0]]
        slack = 0.25 * run.size
        return hits[0] if left - slack <= run.centre <= right + slack else None


def find_columns(rows: Sequence[Sequence[Run]], left: float, right: float) -> Columns:
    """Columns from the runs of each body row (its main line and wrapped lines)."""
    few = len(rows) < MIN_ROWS_FOR_OUTLIERS
    limit = 0 if few else max(1, int(OUTLIER_SHARE * len(rows)))
    spans = [_merged(row) for row in rows]
    sizes = [r.size for row in rows for r in row]
    narrow = CELL_GAP * statistics.median(sizes) if sizes else 0.0
    cores = _joined(_cores([s for row in spans for s in row], limit), narrow)
    cores = _without_spanning(cores, spans)
    if not cores:
        return Columns((), ())
    bounds = [left, *((a[1] + b[0]) / 2 for a, b in itertools.pairwise(cores)), right]
    boxes = tuple((bounds[k], bounds[k + 1]) for k in range(len(cores)))
    return Columns(tuple(cores), boxes)


def _merged(row: Sequence[Run]) -> list[Span]:
    """The x-ranges a row prints into, overlapping runs (lines of one cell) joined."""
    spans: list[Span] = []
    for a, b in sorted((r.bbox[0], r.bbox[2]) for r in row):
        if spans and a < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return spans


def _cores(spans: Sequence[Span], limit: int) -> list[Span]:
    """Maximal x-ranges covered by more than `limit` of the spans."""
    events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    cores: list[Span] = []
    depth = 0
    start = 0.0
    for x, step in events:
        was = depth > limit
        depth += step
        if not was and depth > limit:
            start = x
        elif was and depth <= limit:
            if cores and start <= cores[-1][1]:
                cores[-1] = (cores[-1][0], x)
            else:
                cores.append((start, x))
    return cores


def _joined(cores: list[Span], narrow: float) -> list[Span]:
    """Cores parted by less than a cell gap are one column (two outliers that overlap)."""
    out: list[Span] = []
    for core in cores:
        if out and core[0] - out[-1][1] < narrow:
            out[-1] = (out[-1][0], core[1])
        else:
            out.append(core)
    return out


def _without_spanning(cores: list[Span], rows: Sequence[Sequence[Span]]) -> list[Span]:
    """Drop a core that only rows without a cell in either neighbour print into."""
    users = [_rows_in(core, rows) for core in cores]
    keep = []
    for k, core in enumerate(cores):
        if 0 < k < len(cores) - 1:
            before, after = users[k - 1], users[k + 1]
            alone = not (users[k] & (before | after))
            if alone and len(users[k]) < min(len(before), len(after)):
                continue
        keep.append(core)
    return keep


def _rows_in(core: Span, rows: Sequence[Sequence[Span]]) -> set[int]:
    return {i for i, row in enumerate(rows) if any(a < core[1] and core[0] < b for a, b in row)}


def place_row(anchor: Sequence[Run], columns: Columns) -> list[list[Run]] | None:
    """The runs of a body row's main line per column, or None when the row is irregular."""
    cells: list[list[Run]] = [[] for _ in columns.cores]
    for run in anchor:
        k = columns.core_of(run)
        if k is None or cells[k]:
            return None
        cells[k].append(run)
    return cells


def place_pieces(cells: list[list[Run]], pieces: Sequence[Run], columns: Columns) -> None:
    """Add wrapped lines to the column holding their centre (a regular row)."""
    for run in pieces:
        cells[columns.box_of(run.centre)].append(run)


def as_printed(anchor: Sequence[Run], pieces: Sequence[Run]) -> list[list[Run]]:
    """An irregular row: one cell per run of its main line, wrapped lines joined to the
    cell they overlap most. Wrapped lines that overlap no run of the main line and stand
    a cell gap clear of its runs are a cell of their own (a name printed above and below
    the main line, none of it on it); others join the nearest cell."""
    cells: list[list[Run]] = [[r] for r in anchor]
    own: list[list[Run]] = []
    for run in sorted(pieces, key=lambda r: (r.bbox[1], r.bbox[0])):
        best = min(range(len(anchor)), key=lambda k: _distance(run, anchor[k]))
        if _overlap(run, anchor[best]) or not _clear(run, anchor):
            cells[best].append(run)
        elif (cell := next((c for c in own if any(_overlap(run, o) for o in c)), None)) is not None:
            cell.append(run)
        else:
            own.append([run])
    return sorted([*cells, *own], key=lambda c: c[0].bbox[0])


def _overlap(a: Run, b: Run) -> bool:
    return a.bbox[0] < b.bbox[2] and b.bbox[0] < a.bbox[2]


def _clear(run: Run, anchor: Sequence[Run]) -> bool:
    """More than a cell gap from every run of the main line."""
    gap = CELL_GAP * run.size
    return all(run.bbox[0] - a.bbox[2] > gap or a.bbox[0] - run.bbox[2] > gap for a in anchor)


def _distance(a: Run, b: Run) -> float:
    overlap = min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0])
    return -overlap if overlap > 0 else abs(a.centre - b.centre)
