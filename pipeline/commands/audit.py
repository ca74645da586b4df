"""`bulletins audit FILE...`: recompute every figure and report inconsistencies."""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.archive.gazetteers import Gazetteers
from pipeline.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    add_backend,
    add_gazetteer,
    add_ocr,
    given_gazetteers,
    guarded,
)
from pipeline.extract import read_document
from pipeline.model import Audit, Severity
from pipeline.report.audit_json import audit_json
from pipeline.report.html import audit_html
from pipeline.report.markdown import audit_markdown
from pipeline.report.summary import audit_summary
from pipeline.report.text import audit_text
from pipeline.validate import audit

log = logging.getLogger("bulletins")


@dataclass(frozen=True, slots=True)
class Target:
    """Where one report goes: the input it describes and how to print it."""

    source: Path
    colour: bool  # ANSI colour in --format text
    pdf_href: str  # how the HTML report links to the source PDF


def _html(result: Audit, target: Target) -> str:
    if result.normalized.document.format != "pdf":
        return audit_html(result)
    return audit_html(result, source_pdf=target.source, pdf_href=target.pdf_href)


FORMATS: dict[str, Callable[[Audit, Target], str]] = {
    "text": lambda result, target: audit_text(result, colour=target.colour),
    "json": lambda result, _: json.dumps(audit_json(result), ensure_ascii=False),
    "md": lambda result, _: audit_markdown(result),
    "summary": lambda result, _: audit_summary(result),
    "html": _html,
}


def add_parser(sub: Any) -> None:
    aud = sub.add_parser("audit", help="recompute every figure and report inconsistencies")
    aud.add_argument("files", type=Path, nargs="+", help="bulletins (PDF, HTML, DOCX or text)")
    aud.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="text (default), json (one object per line), md, summary (one line per file), "
        "or html (one self-contained page per file; see docs/reports.md)",
    )
    aud.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="with --format html: write DIR/<name>.html per file and print the paths "
        "(required for several files)",
    )
    add_gazetteer(aud)
    add_backend(aud)
    add_ocr(aud)
    aud.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    paths: Sequence[Path] = args.files
    out_dir: Path | None = args.output
    problem = _usage_problem(args.format, paths, out_dir)
    if problem:
        print(f"bulletins audit: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    gazetteers = given_gazetteers(args, "audit")
    if gazetteers is None:
        return EXIT_UNREADABLE
    names = report_names(paths) if out_dir is not None else {}
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"bulletins audit: {out_dir}: cannot create ({exc.strerror})", file=sys.stderr)
            return EXIT_UNREADABLE
    colour = use_colour()
    codes = []
    for path in paths:
        target = Target(path, colour, pdf_href(path, out_dir))
        dest = out_dir / names[path] if out_dir is not None else None
        reading = Reading(args.backend, args.ocr)
        job = functools.partial(_audit_one, target, args.format, reading, gazetteers, dest)
        codes.append(guarded(job, path, args.strict))
    if EXIT_UNREADABLE in codes:
        return EXIT_UNREADABLE
    return max(codes, default=EXIT_OK)


def _usage_problem(fmt: str, paths: Sequence[Path], out_dir: Path | None) -> str | None:
    if out_dir is not None and fmt != "html":
        return "-o/--output is for --format html; other formats print to stdout"
    if fmt == "html" and out_dir is None and len(paths) > 1:
        return "--format html with several files needs -o/--output DIR (one page per file)"
    if out_dir is not None:
        clashes = [n for n, k in Counter(report_names(paths).values()).items() if k > 1]
        if clashes:
            return f"two inputs would both write {out_dir / clashes[0]}"
    return None


def report_names(paths: Sequence[Path]) -> dict[Path, str]:
    """`<stem>.html` per input; `<name>.html` (a.pdf.html) where two inputs share a stem."""
    stems = Counter(p.stem for p in paths)
    return {p: f"{p.stem if stems[p.stem] == 1 else p.name}.html" for p in paths}


def pdf_href(source: Path, out_dir: Path | None) -> str:
    """A link to `source` from a report in `out_dir`: relative there, else a file:// URI.

    A report printed to stdout may be saved anywhere, so it gets the absolute URI.
    """
    if out_dir is None:
        return source.resolve().as_uri()
    relative = os.path.relpath(source.resolve(), out_dir.resolve())
    return urllib.parse.quote(Path(relative).as_posix())


def use_colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@dataclass(frozen=True, slots=True)
class Reading:
    """How files are read: the table backend and the OCR engine."""

    backend: str
    ocr: str


def _audit_one(
    target: Target, fmt: str, reading: Reading, gazetteers: Gazetteers, dest: Path | None
) -> int:
    log.info("auditing %s", target.source)
    doc = read_document(target.source, backend=reading.backend, ocr=reading.ocr)
    result = audit(gazetteers.normalize(doc))
    report = FORMATS[fmt](result, target)
    if dest is None:
        print(report, flush=True)
    else:
        dest.write_text(report, encoding="utf-8")
        print(dest, flush=True)
    has_error = any(f.severity is Severity.ERROR for f in result.findings)
    return EXIT_FINDINGS if has_error else EXIT_OK
