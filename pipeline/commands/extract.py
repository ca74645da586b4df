"""`bulletins extract FILE`: one document as JSON (schema bulletins.document/1)."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.commands.common import EXIT_OK, add_backend, add_ocr, guarded
from pipeline.commands.parsers import command_parser
from pipeline.commands.stdin import add_format_in, opened
from pipeline.errors import InputError
from pipeline.extract.debug import write_debug_pages
from pipeline.normalize import resolve_metadata
from pipeline.report.document_json import document_json

EXAMPLES = (
    "bulletins extract bulletin.pdf --indent 2",
    "bulletins extract bulletin.pdf -o bulletin.json --debug-pages pages/",
    "curl -s https://example.gov.cn/tb.html | bulletins extract - --format-in html",
)


def add_parser(sub: Any) -> None:
    ext = command_parser(
        sub,
        "extract",
        help="print one document as JSON (schema bulletins.document/1)",
        examples=EXAMPLES,
        docs=["document-json.md", "backends.md"],
    )
    ext.add_argument("file", type=Path, help="a bulletin (PDF, HTML, DOCX or text); - for stdin")
    ext.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the JSON here (default stdout)"
    )
    ext.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    ext.add_argument(
        "--debug-pages",
        type=Path,
        metavar="DIR",
        help="also write DIR/page-NNN.png with tables, header and body cells and lines boxed",
    )
    add_format_in(ext)
    add_backend(ext)
    add_ocr(ext)
    ext.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    job = functools.partial(_extract, args)
    return guarded(job, args.file, args.strict)


def _extract(args: argparse.Namespace) -> int:
    with opened(args.file, backend=args.backend, format_in=args.format_in, ocr=args.ocr) as (
        doc,
        read_from,
    ):
        if args.debug_pages is not None:
            for written in write_debug_pages(read_from, args.debug_pages, backend=args.backend):
                print(written, file=sys.stderr)
    data = document_json(doc, resolve_metadata(doc))
    text = json.dumps(data, ensure_ascii=False, indent=args.indent)
    if args.output is None:
        print(text)
        return EXIT_OK
    try:
        args.output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{args.output}: cannot write ({exc.strerror or exc})") from exc
    return EXIT_OK
