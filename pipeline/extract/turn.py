"""Pages whose text does not stand upright on the displayed page, read turned.

pdfminer applies a page's /Rotate before pdfplumber sees it, so every object
comes in the coordinates of the page as displayed (PDF points, top-left origin).
A landscape page saved as a portrait MediaBox with /Rotate 90 and its content
drawn turned (how Word and WPS save landscape sections) therefore displays, and
reads, upright with nothing more done. A page whose text runs sideways or upside
down on the display (a /Rotate set on upright content, a table printed sideways)
is read in its reading frame instead: the displayed page turned by quarter turns
until most of its glyphs stand upright. Boxes found there are turned back with
`reading_to_display`, so the boxes that leave extraction are display coordinates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from pipeline.extract.lines import Char
from pipeline.extract.tables import PageTable
from pipeline.model import BBox, Document, Row, Source, Span

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Turn:
    """How a page's reading frame lies on the displayed page.

    `quarters` counts the clockwise quarter turns that take the reading frame to
    the display (0: the text stands upright as displayed); `display` is the
    displayed page's box (x0, top, x1, bottom), in points.
    """

    quarters: int
    display: BBox

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the reading frame."""
        x0, top, x1, bottom = self.display
        w, h = x1 - x0, bottom - top
        return (h, w) if self.quarters % 2 else (w, h)


def glyph_quarters(matrix: tuple[float, ...]) -> int:
    """Clockwise quarter turns of a glyph on the display, from its text matrix.

    The matrix is pdfminer's (bottom-left origin): (a, b) is the direction the
    text advances in, (1, 0) for upright text, (0, -1) for text running down.
    pdfminer's own `upright` flag cannot tell: it is True for upside-down glyphs.
    """
    a, b = float(matrix[0]), float(matrix[1])
    if abs(a) >= abs(b):
        return 0 if a > 0 else 2
    return 1 if b < 0 else 3


def text_quarters(chars: Iterable[Char]) -> int:
    """The turn most glyphs of a page share, if more than half share one; else 0."""
    turns = Counter(glyph_quarters(c["matrix"]) for c in chars if not c["text"].isspace())
    if not turns:
        return 0
    quarters, count = turns.most_common(1)[0]
    return quarters if 2 * count > turns.total() else 0


def display_to_reading(point: Point, turn: Turn) -> Point:
    """A display point (x, top) in the reading frame of `turn`."""
    if turn.quarters % 4 == 0:
        return point
    x0, top, x1, bottom = turn.display
    return _clockwise((point[0] - x0, point[1] - top), -turn.quarters, x1 - x0, bottom - top)


def reading_to_display(bbox: BBox, turn: Turn) -> BBox:
    """A box (x0, top, x1, bottom) of the reading frame in display coordinates."""
    if turn.quarters % 4 == 0:
        return bbox
    w, h = turn.size
    a = _clockwise((bbox[0], bbox[1]), turn.quarters, w, h)
    b = _clockwise((bbox[2], bbox[3]), turn.quarters, w, h)
    x0, top = turn.display[0], turn.display[1]
    return (
        min(a[0], b[0]) + x0,
        min(a[1], b[1]) + top,
        max(a[0], b[0]) + x0,
        max(a[1], b[1]) + top,
    )


def display_to_reading_box(bbox: BBox, turn: Turn) -> BBox:
    """A box (x0, top, x1, bottom) on the display in the reading frame of `turn`."""
    a = display_to_reading((bbox[0], bbox[1]), turn)
    b = display_to_reading((bbox[2], bbox[3]), turn)
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def _clockwise(point: Point, quarters: int, width: float, height: float) -> Point:
    """A point of a width x height frame (top-left origin) once the frame is turned
    clockwise by `quarters` quarter turns (negative: counter-clockwise)."""
    x, y = point
    for _ in range(quarters % 4):
        x, y, width, height = height - y, x, height, width
    return (x, y)


def source_to_display(source: Source, turns: Mapping[int, Turn]) -> Source:
    """A source whose box is in its page's reading frame, with the box on the display."""
    turn = turns.get(source.page)
    if turn is None or source.bbox is None or turn.quarters % 4 == 0:
        return source
    return replace(source, bbox=reading_to_display(source.bbox, turn))


def page_table_to_display(table: PageTable, turn: Turn) -> PageTable:
    """A page table read in the reading frame of `turn`, its boxes on the display."""
    return _page_table_boxes(table, lambda b: reading_to_display(b, turn))


def page_table_to_reading(table: PageTable, turn: Turn) -> PageTable:
    """A page table with boxes on the display, its boxes in the reading frame of `turn`."""
    return _page_table_boxes(table, lambda b: display_to_reading_box(b, turn))


def _page_table_boxes(table: PageTable, move: Callable[[BBox], BBox]) -> PageTable:
    def row(cells: Row) -> Row:
        return tuple(
            replace(c, source=replace(c.source, bbox=move(c.source.bbox)))
            if c.source.bbox is not None
            else c
            for c in cells
        )

    return replace(
        table,
        bbox=move(table.bbox),
        header_rows=tuple(row(r) for r in table.header_rows),
        body_rows=tuple(row(r) for r in table.body_rows),
    )


def document_to_display(doc: Document, turns: Mapping[int, Turn]) -> Document:
    """The document with the boxes of turned pages (page number -> turn) on the display."""
    if not any(t.quarters % 4 for t in turns.values()):
        return doc

    def span(s: Span | None) -> Span | None:
        return None if s is None else replace(s, source=source_to_display(s.source, turns))

    meta = doc.metadata
    return replace(
        doc,
        metadata=replace(
            meta,
            issuer=span(meta.issuer),
            doc_number=span(meta.doc_number),
            title=span(meta.title),
            recipients=span(meta.recipients),
            signature=span(meta.signature),
            date=span(meta.date),
        ),
        sections=tuple(replace(s, source=source_to_display(s.source, turns)) for s in doc.sections),
        lines=tuple(replace(ln, source=source_to_display(ln.source, turns)) for ln in doc.lines),
        attachment_notes=tuple(
            replace(n, source=source_to_display(n.source, turns)) for n in doc.attachment_notes
        ),
        tables=tuple(
            replace(
                t,
                header_rows=_rows(t.header_rows, turns),
                body_rows=_rows(t.body_rows, turns),
            )
            for t in doc.tables
        ),
    )


def _rows(rows: tuple[Row, ...], turns: Mapping[int, Turn]) -> tuple[Row, ...]:
    return tuple(
        tuple(replace(c, source=source_to_display(c.source, turns)) for c in row) for row in rows
    )
