"""What every subcommand shares: exit codes, the backend option, the per-file guard."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.archive.gazetteers import Gazetteers, load_gazetteers
from pipeline.errors import BulletinError
from pipeline.extract.backends import BACKENDS, DEFAULT_BACKEND
from pipeline.extract.ocr import DEFAULT_OCR, OCR_CHOICES

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=list(BACKENDS),
        default=DEFAULT_BACKEND,
        help=f"table backend for PDFs (default {DEFAULT_BACKEND}; see docs/backends.md)",
    )


def add_ocr(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ocr",
        choices=list(OCR_CHOICES),
        default=DEFAULT_OCR,
        help=f"OCR engine for PDF pages without a usable text layer (default {DEFAULT_OCR}; "
        "off: such pages are warnings, a PDF with none readable fails; see docs/ocr.md)",
    )


def guarded(job: Callable[[], int], path: Path, strict: bool) -> int:
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


def add_gazetteer(cmd: argparse.ArgumentParser) -> None:
    """--gazetteer FILE, repeatable (shared with `audit`)."""
    cmd.add_argument(
        "--gazetteer",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="gazetteer JSON (e.g. from 'bulletins gazetteer build') for the bulletins of its "
        "district; repeat for several districts (docs/gazetteer.md)",
    )


def given_gazetteers(args: argparse.Namespace, command: str) -> Gazetteers | None:
    """The --gazetteer files read, or None after one line on stderr saying why not."""
    try:
        return load_gazetteers(args.gazetteer)
    except BulletinError as exc:
        print(f"bulletins {command}: {exc}", file=sys.stderr)
        return None
