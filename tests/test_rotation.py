"""Pages with a /Rotate entry read like their unrotated originals, boxes on the page as displayed.

The rotated files are made at test time from committed corpus PDFs with
`corpus.generate.rotate`. A "redrawn" copy is what Word and WPS write for a
landscape section: a portrait MediaBox, the content drawn turned onto it and
/Rotate 90, so it displays exactly as the original while every coordinate in the
file differs. A "sideways" copy only sets /Rotate, so its text displays turned
and has to be read turned. Either way the document must read as the original:
the same lines, sections, table titles, header paths and cells; the boxes must
be the original's on the displayed page (unchanged for a redrawn copy, turned
with the page for a sideways one) and must hold the text read from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image

from corpus.generate.rotate import rotate_pdf
from pipeline.extract import read_document
from pipeline.extract.debug import write_debug_pages
from pipeline.extract.dedupe import dedupe_chars
from pipeline.extract.pdf import REPLACEMENT, UNMAPPED
from pipeline.extract.turn import (
    Turn,
    display_to_reading_box,
    glyph_quarters,
    reading_to_display,
    text_quarters,
)
from pipeline.model import BBox, Document, Source

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.pdf"
DOCS = {
    # LibreOffice, ruled tables, a two-level header over landscape pages 4-5
    "seed": SEED,
    # reportlab, ruled, three-line and whitespace tables, landscape pages 4, 5, 6 and 8
    "gen-0009": ROOT / "corpus" / "generated" / "gen-0009.pdf",
    # html producer, gaps of exactly 0.2 em between CJK and Latin text
    "gen-0025": ROOT / "corpus" / "generated" / "gen-0025.pdf",
}
# (rotation, redrawn, only the landscape pages)
WORD_LANDSCAPE = (90, True, True)
VARIANTS = [WORD_LANDSCAPE, (270, True, False), (90, False, False), (180, False, False)]
VARIANTS += [(270, False, False)]
CASES = [(doc, v) for doc in DOCS for v in VARIANTS]


def variant_id(v: tuple[int, bool, bool]) -> str:
    rotation, redrawn, landscape = v
    return f"{'redrawn' if redrawn else 'sideways'}{rotation}{'-landscape' if landscape else ''}"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rotated")


@cache
def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Displayed width and height of each page."""
    with pdfplumber.open(path) as pdf:
        return [(float(p.width), float(p.height)) for p in pdf.pages]


@cache
def original(doc: str) -> Document:
    return read_document(DOCS[doc])


_made: dict[tuple[str, tuple[int, bool, bool]], Path] = {}


def rotated_path(workdir: Path, doc: str, v: tuple[int, bool, bool]) -> Path:
    if (doc, v) not in _made:
        rotation, redrawn, landscape = v
        pages = None
        if landscape:
            pages = {i for i, (w, h) in enumerate(page_sizes(DOCS[doc]), 1) if w > h}
        target = workdir / f"{doc}-{variant_id(v)}.pdf"
        rotate_pdf(DOCS[doc], target, rotation, pages=pages, redraw=redrawn)
        _made[(doc, v)] = target
    return _made[(doc, v)]


@cache
def rotated(path: Path) -> Document:
    return read_document(path)


def reading(doc: Document) -> dict[str, Any]:
    """Everything a reader sees, without geometry."""
    return {
        "lines": [ln.text for ln in doc.lines],
        "sections": [(s.number, s.heading, s.level) for s in doc.sections],
        "notes": [(n.label, n.title) for n in doc.attachment_notes],
        "titles": [(t.title, t.attachment, t.pages) for t in doc.tables],
        "columns": [t.columns for t in doc.tables],
        "cells": [
            [[(c.text, c.source.page) for c in row] for row in (*t.header_rows, *t.body_rows)]
            for t in doc.tables
        ],
    }


def sources(doc: Document) -> Iterator[tuple[str, Source]]:
    for ln in doc.lines:
        yield ln.text, ln.source
    for t in doc.tables:
        for row in (*t.header_rows, *t.body_rows):
            for c in row:
                yield c.text, c.source


def turned(bbox: BBox, rotation: int, width: float, height: float) -> BBox:
    """Where a box of a width x height page shows once the page displays turned by `rotation`
    (clockwise), written out per rotation rather than through the code under test."""
    x0, top, x1, bottom = bbox
    if rotation == 90:
        return (height - bottom, x0, height - top, x1)
    if rotation == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    assert rotation == 270
    return (top, width - x1, bottom, width - x0)


