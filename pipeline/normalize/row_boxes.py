"""Where a short row's cells sit, from their boxes.

A row one cell shorter than the header either leaves a cell blank (the extraction
returns no empty cell) or prints one value centred across two columns: an office
that has two equal counts side by side may merge their cells. The boxes tell
which: a merged cell's box (a ruled cell's box, or the text's own box when the
table is not ruled) is centred between two columns' centres, where no cell of a
regular row sits; otherwise each cell sits nearest its own column and the column
no cell sits in is the blank one. Column centres come from the rows that fit the
header; coordinates are PDF points (x grows to the right). Formats without boxes
(HTML, DOCX, text) give no answer here.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from statistics import median

from pipeline.model import Value

MIN_ROWS = 2  # regular rows with a box in a column before its centre is trusted
# A merged cell's centre lies in the middle half between the two columns' centres.
MIDDLE = 0.25


def _centre(v: Value | None) -> float | None:
    box = v.cell.source.bbox if v is not None else None
    return (box[0] + box[2]) / 2 if box is not None else None


def column_centres(regular: Sequence[Sequence[Value | None]], n: int) -> list[float] | None:
    """The median horizontal centre of each column's cells; None when a column has too few."""
    centres = []
    for c in range(n):
        xs = [x for row in regular if (x := _centre(row[c])) is not None]
        if len(xs) < MIN_ROWS:
            return None
        centres.append(median(xs))
    return centres if all(a < b for a, b in pairwise(centres)) else None


def merged_position(row: Sequence[Value | None], centres: Sequence[float]) -> int | None:
    """The index k of the cell of `row` (one cell short) that spans columns k and k+1.

    The cells before it must sit nearest their own columns and those after it
    nearest the column after theirs, so a row printed out of line gives None.
    """
    xs = [_centre(v) for v in row]
    if len(row) != len(centres) - 1 or any(x is None for x in xs):
        return None
    for k, x in enumerate(xs):
        assert x is not None
        a, b = centres[k], centres[k + 1]
        if not a + MIDDLE * (b - a) < x < b - MIDDLE * (b - a):
            continue
        columns = [*range(k), *range(k + 2, len(centres))]
        others = [y for j, y in enumerate(xs) if j != k]
        if all(_nearest(y, centres) == c for y, c in zip(others, columns, strict=True)):
            return k
    return None


def blank_position(row: Sequence[Value | None], centres: Sequence[float]) -> int | None:
    """The column no cell of `row` (one cell short) sits in, when each cell sits nearest a
    column of its own, left to right; None otherwise."""
    xs = [_centre(v) for v in row]
    if len(row) != len(centres) - 1 or any(x is None for x in xs):
        return None
    columns = [_nearest(x, centres) for x in xs]
    if any(a >= b for a, b in pairwise(columns)):
        return None
    return next(c for c in range(len(centres)) if c not in columns)


def _nearest(x: float | None, centres: Sequence[float]) -> int:
    assert x is not None
    return min(range(len(centres)), key=lambda c: abs(centres[c] - x))
