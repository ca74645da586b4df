"""What pdfminer reads of a PDF's fonts for the pdfium page reader (pdfium_page.py).

pdfium gives advance widths as integers and falls back to the font program for a descent;
pdfminer reads the font descriptors and widths as exactly as the PDF writes them, which is
what a character's box is built from. The content streams are inflated here first, under
pdfminer_guard's bounds, so a decompression bomb fails in pdfminer before pdfium meets it.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class Font:
    """What pdfminer reads of one font: its name, descent and advance widths.

    `widths` maps each character the font prints to its advance (text space units
    per point of font size), as exact as the PDF writes it; pdfium keeps integers.
    """

    def __init__(self, font: Any) -> None:
        self.name = str(font.fontname)
        self.descent = float(font.get_descent())
        self.widths: dict[str, float] = {}
        self._program = _font_program(getattr(font, "descriptor", None) or {})
        self._program_size: int | None = None
        # the ToUnicode map first: it wins over the encoding, in pdfminer and in pdfium
        unicode_map = getattr(font, "unicode_map", None)
        mapped = unicode_map.cid2unichr if unicode_map is not None else {}
        encoded = getattr(font, "cid2unicode", None) or {}
        for codes in (mapped, encoded):
            for cid, text in codes.items():
                if text not in self.widths:
                    self.widths[text] = float(font.char_width(cid))

    @property
    def program_size(self) -> int | None:
        """The length of the embedded font program, decoded (None: none embedded): what
        tells two subsets of one font apart when a reader names both alike."""
        if self._program_size is None and self._program is not None:
            try:
                self._program_size = len(self._program.get_data())
            except Exception:  # a damaged stream: the subsets stay told apart by order
                self._program = None
        return self._program_size


def _font_program(descriptor: Any) -> Any:
    from pdfminer.pdftypes import resolve1

    for key in ("FontFile2", "FontFile", "FontFile3"):
        stream = resolve1(descriptor.get(key)) if hasattr(descriptor, "get") else None
        if stream is not None and hasattr(stream, "get_data"):
            return stream
    return None


class FontMetrics:
    """The fonts of a PDF as pdfminer reads them, by the font's base name.

    Reading them is also where each page's content streams are inflated once through
    pdfminer under `pdfminer_guard`'s bounds before pdfium reads the page: pdfium inflates
    without a cap, so a flate bomb would take the process's memory (a worker killed under
    --memory-mb) where pdfminer stops at MAX_INFLATED. Raises GuardError past a bound.
    `damaged_pages` are the numbers of the pages a content stream of which did not inflate
    whole: pdfium reads what inflated and says nothing.
    """

    def __init__(self, path: Path) -> None:
        from pipeline.extract.pdfminer_guard import GuardError, install

        install()
        self.by_name: dict[str, Font] = {}
        self.subsets: dict[str, list[Font]] = {}  # by the name without its subset tag
        self.damaged_pages: set[int] = set()
        try:
            self._read(path)
        except (GuardError, MemoryError):  # a bound, or the memory cap: the document fails
            raise
        except Exception as exc:  # the fonts are only metrics: pdfium's own values stand in
            if _out_of_memory(exc):
                raise
            log.debug("%s: font descriptors unreadable", path, exc_info=True)

    def _read(self, path: Path) -> None:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfinterp import PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import dict_value, resolve1

        manager = PDFResourceManager()
        seen: set[object] = set()
        with path.open("rb") as fh:
            document = PDFDocument(PDFParser(fh))
            for number, page in enumerate(PDFPage.create_pages(document), 1):
                if not inflate_contents(page):
                    self.damaged_pages.add(number)
                fonts = dict_value(resolve1(dict_value(page.resources).get("Font", {})))
                for ref in fonts.values():
                    objid = getattr(ref, "objid", None)
                    if objid is not None and objid in seen:
                        continue
                    seen.add(objid)
                    font = Font(manager.get_font(objid, dict_value(ref)))
                    # two subsets of one font (AAAAAA+Hei, AAAAAB+Hei) map their codes to
                    # other characters and widths: each by its full name, and all under
                    # the bare name, which is all pdfium says
                    self.by_name.setdefault(font.name, font)
                    self.subsets.setdefault(font.name.split("+")[-1], []).append(font)

    def get(self, base_name: str, program_size: Callable[[], int] | None = None) -> Font | None:
        """The font of that name; of several subsets of one font (which pdfium names alike,
        without their tags), the one whose embedded program is as long as pdfium's."""
        if base_name in self.by_name:
            return self.by_name[base_name]
        found = self.subsets.get(base_name.split("+")[-1], [])
        if len(found) > 1 and program_size is not None:
            size = program_size()
            same = [f for f in found if f.program_size == size]
            if len(same) == 1:
                return same[0]
        return found[0] if found else None


def inflate_contents(page: Any) -> bool:
    """Inflate a pdfminer page's content streams and its form XObjects' (guarded, each once:
    pdfminer keeps what it decoded); False when one of them did not inflate whole."""
    from pdfminer.pdftypes import PDFStream, dict_value, resolve1

    from pipeline.extract.pdfminer_guard import GuardError, inflated_whole

    streams = [resolve1(c) for c in getattr(page, "contents", None) or []]
    try:
        forms = dict_value(resolve1(dict_value(page.resources).get("XObject", {})))
        streams += [resolve1(x) for x in forms.values()]
    except Exception:  # unreadable resources: pdfium says what it can of the page
        log.debug("page resources unreadable", exc_info=True)
    whole = True
    for stream in streams:
        # images are decoded only when a page is rendered for OCR, as with pdfplumber
        if isinstance(stream, PDFStream) and getattr(stream.get("Subtype"), "name", "") != "Image":
            try:
                stream.get_data()
            except (GuardError, MemoryError):
                raise
            except Exception as exc:  # a stream that does not decode: pdfium reads what it can
                if _out_of_memory(exc):
                    raise
                log.debug("stream does not decode", exc_info=True)
                whole = False
            whole = whole and inflated_whole(stream)
    return whole


def _out_of_memory(exc: Exception) -> bool:
    """zlib's way of saying the memory cap was met (isolate.caused_by_memory reads it so)."""
    return isinstance(exc, zlib.error) and "allocate" in str(exc)
