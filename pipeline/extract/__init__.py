"""Files to a typed `Document` (PDF first; other formats follow)."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError
from pipeline.extract.document import pdf_to_document
from pipeline.model import Document

READERS = {".pdf": pdf_to_document}


def read_document(path: Path) -> Document:
    """Read one bulletin file; raises InputError naming the file and the reason."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a bulletin file")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"{path}: unsupported format {path.suffix or '(none)'} (known: {known})")
    return reader(path)
