"""`bulletins extract FILE`: one document as JSON (schema bulletins.document/1)."""

from __future__ import annotations

import argparse
import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.commands.common import (
    EXIT_OK,
    add_backend,
    add_limits,
    add_ocr,
    given_limits,
    guarded,
)
from pipeline.commands.parsers import command_parser
from pipeline.commands.stdin import add_format_in, read_input, source_file
from pipeline.errors import InputError

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
        docs=["document-json.md", "backends.md", "limits.md"],
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
    add_limits(ext)
    ext.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    job = functools.partial(_extract, args)
    return guarded(job, args.file, args.strict)


@dataclass(frozen=True, slots=True)
class Options:
    backend: str
    ocr: str
    format_in: str | None
    indent: int | None
    debug_pages: Path | None


def document_text(file: Path, shown: Path, options: Options) -> tuple[str, list[Path]]:
    """In the worker: the document JSON of `file` (the input or stdin's copy, shown as
    `shown`) and the debug pages written. Reads through the Python API (`pipeline.open`,
    `Document.to_json`)."""
    doc = read_input(
        file, shown, backend=options.backend, format_in=options.format_in, ocr=options.ocr
    )
    written: list[Path] = []
    if options.debug_pages is not None:
        from pipeline.extract.debug import write_debug_pages

        written = list(write_debug_pages(file, options.debug_pages, backend=options.backend))
    return doc.to_json(indent=options.indent), written


def _extract(args: argparse.Namespace) -> int:
    from pipeline.isolate import Isolated  # the worker pool, and with it the pipeline

    options = Options(args.backend, args.ocr, args.format_in, args.indent, args.debug_pages)
    with (
        Isolated(document_text, given_limits(args), documents=1) as isolated,
        source_file(args.file, args.format_in) as file,
    ):
        text, written = isolated.call(str(args.file), file, args.file, options)
    for page in written:
        print(page, file=sys.stderr)
    if args.output is None:
        print(text)
        return EXIT_OK
    try:
        args.output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{args.output}: cannot write ({exc.strerror or exc})") from exc
    return EXIT_OK
