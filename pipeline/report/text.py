"""Audit results as plain text for a terminal or a log."""

from __future__ import annotations

from collections import Counter

from pipeline.model import Audit, Evidence, Finding

UNCHECKED_SHOWN = 12


def _where(e: Evidence) -> str:
    if e.bbox is None:
        return f"p.{e.page}"
    x0, top, x1, bottom = (round(v) for v in e.bbox)
    return f"p.{e.page} [{x0},{top},{x1},{bottom}]"


def _finding_lines(f: Finding) -> list[str]:
    place = " ".join(
        part
        for part in (f.table, f"row {f.row}" if f.row else None, f.column, f.department)
        if part
    )
    lines = [f"  {f.severity.value.upper():7} {f.rule}  {f.message}"]
    if place:
        lines.append(f"          at: {place}")
    if f.reported is not None or f.expected is not None:
        lines.append(f"          printed {f.reported}; recomputed {f.expected}")
    if f.explanation:
        lines.append(f"          why: {f.explanation}")
    lines.extend(f"          evidence: {_where(e)} {e.text}" for e in f.evidence[:4])
    return lines


def audit_text(result: Audit) -> str:
    """A readable report: header, findings by severity, coverage, totals."""
    norm = result.normalized
    meta = norm.metadata
    title = meta.title.text if meta.title else "(no title found)"
    period = f"{meta.period.start}..{meta.period.end}" if meta.period else "unknown period"
    out = [
        f"{norm.document.path}",
        f"  {title}",
        f"  period {period}; published {meta.published or 'unknown'}; "
        f"{norm.document.pages} pages, {len(norm.tables)} tables",
    ]
    for f in result.findings:
        out.extend(_finding_lines(f))
    cov = result.coverage
    out.append(f"  coverage: {cov.checked} of {cov.numbers} printed numbers took part in a check")
    if cov.unchecked:
        shown = ", ".join(f"{_where(e)} {e.text}" for e in cov.unchecked[:UNCHECKED_SHOWN])
        more = len(cov.unchecked) - UNCHECKED_SHOWN
        out.append(f"  not checked: {shown}" + (f" (+{more} more)" if more > 0 else ""))
    counts = Counter(f.severity.value for f in result.findings)
    out.append(f"  {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info")
    return "\n".join(out)
