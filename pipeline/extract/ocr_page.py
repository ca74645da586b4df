"""OCR boxes to the characters, lines and tables the text-layer path builds.

A page that needs OCR is rendered (`raster`), straightened, read by the engine
and its boxes cut into characters: each box's width is shared among its
characters by their print width (a Han character or full-width sign one em, a
digit or Latin letter about half). From there the page goes through the same
code as a text PDF: ruled tables through pdfplumber's table finder given the
rulings found in the image (`raster_rules`), tables without vertical rules
through the whitespace reader, lines through `chars_to_lines`. Boxes are those of
the straightened image, in PDF points (top-left origin); after a deskew of at
most a few degrees they sit within a few points of the page as displayed.

`mark_ocr` then names the engine ("ocr-rapidocr") in the Source of every line,
cell and heading read from such a page, with the lowest confidence of its
characters.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pipeline.extract.lines import Char, TextLine, is_cjk
from pipeline.extract.ocr import OcrBox, OcrEngine, OcrUnavailable, ocr_engine
from pipeline.extract.ocr_cells import Completed, OcrRegion, complete_unmapped
from pipeline.extract.ocr_gaps import missed_cells
from pipeline.extract.ocr_grid import grid_lines, table_cells
from pipeline.extract.raster import OCR_DPI, capped_dpi, deskew, render_page
from pipeline.extract.raster_rules import Rulings, find_rulings
from pipeline.extract.rules import horizontal_rules
from pipeline.extract.tables import PageTable, to_page_table
from pipeline.extract.whitespace import read_whitespace_tables
from pipeline.limits import active
from pipeline.model import BBox, Document, Source, Span

log = logging.getLogger(__name__)

# Width of a character that is not full-width, in ems of its line's height.
HALF_WIDTH = 0.55
# A detection box is taller than the glyphs it holds: the glyphs' height, as a share of it.
GLYPH_SHARE = 0.9
# A line this many times the size of a table's rows is not table text (a title) on a
# scanned page. A text PDF's rows share one size (whitespace.BIG, 1.15); an OCR'd line's
# size follows its detection box and varies by a tenth or more between rows of one table
# (gen-0006-200 p.4: 11.0 and 13.0 points), and a bold header's more. The title and the
# 附件1 label over that table are 1.32 to 1.44 times its rows: a thin margin, and a title
# printed less than 1.3 times its table's size would be read as a header line.
OCR_BIG = 1.3
# A scanned ruling's half width and a pixel more (pixels): a ruled table read from its
# grid is left out of detection with its outer rulings.
RULING_PX = 3
# pdfplumber's table finder on scanned rulings: how far apart pieces of one ruling may lie
# and still snap and join (points; a scan's rulings are a pixel or two off and broken).
TABLE_SETTINGS = {
    "vertical_strategy": "explicit",
    "horizontal_strategy": "explicit",
    "snap_tolerance": 3,
    "join_tolerance": 6,
    "intersection_tolerance": 4,
}


@dataclass(frozen=True, slots=True)
class OcrRead:
    """What OCR made of one page: its characters and tables, the engine's backend name."""

    chars: tuple[Char, ...]
    tables: tuple[PageTable, ...]
    backend: str
    skew: float


def backend_name(engine: str) -> str:
    """The `Source.backend` of text read by `engine`: "ocr-rapidocr"."""
    return f"ocr-{engine}"


