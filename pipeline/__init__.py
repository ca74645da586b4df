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
from typing import TYPE_CHECKING

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
DEFAULT_BACKEND = "pdfplumber"
DEFAULT_OCR = "rapidocr"

PathLike = str | os.PathLike[str]


def open(  # pipeline.open, as pdfplumber.open
    path: PathLike,
    *,
    backend: str = DEFAULT_BACKEND,
    ocr: str = DEFAULT_OCR,
    format: str | None = None,
) -> Document:
    """Read one bulletin (PDF, HTML, DOCX or text; the suffix picks the reader).

    `backend` picks the PDF table reader (pdfplumber, pdfium, camelot-lattice,
    camelot-stream), `ocr` the engine for pages without a usable text layer (rapidocr,
    tesseract, off), `format` ("pdf", "html", "docx", "text") the reader for a file whose
    name has no suffix a reader knows, as `--format-in` does. Raises InputError when the
    file cannot be read, ConfigError for an unknown backend, engine or format or a missing
    extra.
    """
    from pathlib import Path

    from pipeline.extract import format_suffix, read_document

    suffix = format_suffix(format)
    return read_document(Path(path), backend=backend, ocr=ocr, suffix=suffix)


def audit(
    path_or_document: PathLike | Document,
    *,
    gazetteer: PathLike | Gazetteer | Gazetteers | None = None,
    backend: str = DEFAULT_BACKEND,
    ocr: str = DEFAULT_OCR,
) -> Audit:
    """Audit one bulletin: a path (read with `open`) or a Document already read.

    `gazetteer` is a gazetteer file (as `bulletins gazetteer build` writes) or a loaded
    Gazetteer; as with `bulletins audit --gazetteer`, it names the departments only when its
    district is the bulletin's, and the shipped gazetteers serve otherwise; a `Gazetteers`
    (several districts' gazetteers, as `bulletins build --gazetteer` gives) serves each
    bulletin the one of its district. The result's
    `to_json()` is the line `bulletins audit --format json` prints. Raises what `open` raises,
    and ConfigError for a missing or malformed gazetteer file.
    """
    from pathlib import Path

    from pipeline.normalize.gazetteers import NO_GAZETTEERS, Gazetteers, load_gazetteers
    from pipeline.validate import audit as audit_normalized

    if isinstance(path_or_document, Document):
        doc = path_or_document
    else:
        doc = open(path_or_document, backend=backend, ocr=ocr)
    if gazetteer is None:
        gazetteers = NO_GAZETTEERS
    elif isinstance(gazetteer, Gazetteers):
        gazetteers = gazetteer
    elif isinstance(gazetteer, str | os.PathLike):
        gazetteers = load_gazetteers([Path(gazetteer)])
    else:
        gazetteers = Gazetteers((gazetteer,))
    return audit_normalized(gazetteers.normalize(doc))
