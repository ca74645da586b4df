"""Find on which page of the rendered PDF each injected error is printed.

The text of every page is read with pdfplumber, the page numbers ("— n —") dropped and all
whitespace removed, so a sentence is found even where it wraps or crosses a page. A text
error is on the page where its printed value stands inside its sentence; a table error on
the page that holds its row (the row's cells in order, or else its longest cell, searched
from the page where the table's title stands).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

import pdfplumber

from corpus.generate.spec import Bulletin, InjectedError, TableSpec

_FOOTER = re.compile(r"—\s*\d+\s*—")
_SPACE = re.compile(r"\s+")


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def norm(text: str) -> str:
    return _SPACE.sub("", _FOOTER.sub("", text))


class Pages:
    """The document's text as one string, with the offset where each page starts."""

    def __init__(self, texts: list[str]) -> None:
        self.starts, parts, pos = [], [], 0
        for text in texts:
            self.starts.append(pos)
            parts.append(norm(text))
            pos += len(parts[-1])
        self.text = "".join(parts)

    def end(self, page: int) -> int:
        return self.starts[page] if page < len(self.starts) else len(self.text)

    def page_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset)  # 1-based

    def find(self, needle: str, from_page: int = 1, last: bool = False) -> int | None:
        """Offset of `needle` (normalized) at or after `from_page`, or None."""
        needle = norm(needle)
        if not needle:
            return None
        start = self.starts[from_page - 1] if 0 < from_page <= len(self.starts) else 0
        pos = self.text.rfind(needle, start) if last else self.text.find(needle, start)
        return None if pos < 0 else pos


def page_of_text(texts: list[str], needle: str) -> int | None:
    pages = Pages(texts)
    pos = pages.find(needle)
    return None if pos is None else pages.page_at(pos)


def _table_pages(pages: Pages, tables: list[TableSpec]) -> dict[str, tuple[int, int]]:
    """First and last page each table may occupy: from its label and title to the next
    table's start. An attachment note names the title too, but after "附件N：", so the label
    followed at once by the title is the table's heading."""
    spans, starts, page = {}, [], 1
    for t in tables:
        probes = [(f"{t.attachment}{t.title}", False)] if t.attachment else []
        pos = None
        for probe, last in [*probes, (t.title, True)]:
            pos = pages.find(probe, page, last)
            if pos is not None:
                break
        page = page if pos is None else pages.page_at(pos)
        starts.append(page)
    ends = [*starts[1:], len(pages.starts)]
    for t, start, end in zip(tables, starts, ends, strict=True):
        spans[t.id] = (start, max(start, end))
    return spans


def _sentence_page(pages: Pages, e: InjectedError) -> int | None:
    sentence = e.sentence or ""
    for probe in (sentence, sentence[:16], sentence[-16:]):
        pos = pages.find(probe)
        if pos is not None:
            inner = norm(probe).find(norm(e.printed)) if e.printed else -1
            return pages.page_at(pos + max(inner, 0))
    return None


def _row_page(pages: Pages, t: TableSpec, span: tuple[int, int], e: InjectedError) -> int:
    first, last = span
    if not e.row or not 0 < e.row <= len(t.body_rows):
        return first
    cells = t.body_rows[e.row - 1]
    whole = pages.find("".join(cells), first)
    if whole is not None and pages.page_at(whole) <= last:
        return pages.page_at(whole)
    # a wrapped cell breaks the row's text: take the page with its longest cell's start
    # (a name, before any wrap) and the printed value
    name = norm(max(cells, key=len, default=""))[:5]
    for page in range(first, last + 1):
        text = norm(pages.text[pages.starts[page - 1] : pages.end(page)])
        if name in text and norm(e.printed) in text:
            return page
    before, index = 0, 0  # with page_rows, each part is printed on its own page
    for index, count in enumerate(t.layout.page_rows or []):  # noqa: B007
        if e.row <= before + count:
            break
        before += count
    return min(first + index, last)


def fill_pages(b: Bulletin, texts: list[str]) -> None:
    """Set `page` on each of the bulletin's errors from the rendered pages' text."""
    pages = Pages(texts)
    tables = {t.id: t for t in b.tables}
    spans = _table_pages(pages, b.tables)
    for e in b.errors:
        page = None
        if e.sentence:
            page = _sentence_page(pages, e)
        if page is None and e.table in tables:
            page = _row_page(pages, tables[e.table], spans[e.table], e)
        if page is None and e.printed:
            pos = pages.find(e.printed)
            page = None if pos is None else pages.page_at(pos)
        e.page = page
