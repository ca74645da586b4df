"""Audit results as plain text for a terminal or a log.

Colour is the caller's decision (the CLI turns it on for a terminal without NO_COLOR).
Control characters in document text are replaced, so a crafted bulletin cannot send
escape sequences to the terminal.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from pipeline.model import Audit, Evidence, Finding, Severity
from pipeline.report.where import where_printed

UNCHECKED_SHOWN = 12
RESET = "\x1b[0m"
SGR = {  # ANSI styles
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[36m",
    "rule": "\x1b[1m",
    "dim": "\x1b[2m",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe(text: object) -> str:
    """Document text with control characters (ESC among them) shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", str(text))


Paint = Callable[[Severity | str, str], str]


def _where(e: Evidence, paged: bool) -> str:
    """A page and its box, or a block and the cell or line in it (report/where.py)."""
    return _safe(where_printed(e.source, paged=paged))


def _painter(colour: bool) -> Paint:
    def paint(style: Severity | str, text: str) -> str:
        return f"{SGR[style]}{text}{RESET}" if colour else text

    return paint


def _finding_lines(f: Finding, paint: Paint, *, paged: bool) -> list[str]:
    place = " ".join(
        _safe(part)
        for part in (f.table, f"row {f.row}" if f.row else None, f.column, f.department)
        if part
    )
    label = paint(f.severity, f"{f.severity.value.upper():7}")
    lines = [f"  {label} {paint('rule', f.rule)}  {_safe(f.message)}"]
    if place:
        lines.append(f"          at: {place}")
    if f.reported is not None or f.expected is not None:
        lines.append(f"          printed {_safe(f.reported)}; recomputed {_safe(f.expected)}")
    if f.explanation:
        lines.append(f"          why: {_safe(f.explanation)}")
    lines.extend(
        paint("dim", f"          evidence: {_where(e, paged)} {_safe(e.text)}")
        for e in f.evidence[:4]
    )
    return lines


def audit_text(result: Audit, *, colour: bool = False) -> str:
    """A readable report: header, findings by severity, coverage, totals.

    `colour` adds ANSI styles (severity, rule code); leave it off for pipes and files.
    """
    paint = _painter(colour)
    norm = result.normalized
    meta = norm.metadata
    title = _safe(meta.title.text) if meta.title else "(no title found)"
    period = f"{meta.period.start}..{meta.period.end}" if meta.period else "unknown period"
    out = [
        paint("rule", _safe(norm.document.path)),
        f"  {title}",
        f"  period {period}; published {meta.published or 'unknown'}; "
        f"{norm.document.pages} pages, {len(norm.tables)} tables",
    ]
    paged = norm.document.format == "pdf"
    for f in result.findings:
        out.extend(_finding_lines(f, paint, paged=paged))
    cov = result.coverage
    out.append(f"  coverage: {cov.checked} of {cov.numbers} printed numbers took part in a check")
    if cov.unchecked:
        shown = ", ".join(
            f"{_where(e, paged)} {_safe(e.text)}" for e in cov.unchecked[:UNCHECKED_SHOWN]
        )
        more = len(cov.unchecked) - UNCHECKED_SHOWN
        out.append(f"  not checked: {shown}" + (f" (+{more} more)" if more > 0 else ""))
    counts = Counter(f.severity.value for f in result.findings)
    totals = [
        paint(Severity.ERROR, f"{counts['error']} errors") if counts["error"] else "0 errors",
        f"{counts['warning']} warnings",
        f"{counts['info']} info",
    ]
    out.append("  " + ", ".join(totals))
    return "\n".join(out)
