"""`bulletins extract FILE`: one document as JSON (schema bulletins.document/1)."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.commands.common import EXIT_OK, add_backend, add_ocr, guarded
from pipeline.extract import read_document
from pipeline.extract.debug import write_debug_pages
from pipeline.normalize import resolve_metadata
from pipeline.report.document_json import document_json


def add_parser(sub: Any) -> None:
    ext = sub.add_parser("extract", help="print one document as JSON (schema bulletins.document/1)")
    ext.add_argument("file", type=Path, help="a bulletin (PDF, HTML, DOCX or text)")
    ext.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    ext.add_argument(
        "--debug-pages",
        type=Path,
        metavar="DIR",
        help="also write DIR/page-NNN.png with tables, header and body cells and lines boxed",
    )
    add_backend(ext)
    add_ocr(ext)
    ext.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    job = functools.partial(
        _extract, args.file, args.indent, args.backend, args.ocr, args.debug_pages
    )
    return guarded(job, args.file, args.strict)


def _extract(path: Path, indent: int | None, backend: str, ocr: str, debug_dir: Path | None) -> int:
    doc = read_document(path, backend=backend, ocr=ocr)
    if debug_dir is not None:
        for written in write_debug_pages(path, debug_dir, backend=backend):
            print(written, file=sys.stderr)
    data = document_json(doc, resolve_metadata(doc))
    print(json.dumps(data, ensure_ascii=False, indent=indent))
    return EXIT_OK
