"""Rulings drawn in a page image: the lines of ruled and three-line tables in a scan.

Dark pixels are opened with a long thin kernel, horizontal then vertical, which
keeps only strokes longer than any glyph; each remaining stroke is one segment.
Segments come back in PDF points (top-left origin) as pdfplumber line objects, so
the table finder and the rule reader that work on text PDFs take them unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A ruling is at least this long, as a share of the page's width (horizontal) or height.
MIN_SHARE_H, MIN_SHARE_V = 1 / 25, 1 / 40  # 58 px on an A4 page at 200 dpi: > a 16 pt glyph
# ... and at least this many pixels thick at most (a filled block is not a ruling).
MAX_THICK_PX = 12
# Breaks in a scanned ruling up to this many pixels are bridged.
BRIDGE_PX = 5


@dataclass(frozen=True, slots=True)
class Rulings:
    """Horizontal and vertical segments as pdfplumber line dicts (points, top-left origin)."""

    horizontal: tuple[dict[str, Any], ...]
    vertical: tuple[dict[str, Any], ...]


def find_rulings(image: Any, points_per_px: float) -> Rulings:
    """The rulings of a grey page image; `points_per_px` is 72 / dpi."""
    import cv2

    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    h, w = ink.shape[:2]
    horizontal = _strokes(ink, (max(int(w * MIN_SHARE_H), 20), 1), (BRIDGE_PX, 1))
    vertical = _strokes(ink, (1, max(int(h * MIN_SHARE_V), 20)), (1, BRIDGE_PX))
    return Rulings(
        tuple(_line(b, points_per_px, vertical=False) for b in horizontal),
        tuple(_line(b, points_per_px, vertical=True) for b in vertical),
    )


def _strokes(
    ink: Any, size: tuple[int, int], bridge: tuple[int, int]
) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of the strokes at least `size` long, thin across."""
    import cv2

    long_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
    joined = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge)
    )
    opened = cv2.morphologyEx(joined, cv2.MORPH_OPEN, long_kernel)
    # Each stroke's outer contour bounds it as its connected component would: what is
    # left after opening with a long thin kernel encloses nothing. Tracing contours costs
    # a twentieth of labelling every pixel of a page (connectedComponentsWithStats).
    contours, _ = cv2.findContours(opened, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours:
        x, y, bw, bh = (int(v) for v in cv2.boundingRect(contour))
        thick = bh if size[0] > size[1] else bw
        if thick <= MAX_THICK_PX:
            boxes.append((x, y, bw, bh))
    return boxes


def _line(box: tuple[int, int, int, int], k: float, *, vertical: bool) -> dict[str, Any]:
    x, y, w, h = box
    if vertical:
        x0 = x1 = (x + w / 2) * k
        top, bottom = y * k, (y + h) * k
    else:
        top = bottom = (y + h / 2) * k
        x0, x1 = x * k, (x + w) * k
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "doctop": top,
    }