class PageOcr:
    """OCR for the pages of one PDF; the engine is made when a page first needs it.

    An engine that cannot run here is asked for once: `unavailable` then says why, in
    one line naming what to install, and `read` returns None.

    The document's OCR budget (`Limits.ocr_budget`, CPU seconds) is counted here over
    every page read: once it is spent `budget_left()` is false, and a page whose reading
    runs past it is stopped between recognition batches (`read` raises OcrStopped).
    """

    def __init__(self, path: Path, engine: str, *, dpi: int = OCR_DPI) -> None:
        self.path = path
        self.engine_name = engine
        self.dpi = dpi
        self.unavailable: str | None = None
        self.budget = active().ocr_budget
        self.spent = 0.0  # CPU seconds of OCR so far, this process's and its children's
        self._engine: OcrEngine | None = None

    def engine(self) -> OcrEngine | None:
        if self._engine is None and self.unavailable is None:
            try:
                self._engine = ocr_engine(self.engine_name)
            except OcrUnavailable as exc:
                self.unavailable = str(exc)
                log.warning("%s", exc)
        return self._engine

    def budget_left(self) -> bool:
        return not self.budget or self.spent < self.budget

    def read(self, page: Any, index: int) -> OcrRead | None:
        """The OCR of pdfplumber `page` (0-based `index` in the file), or None without an engine.

        Raises OcrStopped when the OCR budget runs out while the page is read.
        """
        engine = self.engine()
        if engine is None:
            return None
        start = _cpu_seconds()

        def over() -> bool:
            return not self.budget_left() or self.spent + _cpu_seconds() - start >= self.budget

        try:
            dpi = capped_dpi(float(page.width), float(page.height), self.dpi)
            image, skew = deskew(render_page(self.path, index, dpi))
            k = 72 / dpi
            backend = backend_name(engine.name)
            rulings = find_rulings(image, k)
            found = ruled_tables(page, rulings)
            # a ruled table's cells are read from its grid, not searched for text
            gridded = found if engine.reads_grid else []
            boxes = engine.read(
                image,
                dpi,
                over if self.budget else None,
                lines=grid_lines(image, k, table_cells(gridded)),
                skip=[_pixels(t.bbox, k) for t in gridded],
            )
            chars = boxes_to_chars(boxes, k)
            tables = page_tables(page.page_number, chars, rulings, found)
            missed = boxes_to_chars(missed_cells(image, k, tables, engine), k)
            if missed:  # cells detection left empty, read: the tables again with them
                chars += missed
                tables = page_tables(page.page_number, chars, rulings, found)
        finally:
            self.spent += _cpu_seconds() - start
        log.info("p.%d: read by %s (deskewed %.2f°)", page.page_number, backend, skew)
        return OcrRead(tuple(chars), tuple(tables), backend, skew)

    def complete(
        self,
        page: Any,
        index: int,
        chars: Sequence[Char],
        lines: Sequence[TextLine],
        tables: Sequence[PageTable],
    ) -> Completed | None:
        """The lines and tables of the upright text page `page` (0-based `index`) with the
        glyphs that have no Unicode mapping read by OCR (`ocr_cells`), or None without an
        engine. Its time counts against the OCR budget but is not stopped by it: a few
        lines and cells, not a page."""
        engine = self.engine()
        if engine is None:
            return None
        start = _cpu_seconds()
        try:
            dpi = capped_dpi(float(page.width), float(page.height), self.dpi)
            image = render_page(self.path, index, dpi)
            backend = backend_name(engine.name)
            return complete_unmapped(image, 72 / dpi, chars, lines, tables, engine, backend)
        finally:
            self.spent += _cpu_seconds() - start


def _pixels(bbox: BBox, points_per_px: float) -> tuple[float, float, float, float]:
    """A box in points as pixels, widened by RULING_PX on every side."""
    x0, top, x1, bottom = (v / points_per_px for v in bbox)
    return x0 - RULING_PX, top - RULING_PX, x1 + RULING_PX, bottom + RULING_PX


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (Tesseract runs as one)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def boxes_to_chars(boxes: Sequence[OcrBox], points_per_px: float) -> list[Char]:
    """Each box's text as characters with boxes in points, sharing the box's width."""
    chars: list[Char] = []
    for box in boxes:
        x0, top, x1, bottom = (v * points_per_px for v in box.bbox)
        height = bottom - top
        mid = (top + bottom) / 2
        glyph_top, glyph_bottom = mid - GLYPH_SHARE * height / 2, mid + GLYPH_SHARE * height / 2
        weights = [_print_width(ch) for ch in box.text]
        total = sum(weights) or 1.0
        x = x0
        for ch, w in zip(box.text, weights, strict=True):
            step = (x1 - x0) * w / total
            if not ch.isspace():
                chars.append(
                    {
                        "text": ch,
                        "x0": x,
                        "x1": x + step,
                        "top": glyph_top,
                        "bottom": glyph_bottom,
                        "doctop": glyph_top,
                        "size": GLYPH_SHARE * height,
                        "upright": True,
                        "confidence": box.confidence,
                    }
                )
            x += step
    return chars


def _print_width(ch: str) -> float:
    if ch.isspace():
        return HALF_WIDTH * 0.6
    return 1.0 if is_cjk(ch) else HALF_WIDTH


def ruled_tables(page: Any, rulings: Rulings) -> list[Any]:
    """pdfplumber's tables (more than one row) on the rulings found in the image, top to
    bottom; they depend on the rulings alone, not on the characters."""
    if len(rulings.horizontal) < 2 or len(rulings.vertical) < 2:
        return []
    settings = {
        **TABLE_SETTINGS,
        "explicit_vertical_lines": list(rulings.vertical),
        "explicit_horizontal_lines": list(rulings.horizontal),
    }
    found = sorted(page.find_tables(settings), key=lambda t: (t.bbox[1], t.bbox[0]))
    return [t for t in found if len(t.rows) > 1]


