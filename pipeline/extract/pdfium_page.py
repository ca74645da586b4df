"""A PDF page read through pdfium, in the shapes pdfplumber gives: chars, lines, rects, curves.

pdfium (pypdfium2) reads a page's characters with their positions in about a
millisecond where pdfminer takes tens. `PdfiumPage` subclasses pdfplumber's `Page`
only to reuse what pdfplumber builds on top of those objects (edges, `find_tables`,
derived and turned pages), so the table finder and line builder see the same
objects whichever library read them.

Every object is converted at this edge to pdfplumber's conventions (PDF points,
top-left origin of the page as displayed; pdfium's are bottom-left and unrotated):

- a character's box is pdfminer's: from its origin, the advance width the font
  prints for it (/Widths, through `FPDFFont_GetGlyphWidth`), and the font's
  descent as pdfminer reads it (the font descriptor, else 0; pdfium falls back to
  the font program, so the descriptors are read with pdfminer's own font classes);
  `size` is the box's height and `matrix` the glyph's text matrix on the display;
- pdfium drops text objects that draw only a space; each becomes one space glyph
  here (U+0020, else U+00A0 or U+3000, whichever the font prints with a width);
- paths are split into subpaths and classified as pdfminer does: one segment is a
  line, an axis-aligned closed quadrilateral a rect, anything else a curve.

Raises pypdfium2's `PdfiumError` for an unreadable file (`pdf.read_pdf_pages`
turns it into InputError).
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as raw  # type: ignore[import-untyped]
from pdfplumber.page import Page

from pipeline.extract.pdfium_fonts import Font, FontMetrics
from pipeline.extract.pdfium_fonts import inflate_contents as inflate_contents

log = logging.getLogger(__name__)

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
Obj = dict[str, Any]
SPACES = (" ", "\xa0", "\u3000")
GAP_MARK = 0.01  # points between a space pdfium inserted and the glyph after it
TEXT, PATH, FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
IMAGE = raw.FPDF_PAGEOBJ_IMAGE
UNIT_SQUARE = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))
MOVETO, LINETO = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO
BEZIERTO = raw.FPDF_SEGMENT_BEZIERTO


def mult(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention, as pdfminer's `mult_matrix`)."""
    a, b, c, d, e, f = m
    a1, b1, c1, d1, e1, f1 = n
    return (
        a * a1 + b * c1,
        a * b1 + b * d1,
        c * a1 + d * c1,
        c * b1 + d * d1,
        e * a1 + f * c1 + e1,
        e * b1 + f * d1 + f1,
    )


def apply(m: Matrix, p: Point) -> Point:
    a, b, c, d, e, f = m
    return (a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f)


def rotation_ctm(mediabox: tuple[float, float, float, float], rotate: int) -> Matrix:
    """pdfminer's device matrix for a page's /Rotate: user space to the displayed page."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def display_mediabox(
    raw_box: tuple[float, float, float, float], rotate: int
) -> tuple[float, float, float, float]:
    """pdfplumber's `Page.mediabox` (top-left origin, turned by /Rotate)."""
    x0, x1 = sorted((raw_box[0], raw_box[2]))
    y0, y1 = sorted((raw_box[1], raw_box[3]))
    box = (y0, x0, y1, x1) if rotate in (90, 270) else (x0, y0, x1, y1)
    height = box[3] - box[1]
    return (box[0], height - box[3], box[2], height - box[1])