def close(a: BBox | None, b: BBox | None, tolerance: float = 0.01) -> bool:
    assert a is not None and b is not None
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def test_rotation_word_landscape_copy_is_a_portrait_mediabox_turned_by_rotate(
    workdir: Path,
) -> None:
    path = rotated_path(workdir, "seed", WORD_LANDSCAPE)
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[3]  # attachment 1, landscape as displayed
        x0, y0, x1, y1 = page.get_mediabox()
        assert (page.get_rotation(), x1 - x0 < y1 - y0) == (90, True)
        assert pdf[0].get_rotation() == 0
    finally:
        pdf.close()
    flat = [v for size in page_sizes(SEED) for v in size]
    assert [v for size in page_sizes(path) for v in size] == pytest.approx(flat, abs=0.01)
    with pdfplumber.open(path) as plumber, pdfplumber.open(SEED) as plain:
        # the file's coordinates differ: what is read comes through /Rotate
        first = plumber.pages[3].chars[0]
        assert plumber.pages[3].rotation == 90
        assert (first["x0"], first["top"]) == pytest.approx(
            (plain.pages[3].chars[0]["x0"], plain.pages[3].chars[0]["top"]), abs=0.01
        )


@pytest.mark.parametrize(("doc", "v"), CASES, ids=[f"{d}-{variant_id(v)}" for d, v in CASES])
def test_rotation_document_reads_as_the_original(workdir: Path, doc: str, v: Any) -> None:
    got = reading(rotated(rotated_path(workdir, doc, v)))
    want = reading(original(doc))
    for key in want:
        assert got[key] == want[key], key
    assert sum(len(t) for t in want["cells"]) > 0


@pytest.mark.parametrize(("doc", "v"), CASES, ids=[f"{d}-{variant_id(v)}" for d, v in CASES])
def test_rotation_boxes_are_the_originals_on_the_displayed_page(
    workdir: Path, doc: str, v: Any
) -> None:
    rotation, redrawn, _ = v
    sizes = page_sizes(DOCS[doc])
    wrong = []
    want_sources = list(sources(original(doc)))
    got_sources = list(sources(rotated(rotated_path(workdir, doc, v))))
    assert len(got_sources) == len(want_sources)
    for (text, want), (_, got) in zip(want_sources, got_sources, strict=True):
        if want.bbox is None:
            assert got.bbox is None
            continue
        expected = want.bbox if redrawn else turned(want.bbox, rotation, *sizes[want.page - 1])
        if not close(got.bbox, expected):
            wrong.append((text, want.page, got.bbox, expected))
    assert not wrong, wrong[:3]


@pytest.mark.parametrize("rotation", [90, 180, 270])
@pytest.mark.parametrize("doc", list(DOCS))
def test_rotation_each_box_holds_its_text_on_the_displayed_page(
    workdir: Path, doc: str, rotation: int
) -> None:
    """Characters pdfplumber shows inside a box of the sideways page are the text read from it."""
    path = rotated_path(workdir, doc, (rotation, False, False))
    found = list(sources(rotated(path)))
    wrong = []
    with pdfplumber.open(path) as pdf:
        chars = [dedupe_chars(p.chars) for p in pdf.pages]
    for text, source in found:
        assert source.bbox is not None
        inside = "".join(c["text"] for c in chars[source.page - 1] if _centre_in(c, source.bbox))
        # a glyph without a Unicode mapping is read as U+FFFD
        inside = UNMAPPED.sub(REPLACEMENT, inside)
        if sorted("".join(inside.split())) != sorted("".join(text.split())):
            wrong.append((text, source.page, inside))
    assert len(found) > 50
    assert not wrong, wrong[:3]


def _centre_in(c: dict[str, Any], bbox: BBox) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return bool(bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3])


def _overlay(pdf_path: Path, png: Path, page: int) -> np.ndarray[Any, Any]:
    """Pixels the debug page drew: where it differs from the plain rendering (legend left out)."""
    with pdfplumber.open(pdf_path) as pdf:
        plain = pdf.pages[page - 1].to_image(resolution=100).original.convert("RGB")
    drawn = np.asarray(Image.open(png).convert("RGB"), dtype=int)
    mask: np.ndarray[Any, Any] = np.abs(drawn - np.asarray(plain, dtype=int)).max(axis=2) > 40
    mask[:20, :] = False
    return mask


