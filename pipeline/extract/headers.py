"""The header of a table without vertical rules: header cells, rows and paths.

Header cells are the runs of the header bands (runs over touching cells cut
apart first, `touching.py`), a text wrapped onto several lines joined back: a
line right under another (a gap under `WRAP_GAP` font sizes) and centred or
left-aligned with it continues it. A column's label is the lowest cell centred
in the column's x-range. In a two-level header the labels under a group cell
sit in the lower row, below the labels that span both rows (those are centred
on the whole header). The group cells over a block of adjacent lower-row
columns share it out in order, each taking the run of columns it is centred
on. A column's path is its group, if any, then its label, so a two-level merged
header reads as for ruled tables: ("办结情况", "件数").
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.extract.columns import Columns
from pipeline.extract.lines import join_cjk
from pipeline.extract.runs import Band, Run, union
from pipeline.extract.touching import split_touching
from pipeline.model import BBox, Cell, Row, Source

# A wrapped line starts at most this many font sizes below the line before.
WRAP_GAP = 0.6
# Lines of one cell have centres (or left edges) this close, in font sizes.
ALIGN = 0.5
# Labels whose centres lie this close to the lowest label's are in the lower row.
LEVEL = 0.35

Paths = tuple[tuple[str, ...], ...]


@dataclass(slots=True)
class HeaderCell:
    """One printed header cell: its lines top to bottom."""

    pieces: list[Run] = field(default_factory=list)

    @property
    def bbox(self) -> BBox:
        return union([p.bbox for p in self.pieces])

    @property
    def text(self) -> str:
        text = ""
        for p in self.pieces:
            text = join_cjk(text, p.text)
        return text

    @property
    def centre_x(self) -> float:
        box = self.bbox
        return (box[0] + box[2]) / 2

    @property
    def centre_y(self) -> float:
        box = self.bbox
        return (box[1] + box[3]) / 2


def read_header(
    bands: Sequence[Band], columns: Columns, page: int, *, backend: str, infer_spaces: bool
) -> tuple[tuple[Row, ...], Paths]:
    """Header rows (one per level) and one header path per column."""
    if not bands or not columns.boxes:
        return (), ()
    size = statistics.median_low(b.size for b in bands)
    runs = [r for b in bands for r in b.runs]
    runs = split_touching(runs, columns, size, infer_spaces=infer_spaces)
    cells = header_cells(runs, size)
    labels = _labels(cells, columns)
    groups = [c for c in cells if all(c is not lab for lab in labels if lab is not None)]
    owner = _group_of(labels, groups, columns, size)
    paths = tuple(_path(owner[k], lab) for k, lab in enumerate(labels))
    under = [lab for k, lab in enumerate(labels) if lab is not None and owner[k] is not None]
    upper = [c for c in cells if all(c is not u for u in under)]
    rows = [_row(upper, page, backend)] + ([_row(under, page, backend)] if under else [])
    return tuple(rows), paths


def header_cells(runs: Sequence[Run], size: float) -> list[HeaderCell]:
    """Runs joined into cells where a line continues the one right above it."""
    cells: list[HeaderCell] = []
    for run in sorted(runs, key=lambda r: (r.bbox[1], r.bbox[0])):
        above = [c for c in cells if _continues(c.pieces[-1], run, size)]
        if above:
            min(above, key=lambda c: run.bbox[1] - c.pieces[-1].bbox[3]).pieces.append(run)
        else:
            cells.append(HeaderCell([run]))
    return cells


def _continues(prev: Run, run: Run, size: float) -> bool:
    gap = run.bbox[1] - prev.bbox[3]
    if not -0.2 * size <= gap <= WRAP_GAP * size:
        return False
    centred = abs(run.centre - prev.centre) <= ALIGN * size
    return centred or abs(run.bbox[0] - prev.bbox[0]) <= 0.3 * size


def _labels(cells: Sequence[HeaderCell], columns: Columns) -> list[HeaderCell | None]:
    """Per column, the lowest cell centred in its x-range."""
    labels: list[HeaderCell | None] = [None] * len(columns.boxes)
    for cell in cells:
        k = columns.box_of(cell.centre_x)
        current = labels[k]
        if current is None or cell.centre_y > current.centre_y:
            labels[k] = cell
    return labels


def _group_of(
    labels: Sequence[HeaderCell | None],
    groups: Sequence[HeaderCell],
    columns: Columns,
    size: float,
) -> list[HeaderCell | None]:
    """Per column, the group cell its label sits under (None for a one-level column).

    The labels of the lower row form blocks of adjacent columns; the group cells over
    a block share it out in order, each a run of columns it is centred on.
    """
    owner: list[HeaderCell | None] = [None] * len(labels)
    present = [lab for lab in labels if lab is not None]
    if not groups or not present:
        return owner
    lowest = max(lab.centre_y for lab in present)
    low = [lab is not None and lab.centre_y >= lowest - LEVEL * size for lab in labels]
    top = min(lab.bbox[1] for lab, is_low in zip(labels, low, strict=True) if lab and is_low)
    for first, last in _blocks(low):
        left, right = columns.boxes[first][0], columns.boxes[last][1]
        over = sorted(
            (g for g in groups if left <= g.centre_x <= right and g.bbox[3] <= top + 0.2 * size),
            key=lambda g: g.centre_x,
        )
        if not over or len(over) > last - first + 1:
            continue
        spans = _share([g.centre_x for g in over], columns.boxes[first : last + 1])
        for group, (a, b) in zip(over, spans, strict=True):
            for k in range(first + a, first + b + 1):
                owner[k] = group
    return owner


def _blocks(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, last) of each run of True."""
    blocks: list[tuple[int, int]] = []
    for k, flag in enumerate(flags):
        if flag and blocks and blocks[-1][1] == k - 1:
            blocks[-1] = (blocks[-1][0], k)
        elif flag:
            blocks.append((k, k))
    return blocks


def _share(centres: Sequence[float], boxes: Sequence[tuple[float, float]]) -> list[tuple[int, int]]:
    """Adjacent runs of boxes, one per centre in order, each centred on its own as
    closely as possible (least total distance)."""
    n, g = len(boxes), len(centres)
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(g + 1)]
    cut = [[0] * (n + 1) for _ in range(g + 1)]
    best[0][0] = 0.0
    for i in range(1, g + 1):
        for j in range(i, n + 1):
            for k in range(i - 1, j):
                middle = (boxes[k][0] + boxes[j - 1][1]) / 2
                cost = best[i - 1][k] + abs(centres[i - 1] - middle)
                if cost < best[i][j]:
                    best[i][j], cut[i][j] = cost, k
    spans: list[tuple[int, int]] = []
    j = n
    for i in range(g, 0, -1):
        spans.append((cut[i][j], j - 1))
        j = cut[i][j]
    return spans[::-1]


def _path(group: HeaderCell | None, label: HeaderCell | None) -> tuple[str, ...]:
    if label is None:
        return ()
    return (group.text, label.text) if group is not None else (label.text,)


def _row(cells: Sequence[HeaderCell], page: int, backend: str) -> Row:
    ordered = sorted(cells, key=lambda c: c.bbox[0])
    return tuple(Cell(c.text, Source(page, c.bbox, backend)) for c in ordered)
