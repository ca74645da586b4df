"""`-` as an input: the bulletin comes on stdin, its format from `--format-in` or its first bytes.

The readers take files (pdfplumber seeks, python-docx unzips), so stdin is copied into a
temporary file named by its format; the document then says it came from `-`.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pipeline
from pipeline.errors import BulletinError, InputError
from pipeline.extract import FORMAT_SUFFIXES as SUFFIXES
from pipeline.extract.ocr import DEFAULT_OCR
from pipeline.model import Document

STDIN = Path("-")


def add_format_in(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format-in",
        choices=list(SUFFIXES),
        metavar="{" + ",".join(SUFFIXES) + "}",
        help="the format of '-' (stdin) or of a file whose name does not say it; "
        "without it stdin is recognised by its first bytes (PDF, DOCX, HTML)",
    )


def sniff(head: bytes) -> str | None:
    """The format bytes start with, when they say it: PDF, DOCX (a zip) or HTML."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "html"
    return None


@contextmanager
def stdin_file(format_in: str | None, stream: BinaryIO | None = None) -> Iterator[Path]:
    """Stdin copied into a temporary file with its format's suffix; raises InputError."""
    data = (stream or sys.stdin.buffer).read()
    fmt = format_in or sniff(data[:64])
    if fmt is None:
        raise InputError(
            "-: cannot tell the format of stdin; give --format-in " + "|".join(SUFFIXES)
        )
    with tempfile.TemporaryDirectory(prefix="bulletins-stdin-") as tmp:
        path = Path(tmp) / f"stdin{SUFFIXES[fmt]}"
        path.write_bytes(data)
        yield path


@contextmanager
def source_file(path: Path, format_in: str | None) -> Iterator[Path]:
    """The file to read `path` from: itself, or for "-" a temporary copy of stdin."""
    if path != STDIN:
        yield path
        return
    with stdin_file(format_in) as copy:
        yield copy


def read_input(
    file: Path, shown: Path, *, backend: str, format_in: str | None, ocr: str = DEFAULT_OCR
) -> Document:
    """The document in `file`, named `shown` ("-" when `file` is stdin's copy), read by the
    Python API's `pipeline.open`.

    Raises InputError naming `shown` when it cannot be read.
    """
    if shown != STDIN:
        return pipeline.open(file, backend=backend, ocr=ocr, format=format_in)
    try:
        doc = pipeline.open(file, backend=backend, ocr=ocr)  # the copy's suffix says it
    except BulletinError as exc:
        raise type(exc)(str(exc).replace(str(file), "-")) from exc
    return dataclasses.replace(doc, path="-")
