"""Table cells of a scanned page that hold ink but no text detection found.

Detection runs at 100 dpi (`ocr.DET_DPI`), where a lone serif "1" of a 10.5-point table
is a grey stroke two or three pixels wide: DB can miss it, and the rank column of a
table then starts with an empty cell. The table reader already says where that cell
is (a ruled cell, or a column's span on a row's band), so an empty body cell is looked
at in the full-resolution page: when it holds ink (more than a speck, and not cut by
the cell's edge, which would make it a neighbour's), the inked part is read by the
engine as one line, and the page's tables are built again with those characters.
A cell with no ink stays empty, as printed; one whose ink is a lone dash (`is_dash`) is
a dash, not read (the recognizer reads a faint one as 一 or 二).

Cell boxes are in PDF points of the straightened page (top-left origin), as are the
characters; the image is that page at `1 / points_per_px` pixels a point.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.extract.ocr import MIN_CONFIDENCE, OcrBox, OcrEngine
from pipeline.extract.ocr_grid import DASH, is_dash
from pipeline.extract.tables import PageTable

# Pixels shaved off each side of a cell before looking for ink: the rulings, a pixel or
# two off after a deskew, must not count as ink (3 px at 200 dpi is about 1 point).
INSET_PX = 4
# A cell holds ink when more pixels than MIN_INK_PX are darker than INK_LEVEL and they
# span at least MIN_INK_ROWS rows (3 points at 200 dpi): toner specks are a pixel or two,
# a thin serif "1" of 10.5-point text, grey after JPEG, is about 30 pixels over 15 rows.
MIN_INK_PX, MIN_INK_ROWS = 10, 8
INK_LEVEL = 160
# The inked part is read with this much white around it (pixels), as a detection box has.
PAD_PX = 6


def missed_cells(
    image: Any, points_per_px: float, tables: Sequence[PageTable], engine: OcrEngine
) -> list[OcrBox]:
    """Boxes (pixels of `image`) read from the empty body cells of `tables` that hold
    ink; readings under MIN_CONFIDENCE are dropped."""
    boxes = []
    for table in tables:
        for cell in (c for row in table.body_rows for c in row if not c.text.strip()):
            if cell.source.bbox is None:
                continue
            box = _read_cell(image, [v / points_per_px for v in cell.source.bbox], engine)
            if box is not None and box.confidence >= MIN_CONFIDENCE:
                boxes.append(box)
    return boxes


def _read_cell(image: Any, cell: Sequence[float], engine: OcrEngine) -> OcrBox | None:
    """The engine's reading of the inked part of `cell` (x0, top, x1, bottom in pixels),
    with its box in pixels of `image`; None when the cell holds no ink."""
    import numpy as np

    x0, top = int(cell[0]) + INSET_PX, int(cell[1]) + INSET_PX
    x1, bottom = int(cell[2]) - INSET_PX, int(cell[3]) - INSET_PX
    if x1 <= x0 or bottom <= top:
        return None
    dark = image[top:bottom, x0:x1] < INK_LEVEL
    if int(dark.sum()) <= MIN_INK_PX:
        return None
    rows, cols = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    if cols[0] == 0 or cols[-1] == x1 - x0 - 1:
        return None  # ink running over the cell's side: a neighbour's
    dash = is_dash(dark, (int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1))
    if not dash and rows[-1] - rows[0] + 1 < MIN_INK_ROWS:
        return None  # a speck
    ink = (
        x0 + int(cols[0]) - PAD_PX,
        top + int(rows[0]) - PAD_PX,
        x0 + int(cols[-1]) + 1 + PAD_PX,
        top + int(rows[-1]) + 1 + PAD_PX,
    )
    h, w = image.shape[:2]
    ink = (max(0, ink[0]), max(0, ink[1]), min(w, ink[2]), min(h, ink[3]))
    bbox = (float(ink[0]), float(ink[1]), float(ink[2]), float(ink[3]))
    if dash:
        return OcrBox(DASH, bbox, 1.0)
    read = engine.read_line(image[ink[1] : ink[3], ink[0] : ink[2]])
    if read is None or not read.text.strip():
        return None
    return OcrBox(read.text.strip(), bbox, read.confidence)
