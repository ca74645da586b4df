"""bulletins: read Chinese government hotline bulletins and audit their arithmetic.

The Python API (docs/api.md)::

    import pipeline
    doc = pipeline.open("bulletin.pdf")          # -> Document, as `bulletins extract` reads it
    result = pipeline.audit("bulletin.pdf")      # -> Audit, as `bulletins audit` makes it
    result.findings_frame()                      # pandas, one row per finding

Readers, normalization and pandas are imported inside the functions, so `import pipeline`
stays cheap (the CLI imports this package first).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.limits import Limits
from pipeline.model import (
    Audit,
    AuditRecord,
    Coverage,
    Document,
    Evidence,
    Finding,
    Line,
    Normalized,
    Section,
    Severity,
    Source,
    Span,
    Table,
)

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.normalize.departments import Gazetteer
    from pipeline.normalize.gazetteers import Gazetteers

__version__ = "0.1.0"

__all__ = [
    "Audit",
    "AuditRecord",
    "Coverage",
    "Document",
    "Evidence",
    "Finding",
    "Limits",
    "Line",
    "Normalized",
    "Section",
    "Severity",
    "Source",
    "Span",
    "Table",
    "__version__",
    "audit",
    "open",
]

# the readers' defaults (pipeline.extract.backends.DEFAULT_BACKEND, pipeline.extract.ocr
# DEFAULT_OCR), written out so that importing the package does not load the readers;
# tests/test_api.py checks they agree
DEFAULT_BACKEND = "pdfium"
DEFAULT_OCR = "rapidocr"

PathLike = str | os.PathLike[str]
T = TypeVar("T")


# a time or memory limit needs a child process, which a caller asks for by passing Limits
def _in_process() -> Limits:
    """The API's default limits: the shape limits already in force (a command's flags, when
    the command calls the API inside its own child process), in this process."""
    from dataclasses import replace

    from pipeline.limits import active

    return replace(active(), timeout=0, memory_mb=0)


def open(  # pipeline.open, as pdfplumber.open
    path: PathLike,
    *,
    backend: str = DEFAULT_BACKEND,
    ocr: str = DEFAULT_OCR,
    format: str | None = None,
    limits: Limits | None = None,
) -> Document:
    """Read one bulletin (PDF, HTML, DOCX or text; the suffix picks the reader).

    `backend` picks the PDF table reader (pdfplumber, pdfium, camelot-lattice,
    camelot-stream), `ocr` the engine for pages without a usable text layer (rapidocr,
    tesseract, off), `format` ("pdf", "html", "docx", "text") the reader for a file whose
    name has no suffix a reader knows, as `--format-in` does. `limits` (docs/limits.md): by
    default the shape and page limits of the commands hold in this process, and there is no
    time or memory limit; a Limits with a timeout or memory_mb reads the file in a child
    process under them. Raises InputError when the file cannot be read, LimitError past a
    limit, ConfigError for an unknown backend, engine or format or a missing extra.
    """
    return _limited(_read, path, limits, backend, ocr, format)


def _limited(fn: Callable[..., T], path: PathLike, limits: Limits | None, *args: Any) -> T:
    from pathlib import Path

    from pipeline.isolate import Isolated

    given = _in_process() if limits is None else limits
    with Isolated(fn, given, documents=1) as isolated:
        return isolated.call(str(path), Path(path), *args)


def _read(path: Path, backend: str, ocr: str, format: str | None = None) -> Document:
    from pipeline.extract import format_suffix, read_document

    return read_document(path, backend=backend, ocr=ocr, suffix=format_suffix(format))


def audit(
    path_or_document: PathLike | Document,
    *,
    gazetteer: PathLike | Gazetteer | Gazetteers | None = None,
    backend: str = DEFAULT_BACKEND,
    ocr: str = DEFAULT_OCR,
    limits: Limits | None = None,
) -> Audit:
    """Audit one bulletin: a path (read with `open`) or a Document already read.

    `gazetteer` is a gazetteer file (as `bulletins gazetteer build` writes) or a loaded
    Gazetteer; as with `bulletins audit --gazetteer`, it names the departments only when its
    district is the bulletin's, and the shipped gazetteers serve otherwise; a `Gazetteers`
    (several districts' gazetteers, as `bulletins build --gazetteer` gives) serves each
    bulletin the one of its district. The result's `to_json()` is the line
    `bulletins audit --format json` prints. `limits` as for `open`;
    they hold for the whole audit of a path (digits per number too). Raises what `open`
    raises, and ConfigError for a missing or malformed gazetteer file.
    """
    from pathlib import Path

    from pipeline.normalize.gazetteers import NO_GAZETTEERS, Gazetteers, load_gazetteers

    if gazetteer is None:
        gazetteers = NO_GAZETTEERS
    elif isinstance(gazetteer, Gazetteers):
        gazetteers = gazetteer
    elif isinstance(gazetteer, str | os.PathLike):
        gazetteers = load_gazetteers([Path(gazetteer)])
    else:
        gazetteers = Gazetteers((gazetteer,))
    if isinstance(path_or_document, Document):
        from pipeline.limits import applied

        with applied(_in_process() if limits is None else limits):
            return _audit_document(path_or_document, gazetteers)
    return _limited(_audit_path, path_or_document, limits, backend, ocr, gazetteers)


def _audit_path(path: Path, backend: str, ocr: str, gazetteers: Gazetteers) -> Audit:
    return _audit_document(_read(path, backend, ocr), gazetteers)


def _audit_document(doc: Document, gazetteers: Gazetteers) -> Audit:
    from pipeline.validate import audit as audit_normalized

    return audit_normalized(gazetteers.normalize(doc))
