"""What every subcommand shares: exit codes, the backend option, the per-file guard."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import BulletinError
from pipeline.extract.backends import BACKENDS, DEFAULT_BACKEND

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=list(BACKENDS),
        default=DEFAULT_BACKEND,
        help=f"table backend for PDFs (default {DEFAULT_BACKEND}; see docs/backends.md)",
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
