"""Bounds on two pdfminer loops that a crafted PDF can make endless or huge.

pdfminer follows an indirect reference until it reaches an object that is not one
(`resolve1`: `while isinstance(x, PDFObjRef)`), so `6 0 obj 6 0 R endobj`, used as a page's
/Resources, /Rotate or /MediaBox or as the catalog, never ends. And a ToUnicode map's
`bfrange` is expanded one code at a time, so `<00000000> <FFFFFFFF>` means four billion
dictionary entries (minutes, then gigabytes). Both are plain loops in pure Python, beyond
the reach of a memory cap until it is too late.

`install()` wraps the two methods those loops call, once per process: a reference chain of
more than MAX_CHAIN links, or one that comes back to an object it passed, raises
ReferenceLoop; a ToUnicode map asked for more than MAX_TO_UNICODE codes raises
ToUnicodeTooLarge. Both are GuardError, which the PDF reader turns into one line. A
real file never comes near either bound: a chain is one or two links, and a font maps at most
the 65,536 codes of its two-byte space, a CJK subset a few thousand.
"""

from __future__ import annotations

from typing import Any

MAX_CHAIN = 64  # links in one chain of indirect references
MAX_TO_UNICODE = 2 * 65_536  # codes one ToUnicode map may define

_installed = False


class GuardError(Exception):
    """A PDF past one of the bounds above (its message says which)."""


def install() -> None:
    """Wrap PDFObjRef.resolve and FileUnicodeMap.add_cid2unichr (idempotent)."""
    global _installed
    if _installed:
        return
    from pdfminer.cmapdb import FileUnicodeMap
    from pdfminer.pdftypes import PDFObjRef

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

    PDFObjRef.resolve = resolve  # type: ignore[method-assign]
    FileUnicodeMap.add_cid2unichr = add_cid2unichr  # type: ignore[method-assign]
    _installed = True


class ReferenceLoop(GuardError):
    pass


class ToUnicodeTooLarge(GuardError):
    pass
