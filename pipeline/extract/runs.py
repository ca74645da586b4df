"""Characters to bands and runs: the units a table without vertical rules is read from.

A band is one printed line: the glyphs whose vertical centres lie within a
fraction of the font size of each other, so the vertically centred cells of two
header rows that merely overlap stay apart. A run is a stretch of a band with no
gap wider than `CELL_GAP` font sizes: one cell's text on that line.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.extract.lines import Char, row_text
from pipeline.extract.tables import is_numeric
from pipeline.model import BBox

# A gap wider than this many font sizes separates two cells: wider than the
# automatic CJK/Latin spacing (about 0.2), while a drawn space glyph bridges.
CELL_GAP = 0.3
# Glyphs whose centres are closer than this many font sizes share a band.
BAND_TOLERANCE = 0.3
MIN_BODY_CELLS = 3
# Punctuation that ends or divides a sentence; table cells do not print it.
SENTENCE = re.compile("[，。；]")
MIN_NUMERIC_CELLS = 2


@dataclass(frozen=True, slots=True)
class Run:
    """Glyphs of one band that sit together: one cell's text on one line."""

    text: str
    bbox: BBox
    size: float
    glyphs: tuple[Char, ...] = field(default=(), compare=False, repr=False)

    @property
    def centre(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def numeric(self) -> bool:
        return is_numeric(self.text)


@dataclass(frozen=True, slots=True)
class Band:
    """One printed line, as the runs it holds from left to right."""

    runs: tuple[Run, ...]
    top: float
    bottom: float
    size: float

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def left(self) -> float:
        return self.runs[0].bbox[0]

    @property
    def right(self) -> float:
        return max(r.bbox[2] for r in self.runs)

    @property
    def body_like(self) -> bool:
        """Several cells, at least two of them numbers, and no sentence punctuation:
        a table body row, not a justified line of prose with numbers in it."""
        numeric = sum(r.numeric for r in self.runs)
        if len(self.runs) < MIN_BODY_CELLS or numeric < MIN_NUMERIC_CELLS:
            return False
        return not any(SENTENCE.search(r.text) for r in self.runs)

    @property
    def row_like(self) -> bool:
        """A body row with empty cells: a number and another cell, or three cells."""
        return len(self.runs) >= MIN_BODY_CELLS or (
            len(self.runs) >= 2 and any(r.numeric for r in self.runs)
        )


def page_bands(chars: Sequence[Char], *, infer_spaces: bool) -> list[Band]:
    """The bands of a page's characters, top to bottom."""
    groups: list[list[Char]] = []
    anchor = 0.0
    for y, c in sorted(((_centre_y(c), c) for c in chars), key=lambda pair: pair[0]):
        if groups and y - anchor <= BAND_TOLERANCE * max(float(c.get("size", 0.0)), 1.0):
            groups[-1].append(c)
        else:
            groups.append([c])
            anchor = y
    bands = [_band(sorted(g, key=lambda c: c["x0"]), infer_spaces) for g in groups]
    return [b for b in bands if b is not None]


def _centre_y(c: Char) -> float:
    return float(c["top"] + c["bottom"]) / 2


def _band(chars: Sequence[Char], infer_spaces: bool) -> Band | None:
    runs = split_runs(chars, infer_spaces)
    if not runs:
        return None
    top = min(r.bbox[1] for r in runs)
    bottom = max(r.bbox[3] for r in runs)
    # The common size: one glyph from a fallback font may be printed larger.
    return Band(tuple(runs), top, bottom, statistics.median_low(r.size for r in runs))


def split_runs(chars: Sequence[Char], infer_spaces: bool) -> list[Run]:
    """Runs of characters sorted left to right, split at gaps wider than a cell gap."""
    groups: list[list[Char]] = []
    for c in chars:
        size = float(c.get("size", 0.0))
        if size < 1.0:  # max(size, 1.0), as max() compares
            size = 1.0
        if groups and c["x0"] - groups[-1][-1]["x1"] <= CELL_GAP * size:
            groups[-1].append(c)
        else:
            groups.append([c])
    runs = []
    for g in groups:
        run = make_run(g, infer_spaces)
        if run is not None:
            runs.append(run)
    return runs


def make_run(chars: Sequence[Char], infer_spaces: bool) -> Run | None:
    """One run of characters given left to right (None when all are blank)."""
    glyphs = tuple(c for c in chars if not c["text"].isspace())
    if not glyphs:
        return None
    top, right, bottom, size = glyphs[0]["top"], glyphs[0]["x1"], glyphs[0]["bottom"], 0.0
    # min() and max() written out (a call each per glyph): each keeps the value it has
    # unless the new one is smaller (larger), as they do
    for c in glyphs:
        if c["top"] < top:
            top = c["top"]
        if c["bottom"] > bottom:
            bottom = c["bottom"]
        if c["x1"] > right:
            right = c["x1"]
        glyph_size = c.get("size", 0.0)
        if glyph_size > size:
            size = glyph_size
    bbox = (float(glyphs[0]["x0"]), float(top), float(right), float(bottom))
    return Run(row_text(glyphs, infer_spaces=infer_spaces), bbox, float(size), glyphs)


def union(boxes: Sequence[BBox]) -> BBox:
    """The smallest box holding all of `boxes` (at least one)."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