class PdfiumPage(Page):
    """One page read by pdfium; pdfplumber's `Page` API over its objects."""

    def __init__(self, page: Any, number: int, doctop: float, fonts: FontMetrics) -> None:
        # No pdfminer document or page stands behind this page.
        self.pdf = None  # type: ignore[assignment]
        self.root_page = self
        self.page_obj = None  # type: ignore[assignment]
        self.page_number = number
        self.initial_doctop = doctop
        self.rotation = page.get_rotation() % 360
        raw_box = tuple(float(v) for v in page.get_mediabox())
        self.mediabox = display_mediabox(raw_box, self.rotation)  # type: ignore[arg-type]
        self.cropbox = self.mediabox
        self.bbox = self.mediabox
        self._page = page
        self._fonts = fonts
        self._ctm = rotation_ctm(raw_box, self.rotation)  # type: ignore[arg-type]
        self._text: Any = None  # the text page glyph_count built, until objects are read

    def close(self) -> None:
        self.flush_cache()

    @property
    def content_damaged(self) -> bool:
        """A content stream of the page did not inflate whole (FontMetrics.damaged_pages)."""
        return self.page_number in self._fonts.damaged_pages

    def glyph_count(self) -> int:
        """The page's characters as pdfium counts them, in C, before any is read into Python:
        a page of millions of glyphs is left out past --max-chars without building them.

        The text page counted is kept for reading the page's objects next (pdfium builds
        one in about half a millisecond); one left unread closes with the document."""
        if self._text is None:
            self._text = self._page.get_textpage()
        return int(self._text.count_chars())

    def take_textpage(self) -> Any:
        """pdfium's text page of the page (the one counted, else a new one); the caller
        closes it."""
        text, self._text = self._text, None
        return text if text is not None else self._page.get_textpage()

    @property
    def objects(self) -> dict[str, list[Obj]]:
        if not hasattr(self, "_objects"):
            self._objects = _PageReader(self).read()
        return self._objects

    def to_top_left(self, p: Point) -> Point:
        """A device point (pdfminer's, bottom-left) as pdfplumber's (x, top)."""
        return (p[0] + self.mediabox[0], self.mediabox[1] + self.height - p[1])


@dataclass(frozen=True, slots=True)
class _TextObject:
    """What every glyph of one text object shares."""

    font: Any
    size: float
    fontname: str
    descent: float  # points below the baseline (negative)
    widths: dict[str, float]
    rounded: dict[str, float]  # pdfium's advance of each character met so far in this font
    # and size (a cache: one _TextObject serves all the page's text objects in them)


