"""Files to a typed `Document`: PDF, and the flow formats HTML, DOCX and plain text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.errors import InputError
from pipeline.extract.backends import DEFAULT_BACKEND, check_backend
from pipeline.extract.document import pdf_to_document
from pipeline.extract.docx import docx_to_document
from pipeline.extract.html import html_to_document
from pipeline.extract.ocr import DEFAULT_OCR, check_ocr
from pipeline.extract.text import text_to_document
from pipeline.model import Document

READERS: dict[str, Callable[[Path], Document]] = {
    ".pdf": pdf_to_document,
    ".html": html_to_document,
    ".htm": html_to_document,
    ".docx": docx_to_document,
    ".txt": text_to_document,
}


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
    if reader is pdf_to_document:
        return pdf_to_document(path, backend=backend, ocr=ocr)
    return reader(path)
