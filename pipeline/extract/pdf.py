"""PDF pages to lines and page tables: text through pdfplumber, tables through a backend.

The table backend is chosen by name (`backends.BACKENDS`, pdfplumber by default).
Raises InputError for files that cannot be read as a PDF (missing, encrypted,
damaged). Text inside tables is kept out of the narrative lines; printed page
numbers ("— 1 —") are dropped.

A page is read in its reading frame (`turn`): as displayed when its text stands
upright there, which pdfminer's handling of /Rotate gives for landscape pages
saved as a portrait MediaBox with /Rotate 90; turned by quarter turns when most
of its text runs sideways or upside down. `PageContent` boxes are in that
frame, so the layout rules downstream see upright text; `PageContent.turn`
takes them to the displayed page (`turn.reading_to_display`).

A page whose text layer is not usable (`text_layer.text_layer_problem`: only an
image, unmapped glyphs, garbage) is read by OCR when an engine is given and can
run (`ocr_page`), in the page as displayed; otherwise its text is not read and
`PageContent.source` says it needs OCR.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.extract.backends import DEFAULT_BACKEND, TableBackend, table_backend
from pipeline.extract.dedupe import dedupe_chars
from pipeline.extract.lines import Char, TextLine, centre_in, chars_to_lines, draws_spaces
from pipeline.extract.ocr import DEFAULT_OCR, OCR_OFF, check_ocr
from pipeline.extract.ocr_page import OcrRead, PageOcr
from pipeline.extract.tables import PageTable
from pipeline.extract.text_layer import text_layer_problem
from pipeline.extract.turn import Turn
from pipeline.model import NEEDS_OCR, TEXT_LAYER

log = logging.getLogger(__name__)

PAGE_NUMBER = re.compile(r"^[—–\-－]+\s*\d+\s*[—–\-－]+$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
# What a glyph without a Unicode mapping reads as: "(cid:N)", a control character
# (a font that maps it to U+0000) or the replacement character.
UNMAPPED = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
REPLACEMENT = "\ufffd"


@dataclass(frozen=True, slots=True)
class PageContent:
    """What one page holds: narrative lines outside tables, and its tables.

    Sizes and boxes are in the page's reading frame (top-left origin, points);
    `turn` places that frame on the page as displayed.
    """

    number: int
    width: float
    height: float
    lines: tuple[TextLine, ...]
    tables: tuple[PageTable, ...]
    unmapped_glyphs: int
    turn: Turn
    source: str = TEXT_LAYER  # TEXT_LAYER, "ocr-<engine>" or NEEDS_OCR (model.Document)
    ocr: OcrRead | None = None
    problem: str | None = None  # why the text layer was not used (text_layer)


def read_pdf_pages(
    path: Path, *, backend: str = DEFAULT_BACKEND, ocr: str = DEFAULT_OCR
) -> tuple[list[PageContent], list[str]]:
    """All pages of a PDF plus per-page warnings (e.g. fonts without ToUnicode).

    Pages without a usable text layer are read by the OCR engine `ocr` ("off" for none).
    Raises ConfigError for an unknown `backend` or `ocr`, InputError for an unreadable
    file and for one where no page has usable text ("needs OCR").
    """
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    check_ocr(ocr)
    finder = table_backend(backend, path)
    reader = None if ocr == OCR_OFF else PageOcr(path, ocr)
    try:
        with pdfplumber.open(path) as pdf:
            pages = list(_read_pages(pdf.pages, finder, reader))
    except PdfminerException as exc:
        raise InputError(f"{path}: not a readable PDF ({_pdfminer_reason(exc)})") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    why_not = "--ocr off" if reader is None else reader.unavailable
    if pages and all(p.source == NEEDS_OCR for p in pages):
        raise InputError(f"{path}: needs OCR (no page has usable text; {why_not})")
    warnings = [
        f"p.{p.number}: {p.unmapped_glyphs} glyphs have no Unicode mapping; page needs OCR"
        for p in pages
        if p.unmapped_glyphs and p.source == TEXT_LAYER
    ]
    warnings += [
        f"p.{p.number}: {p.problem}; needs OCR, not read ({why_not})"
        for p in pages
        if p.source == NEEDS_OCR
    ]
    return pages, warnings


def _pdfminer_reason(exc: Exception) -> str:
    inner = exc.args[0] if exc.args else exc
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return "encrypted"
    return str(inner) or name


def _marked(char: Char) -> Char:
    """A glyph read as a control character, shown as U+FFFD (it is counted and reported)."""
    text = char["text"]
    if text.isprintable() or text.isspace() or "(cid:" in text:
        return char
    return {**char, "text": UNMAPPED.sub(REPLACEMENT, text)}


def _read_pages(
    pages: Sequence[Any], finder: TableBackend, reader: PageOcr | None
) -> Iterator[PageContent]:
    from pipeline.extract.turned_page import turn_of, upright_page

    for index, displayed in enumerate(pages):
        problem = text_layer_problem([c["text"] for c in displayed.chars], len(displayed.images))
        if problem is not None:
            read = reader.read(displayed, index) if reader is not None else None
            yield _ocr_content(displayed, read, problem, turn_of(displayed))
            continue
        page, turn = upright_page(displayed)
        if turn.quarters:
            log.info(
                "p.%d: most text is turned %d° clockwise as displayed; read in its direction",
                page.page_number,
                90 * turn.quarters,
            )
        # Fake bold (each glyph drawn twice, slightly offset) doubles characters.
        chars: list[Char] = [_marked(c) for c in dedupe_chars(page.chars)]
        spaces = not draws_spaces(chars)
        tables = finder.find_tables(page, chars)
        outside = [c for c in chars if not any(centre_in(c, t.bbox) for t in tables)]
        lines = [
            ln
            for ln in chars_to_lines(outside, infer_spaces=spaces)
            if not PAGE_NUMBER.match(ln.text)
        ]
        unmapped = len(UNMAPPED.findall("".join(c["text"] for c in chars)))
        yield PageContent(
            number=page.page_number,
            width=float(page.width),
            height=float(page.height),
            lines=tuple(lines),
            tables=tuple(tables),
            unmapped_glyphs=unmapped,
            turn=turn,
        )


def _ocr_content(page: Any, read: OcrRead | None, problem: str, turn: Turn) -> PageContent:
    """A page read by OCR (`read`), or one left unread when no OCR ran (then NEEDS_OCR)."""
    chars = read.chars if read is not None else ()
    tables = read.tables if read is not None else ()
    outside = [c for c in chars if not any(centre_in(c, t.bbox) for t in tables)]
    lines = [
        ln for ln in chars_to_lines(outside, infer_spaces=True) if not PAGE_NUMBER.match(ln.text)
    ]
    return PageContent(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        lines=tuple(lines),
        tables=tuple(tables),
        unmapped_glyphs=0,
        turn=turn,
        source=read.backend if read is not None else NEEDS_OCR,
        ocr=read,
        problem=problem,
    )