def page_tables(
    number: int, chars: Sequence[Char], rulings: Rulings, found: Sequence[Any]
) -> list[PageTable]:
    """The ruled tables `found` (`ruled_tables`), then tables without vertical rules, top
    to bottom."""
    ruled = [to_page_table(t, number, chars) for t in found]
    taken = [t.bbox for t in ruled]
    rules = horizontal_rules(SimpleNamespace(lines=rulings.horizontal, rects=()), taken)
    loose = read_whitespace_tables(number, chars, taken, rules, infer_spaces=True, big=OCR_BIG)
    return sorted([*ruled, *loose], key=lambda t: (t.bbox[1], t.bbox[0]))


def mark_ocr(
    doc: Document,
    reads: dict[int, OcrRead],
    regions: dict[int, Sequence[OcrRegion]] | None = None,
) -> Document:
    """Every Source on a page in `reads` names its engine and carries its confidence, and
    so does every Source holding one of the `regions` of a text page read by OCR."""
    if not reads and not regions:
        return doc
    mark = _marker(reads, regions or {})
    meta = doc.metadata
    return replace(
        doc,
        metadata=replace(
            meta,
            **{
                name: _span(getattr(meta, name), mark)
                for name in ("issuer", "doc_number", "title", "recipients", "signature", "date")
            },
        ),
        sections=tuple(replace(s, source=mark(s.source)) for s in doc.sections),
        lines=tuple(replace(ln, source=mark(ln.source)) for ln in doc.lines),
        attachment_notes=tuple(replace(n, source=mark(n.source)) for n in doc.attachment_notes),
        tables=tuple(
            replace(
                t,
                header_rows=tuple(tuple(_span(c, mark) for c in r) for r in t.header_rows),
                body_rows=tuple(tuple(_span(c, mark) for c in r) for r in t.body_rows),
            )
            for t in doc.tables
        ),
    )


def _marker(
    reads: dict[int, OcrRead], regions: dict[int, Sequence[OcrRegion]]
) -> Callable[[Source], Source]:
    centres = {page: _CharCentres(read.chars) for page, read in reads.items()}

    def mark(source: Source) -> Source:
        read = reads.get(source.page)
        if source.bbox is None:
            return source
        if read is None:
            return _mark_region(source, source.bbox, regions.get(source.page, ()))
        return replace(
            source, backend=read.backend, confidence=centres[source.page].lowest(source.bbox)
        )

    return mark


def _mark_region(source: Source, bbox: BBox, regions: Sequence[OcrRegion]) -> Source:
    """`source` marked as read by OCR when it holds the centre of one of `regions`."""
    held = [
        r
        for r in regions
        if bbox[0] <= (r.bbox[0] + r.bbox[2]) / 2 <= bbox[2]
        and bbox[1] <= (r.bbox[1] + r.bbox[3]) / 2 <= bbox[3]
    ]
    if not held:
        return source
    return replace(source, backend=held[0].backend, confidence=min(r.confidence for r in held))


def _span(span: Any, mark: Callable[[Source], Source]) -> Any:
    return None if span is None else replace(span, source=mark(span.source))


class _CharCentres:
    """The centres and confidences of a page's OCR characters, as arrays: a table page
    has hundreds of cells and thousands of characters, too many to test one by one."""

    def __init__(self, chars: Sequence[Char]) -> None:
        import numpy as np

        self.x = np.array([(c["x0"] + c["x1"]) / 2 for c in chars], dtype=np.float64)
        self.y = np.array([(c["top"] + c["bottom"]) / 2 for c in chars], dtype=np.float64)
        self.confidence = np.array([float(c["confidence"]) for c in chars], dtype=np.float64)

    def lowest(self, bbox: BBox) -> float | None:
        """The lowest confidence of the characters centred in `bbox` (as `centre_in`)."""
        x0, top, x1, bottom = bbox
        inside = (self.x >= x0) & (self.x <= x1) & (self.y >= top) & (self.y <= bottom)
        if not inside.any():
            return None
        return round(float(self.confidence[inside].min()), 3)


def span_confidence(span: Span) -> float | None:
    """The OCR confidence of a printed span, None when it was read from a text layer."""
    return span.source.confidence
