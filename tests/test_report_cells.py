"""The HTML report shows a finding's cells and lines in HTML, DOCX and text bulletins, as it
draws boxes on a PDF page: the block as a table (or lines) with the cited ones marked."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

import pipeline
from pipeline.model import Document
from pipeline.report.cells import cited_blocks
from pipeline.report.html import audit_html

ROOT = Path(__file__).resolve().parents[1]
FLOW_FILES = [
    *sorted((ROOT / "corpus" / "generated").glob("*.html"))[:3],
    ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.docx",
    ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.txt",
    ROOT / "corpus" / "patterns" / "audit" / "growth_table.txt",
]
Cited = dict[str, list[tuple[int, tuple[int, ...], str]]]  # finding id -> (block, index, text)


class CitedCells(HTMLParser):
    """The marked cells and lines of each finding's <article>, with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.cited: Cited = {}
        self._finding = ""
        self._block = 0
        self._open: tuple[int, tuple[int, ...]] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article":
            self._finding = (a.get("id") or "").removeprefix("finding-")
        elif tag == "figure" and a.get("data-block"):
            self._block = int(a["data-block"] or 0)
        elif tag in ("td", "th", "li") and a.get("class") == "cited":
            index = tuple(int(v) for v in (a.get("data-index") or "").split(","))
            self._open, self._text = (self._block, index), ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "li") and self._open is not None:
            block, index = self._open
            self.cited.setdefault(self._finding, []).append((block, index, self._text))
            self._open = None


def cited_in(page: str) -> Cited:
    parser = CitedCells()
    parser.feed(page)
    return parser.cited


def printed_at(doc: Document) -> dict[tuple[int, tuple[int, ...]], str]:
    """Every cell and line of a flow document by (block, index)."""
    found = {(ln.source.page, ln.source.index): ln.text for ln in doc.lines if ln.source.index}
    for t in doc.tables:
        for row in (*t.header_rows, *t.body_rows):
            found.update({(c.source.page, c.source.index): c.text for c in row if c.source.index})
    return found


@pytest.mark.parametrize("path", FLOW_FILES, ids=lambda p: p.name)
def test_report_marks_the_cells_a_finding_cites(path: Path) -> None:
    result = pipeline.audit(path)
    doc = result.normalized.document
    printed = printed_at(doc)
    cited = cited_in(audit_html(result))
    # a table's title has no place of its own: a finding quoting it points at the first cell
    titles = {t.title for t in doc.tables}
    figures = 0
    for f in result.findings:
        wanted = {(e.page, e.index) for e in f.evidence if e.index is not None}
        shown = cited.get(f.id, [])
        # every cell or line the evidence names is marked, and nothing else is
        assert {(b, i) for b, i, _ in shown} == wanted, f
        for block, index, text in shown:
            assert text == printed[block, index]  # the marked cell is the printed one
        for e in (e for e in f.evidence if e.index is not None):
            text = next(t for b, i, t in shown if (b, i) == (e.page, e.index))
            if len(e.index) == 2 and e.text not in titles:
                # a cell: the evidence quotes it (and may say what it is)
                assert e.text.startswith(text)
                figures += 1
            if e.text == f.reported and f.reported:
                # the figure the finding reports, printed in the cell (or line) the page marks
                assert text == f.reported if len(e.index) == 2 else f.reported in text
    assert figures >= 1, "no finding of this file cites a table cell"


def test_report_of_a_table_finding_shows_the_columns_and_the_rows_around_it() -> None:
    result = pipeline.audit(ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.docx")
    doc = result.normalized.document
    finding = next(  # one cell of a body row well inside its table
        f
        for f in result.findings
        if len(f.evidence) == 1 and f.evidence[0].index and f.evidence[0].index[0] > 3
    )
    (view,) = cited_blocks(doc, finding.evidence)
    table = next(t for t in doc.tables if view.block in {c.source.page for c in t.body_rows[0]})
    assert view.table and view.cited == 1
    (header,) = view.header  # the column paths, which line up with the body's cells
    assert [c.text for c in header] == ["/".join(p) for p in table.columns]
    rows = [r for r in view.rows if r is not None]
    assert len(rows) <= 3  # the cited row and one either side, not the whole table
    assert view.rows[0] is None  # the rows above are left out, and say so
    (cited,) = [c for r in rows for c in r if c.cited]
    assert cited.index == finding.evidence[0].index


def test_report_of_a_pdf_has_no_block_views(seed_audit: pipeline.Audit) -> None:
    page = audit_html(seed_audit)
    assert 'class="block"' not in page and "cited" not in cited_in(page)
