"""Body rows of a table without vertical rules: main lines, wrapped lines and cells.

A band of the body that reads as a row (`Band.body_like`) is a row's main line
(of such bands that overlap, the one with the most cells: the others hold wrapped
numbers), and so is one with empty cells (`Band.row_like`) that stands clear of
those. The
other bands hold the wrapped lines of text cells (a long name on two or more
lines, centred on its row or starting on the main line). Wrapped lines are first
chained, per column, into the cell they belong to: lines that overlap and lie less
than `CHAIN_GAP` font sizes apart and not much further apart than the closest two
lines of the body (the leading inside a cell; rows lie further apart). A chain over
the main lines of two rows is cut at its widest gap. A chain centred on a row's main line joins that
row (a vertically centred cell); else one that continues a main line's run in its
column joins that row (a cell aligned to the top or bottom); else the nearest row.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.extract.columns import Columns, as_printed, place_pieces, place_row
from pipeline.extract.lines import join_cjk
from pipeline.extract.runs import Band, Run, union
from pipeline.extract.tables import BACKEND
from pipeline.model import BBox, Cell, Row, Source

# Lines of one wrapped cell lie at most this many font sizes apart; rows further.
CHAIN_GAP = 0.6
# A row with empty cells lies at least this many font sizes from the full rows.
APART = 0.45
# Lines of one cell are at most this many times the smallest such gap apart.
LEADING_SLACK = 1.25
# A chain whose middle is this close (font sizes) to a row's main line is centred on it;
# else one that starts or ends this close to a run of a main line continues that cell.
CENTRED = 0.5
TOUCH_GAP = 0.5


@dataclass(slots=True)
class BodyRow:
    """A row's main line and the wrapped lines of its cells."""

    main: Band
    pieces: list[Run] = field(default_factory=list)

    @property
    def runs(self) -> list[Run]:
        return [*self.main.runs, *self.pieces]


def body_rows(body: Sequence[Band]) -> list[BodyRow]:
    """The rows of a table body given as its bands, top to bottom."""
    strong = _main_lines([b for b in body if b.body_like])
    mains = [b for b in body if any(b is m for m in strong) or (b.row_like and _apart(b, strong))]
    rows = [BodyRow(b) for b in mains]
    if not rows:
        return []
    loose = [r for b in body if all(b is not m for m in mains) for r in b.runs]
    leading = _leading(loose, [r for row in rows for r in row.main.runs])
    centres = [row.main.centre for row in rows]
    for chain in (part for c in _chains(loose, leading) for part in _one_row_each(c, centres)):
        _owner(chain, rows).pieces.extend(chain)
    return rows


def _main_lines(bands: Sequence[Band]) -> list[Band]:
    """Of full rows that overlap (wrapped numbers and names above and below the middle
    line of one row), the one with the most cells."""
    groups: list[list[Band]] = []
    for band in bands:
        if groups and band.top < max(b.bottom for b in groups[-1]):
            groups[-1].append(band)
        else:
            groups.append([band])
    return [max(g, key=lambda b: len(b.runs)) for g in groups]


def _apart(band: Band, strong: Sequence[Band]) -> bool:
    """A row with empty cells stands clear of the full rows; a line of wrapped cells
    (numbers too) overlaps or nearly touches one."""
    return all(max(band.top - b.bottom, b.top - band.bottom) >= APART * band.size for b in strong)


def _leading(loose: Sequence[Run], main: Sequence[Run]) -> float:
    """The smallest gap between a wrapped line and the line above it in its column:
    the space between the lines of one cell (rows lie further apart)."""
    gaps = [
        run.bbox[1] - other.bbox[3]
        for run in loose
        for other in (*loose, *main)
        if _overlap(run, other) and other.bbox[3] <= run.bbox[1]
    ]
    return min(gaps, default=0.0)


def _chains(runs: Sequence[Run], leading: float) -> list[list[Run]]:
    chains: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.bbox[1], r.bbox[0])):
        chain = next((c for c in chains if _follows(c[-1], run, leading)), None)
        if chain is None:
            chains.append([run])
        else:
            chain.append(run)
    return chains


def _one_row_each(chain: list[Run], centres: Sequence[float]) -> list[list[Run]]:
    """A chain reaching over the main lines of two rows, cut between them: at its
    widest gap there, the one nearest halfway on a tie."""
    inside = sorted(c for c in centres if chain[0].bbox[1] < c < chain[-1].bbox[3])
    if len(inside) < 2 or len(chain) < 2:
        return [chain]
    low, high = inside[0], inside[1]
    cuts = [
        (b.bbox[1] - a.bbox[3], -abs((a.bbox[3] + b.bbox[1]) / 2 - (low + high) / 2), i + 1)
        for i, (a, b) in enumerate(itertools.pairwise(chain))
        if low <= (a.bbox[3] + b.bbox[1]) / 2 <= high
    ]
    cut = max(cuts)[2] if cuts else len(chain) // 2
    return _one_row_each(chain[:cut], centres) + _one_row_each(chain[cut:], centres)


def _follows(upper: Run, lower: Run, leading: float) -> bool:
    """`lower` is the next line of the cell `upper` is in: below it, about one leading apart."""
    gap = lower.bbox[1] - upper.bbox[3]
    size = max(upper.size, lower.size)
    limit = min(CHAIN_GAP * size, LEADING_SLACK * leading + 0.05 * size)
    return _overlap(upper, lower) and -0.5 * size <= gap <= limit


def _owner(chain: Sequence[Run], rows: Sequence[BodyRow]) -> BodyRow:
    size = max(r.size for r in chain)
    middle = (chain[0].bbox[1] + chain[-1].bbox[3]) / 2
    nearest = min(rows, key=lambda row: abs(row.main.centre - middle))
    if abs(nearest.main.centre - middle) <= CENTRED * size:
        return nearest
    touching = [
        (gap, row)
        for row in rows
        for r in row.main.runs
        if _overlap(r, chain[0])
        for gap in (chain[0].bbox[1] - r.bbox[3], r.bbox[1] - chain[-1].bbox[3])
        if -0.5 * size <= gap <= TOUCH_GAP * size
    ]
    return min(touching, key=lambda pair: pair[0])[1] if touching else nearest


def _overlap(a: Run, b: Run) -> bool:
    return a.bbox[0] < b.bbox[2] and b.bbox[0] < a.bbox[2]


def row_cells(page: int, row: BodyRow, columns: Columns) -> Row:
    """A row's cells: per column when it fits the columns, else as printed."""
    placed = place_row(row.main.runs, columns)
    if placed is None:
        return tuple(_cell(page, runs, None) for runs in as_printed(row.main.runs, row.pieces))
    place_pieces(placed, row.pieces, columns)
    top = min([row.main.top, *(r.bbox[1] for r in row.pieces)])
    bottom = max([row.main.bottom, *(r.bbox[3] for r in row.pieces)])
    return tuple(
        _cell(page, runs, (box[0], top, box[1], bottom))
        for runs, box in zip(placed, columns.boxes, strict=True)
    )


def _cell(page: int, runs: Sequence[Run], empty: BBox | None) -> Cell:
    text = ""
    for run in sorted(runs, key=lambda r: (r.bbox[1], r.bbox[0])):
        text = join_cjk(text, run.text)
    bbox = union([r.bbox for r in runs]) if runs else empty
    return Cell(text, Source(page, bbox, BACKEND))