class _PageReader:
    """Reads one page's characters and paths into pdfplumber-shaped dicts."""

    def __init__(self, page: PdfiumPage) -> None:
        self.page = page
        self.raw = page._page.raw
        self.text = page.take_textpage()
        self.order: dict[int, int] = {}  # text object address -> position in the page's objects
        self.texts: list[tuple[Any, Matrix]] = []  # text objects with their forms' matrix
        self.text_objects: dict[int, _TextObject] = {}
        # What a text object reads from its font, by the font's address and the size: a page
        # draws thousands of text objects (often one a word) in a few fonts and sizes.
        self.fonts: dict[int, tuple[str, Font | None]] = {}
        self.shared: dict[tuple[int, float], _TextObject] = {}  # by font address and size
        self.objects: dict[str, list[Obj]] = {}
        # pdfium's out-parameters, filled and copied out once per glyph (allocating them for
        # every glyph cost about 5% of reading the objects)
        self._glyph_matrix = raw.FS_MATRIX()
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        # pdfplumber's top of a bottom-left y is `page top - y`; its x0 `x + left`
        self._left = page.mediabox[0]
        self._top = page.mediabox[1] + page.height
        self._doctop = page.initial_doctop

    def read(self) -> dict[str, list[Obj]]:
        count = raw.FPDFPage_CountObjects(self.raw)
        self._walk([raw.FPDFPage_GetObject(self.raw, i) for i in range(count)], (1, 0, 0, 1, 0, 0))
        chars = self._chars()
        self.text.close()
        if chars:
            self.objects["char"] = chars
        return self.objects

    def _walk(self, objs: Sequence[Any], outer: Matrix) -> None:
        for obj in objs:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == TEXT:
                self.order[_address(obj)] = len(self.order)
                self.texts.append((obj, outer))
            elif kind == PATH:
                self._path(obj, outer)
            elif kind == IMAGE:
                self._image(obj, outer)
            elif kind == FORM:
                inner = mult(_matrix(obj), outer)
                count = raw.FPDFFormObj_CountObjects(obj)
                self._walk([raw.FPDFFormObj_GetObject(obj, i) for i in range(count)], inner)

    # characters -------------------------------------------------------------

    def _chars(self) -> list[Obj]:
        found: list[tuple[tuple[int, int], Obj]] = []
        seen: set[int] = set()
        drift: dict[int, float] = {}  # per text object: pdfium's advances short of the PDF's
        tp, order, m = self.text.raw, self.order, self._glyph_matrix
        x, y = self._x, self._y
        # pdfium's functions bound once: a page asks each of them once per glyph
        is_generated, text_object = raw.FPDFText_IsGenerated, raw.FPDFText_GetTextObject
        unicode, matrix = raw.FPDFText_GetUnicode, raw.FPDFText_GetMatrix
        origin, map_error = raw.FPDFText_GetCharOrigin, raw.FPDFText_HasUnicodeMapError
        glyph = self._glyph
        for i in range(raw.FPDFText_CountChars(tp)):
            generated = is_generated(tp, i)
            if generated not in (0, 1):
                continue
            obj = text_object(tp, i)
            if not obj:  # a space or line break pdfium inserted
                continue
            if generated and not _drawn_space(tp, i):
                continue
            address = _address(obj)
            seen.add(address)
            text = chr(unicode(tp, i))
            # the glyph's origin moved on by the drift of the glyphs before it in its text
            # object (pdfium places each after its own rounded widths)
            shift = drift.get(address, 0.0)
            matrix(tp, i, m)
            if map_error(tp, i) == 1:
                text = "\ufffd"
            origin(tp, i, x, y)
            a, b = m.a, m.b
            char, short = glyph(
                obj, text, (a, b, m.c, m.d, x.value + shift * a, y.value + shift * b), address
            )
            drift[address] = shift + short
            found.append(((order.get(address, -1), i), char))
        for obj, outer in self.texts:
            if _address(obj) in seen:
                continue
            blank = self._blank_char(obj, outer)
            if blank is not None:
                found.append(((order.get(_address(obj), -1), -1), blank))
        found.sort(key=lambda pair: pair[0])
        return [c for _, c in found]

    def _blank_char(self, obj: Any, outer: Matrix) -> Obj | None:
        """The space a text object draws on its own (pdfium's text leaves it out)."""
        font = raw.FPDFTextObj_GetFont(obj)
        size = _font_size(obj)
        for text in SPACES:
            if _glyph_width(font, text, size) > 0:
                return self._glyph(obj, text, mult(_matrix(obj), outer), _address(obj))[0]
        return None

    def _text_object(self, obj: Any, address: int) -> _TextObject:
        found = self.text_objects.get(address)
        if found is None:
            font = raw.FPDFTextObj_GetFont(obj)
            size = _font_size(obj)
            # all a text object reads is its font's and size's: one for the page's many
            key = (_address(font), size)
            found = self.shared.get(key)
            if found is None:
                base, known = self._font(font, key[0])
                if known is None:
                    found = _TextObject(font, size, base, _pdfium_descent(font, size), {}, {})
                else:
                    descent = known.descent * size
                    found = _TextObject(font, size, known.name, descent, known.widths, {})
                self.shared[key] = found
            self.text_objects[address] = found
        return found

    def _font(self, font: Any, key: int) -> tuple[str, Font | None]:
        """The font's base name and what pdfminer read of it (None: not read); `key` is the
        font's address."""
        found = self.fonts.get(key)
        if found is None:
            base = _base_font_name(font)
            known = self.page._fonts.get(base, lambda: _font_data_size(font))
            found = self.fonts[key] = (base, known)
        return found

    def _glyph(self, obj: Any, text: str, glyph: Matrix, address: int) -> tuple[Obj, float]:
        """The glyph's char dict, and how far the PDF's advance runs past pdfium's.

        Written out in one function (`mult`, `apply` and `_box` inline, the same arithmetic
        in the same order): it runs once per glyph and was most of reading a page."""
        o = self.text_objects.get(address)
        if o is None:
            o = self._text_object(obj, address)
        size, descent = o.size, o.descent
        rounded = o.rounded.get(text)
        if rounded is None:
            rounded = o.rounded[text] = _glyph_width(o.font, text, size)
        exact = o.widths.get(text)
        adv = rounded if exact is None else exact * size
        # mult(glyph, ctm)
        a0, b0, c0, d0, e0, f0 = glyph
        a1, b1, c1, d1, e1, f1 = self.page._ctm
        a = a0 * a1 + b0 * c1
        b = a0 * b1 + b0 * d1
        c = c0 * a1 + d0 * c1
        d = c0 * b1 + d0 * d1
        e = e0 * a1 + f0 * c1 + e1
        f = e0 * b1 + f0 * d1 + f1
        # apply(matrix, (0, descent)) and apply(matrix, (adv, descent + size))
        x0 = a * 0 + c * descent + e
        y0 = b * 0 + d * descent + f
        up = descent + size
        x1 = a * adv + c * up + e
        y1 = b * adv + d * up + f
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        # _box(x0, y0, x1, y1)
        left, top = x0 + self._left, self._top - y1
        right, bottom = x1 + self._left, self._top - y0
        char = {
            "object_type": "char",
            "page_number": self.page.page_number,
            "text": text,
            "fontname": o.fontname,
            "size": y1 - y0,
            "adv": adv,
            "upright": a * d > 0 and b * c <= 0,
            "matrix": (a, b, c, d, e, f),
            "x0": left,
            "x1": right,
            "y0": y0,
            "y1": y1,
            "top": top,
            "bottom": bottom,
            "width": right - left,
            "height": bottom - top,
            "doctop": self._doctop + top,
        }
        return char, adv - rounded

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> Obj:
        """pdfplumber's box fields of a box given bottom-left (PDF user space)."""
        left, top = x0 + self._left, self._top - y1
        right, bottom = x1 + self._left, self._top - y0
        return {
            "x0": left,
            "x1": right,
            "y0": y0,
            "y1": y1,
            "top": top,
            "bottom": bottom,
            "width": right - left,
            "height": bottom - top,
            "doctop": self._doctop + top,
        }

    # images and paths ---------------------------------------------------------

    def _image(self, obj: Any, outer: Matrix) -> None:
        """An image's box, the unit square its matrix maps onto the page (as pdfminer's): a
        page of images and no text needs OCR (`text_layer.judge_text_layer`)."""
        matrix = mult(mult(_matrix(obj), outer), self.page._ctm)
        pts = [apply(matrix, p) for p in UNIT_SQUARE]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        self.objects.setdefault("image", []).append(
            {
                "object_type": "image",
                "page_number": self.page.page_number,
                **self._box(min(xs), min(ys), max(xs), max(ys)),
            }
        )

    def _path(self, obj: Any, outer: Matrix) -> None:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        if not fill.value and not stroke.value:
            return
        matrix = mult(mult(_matrix(obj), outer), self.page._ctm)
        width = ctypes.c_float()
        raw.FPDFPageObj_GetStrokeWidth(obj, width)
        for shape, pts in _subpaths(obj):
            pts = [apply(matrix, p) for p in pts]
            kind, pts = _classify(shape, pts)
            self.objects.setdefault(kind, []).append(
                self._path_obj(kind, pts, float(width.value), bool(stroke.value), fill.value != 0)
            )

    def _path_obj(self, kind: str, pts: list[Point], width: float, stroke: bool, fill: bool) -> Obj:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return {
            "object_type": kind,
            "page_number": self.page.page_number,
            **self._box(min(xs), min(ys), max(xs), max(ys)),
            "pts": [self.page.to_top_left(p) for p in pts],
            "linewidth": width,
            "stroke": stroke,
            "fill": fill,
        }


