"""Audit results as Markdown, for issues, notes and reviews."""

from __future__ import annotations

import re

from pipeline.model import Audit, Finding
from pipeline.report.where import where_printed

# ASCII punctuation that Markdown or the HTML it passes through would read as markup; a
# backslash before any of them prints it as is (CommonMark). Department names come from the
# document, which may carry `<img onerror=...>` or `**...**`: the report shows them as text.
MARKUP = re.compile(r"([\\`*_\[\]<>|!&#~$])")


def _cell(text: str | None) -> str:
    """Document text as inert Markdown: markup escaped, control and bidi characters blanked."""
    shown = "".join(c if c.isprintable() else " " for c in text or "")
    return MARKUP.sub(r"\\\1", shown)


def _row(f: Finding, paged: bool) -> str:
    where = "; ".join(_cell(where_printed(e.source, paged=paged)) for e in f.evidence[:3])
    place = f"{f.table or ''} {f'row {f.row}' if f.row else ''} {f.column or ''}".strip()
    return (
        f"| {f.severity.value} | {f.rule} | {_cell(f.message)} | {_cell(f.reported)} "
        f"| {_cell(f.expected)} | {_cell(f.explanation)} | {_cell(place)} | {where} |"
    )


def audit_markdown(result: Audit) -> str:
    """A heading per document, a findings table and the coverage line."""
    norm = result.normalized
    title = norm.metadata.title.text if norm.metadata.title else norm.document.path
    cov = result.coverage
    paged = norm.document.format == "pdf"
    lines = [
        f"## {_cell(title)}",
        "",
        f"Source: {_cell(norm.document.path)} (sha256 `{norm.document.sha256[:12]}`)",
        "",
        "| severity | rule | finding | printed | recomputed | explanation | where | printed at |",
        "|---|---|---|---|---|---|---|---|",
        *(_row(f, paged) for f in result.findings),
        "",
        f"Coverage: {cov.checked} of {cov.numbers} printed numbers took part in a check.",
        "",
    ]
    return "\n".join(lines)
