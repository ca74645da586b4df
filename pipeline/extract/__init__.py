"""Files to a typed `Document`: PDF, and the flow formats HTML, DOCX and plain text.

Each reader's module, and the library it reads with, is imported when a file of its format
is read, so importing this package (the command line does, to build its parser) stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ConfigError, InputError
from pipeline.extract.backends import DEFAULT_BACKEND, check_backend
from pipeline.extract.ocr import DEFAULT_OCR, check_ocr

if TYPE_CHECKING:
    from pipeline.model import Document

# A format's name (`pipeline.open(..., format=)`, `--format-in`) -> the suffix whose reader reads it
FORMAT_SUFFIXES = {"text": ".txt", "html": ".html", "pdf": ".pdf", "docx": ".docx"}


def _pdf(path: Path, *, backend: str = DEFAULT_BACKEND, ocr: str = DEFAULT_OCR) -> Document:
    from pipeline.extract.document import pdf_to_document

    return pdf_to_document(path, backend=backend, ocr=ocr)


def _html(path: Path) -> Document:
    from pipeline.extract.html import html_to_document

    return html_to_document(path)


def _docx(path: Path) -> Document:
    from pipeline.extract.docx import docx_to_document

    return docx_to_document(path)


def _text(path: Path) -> Document:
    from pipeline.extract.text import text_to_document

    return text_to_document(path)


READERS: dict[str, Callable[[Path], Document]] = {
    ".pdf": _pdf,
    ".html": _html,
    ".htm": _html,
    ".docx": _docx,
    ".txt": _text,
}


def format_suffix(fmt: str | None) -> str | None:
    """The suffix of a format's name ("text" -> ".txt"); raises ConfigError for an unknown one."""
    if fmt is None:
        return None
    if fmt not in FORMAT_SUFFIXES:
        known = ", ".join(FORMAT_SUFFIXES)
        raise ConfigError(f"unknown input format {fmt!r} (known: {known})")
    return FORMAT_SUFFIXES[fmt]


def read_document(
    path: Path,
    *,
    backend: str = DEFAULT_BACKEND,
    suffix: str | None = None,
    ocr: str = DEFAULT_OCR,
) -> Document:
    """Read one bulletin file; raises InputError naming the file and the reason.

    The file's suffix picks the reader; `suffix` (".pdf", ".txt", ...) is the one to use
    when the name has none the readers know. `backend` names the table backend for PDFs
    (one of `BACKENDS`), `ocr` the engine for PDF pages without a usable text layer
    (`ocr.OCR_CHOICES`, "off" for none); an unknown name raises ConfigError, whatever the
    file's format.
    """
    check_backend(backend)
    check_ocr(ocr)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a bulletin file")
    reader = READERS.get(path.suffix.lower()) or READERS.get(suffix or "")
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"{path}: unsupported format {path.suffix or '(none)'} (known: {known})")
    if reader is _pdf:
        return _pdf(path, backend=backend, ocr=ocr)
    return reader(path)
