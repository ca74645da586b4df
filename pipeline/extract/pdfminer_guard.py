"""Bounds on two pdfminer loops that a crafted PDF can make endless or huge.

pdfminer follows an indirect reference until it reaches an object that is not one
(`resolve1`: `while isinstance(x, PDFObjRef)`), so `6 0 obj 6 0 R endobj`, used as a page's
/Resources, /Rotate or /MediaBox or as the catalog, never ends. And a ToUnicode map's
`bfrange` is expanded one code at a time, so `<00000000> <FFFFFFFF>` means four billion
dictionary entries (minutes, then gigabytes). Both are plain loops in pure Python, beyond
the reach of a memory cap until it is too late.

A third: pdfminer inflates a stream with no cap, so a flate bomb of a few megabytes becomes
gigabytes in memory (the address-space cap then stops it, after the machine felt it).

And a stream whose flate data is damaged (a flipped bit, a cut) is inflated as far as it goes
by pdfminer, with at most a warning on the log, and by pdfium without a word: the text read
from it may be short or wrong, yet nothing says so. The guard marks such a stream
(`inflated_whole`), so that the page it draws is named (PAGE001) instead of passing as clean.

`install()` wraps the two methods those loops call and the zlib pdfminer inflates with, once
per process: a reference chain of
more than MAX_CHAIN links, or one that comes back to an object it passed, raises
ReferenceLoop; a ToUnicode map asked for more than MAX_TO_UNICODE codes raises
ToUnicodeTooLarge. Both are GuardError, which the PDF reader turns into one line. A
real file never comes near either bound: a chain is one or two links, and a font maps at most
the 65,536 codes of its two-byte space, a CJK subset a few thousand.
"""

from __future__ import annotations

import weakref
import zlib
from typing import Any

MAX_CHAIN = 64  # links in one chain of indirect references
MAX_TO_UNICODE = 2 * 65_536  # codes one ToUnicode map may define
# bytes one stream may inflate to: a page's content is kilobytes to a few megabytes, a raw
# 300 dpi A4 colour scan 26 MB; a decompression bomb is gigabytes
MAX_INFLATED = 256 * 1024 * 1024

_installed = False
# streams whose flate data did not inflate whole (read as far as it went); weak, so that a
# document's streams go with it
_damaged: weakref.WeakSet[Any] = weakref.WeakSet()


class GuardError(Exception):
    """A PDF past one of the bounds above (its message says which)."""


def install() -> None:
    """Wrap PDFObjRef.resolve, FileUnicodeMap.add_cid2unichr and PDFStream.decode, and bound
    the zlib pdfminer inflates with (idempotent)."""
    global _installed
    if _installed:
        return
    from pdfminer import pdftypes
    from pdfminer.cmapdb import FileUnicodeMap
    from pdfminer.pdftypes import PDFObjRef, PDFStream

    resolve_one, add = PDFObjRef.resolve, FileUnicodeMap.add_cid2unichr

    def resolve(self: PDFObjRef, default: object = None) -> Any:
        seen = {self.objid}
        value = resolve_one(self, default)
        while isinstance(value, PDFObjRef):  # follow the chain here, bounded
            if value.objid in seen or len(seen) >= MAX_CHAIN:
                raise ReferenceLoop(f"object {self.objid} refers to itself through a loop")
            seen.add(value.objid)
            value = resolve_one(value, default)
        return value

    def add_cid2unichr(self: FileUnicodeMap, cid: int, code: Any) -> None:
        if len(self.cid2unichr) >= MAX_TO_UNICODE and cid not in self.cid2unichr:
            raise ToUnicodeTooLarge(
                f"a font's ToUnicode map defines more than {MAX_TO_UNICODE:,} codes"
            )
        add(self, cid, code)

    bounded = _BoundedZlib()
    decode = PDFStream.decode

    def decode_marked(self: PDFStream) -> None:
        # pdfminer catches the failure and keeps what inflated; the count tells it happened
        before = bounded.failures
        decode(self)
        if bounded.failures != before:
            _damaged.add(self)

    PDFObjRef.resolve = resolve  # type: ignore[method-assign]
    FileUnicodeMap.add_cid2unichr = add_cid2unichr  # type: ignore[method-assign]
    PDFStream.decode = decode_marked  # type: ignore[method-assign]
    pdftypes.zlib = bounded  # type: ignore[attr-defined,assignment]
    _installed = True


def inflated_whole(stream: Any) -> bool:
    """False for a pdfminer stream decoded since `install()` whose flate data was damaged or
    cut short (pdfminer kept what inflated before the damage); True otherwise."""
    return stream not in _damaged


class _BoundedZlib:
    """What pdfminer's pdftypes uses of zlib, with each stream's output capped at
    MAX_INFLATED (past it: StreamTooLarge, which pdfminer does not catch as a zlib.error)."""

    error = zlib.error

    def __init__(self) -> None:
        self.failures = 0  # streams that did not inflate whole, for PDFStream.decode's mark

    def decompress(self, data: bytes) -> bytes:
        inflater = self.decompressobj()
        try:
            out = inflater.decompress(data) + inflater.flush()
            if not inflater.eof:  # as zlib.decompress would, refuse a stream cut short
                raise zlib.error("incomplete or truncated stream")
        except zlib.error as exc:
            if "allocate" not in str(exc):  # the memory cap, not damage (isolate reads it so)
                self.failures += 1
            raise
        return out

    def decompressobj(self) -> _BoundedInflater:
        return _BoundedInflater()


class _BoundedInflater:
    def __init__(self) -> None:
        self._inflater = zlib.decompressobj()
        self._total = 0

    @property
    def eof(self) -> bool:
        return self._inflater.eof

    def decompress(self, data: bytes) -> bytes:
        out = self._inflater.decompress(data, MAX_INFLATED - self._total + 1)
        self._total += len(out)
        if self._total > MAX_INFLATED or self._inflater.unconsumed_tail:
            raise StreamTooLarge(f"a stream inflates to more than {MAX_INFLATED >> 20} MB")
        return out

    def flush(self) -> bytes:
        return self._inflater.flush()


class ReferenceLoop(GuardError):
    pass


class ToUnicodeTooLarge(GuardError):
    pass


class StreamTooLarge(GuardError):
    pass