def _subpaths(obj: Any) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as pdfminer's operator string ("mlllh") and its end points."""
    shape, pts, start = "", list[Point](), (0.0, 0.0)
    count = raw.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    bezier = 0
    for i in range(count):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        kind = raw.FPDFPathSegment_GetType(seg)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = (float(x.value), float(y.value))
        if kind == MOVETO:
            if shape:
                yield shape, pts
            shape, pts, start = "m", [point], point
        elif kind == LINETO:
            shape += "l"
            pts.append(point)
        elif kind == BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # two control points, then the end point
                shape += "c"
                pts.append(point)
        if raw.FPDFPathSegment_GetClose(seg):
            shape += "h"
            pts.append(start)
    if shape:
        yield shape, pts


def _classify(shape: str, pts: list[Point]) -> tuple[str, list[Point]]:
    """pdfminer's `paint_path`: "line", "rect" or "curve", with the points it keeps."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-1]
    if shape in ("mlh", "ml"):
        return "line", pts[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            return "rect", [pts[0], pts[2]]
    return "curve", pts


def _drawn_space(tp: Any, index: int) -> bool:
    """A space pdfium calls generated but a text object drew: pdfium marks every space so.

    The spaces it inserts itself for a gap (letter-spaced or justified text) stand at
    the origin of the glyph after the gap; a drawn one stands before it.
    """
    if not chr(raw.FPDFText_GetUnicode(tp, index)).isspace():
        return False
    if index + 1 >= raw.FPDFText_CountChars(tp) or raw.FPDFText_IsGenerated(tp, index + 1):
        return True
    return abs(_origin(tp, index + 1)[0] - _origin(tp, index)[0]) > GAP_MARK


def _address(obj: Any) -> int:
    """A page object's identity (pdfium hands out a new ctypes pointer on every call).

    The pointer's own bytes read as an integer: a third of the cost of a `c_void_p` over
    its buffer, and it is asked for about twice per glyph."""
    return int.from_bytes(bytes(obj), sys.byteorder)


def _matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _origin(tp: Any, index: int) -> Point:
    x, y = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(tp, index, x, y)
    return (x.value, y.value)


def _font_size(obj: Any) -> float:
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj, size)
    return float(size.value)


def _glyph_width(font: Any, text: str, size: float) -> float:
    width = ctypes.c_float()
    if not raw.FPDFFont_GetGlyphWidth(font, ord(text[0]), ctypes.c_float(size), width):
        return 0.0
    return float(width.value)


def _pdfium_descent(font: Any, size: float) -> float:
    descent = ctypes.c_float()
    raw.FPDFFont_GetDescent(font, ctypes.c_float(size), descent)
    return float(descent.value)


def _font_data_size(font: Any) -> int:
    size = ctypes.c_size_t()
    raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size))
    return int(size.value)


def _base_font_name(font: Any) -> str:
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(max(n, 1))
    raw.FPDFFont_GetBaseFontName(font, buf, n)
    return buf.value.decode("utf-8", "replace")


@contextmanager
def open_pdfium(path: Path) -> Iterator[list[PdfiumPage]]:
    """The pages of a PDF read by pdfium; raises PdfiumError when it cannot be read."""
    document = pdfium.PdfDocument(path)
    try:
        fonts = FontMetrics(path)
        pages, doctop = [], 0.0
        for i in range(len(document)):
            try:
                loaded = document[i]
            except pdfium.PdfiumError:  # the page tree declares more pages than it holds
                log.info("%s: page %d of %d cannot be loaded", path, i + 1, len(document))
                break
            page = PdfiumPage(loaded, i + 1, doctop, fonts)
            pages.append(page)
            doctop += float(page.height)
        yield pages
    finally:
        document.close()
