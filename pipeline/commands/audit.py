"""`bulletins audit FILE...`: recompute every figure and report inconsistencies."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import logging
import os
import sys
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pipeline
from pipeline.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    add_backend,
    add_gazetteer,
    add_limits,
    add_ocr,
    given_gazetteers,
    given_limits,
    guarded,
    overwrite_problem,
)
from pipeline.commands.parsers import command_parser
from pipeline.commands.stdin import STDIN, add_format_in, read_input, source_file
from pipeline.model import Audit, Severity

if TYPE_CHECKING:
    from pipeline.isolate import Isolated
    from pipeline.normalize.gazetteers import Gazetteers

log = logging.getLogger("bulletins")


HTML_MARK = b'<meta name="generator" content="bulletins">'  # in every HTML report's head


@dataclass(frozen=True, slots=True)
class Target:
    """Where one report goes: the input it describes and how to print it."""

    source: Path
    colour: bool  # ANSI colour in --format text
    pdf_href: str | None  # how the HTML report links to the source PDF (None: no link)


# Each report's module loads when a document is printed with it, not for --help.
def _text(result: Audit, target: Target) -> str:
    from pipeline.report.text import audit_text

    return audit_text(result, colour=target.colour)


def _json(result: Audit, target: Target) -> str:
    return result.to_json()


def _markdown(result: Audit, target: Target) -> str:
    from pipeline.report.markdown import audit_markdown

    return audit_markdown(result)


def _summary(result: Audit, target: Target) -> str:
    from pipeline.report.summary import audit_summary

    return audit_summary(result)


def _html(result: Audit, target: Target) -> str:
    from pipeline.report.html import audit_html

    if result.normalized.document.format != "pdf":
        return audit_html(result)
    return audit_html(result, source_pdf=target.source, pdf_href=target.pdf_href)


FORMATS: dict[str, Callable[[Audit, Target], str]] = {
    "text": _text,
    "json": _json,
    "md": _markdown,
    "summary": _summary,
    "html": _html,
}


EXAMPLES = (
    "bulletins audit bulletin.pdf",
    "bulletins audit --format json corpus/seed/*.pdf -o audits.jsonl",
    "bulletins audit --format html a.pdf b.pdf -o reports/",
    "bulletins audit --format summary archive/*.pdf -q",
    "cat bulletin.txt | bulletins audit - --format-in text",
)


def add_parser(sub: Any) -> None:
    aud = command_parser(
        sub,
        "audit",
        help="recompute every figure and report inconsistencies",
        description="Recompute every figure and report inconsistencies. Exit status: 0 no "
        "error-level finding, 1 at least one, 2 a file could not be read.",
        examples=EXAMPLES,
        docs=["audit.md", "audit-json.md", "reports.md", "limits.md"],
    )
    aud.add_argument(
        "files", type=Path, nargs="+", help="bulletins (PDF, HTML, DOCX or text); - for stdin"
    )
    aud.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="text (default), json (one object per line), md, summary (one line per file), "
        "or html (one self-contained page per file)",
    )
    aud.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="write the reports to this file instead of stdout; with --format html a folder: "
        "DIR/<name>.html per input, the paths printed (required for several files)",
    )
    add_format_in(aud)
    add_gazetteer(aud)
    add_backend(aud)
    add_ocr(aud)
    add_limits(aud)
    aud.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.isolate import Isolated  # the worker pool, and with it the pipeline

    paths: Sequence[Path] = args.files
    output: Path | None = args.output
    problem = _usage_problem(args.format, paths, output)
    if problem:
        print(f"bulletins audit: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    gazetteers = given_gazetteers(args, "audit")
    if gazetteers is None:
        return EXIT_UNREADABLE
    out_dir = output if args.format == "html" else None
    names = report_names(paths) if out_dir is not None else {}
    try:
        sink = _open_output(output, out_dir)
    except OSError as exc:
        print(f"bulletins audit: {output}: cannot write ({exc.strerror})", file=sys.stderr)
        return EXIT_UNREADABLE
    colour = use_colour() and sink is None
    codes = []
    options = Options(args.format, args.backend, args.ocr, args.format_in, gazetteers)
    try:
        with Isolated(report_one, given_limits(args), documents=len(paths)) as isolated:
            for path in paths:
                target = Target(path, colour, pdf_href(path, out_dir))
                dest = out_dir / names[path] if out_dir is not None else None
                job = functools.partial(_audit_one, isolated, target, options, dest, sink)
                codes.append(guarded(job, path, args.strict))
    finally:
        if sink is not None:
            sink.close()
    if EXIT_UNREADABLE in codes:
        return EXIT_UNREADABLE
    return max(codes, default=EXIT_OK)


def _open_output(output: Path | None, out_dir: Path | None) -> TextIO | None:
    """The file the reports go to (None: stdout, or one file per report in out_dir)."""
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        return None
    if output is None:
        return None
    return output.open("w", encoding="utf-8")


def _usage_problem(fmt: str, paths: Sequence[Path], output: Path | None) -> str | None:
    if output is not None and fmt != "html" and output.is_dir():
        return f"-o/--output names a file for --format {fmt} ({output} is a folder)"
    if fmt == "html" and output is None and len(paths) > 1:
        return "--format html with several files needs -o/--output DIR (one page per file)"
    if output is not None and fmt == "html":
        names = report_names(paths)
        clashes = [n for n, k in Counter(names.values()).items() if k > 1]
        if clashes:
            return f"two inputs would both write {output / clashes[0]}"
        for name in names.values():
            problem = overwrite_problem(output / name, paths, HTML_MARK)
            if problem:
                return f"{problem} (nothing written)"
    elif output is not None and any(_same(output, p) for p in paths):
        return f"{output}: is an input; writing there would replace it (nothing written)"
    return None


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def report_names(paths: Sequence[Path]) -> dict[Path, str]:
    """`<stem>.html` per input; `<name>.html` (a.pdf.html) where two inputs share a stem."""
    stems = Counter(_stem(p) for p in paths)
    return {p: f"{_stem(p) if stems[_stem(p)] == 1 else p.name}.html" for p in paths}


def _stem(path: Path) -> str:
    return "stdin" if path == STDIN else path.stem


def pdf_href(source: Path, out_dir: Path | None) -> str | None:
    """A link to `source` from a report in `out_dir`: relative there, else a file:// URI.

    A report printed to stdout may be saved anywhere, so it gets the absolute URI. Stdin
    has nothing to link to.
    """
    if source == STDIN:
        return None
    if out_dir is None:
        return source.resolve().as_uri()
    relative = os.path.relpath(source.resolve(), out_dir.resolve())
    return urllib.parse.quote(Path(relative).as_posix())


def use_colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@dataclass(frozen=True, slots=True)
class Options:
    """What every document of one run is audited and printed with."""

    fmt: str
    backend: str
    ocr: str
    format_in: str | None
    gazetteers: Gazetteers


def report_one(file: Path, target: Target, options: Options) -> tuple[str, bool]:
    """In the worker: the report on the document in `file` (the input, or stdin's copy), and
    whether it has an error-level finding. Reads and audits through the Python API."""
    doc = read_input(
        file, target.source, backend=options.backend, format_in=options.format_in, ocr=options.ocr
    )
    result = pipeline.audit(doc, gazetteer=options.gazetteers)
    report = FORMATS[options.fmt](result, dataclasses.replace(target, source=file))
    return report, any(f.severity is Severity.ERROR for f in result.findings)


def _audit_one(
    isolated: Isolated[tuple[str, bool]],
    target: Target,
    options: Options,
    dest: Path | None,
    sink: TextIO | None,
) -> int:
    log.info("auditing %s", target.source)
    with source_file(target.source, options.format_in) as file:
        report, has_error = isolated.call(str(target.source), file, target, options)
    if dest is not None:
        dest.write_text(report, encoding="utf-8")
        print(dest, flush=True)
    elif sink is not None:
        print(report, file=sink, flush=True)
    else:
        print(report, flush=True)
    return EXIT_FINDINGS if has_error else EXIT_OK