def _share_near(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], reach: int = 2) -> float:
    """The share of a's pixels within `reach` pixels of one of b's."""
    near = b.copy()
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            near |= np.roll(np.roll(b, dy, 0), dx, 1)
    return float((a & near).sum() / a.sum())


@pytest.mark.parametrize("rotation", [90, 180])
def test_rotation_debug_page_boxes_turn_with_the_page(workdir: Path, rotation: int) -> None:
    """The boxes drawn on a sideways page are the original page's boxes, turned with it."""
    page = 4
    path = rotated_path(workdir, "seed", (rotation, False, False))
    plain_png = write_debug_pages(SEED, workdir / "debug-seed")[page - 1]
    turned_png = write_debug_pages(path, workdir / f"debug-{rotation}")[page - 1]
    want = np.rot90(_overlay(SEED, plain_png, page), -rotation // 90)
    got = _overlay(path, turned_png, page)
    assert got.shape == want.shape
    assert _share_near(got, want) > 0.9
    assert _share_near(want, got) > 0.9
    # drawn where the page was not turned, the boxes would be elsewhere
    assert _share_near(got, np.rot90(want, 2)) < 0.2


def test_rotation_turn_round_trips_boxes() -> None:
    box = (10.0, 20.0, 110.0, 45.0)
    for quarters in range(4):
        turn = Turn(quarters, (0.0, 0.0, 595.0, 842.0))
        back = display_to_reading_box(reading_to_display(box, turn), turn)
        assert close(back, box, 1e-9)
    # reading frame 842 x 595 on a portrait display: its top-left corner shows top right
    assert reading_to_display((0.0, 0.0, 10.0, 20.0), Turn(1, (0.0, 0.0, 595.0, 842.0))) == (
        575.0,
        0.0,
        595.0,
        10.0,
    )


def test_rotation_glyph_and_page_turns() -> None:
    assert [glyph_quarters(m) for m in [(1, 0), (0, -1), (-1, 0), (0, 1)]] == [0, 1, 2, 3]

    def chars(n: int, matrix: tuple[float, float]) -> list[dict[str, Any]]:
        return [{"text": "字", "matrix": (*matrix, 0, 0, 0, 0)} for _ in range(n)]

    # a few header cells printed sideways do not turn an upright page
    assert text_quarters(chars(40, (1, 0)) + chars(10, (0, 1))) == 0
    assert text_quarters(chars(10, (1, 0)) + chars(40, (0, -1))) == 1
    # no majority: read as displayed
    assert text_quarters(chars(10, (1, 0)) + chars(10, (0, 1)) + chars(10, (-1, 0))) == 0
    assert text_quarters([]) == 0


def cells_on(doc: Document, pages: set[int]) -> list[tuple[str, BBox | None]]:
    return [
        (c.text, c.source.bbox)
        for t in doc.tables
        for row in (*t.header_rows, *t.body_rows)
        for c in row
        if c.source.page in pages
    ]


def test_rotation_camelot_lattice_boxes_follow_the_display(workdir: Path) -> None:
    """Camelot turns back a page whose text lines are mostly vertical (the landscape
    attachment 1 here) but not page 6, whose table it reads transposed; either way the
    adapter puts its boxes where the table shows on the displayed page."""
    path = rotated_path(workdir, "seed", (90, False, False))
    plain = read_document(SEED, backend="camelot-lattice")
    sideways = read_document(path, backend="camelot-lattice")
    sizes = page_sizes(SEED)
    want = cells_on(plain, {4, 5})
    got = cells_on(sideways, {4, 5})
    assert [t for t, _ in got] == [t for t, _ in want] and want
    for (_, a), (_, b) in zip(want, got, strict=True):
        assert a is not None and close(b, turned(a, 90, *sizes[3]))
    outline = _union([b for _, b in cells_on(rotated(path), {6})])
    page6 = [b for _, b in cells_on(sideways, {6})]
    assert page6
    for b in page6:
        assert b is not None
        assert outline[0] - 2 <= b[0] and b[2] <= outline[2] + 2
        assert outline[1] - 2 <= b[1] and b[3] <= outline[3] + 2


def _union(boxes: list[BBox | None]) -> BBox:
    found = [b for b in boxes if b is not None]
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )
