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

A page whose text layer is not usable (`text_layer.judge_text_layer`: only an
image, unmapped glyphs, garbage) is read by OCR when an engine is given and can
run (`ocr_page`), in the page as displayed; otherwise its text is not read and
`PageContent.source` says it needs OCR.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, LimitError
from pipeline.extract.backends import (
    DEFAULT_BACKEND,
    PDFIUM,
    TableBackend,
    char_layer,
    table_backend,
)
from pipeline.extract.dedupe import dedupe_chars
from pipeline.extract.lines import Char, TextLine, chars_to_lines, draws_spaces, outside
from pipeline.extract.ocr import DEFAULT_OCR, OCR_OFF, check_ocr
from pipeline.extract.ocr_cells import OcrRegion
from pipeline.extract.ocr_page import OcrRead, PageOcr
from pipeline.extract.ocr_rec import OcrStopped
from pipeline.extract.tables import PageTable
from pipeline.extract.text_layer import FOR_OCR, judge_text_layer
from pipeline.extract.turn import Turn
from pipeline.limits import NOT_READ, active, ocr_budget_reason, past
from pipeline.model import (
    DAMAGED,
    GARBLED,
    IMAGE_ONLY,
    NEEDS_OCR,
    NO_TEXT,
    TEXT_LAYER,
    WHOLE_PAGE,
    TextLayer,
    UnreadablePage,
)
from pipeline.model import UNMAPPED as PART_UNMAPPED

log = logging.getLogger(__name__)

PAGE_NUMBER = re.compile(r"^[—–\-－]+\s*\d+\s*[—–\-－]+$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
# What a glyph without a Unicode mapping reads as: "(cid:N)", a control character
# (a font that maps it to U+0000) or the replacement character.
UNMAPPED = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
# A page whose glyphs are less than this share readable is unreadable (GARBLED); one where
# at least UNMAPPED_SHARE (and UNMAPPED_MIN glyphs) are not, lost part of its text.
READABLE_SHARE = 0.5
UNMAPPED_SHARE, UNMAPPED_MIN = 0.05, 5
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
    unreadable: str | None = None  # model.WHOLE_PAGE reasons, or UNMAPPED; None when read
    source: str = TEXT_LAYER  # TEXT_LAYER, "ocr-<engine>" or NEEDS_OCR (model.Document)
    ocr: OcrRead | None = None
    text_layer: TextLayer = TextLayer.USABLE  # what its text layer was found to be (text_layer)
    ocr_regions: tuple[OcrRegion, ...] = ()  # lines and cells of a text page read by OCR
    damaged: bool = False  # a content stream did not inflate whole: read as far as it went


@dataclass(frozen=True, slots=True)
class PdfPages:
    """What `read_pdf_pages` read: the pages, per-page warnings, the declared page count."""

    pages: list[PageContent]
    warnings: list[str]
    declared: int | None  # /Count of the page tree; None when the file declares none
    layer: str  # the character layer that read the pages' text (char_layer)

    @property
    def unreadable(self) -> tuple[UnreadablePage, ...]:
        lost = [
            UnreadablePage(p.number, p.unreadable, self.layer) for p in self.pages if p.unreadable
        ]
        # a damaged page may also have lost glyphs: both are said
        lost += [UnreadablePage(p.number, DAMAGED, self.layer) for p in self.pages if p.damaged]
        return tuple(sorted(lost, key=lambda u: u.page))


def read_pdf_pages(
    path: Path, *, backend: str = DEFAULT_BACKEND, ocr: str = DEFAULT_OCR
) -> tuple[list[PageContent], list[str]]:
    """All pages of a PDF plus per-page warnings (e.g. fonts without ToUnicode).

    Pages without a usable text layer are read by the OCR engine `ocr` ("off" for none).
    Raises ConfigError for an unknown `backend` or `ocr`, InputError for an unreadable
    file and for one where no page has usable text ("needs OCR").
    """
    read = read_pdf(path, backend=backend, ocr=ocr)
    return read.pages, read.warnings


def read_pdf(path: Path, *, backend: str = DEFAULT_BACKEND, ocr: str = DEFAULT_OCR) -> PdfPages:
    """All pages of a PDF, per-page warnings and the page count the file declares.

    Pages without a usable text layer are read by the OCR engine `ocr` ("off" for none).
    Raises ConfigError for an unknown `backend` or `ocr`, InputError for a file that cannot
    be read as a PDF or has no page with readable text ("needs OCR" when its pages are
    images and no OCR read them).
    """
    check_ocr(ocr)
    finder = table_backend(backend, path)
    reader = None if ocr == OCR_OFF else PageOcr(path, ocr)
    if char_layer(backend) == PDFIUM:
        pages, declared = _read_with_pdfium(path, finder, reader)
    else:
        pages, declared = _read_with_pdfplumber(path, finder, reader)
    why_not = "--ocr off" if reader is None else reader.unavailable
    # past a shape limit or the OCR budget: named by its limit, not as wanting OCR
    skipped = [p for p in pages if p.unreadable and p.unreadable.endswith(NOT_READ)]
    unread = [p for p in pages if p.source == NEEDS_OCR and p not in skipped]
    if pages and len(unread) == len(pages):
        raise InputError(f"{path}: needs OCR (no page has usable text; {why_not})")
    warnings = [
        f"p.{p.number}: {p.unmapped_glyphs} glyphs have no Unicode mapping; "
        + (
            f"{len(p.ocr_regions)} lines or cells holding them read by OCR"
            if p.ocr_regions
            else "page needs OCR"
        )
        for p in pages
        if p.unmapped_glyphs and p.source == TEXT_LAYER
    ]
    warnings += [
        f"p.{p.number}: no usable text layer ({p.text_layer}); needs OCR, not read ({why_not})"
        for p in unread
    ]
    warnings += [f"p.{p.number}: {p.unreadable}" for p in skipped]
    if skipped and all(p in skipped or p.unreadable in WHOLE_PAGE for p in pages):
        reason = skipped[0].unreadable or ""
        raise LimitError(f"{path}: p.{skipped[0].number}: {reason.removesuffix(NOT_READ)}")
    if all(p.unreadable in WHOLE_PAGE for p in pages):
        raise InputError(_no_readable_page(path, pages))
    return PdfPages(pages, warnings, declared, char_layer(backend))


def _no_readable_page(path: Path, pages: Sequence[PageContent]) -> str:
    if pages and all(p.unreadable == IMAGE_ONLY for p in pages):
        return f"{path}: needs OCR (its {len(pages)} pages are images without a text layer)"
    if any(p.unreadable == IMAGE_ONLY for p in pages):
        return f"{path}: needs OCR (no page has readable text; some are images)"
    return f"{path}: unreadable (no page has readable text; {len(pages)} pages read)"


def _declared_in_file(path: Path) -> int | None:
    """`_declared_pages` of a file pdfplumber did not open (the pdfium backend)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        with path.open("rb") as fh:
            return _declared_pages(PDFDocument(PDFParser(fh)))
    except Exception:  # what pdfminer cannot parse declares nothing usable
        return None


def _declared_pages(doc: Any) -> int | None:
    """The page tree's /Count in pdfminer's document, when the file states a whole number."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(doc.catalog["Pages"])["Count"])
    except Exception:  # a damaged tree declares nothing usable; the pages read still count
        return None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def page_readability(texts: Sequence[str], images: int) -> str | None:
    """Why a page with these glyph texts and `images` images lost its text, or None."""
    glyphs = [t for t in texts if t and not t.isspace()]
    if not glyphs:
        return IMAGE_ONLY if images else NO_TEXT
    joined = "".join(glyphs)
    if joined.isprintable() and not UNMAPPED.search(joined):
        return None  # no glyph is unreadable (a glyph's match is one in the whole)
    unreadable = sum(1 for t in glyphs if UNMAPPED.search(t) or not t.isprintable())
    if len(glyphs) - unreadable < READABLE_SHARE * len(glyphs):
        return GARBLED
    if unreadable >= max(UNMAPPED_MIN, UNMAPPED_SHARE * len(glyphs)):
        return PART_UNMAPPED
    return None


def _read_with_pdfplumber(
    path: Path, finder: TableBackend, reader: PageOcr | None
) -> tuple[list[PageContent], int | None]:
    """The pages read through pdfplumber, and the page count the file declares."""
    from pdfplumber.utils.exceptions import PdfminerException

    from pipeline.extract.pdfminer_guard import GuardError, install

    install()
    try:
        with _pdfminer_warnings(path), _pdfplumber_open(path) as pdf:
            pages = _pdfplumber_pages(pdf)
            counter = _GlyphCounter(path)
            try:
                return list(_read_pages(pages, finder, reader, counter)), _declared_pages(pdf.doc)
            finally:
                counter.close()
    except LimitError as exc:
        raise LimitError(f"{path}: {exc}") from exc
    except PdfminerException as exc:
        raise InputError(f"{path}: not a readable PDF ({_pdfminer_reason(exc)})") from exc
    except GuardError as exc:
        raise InputError(f"{path}: not a readable PDF ({exc})") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc


@contextlib.contextmanager
def _pdfminer_warnings(path: Path) -> Iterator[None]:
    """pdfminer's warnings about one file as one line at most: a damaged file makes it warn
    once per object (two hundred lines in one build), which buries every other message."""
    caught = _Caught()
    miner = logging.getLogger("pdfminer")
    miner.addHandler(caught)
    propagate, miner.propagate = miner.propagate, False
    try:
        yield
    finally:
        miner.removeHandler(caught)
        miner.propagate = propagate
        if caught.first is not None:
            more = f" (and {caught.count - 1} more)" if caught.count > 1 else ""
            log.warning("%s: pdfminer: %s%s", path, caught.first, more)


class _Caught(logging.Handler):
    """Counts the warnings it is handed and keeps the first."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.first: str | None = None
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = record.getMessage()


@contextlib.contextmanager
def _pdfplumber_open(path: Path) -> Iterator[Any]:
    """pdfplumber.open on a stream we close ourselves: pdfplumber's own close() builds every
    page again, so a page box that failed once would fail there too and hide the reason."""
    import pdfplumber

    with path.open("rb") as stream:
        pdf = pdfplumber.open(stream)
        try:
            yield pdf
        finally:
            with contextlib.suppress(Exception):
                pdf.close()


def _pdfplumber_pages(pdf: Any) -> list[Any]:
    """pdfplumber's pages; a page box it cannot use (missing numbers, /b'e30', an array of
    three) fails there with whatever the indexing raised, said here in one line."""
    from pdfplumber.utils.exceptions import MalformedPDFException

    from pipeline.extract.pdfminer_guard import GuardError

    try:
        return list(pdf.pages)
    except (MalformedPDFException, IndexError, TypeError, ValueError) as exc:
        raise GuardError(f"a page has no usable MediaBox: {exc}") from exc


def _read_with_pdfium(
    path: Path, finder: TableBackend, reader: PageOcr | None
) -> tuple[list[PageContent], int | None]:
    """The pages read through pdfium, and the page count the file declares (read by pdfminer,
    whose warnings about the file are the one line of `_pdfminer_warnings` too)."""
    from pypdfium2 import PdfiumError  # type: ignore[import-untyped]

    from pipeline.extract.pdfium_page import open_pdfium
    from pipeline.extract.pdfminer_guard import GuardError

    try:
        # pdfminer reads the fonts (pdfium_fonts.FontMetrics): its warnings, one line at most
        with _pdfminer_warnings(path), open_pdfium(path) as pages:
            return list(_read_pages(pages, finder, reader)), _declared_in_file(path)
    except LimitError as exc:
        raise LimitError(f"{path}: {exc}") from exc
    except GuardError as exc:  # pdfminer's bounds, met while the fonts were read
        raise InputError(f"{path}: not a readable PDF ({exc})") from exc
    except PdfiumError as exc:
        reason = "encrypted" if "password" in str(exc).lower() else str(exc)
        raise InputError(f"{path}: not a readable PDF ({reason})") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc


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


class _GlyphCounter:
    """Glyphs on a page as pdfium counts them, in C and in milliseconds, so that a page of
    millions of glyphs is left out before pdfminer builds an object for each.

    Only asked for a page whose content streams (inflated by pdfminer, under its bound) hold
    more bytes than the page may have characters, since every glyph takes at least a byte:
    pdfium inflates without a bound, so it never sees a bomb pdfminer has not refused.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pdf: Any = None

    def count(self, page: Any, index: int, limit: int) -> int | None:
        """Glyphs on the page, or None when its content is too small to matter or pdfium
        cannot tell."""
        from pdfminer.pdftypes import PDFStream, resolve1

        from pipeline.extract.pdfminer_guard import GuardError

        size = 0
        try:
            for content in getattr(page.page_obj, "contents", []) or []:
                stream = resolve1(content)
                size += len(stream.get_data()) if isinstance(stream, PDFStream) else 0
        except GuardError:
            raise
        except Exception:  # a stream that does not decode: pdfminer's reading says what it can
            return None
        if size <= limit:
            return None
        try:
            if self._pdf is None:
                import pypdfium2

                self._pdf = pypdfium2.PdfDocument(str(self._path))
            return _count(self._pdf[index])
        except Exception:  # pdfium cannot load it: pdfminer counts
            return None

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _count(page: Any) -> int:
    text = page.get_textpage()
    try:
        return int(text.count_chars())
    finally:
        text.close()
        page.close()


def _read_pages(
    pages: Sequence[Any],
    finder: TableBackend,
    reader: PageOcr | None,
    counter: _GlyphCounter | None = None,
) -> Iterator[PageContent]:
    for index, displayed in enumerate(pages):
        content = _read_page(displayed, index, finder, reader, counter)
        if content.unreadable is None or not content.unreadable.endswith(NOT_READ):
            # a page left out past a limit was never inflated: nothing to say of its streams
            content = replace(content, damaged=_content_damaged(displayed))
        yield content


def _content_damaged(page: Any) -> bool:
    """A content stream of the page (read already) did not inflate whole."""
    from pipeline.extract.pdfium_page import PdfiumPage, inflate_contents

    if isinstance(page, PdfiumPage):
        return page.content_damaged
    return not inflate_contents(page.page_obj)


def _read_page(
    displayed: Any,
    index: int,
    finder: TableBackend,
    reader: PageOcr | None,
    counter: _GlyphCounter | None,
) -> PageContent:
    from pipeline.extract.turned_page import turn_of

    limit = active().max_chars
    counted = None
    if limit and counter:
        counted = counter.count(displayed, index, limit)
    elif limit:  # a pdfium page counts its own glyphs
        counted = _pdfium_glyphs(displayed)
    too_long = past(
        "page", len(displayed.chars) if counted is None else counted, "characters", "max_chars"
    )
    if too_long:  # left out and named (PAGE001); the other pages are read
        return _skipped(displayed, too_long)
    texts = [c["text"] for c in displayed.chars]
    layer = judge_text_layer(texts, len(displayed.images))
    readability = page_readability(texts, len(displayed.images))
    if layer in FOR_OCR:
        read, over_budget = _ocr_read(reader, displayed, index)
        if reader is not None and over_budget:
            return _unread_over_budget(displayed, reader, layer)
        if read is not None or readability not in (None, PART_UNMAPPED):
            lost = _lost(read, readability)
            return _ocr_content(displayed, read, layer, turn_of(displayed), lost)
        # no OCR ran: the readable part of the text layer is still read; PAGE001 says
        # that part of it was lost, PAGE003 that the layer was not fit to read
    return _text_layer_content(displayed, index, finder, reader, layer)


def _text_layer_content(
    displayed: Any, index: int, finder: TableBackend, reader: PageOcr | None, layer: TextLayer
) -> PageContent:
    """A page read from its text layer, the lines and cells of unmapped glyphs by OCR."""
    from pipeline.extract.turned_page import upright_page

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
    free = outside(chars, [t.bbox for t in tables])
    lines = [
        ln for ln in chars_to_lines(free, infer_spaces=spaces) if not PAGE_NUMBER.match(ln.text)
    ]
    unmapped = len(UNMAPPED.findall("".join(c["text"] for c in chars)))
    unreadable = page_readability([c["text"] for c in chars], len(displayed.images))
    done = None
    if unmapped and reader is not None and not turn.quarters:
        # the few lines and cells holding unmapped glyphs are read alone by OCR
        done = reader.complete(page, index, chars, lines, tables)
    return PageContent(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        lines=done.lines if done is not None else tuple(lines),
        tables=done.tables if done is not None else tuple(tables),
        unmapped_glyphs=unmapped,
        turn=turn,
        unreadable=unreadable,
        text_layer=layer,
        ocr_regions=done.regions if done is not None else (),
    )


def _pdfium_glyphs(page: Any) -> int | None:
    from pipeline.extract.pdfium_page import PdfiumPage

    return page.glyph_count() if isinstance(page, PdfiumPage) else None


def _ocr_read(reader: PageOcr | None, page: Any, index: int) -> tuple[OcrRead | None, bool]:
    """The OCR of `page` (None with no engine), and True when the document's OCR budget
    was spent before it or while it was read (then no OCR of it is kept)."""
    if reader is None:
        return None, False
    if not reader.budget_left():
        return None, True
    try:
        return reader.read(page, index), False
    except OcrStopped:
        return None, True


def _unread_over_budget(page: Any, reader: PageOcr, layer: TextLayer) -> PageContent:
    """A page that needed OCR once the document's OCR budget was spent (before it, or while
    it was read): nothing on it is read, and PAGE001 names the budget."""
    return replace(
        _skipped(page, ocr_budget_reason(reader.budget)),
        source=NEEDS_OCR,
        text_layer=layer,
    )


def _skipped(page: Any, problem: str) -> PageContent:
    """A page past a shape limit: nothing on it is read, and its reason says which limit."""
    from pipeline.extract.turned_page import turn_of

    return PageContent(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        lines=(),
        tables=(),
        unmapped_glyphs=0,
        turn=turn_of(page),
        unreadable=problem + NOT_READ,
        text_layer=TextLayer.NOT_JUDGED,
    )


def _lost(read: OcrRead | None, readability: str | None) -> str | None:
    """Why a page sent to OCR has no text (PAGE001), or None when OCR read some: an unread
    page keeps its own reason, one OCR found nothing on has no readable text, never clean."""
    if read is None:
        return readability or GARBLED
    return None if read.chars else NO_TEXT


def _ocr_content(
    page: Any, read: OcrRead | None, layer: TextLayer, turn: Turn, lost: str | None
) -> PageContent:
    """A page read by OCR (`read`), or one left unread when no OCR ran (then NEEDS_OCR)."""
    chars = read.chars if read is not None else ()
    tables = read.tables if read is not None else ()
    free = outside(chars, [t.bbox for t in tables])
    lines = [ln for ln in chars_to_lines(free, infer_spaces=True) if not PAGE_NUMBER.match(ln.text)]
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
        text_layer=layer,
        unreadable=lost,
    )
