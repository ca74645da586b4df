"""Pages nobody read: a PDF page without a usable text layer that no OCR engine read.

With `--ocr off` or no engine installed, such a page's text is not read at all, so
nothing on it is audited; the document says so instead of coming out clean. A PDF
with no usable page at all fails at extraction ("needs OCR").
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.model import NEEDS_OCR, Evidence, Normalized, Problem, Severity
from pipeline.validate.registry import rule


@rule("OCR001", Severity.WARNING, "every PDF page without a usable text layer was read by OCR")
def check_pages_needing_ocr(norm: Normalized) -> Iterator[Problem]:
    pages = [i for i, source in enumerate(norm.document.page_sources, 1) if source == NEEDS_OCR]
    if not pages:
        return
    where = ", ".join(f"p.{p}" for p in pages)
    yield Problem(
        message=f"{where}: no usable text layer and no OCR run (needs OCR); nothing on "
        f"{'it' if len(pages) == 1 else 'them'} was audited",
        evidence=tuple(Evidence(p, None, NEEDS_OCR) for p in pages),
        reported=NEEDS_OCR,
        expected="text read from the page",
    )
