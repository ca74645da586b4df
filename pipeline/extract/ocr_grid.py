"""The text lines of a ruled table's cells, found from its grid instead of by detection.

The rulings found in a scan (`raster_rules`) give pdfplumber the table's cells; each
cell is looked at in the full-resolution page, and its ink split into lines where a
band of white rows runs across it (a header cell of two lines), and a line into runs
where a gap wider than the line is high runs down it. Each run becomes a crop the
recognizer reads as one line, so detection need not search the table (about a quarter
of the inked area of the 200 dpi scans, and the part with the most boxes).

A crop is shaped as DB's detection boxes are around the same ink, since how a line
reads depends on the white around it: on the table cells of the scans a box is its
ink widened by about 0.55 of the ink's height on every side (docs/ocr.md). Only the
cell's own ink is kept in the crop (the rest is white), so a neighbour's text or a
ruling never reaches it.

A cell whose only ink is one short horizontal stroke holds a dash, an empty value
(`is_dash`): its line carries the text `—` and is not given to the recognizer, which
reads a faint dash as 一 or 二 (gen-0008-200's 附件2 row 10, confidence 0.6), characters
that number parsing takes for 1 and 2. A lone 一 in a cell is taken for a dash too: a
table's cell does not print the numeral alone.

Cell boxes are in PDF points of the straightened page (top-left origin); the image is
that page at `1 / points_per_px` pixels a point, and crops and line boxes are in its
pixels.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

# Grey levels under this are ink (as ocr_gaps and the detector's page cut take it).
INK_LEVEL = 160
# Pixels shaved off each side of a cell: the rulings, a pixel or two thick and a pixel
# or two off after a deskew, are not the cell's ink.
INSET_PX = 3
# A row (column) near the cell's side dark over this share of the cell's width (height)
# is what is left of a ruling, not ink.
RULING_SHARE = 0.6
EDGE_PX, FRINGE_PX = 6, 2
# Lines of a cell are apart where at least this many white rows run across it; in a
# line, runs are apart where a white gap wider than LINE_GAP line heights runs down it.
ROW_GAP_PX, LINE_GAP = 6, 1.5
# Less ink than this (pixels) is a speck, not a line: a 10.5-point dash has about 50.
MIN_INK_PX = 12
# Room around a run's ink in its crop, in the ink's height (DB's boxes on the scans),
# taken as at least MIN_LINE_PX (a dash is two pixels high, a digit about 19).
PAD, MIN_LINE_PX = 0.55, 16
# A dash: a run at most DASH_THICK of its cell's height thick (the scans' dashes are 2 px
# of 43; a digit is 17 or more), at least DASH_LONG times as long as it is thick, its box
# at least DASH_FILL inked (a faint dash after JPEG: 0.54 to 0.98) and its middle within
# the middle half of the cell (where text sits; a ruling's remnant hugs a side).
DASH, DASH_THICK, DASH_LONG, DASH_FILL = "—", 0.15, 4, 0.5


@dataclass(frozen=True, slots=True)
class GridLine:
    """One line of a cell: its crop (grey, white around the ink) and the crop's box in
    pixels of the page (x0, top, x1, bottom; it may reach past the cell's rulings)."""

    crop: Any
    bbox: tuple[float, float, float, float]
    # The line's text when the ink's shape says it (a dash, `is_dash`): not to be read.
    text: str | None = None


def table_cells(tables: Sequence[Any]) -> list[tuple[float, float, float, float]]:
    """The cell boxes (points) of pdfplumber tables."""
    return [tuple(cell) for t in tables for cell in t.cells]


def grid_lines(
    image: Any, points_per_px: float, cells: Sequence[tuple[float, float, float, float]]
) -> list[GridLine]:
    """The lines of text in `cells` (points), as crops of `image` ready to be read."""
    lines = []
    for cell in cells:
        box = [round(v / points_per_px) for v in cell]
        x0, top = box[0] + INSET_PX, box[1] + INSET_PX
        x1, bottom = box[2] - INSET_PX, box[3] - INSET_PX
        if x1 - x0 < 2 or bottom - top < 2:
            continue
        region = _without_rulings(image[top:bottom, x0:x1])
        dark = region < INK_LEVEL
        runs = list(_runs(dark))
        for run, rows in runs:
            line = _crop(region, (x0, top), run, rows)
            if len(runs) == 1 and is_dash(dark, run):
                line = GridLine(line.crop, line.bbox, DASH)
            lines.append(line)
    return lines


def is_dash(dark: Any, run: tuple[int, int, int, int]) -> bool:
    """Whether the ink of `run` (top, bottom, left, right in the cell's mask `dark`) is a
    dash: one thin, solid horizontal stroke across the middle of the cell."""
    top, bottom, left, right = run
    thick, long = bottom - top, right - left
    middle = (top + bottom) / 2
    height = dark.shape[0]
    return (
        thick <= DASH_THICK * height
        and long >= DASH_LONG * thick
        and float(dark[top:bottom, left:right].mean()) >= DASH_FILL
        and height / 4 <= middle <= 3 * height / 4
    )


def _without_rulings(region: Any) -> Any:
    """The cell's pixels with the rows and columns near its sides that a ruling darkens
    across made white, and FRINGE_PX more on either side of each: a photocopied ruling's
    edge is dark over only part of the cell (15 of 35 rows on seed-150 p.4), and left
    there it reads as a `1`."""
    dark = region < INK_LEVEL
    h, w = dark.shape
    rows = _edge_lines(dark.sum(axis=1) > RULING_SHARE * w)
    cols = _edge_lines(dark.sum(axis=0) > RULING_SHARE * h)
    if not rows.any() and not cols.any():
        return region
    region = region.copy()
    region[rows, :] = 255
    region[:, cols] = 255
    return region


def _edge_lines(lines: Any) -> Any:
    """The marked lines within EDGE_PX of either side, each widened by FRINGE_PX."""
    import numpy as np

    lines[EDGE_PX:-EDGE_PX] = False
    marked = np.flatnonzero(lines)
    for i in marked:
        lines[max(0, i - FRINGE_PX) : i + FRINGE_PX + 1] = True
    return lines


def _runs(dark: Any) -> Iterator[tuple[tuple[int, int, int, int], tuple[int, int]]]:
    """Each run of ink in the mask, line by line: its box (top, bottom, left, right) and
    the rows its crop may take (halfway to the lines above and below)."""
    import numpy as np

    bands = _spans(np.flatnonzero(dark.any(axis=1)), ROW_GAP_PX)
    for i, (y0, y1) in enumerate(bands):
        rows = (
            (bands[i - 1][1] + y0) // 2 if i else 0,
            (y1 + bands[i + 1][0]) // 2 if i + 1 < len(bands) else dark.shape[0],
        )
        band = dark[y0:y1]
        gap = max(1, round(LINE_GAP * (y1 - y0)))
        for c0, c1 in _spans(np.flatnonzero(band.any(axis=0)), gap):
            part = band[:, c0:c1]
            if int(part.sum()) < MIN_INK_PX:
                continue
            ys = np.flatnonzero(part.any(axis=1))
            yield (y0 + int(ys[0]), y0 + int(ys[-1]) + 1, c0, c1), rows


def _spans(indices: Any, gap: int) -> list[tuple[int, int]]:
    """Runs of sorted indices, apart where at least `gap` indices are missing: (start, end)."""
    if not len(indices):
        return []
    spans = []
    start = prev = int(indices[0])
    for i in indices[1:]:
        if int(i) - prev > gap:
            spans.append((start, prev + 1))
            start = int(i)
        prev = int(i)
    spans.append((start, prev + 1))
    return spans


def _crop(
    region: Any, origin: tuple[int, int], run: tuple[int, int, int, int], rows: tuple[int, int]
) -> GridLine:
    """The run widened by PAD of its height (at least MIN_LINE_PX high), cut from its
    cell's pixels (`region`, whose top-left pixel is `origin` on the page) within `rows`;
    what lies outside the cell or those rows is white."""
    import numpy as np

    y0, y1, c0, c1 = run
    pad = round(PAD * max(y1 - y0, MIN_LINE_PX))
    crop = np.full((y1 - y0 + 2 * pad, c1 - c0 + 2 * pad), 255, dtype=region.dtype)
    top, bottom = max(rows[0], y0 - pad), min(rows[1], y1 + pad)
    left, right = max(0, c0 - pad), min(region.shape[1], c1 + pad)
    crop[top - y0 + pad : bottom - y0 + pad, left - c0 + pad : right - c0 + pad] = region[
        top:bottom, left:right
    ]
    ox, oy = origin
    bbox = (
        float(ox + c0 - pad),
        float(oy + y0 - pad),
        float(ox + c1 + pad),
        float(oy + y1 + pad),
    )
    return GridLine(crop, bbox)
