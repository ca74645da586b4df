"""The `bulletins` command line: the only place that reads argv or prints.

Exit codes: 0 no error-level finding, 1 at least one error-level finding,
2 an input could not be read (one line on stderr per file; the rest go on).
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.errors import BulletinError
from pipeline.extract import read_document
from pipeline.extract.backends import BACKENDS, DEFAULT_BACKEND
from pipeline.extract.debug import write_debug_pages
from pipeline.model import Audit, Severity
from pipeline.normalize import normalize, resolve_metadata
from pipeline.report.audit_json import audit_json
from pipeline.report.document_json import document_json
from pipeline.report.markdown import audit_markdown
from pipeline.report.summary import audit_summary
from pipeline.report.text import audit_text
from pipeline.validate import audit

log = logging.getLogger("bulletins")

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

FORMATS: dict[str, Callable[[Audit], str]] = {
    "text": audit_text,
    "json": lambda result: json.dumps(audit_json(result), ensure_ascii=False),
    "md": audit_markdown,
    "summary": audit_summary,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletins",
        description="Read Chinese government hotline bulletins and audit the numbers they print.",
    )
    parser.add_argument("--version", action="version", version=f"bulletins {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    parser.add_argument(
        "--strict", action="store_true", help="re-raise unexpected errors (for debugging)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ext = sub.add_parser("extract", help="print one document as JSON (schema bulletins.document/1)")
    ext.add_argument("file", type=Path, help="a bulletin (PDF)")
    ext.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    ext.add_argument(
        "--debug-pages",
        type=Path,
        metavar="DIR",
        help="also write DIR/page-NNN.png with tables, header and body cells and lines boxed",
    )
    _add_backend(ext)

    aud = sub.add_parser("audit", help="recompute every figure and report inconsistencies")
    aud.add_argument("files", type=Path, nargs="+", help="bulletins (PDF)")
    aud.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="text (default), json (one object per line), md, or summary (one line per file)",
    )
    _add_backend(aud)
    return parser


def _add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=list(BACKENDS),
        default=DEFAULT_BACKEND,
        help=f"table backend for PDFs (default {DEFAULT_BACKEND}; see docs/backends.md)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command == "extract":
        job = functools.partial(_extract, args.file, args.indent, args.backend, args.debug_pages)
        return _guarded(job, args.file, args.strict)
    return _audit_all(args.files, args.format, args.backend, args.strict)


def _extract(path: Path, indent: int | None, backend: str, debug_dir: Path | None) -> int:
    doc = read_document(path, backend=backend)
    if debug_dir is not None:
        for written in write_debug_pages(path, debug_dir, backend=backend):
            print(written, file=sys.stderr)
    data = document_json(doc, resolve_metadata(doc))
    print(json.dumps(data, ensure_ascii=False, indent=indent))
    return EXIT_OK


def _audit_all(paths: Sequence[Path], fmt: str, backend: str, strict: bool) -> int:
    codes = [
        _guarded(functools.partial(_audit_one, path, fmt, backend), path, strict) for path in paths
    ]
    if EXIT_UNREADABLE in codes:
        return EXIT_UNREADABLE
    return max(codes, default=EXIT_OK)


def _audit_one(path: Path, fmt: str, backend: str) -> int:
    log.info("auditing %s", path)
    result = audit(normalize(read_document(path, backend=backend)))
    print(FORMATS[fmt](result), flush=True)
    has_error = any(f.severity is Severity.ERROR for f in result.findings)
    return EXIT_FINDINGS if has_error else EXIT_OK


def _guarded(job: Callable[[], int], path: Path, strict: bool) -> int:
    """Run one document's job; a failure is one line on stderr, not a traceback."""
    try:
        return job()
    except BulletinError as exc:
        if strict:
            raise
        print(f"bulletins: {exc}", file=sys.stderr)
    except Exception as exc:  # one bad document must not take down the batch
        if strict:
            raise
        print(f"bulletins: {path}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
