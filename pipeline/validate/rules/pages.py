"""What was not read: pages without usable text, and pages the file declares but did not give.

Nothing unreadable is reported clean: a document whose every page is unreadable fails at
extraction (InputError, "needs OCR" or "unreadable"); these warnings cover the rest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pipeline.model import (
    WHOLE_PAGE,
    Evidence,
    Normalized,
    Problem,
    Severity,
    Source,
    UnreadablePage,
)
from pipeline.validate.registry import rule


@rule("PAGE001", Severity.WARNING, "every page of a PDF yields readable text")
def check_unreadable_pages(norm: Normalized) -> Iterator[Problem]:
    # HTML, DOCX and text files have blocks where a PDF has pages (Source.page)
    unit = "p." if norm.document.format == "pdf" else "block "
    backend = {p.page: p.backend for p in norm.document.unreadable_pages}
    for first, last, reason in page_runs(norm.document.unreadable_pages):
        where = f"{unit}{first}" if first == last else f"{unit}{first}–{last}"
        lost = "nothing on it was audited" if reason in WHOLE_PAGE else "that text was not audited"
        yield Problem(
            message=f"{where}: {reason}; {lost}",
            evidence=tuple(
                Evidence(Source(page, None, backend[page]), reason)
                for page in range(first, last + 1)
            ),
            reported=reason,
            expected="readable text",
        )


@rule("PAGE002", Severity.WARNING, "a PDF gives as many pages as its page tree declares")
def check_page_count(norm: Normalized) -> Iterator[Problem]:
    doc = norm.document
    if doc.declared_pages is None or doc.declared_pages == doc.pages:
        return
    yield Problem(
        message=f"the PDF declares {doc.declared_pages} pages; {doc.pages} were read",
        evidence=(),
        reported=str(doc.pages),
        expected=str(doc.declared_pages),
    )


def page_runs(pages: Sequence[UnreadablePage]) -> list[tuple[int, int, str]]:
    """Consecutive pages with one reason as (first, last, reason), in page order."""
    runs: list[tuple[int, int, str]] = []
    for p in sorted(pages, key=lambda p: p.page):
        if runs and runs[-1][1] == p.page - 1 and runs[-1][2] == p.reason:
            runs[-1] = (runs[-1][0], p.page, p.reason)
        else:
            runs.append((p.page, p.page, p.reason))
    return runs
