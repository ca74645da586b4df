"""`bulletins audit FILE...`: recompute every figure and report inconsistencies."""

from __future__ import annotations

import argparse
import functools
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    add_backend,
    guarded,
)
from pipeline.extract import read_document
from pipeline.model import Audit, Severity
from pipeline.normalize import normalize
from pipeline.report.audit_json import audit_json
from pipeline.report.markdown import audit_markdown
from pipeline.report.summary import audit_summary
from pipeline.report.text import audit_text
from pipeline.validate import audit

log = logging.getLogger("bulletins")

FORMATS: dict[str, Callable[[Audit], str]] = {
    "text": audit_text,
    "json": lambda result: json.dumps(audit_json(result), ensure_ascii=False),
    "md": audit_markdown,
    "summary": audit_summary,
}


def add_parser(sub: Any) -> None:
    aud = sub.add_parser("audit", help="recompute every figure and report inconsistencies")
    aud.add_argument("files", type=Path, nargs="+", help="bulletins (PDF, HTML, DOCX or text)")
    aud.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="text (default), json (one object per line), md, or summary (one line per file)",
    )
    add_backend(aud)
    aud.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    paths: Sequence[Path] = args.files
    codes = [
        guarded(functools.partial(_audit_one, path, args.format, args.backend), path, args.strict)
        for path in paths
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
