"""What every subcommand shares: exit codes, the backend option, the per-file guard."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import BulletinError, MissingExtra
from pipeline.extract.backends import BACKEND_EXTRAS, BACKENDS, DEFAULT_BACKEND
from pipeline.extract.ocr import DEFAULT_OCR, OCR_CHOICES
from pipeline.extras import require_extra
from pipeline.limits import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_MB,
    DEFAULT_OCR_BUDGET,
    DEFAULT_TIMEOUT,
    FLAGS,
    Limits,
)

if TYPE_CHECKING:
    from pipeline.normalize.gazetteers import Gazetteers

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=list(BACKENDS),
        default=DEFAULT_BACKEND,
        help=f"table backend for PDFs (default {DEFAULT_BACKEND}; camelot-* need the extra "
        "[camelot]; see backends.md)",
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
    """Run one document's job; a failure is one line on stderr, not a traceback.

    A closed stdout (BrokenPipeError) is not the document's fault: it ends the command.
    """
    try:
        return job()
    except BrokenPipeError:
        raise
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
        "district; repeat for several districts (gazetteer.md)",
    )


def given_gazetteers(args: argparse.Namespace, command: str) -> Gazetteers | None:
    """The --gazetteer files read, or None after one line on stderr saying why not."""
    from pipeline.normalize.gazetteers import load_gazetteers  # normalization comes with it

    try:
        return load_gazetteers(args.gazetteer)
    except BulletinError as exc:
        print(f"bulletins {command}: {exc}", file=sys.stderr)
        return None


def overwrite_problem(dest: Path, inputs: Iterable[Path], mark: bytes) -> str | None:
    """Why `dest` must not be written, or None when it may.

    A command never writes over one of its inputs, nor over a file it did not write: an
    existing `dest` may be replaced only when it carries `mark` near its start, the stamp
    the command puts in what it writes.
    """
    from pipeline.extract.debug import written_by_us

    if not (dest.exists() or dest.is_symlink()):
        return None
    for source in inputs:
        try:
            if os.path.samefile(source, dest):
                return f"{dest}: is an input ({source}); writing there would replace it"
        except OSError:
            continue
    if dest.is_dir() or not written_by_us(dest, mark):
        return f"{dest}: exists and was not written by bulletins; move it or choose another name"
    return None


def missing_extra(args: argparse.Namespace) -> bool:
    """True, after one line on stderr naming the extra to install, when an option needs one."""
    needs = []
    backend = getattr(args, "backend", None)
    if backend in BACKEND_EXTRAS:
        needs.append((BACKEND_EXTRAS[backend], f"--backend {backend}"))
    if getattr(args, "executor", None) == "dask":
        needs.append(("dask", "--executor dask"))
    for extra, feature in needs:
        try:
            require_extra(extra, feature)
        except MissingExtra as exc:
            print(f"bulletins: {exc}", file=sys.stderr)
            return True
    return False


def add_limits(parser: argparse.ArgumentParser, *, memory: str = "memory per document") -> None:
    """--timeout, --memory-mb, --max-pages, --ocr-budget and the shape limits, the same for
    every command (docs/limits.md)."""
    parser.add_argument(
        "--timeout",
        type=non_negative_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds per document (default {DEFAULT_TIMEOUT:g}; 0: none)",
    )
    parser.add_argument(
        "--memory-mb",
        type=non_negative,
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help=f"{memory} (default {DEFAULT_MEMORY_MB}; 0: no cap)",
    )
    parser.add_argument(
        "--max-pages",
        type=non_negative,
        default=DEFAULT_MAX_PAGES,
        metavar="N",
        help=f"longer PDFs fail (default {DEFAULT_MAX_PAGES}; 0: no limit)",
    )
    parser.add_argument(
        "--ocr-budget",
        type=non_negative_float,
        default=DEFAULT_OCR_BUDGET,
        metavar="SECONDS",
        help=f"CPU seconds of OCR per document; pages past it are named, not read "
        f"(default {DEFAULT_OCR_BUDGET:g}; 0: none)",
    )
    shape = parser.add_argument_group(
        "shape limits", "a table or page past one is left out with a warning (limits.md)"
    )
    for field, what in SHAPE_FLAGS.items():
        shape.add_argument(
            FLAGS[field],
            type=non_negative,
            default=getattr(DEFAULT_LIMITS, field),
            metavar="N",
            help=f"{what} (default {getattr(DEFAULT_LIMITS, field):,}; 0: no limit)",
        )


SHAPE_FLAGS = {
    "max_rows": "rows per table",
    "max_cells": "cells per table, spans counted",
    "max_chars": "characters per PDF page or HTML/DOCX/text block",
    "max_digits": "significant digits of a number; longer runs are text",
}


def given_limits(args: argparse.Namespace) -> Limits:
    return Limits(**{field: getattr(args, field) for field in FLAGS})


def non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more, not {value}")
    return value


def non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):  # also NaN
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or a number of seconds, not {text}")
    return value
