"""One line per audited document, for archives: counts by severity and coverage."""

from __future__ import annotations

from collections import Counter

from pipeline.model import Audit


def audit_summary(result: Audit) -> str:
    """`path: N errors, N warnings, N info; checked C of T numbers; rules that fired`, with
    `read P of D pages` before the rules when a PDF gave other than the pages it declares."""
    doc = result.normalized.document
    counts = Counter(f.severity.value for f in result.findings)
    rules = sorted({f.rule for f in result.findings if f.severity.value != "info"})
    cov = result.coverage
    declared = doc.declared_pages
    pages = f"; read {doc.pages} of {declared} pages" if declared not in (None, doc.pages) else ""
    fired = f"; {' '.join(rules)}" if rules else ""
    return (
        f"{doc.path}: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} info; "
        f"checked {cov.checked} of {cov.numbers} numbers{pages}{fired}"
    )
