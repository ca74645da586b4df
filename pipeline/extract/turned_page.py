"""A pdfplumber page seen in its reading frame (see `turn`): every object turned.

Kept apart from `turn` because it subclasses pdfplumber's `DerivedPage`, so
importing it imports pdfplumber; `pdf` imports it only when it opens a PDF.
"""

from __future__ import annotations

from typing import Any

from pdfplumber.page import DerivedPage

from pipeline.extract.turn import Turn, display_to_reading, glyph_quarters, text_quarters


def upright_page(page: Any) -> tuple[Any, Turn]:
    """The page in the frame where most of its glyphs stand upright, and that frame's turn.

    A page whose text already stands upright comes back as it is, with a turn of 0.
    """
    turn = Turn(text_quarters(page.chars), turn_of(page).display)
    if turn.quarters == 0:
        return page, turn
    return TurnedPage(page, turn), turn


def turn_of(page: Any) -> Turn:
    """The turn a page given to a table backend is read with (0 for a page as displayed)."""
    if isinstance(page, TurnedPage):
        return page.turn
    box = tuple(float(v) for v in page.bbox)
    return Turn(0, (box[0], box[1], box[2], box[3]))


class TurnedPage(DerivedPage):
    """The objects of a page with coordinates in a reading frame.

    Tables, rules and lines are then found by the same code as on an upright page;
    `bbox` is (0, 0, width, height) of the reading frame.
    """

    def __init__(self, parent_page: Any, turn: Turn) -> None:
        super().__init__(parent_page)
        self.turn = turn
        width, height = turn.size
        self.bbox = (0.0, 0.0, width, height)

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        if not hasattr(self, "_objects"):
            parent = self.parent_page.objects
            self._objects = {k: [self._turned(o) for o in v] for k, v in parent.items()}
        return self._objects

    def _turned(self, obj: dict[str, Any]) -> dict[str, Any]:
        if not all(k in obj for k in ("x0", "x1", "top", "bottom")):
            return obj
        a = display_to_reading((obj["x0"], obj["top"]), self.turn)
        b = display_to_reading((obj["x1"], obj["bottom"]), self.turn)
        x0, x1 = sorted((a[0], b[0]))
        top, bottom = sorted((a[1], b[1]))
        height = self.bbox[3]
        turned = {
            **obj,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "y0": height - bottom,
            "y1": height - top,
            "width": x1 - x0,
            "height": bottom - top,
            "doctop": self.initial_doctop + top,
        }
        if "pts" in obj:
            turned["pts"] = [display_to_reading((p[0], p[1]), self.turn) for p in obj["pts"]]
        if "matrix" in obj:
            turned["upright"] = glyph_quarters(obj["matrix"]) == self.turn.quarters
        if "size" in obj and self.turn.quarters % 2:
            turned["size"] = _size_across(obj)
        return turned


def _size_across(char: dict[str, Any]) -> float:
    """A glyph's font size once turned a quarter: pdfminer takes it from the box's extent
    across the writing direction (its height for horizontal fonts), and a quarter turn
    swaps width and height."""
    size, width, height = float(char["size"]), float(char["width"]), float(char["height"])
    if abs(size - height) <= 1e-6 * max(size, 1.0):
        return width
    if abs(size - width) <= 1e-6 * max(size, 1.0):
        return height
    return size
