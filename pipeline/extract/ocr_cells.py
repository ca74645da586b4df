"""Lines and cells of a text page whose glyphs lack a Unicode mapping, read again by OCR.

A page with only a few unmapped glyphs keeps its text layer (`text_layer`); each
line or table cell holding one is rendered alone and read by the OCR engine as one
line of text. The reading replaces the text-layer text only when it agrees with it
on every mapped character and reads a Han character for each unmapped glyph, and
only when each such glyph is drawn a full em wide, as a Han character is.

The last condition is there because a glyph can be unmapped for two reasons. A font
embedded without a /ToUnicode entry for it still draws the character, and OCR reads
it back. A font that lacks the character altogether draws its empty box (.notdef,
usually half an em wide), which OCR reads as "·" or "0": no reading gives back the
character that was meant, so the cell keeps U+FFFD and the page its warning.

Boxes are PDF points with a top-left origin, on the page as displayed (only upright
pages are read this way).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from pipeline.extract.lines import Char, TextLine, centre_in
from pipeline.extract.ocr import OcrEngine
from pipeline.extract.tables import PageTable
from pipeline.extract.text_layer import UNMAPPED_GLYPH, has_unmapped
from pipeline.model import BBox, Cell

UNMAPPED_MARK = "\ufffd"
# An unmapped glyph at least this share of its font size wide is drawn like a Han
# character (one em); .notdef boxes are about half an em.
HAN_WIDTH = 0.8
# A reading less sure than this is not taken: Tesseract, whose chi_sim lacks 塅, reads it
# as 起 with confidence 0.52-0.57; rapidocr reads it right with 0.98 or more.
MIN_CONFIDENCE = 0.8
# Margin (in ems of the text) around the glyphs of a line or cell when it is cut out:
# room for the recognizer, but not the rulings of a cell's border.
MARGIN_EM = 0.3


@dataclass(frozen=True, slots=True)
class OcrRegion:
    """A line or cell whose text was completed by OCR: where, which engine, how sure."""

    bbox: BBox
    backend: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Completed:
    """A text page's lines and tables after OCR filled their unmapped glyphs."""

    lines: tuple[TextLine, ...]
    tables: tuple[PageTable, ...]
    regions: tuple[OcrRegion, ...]


def complete_unmapped(
    image: Any,
    points_per_px: float,
    chars: Sequence[Char],
    lines: Sequence[TextLine],
    tables: Sequence[PageTable],
    engine: OcrEngine,
    backend: str,
) -> Completed:
    """Lines and cells with unmapped glyphs, each read alone from the page `image`."""
    reader = _RegionReader(image, points_per_px, chars, engine, backend)
    new_lines = tuple(
        replace(ln, text=text) if (text := reader.read(ln.text, ln.bbox)) else ln for ln in lines
    )
    new_tables = tuple(_complete_table(t, reader) for t in tables)
    return Completed(new_lines, new_tables, tuple(reader.regions))


def _complete_table(table: PageTable, reader: _RegionReader) -> PageTable:
    def cell(c: Cell) -> Cell:
        bbox = c.source.bbox
        text = reader.read(c.text, bbox) if bbox is not None else None
        return replace(c, text=text) if text else c

    header = tuple(tuple(cell(c) for c in row) for row in table.header_rows)
    renamed = {
        old.text: new.text
        for old_row, new_row in zip(table.header_rows, header, strict=True)
        for old, new in zip(old_row, new_row, strict=True)
        if old.text != new.text
    }
    return replace(
        table,
        header_rows=header,
        columns=tuple(tuple(renamed.get(p, p) for p in path) for path in table.columns),
        body_rows=tuple(tuple(cell(c) for c in row) for row in table.body_rows),
    )


class _RegionReader:
    """Reads the regions of one page image; remembers those whose reading was taken."""

    def __init__(
        self,
        image: Any,
        points_per_px: float,
        chars: Sequence[Char],
        engine: OcrEngine,
        backend: str,
    ) -> None:
        self.image = image
        self.k = points_per_px
        self.chars = chars
        self.engine = engine
        self.backend = backend
        self.regions: list[OcrRegion] = []

    def read(self, text: str, bbox: BBox) -> str | None:
        """The text of the region `bbox` with its unmapped glyphs filled, or None."""
        if not has_unmapped(text):
            return None
        glyphs = [c for c in self.chars if centre_in(c, bbox)]
        unmapped = [c for c in glyphs if has_unmapped(c["text"])]
        if not glyphs or not all(_drawn_em_wide(c) for c in unmapped):
            return None
        box = self.engine.read_line(self._crop(glyphs))
        if box is None or box.confidence < MIN_CONFIDENCE:
            return None
        filled = fill_unmapped(text, box.text)
        if filled is None:
            return None
        self.regions.append(OcrRegion(bbox, self.backend, round(box.confidence, 3)))
        return filled

    def _crop(self, glyphs: Sequence[Char]) -> Any:
        em = max(float(c["size"]) for c in glyphs)
        x0 = (min(float(c["x0"]) for c in glyphs) - MARGIN_EM * em) / self.k
        top = (min(float(c["top"]) for c in glyphs) - MARGIN_EM * em) / self.k
        x1 = (max(float(c["x1"]) for c in glyphs) + MARGIN_EM * em) / self.k
        bottom = (max(float(c["bottom"]) for c in glyphs) + MARGIN_EM * em) / self.k
        h, w = self.image.shape[:2]
        return self.image[
            max(0, int(top)) : min(h, int(bottom) + 1), max(0, int(x0)) : min(w, int(x1) + 1)
        ]


def _drawn_em_wide(c: Char) -> bool:
    size = float(c.get("size") or 0)
    return size > 0 and float(c["x1"]) - float(c["x0"]) >= HAN_WIDTH * size


def fill_unmapped(text: str, read: str) -> str | None:
    """`text` with each unmapped glyph replaced by the Han character OCR `read` there.

    None unless `read` (spaces aside) has one character per glyph of `text`, equal to
    it (after NFKC) wherever the glyph is mapped, and a Han character wherever it is not.
    """
    pattern = UNMAPPED_GLYPH.sub(UNMAPPED_MARK, text)
    shown = [ch for ch in pattern if not ch.isspace()]
    seen = [ch for ch in read if not ch.isspace()]
    if len(shown) != len(seen):
        return None
    fills = []
    for want, got in zip(shown, seen, strict=True):
        if want == UNMAPPED_MARK:
            if not _is_han(got):
                return None
            fills.append(got)
        elif unicodedata.normalize("NFKC", want) != unicodedata.normalize("NFKC", got):
            return None
    it = iter(fills)
    return "".join(next(it) if ch == UNMAPPED_MARK else ch for ch in pattern)


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")
