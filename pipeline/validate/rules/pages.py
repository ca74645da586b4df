"""What was not read: pages without usable text, pages the file declares but did not give, and
pages whose text layer was not fit to read.

Nothing unreadable is reported clean: a document whose every page is unreadable fails at
extraction (InputError, "needs OCR" or "unreadable"); these warnings cover the rest. A page
whose text layer is garbage or unmapped but that OCR read is not clean either: what it says
came from the picture, not from the text the file carries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pipeline.model import (
    DAMAGED,
    NEEDS_OCR,
    TEXT_LAYER,
    UNUSABLE,
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
        yield Problem(
            message=f"{where}: {reason}; {_not_audited(reason)}",
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


@rule("PAGE003", Severity.WARNING, "a PDF page's text layer is fit to read")
def check_unusable_text_layers(norm: Normalized) -> Iterator[Problem]:
    doc = norm.document
    # a Document read back from a JSON written before text_layers has none: nothing to say
    judged = zip(doc.text_layers, doc.page_sources, strict=False)
    pages = [
        UnreadablePage(number, f"text layer unusable ({layer}), {_read_how(source)}", source)
        for number, (layer, source) in enumerate(judged, 1)
        if layer in UNUSABLE and source != NEEDS_OCR  # not read at all: PAGE001 says so
    ]
    backend = doc.text_backend
    for first, last, reason in page_runs(pages):
        where = f"p.{first}" if first == last else f"p.{first}–{last}"
        yield Problem(
            message=f"{where}: {reason}",
            evidence=tuple(
                Evidence(
                    Source(p.page, None, backend if p.backend == TEXT_LAYER else p.backend), reason
                )
                for p in pages
                if first <= p.page <= last
            ),
            reported=reason,
            expected="a text layer fit to read",
        )


def _not_audited(reason: str) -> str:
    if reason in WHOLE_PAGE:
        return "nothing on it was audited"
    if reason == DAMAGED:  # read as far as it inflated, by readers that do not say where
        return "what it held past the damage was not read, and what was read may be wrong"
    return "that text was not audited"


def _read_how(source: str) -> str:
    if source == TEXT_LAYER:  # no OCR ran: its text was read as the file gives it
        return "read as it stands, not by OCR"
    return f"read by OCR ({source})"


def page_runs(pages: Sequence[UnreadablePage]) -> list[tuple[int, int, str]]:
    """Consecutive pages with one reason as (first, last, reason), in page order."""
    runs: list[tuple[int, int, str]] = []
    for p in sorted(pages, key=lambda p: p.page):
        if runs and runs[-1][1] == p.page - 1 and runs[-1][2] == p.reason:
            runs[-1] = (runs[-1][0], p.page, p.reason)
        else:
            runs.append((p.page, p.page, p.reason))
    return runs
