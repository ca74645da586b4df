"""Tables without vertical rules and tables over several pages, read from committed corpus PDFs.

Each case reads one generated bulletin and checks one of its tables against the
truth file beside it: the table comes back whole (one table, every body row as
printed) and every header path is right. The cases cover a three-line table
with names wrapped onto two lines, a whitespace-aligned table running over three
pages without a repeated header, a three-line table continued under "续表" and a
repeated two-level header, and two-level headers whose group cells are narrower
or wider than the columns they span.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract import read_document
from pipeline.model import Document, Table

GENERATED = Path(__file__).resolve().parents[1] / "corpus" / "generated"

CASES = [
    # partial (three-line) table, one page, names wrapped onto two lines (docx)
    ("gen-0005", "附件 1"),
    # partial, two pages, repeated two-level header, name cells wrapped (html)
    ("gen-0019", "附件2"),
    # unruled, three pages, no repeated header, no 续表 (docx)
    ("gen-0023", "附件1"),
    # unruled, one page, header cells wrapped onto three lines (docx)
    ("gen-0022", "附件 1"),
    # partial, two pages under a "续表" line, no repeated header (html)
    ("gen-0025", "附件 1"),
    # partial, two pages under "续表" with a repeated two-level header (docx)
    ("gen-0051", "附件 1"),
    # partial, two-level header: a group over three columns, rows of one more cell on p.5
    ("gen-0011", "附件1"),
    # unruled, two-level header whose group cells are shorter than their columns
    ("gen-0045", "附件 2"),
]


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@cache
def document(stem: str) -> Document:
    return read_document(GENERATED / f"{stem}.pdf")


def truth_table(stem: str, attachment: str) -> dict[str, Any]:
    truth = json.loads((GENERATED / f"{stem}.truth.json").read_text(encoding="utf-8"))
    tables: list[dict[str, Any]] = truth["tables"]
    return next(t for t in tables if squash(t.get("attachment")) == squash(attachment))


def read_table(stem: str, attachment: str) -> list[Table]:
    return [t for t in document(stem).tables if squash(t.attachment) == squash(attachment)]


@pytest.mark.parametrize(("stem", "attachment"), CASES)
def test_table_comes_back_whole_with_the_truth_rows(stem: str, attachment: str) -> None:
    want = truth_table(stem, attachment)
    found = read_table(stem, attachment)
    assert len(found) == 1, f"read in {len(found)} pieces"
    rows = [[squash(c.text) for c in row] for row in found[0].body_rows]
    assert rows == [[squash(text) for text in row] for row in want["body_rows"]]
    page_rows = want["layout"]["page_rows"]
    if page_rows:
        assert len(found[0].pages) == len(page_rows)


@pytest.mark.parametrize(("stem", "attachment"), CASES)
def test_header_paths_match_the_truth(stem: str, attachment: str) -> None:
    want = truth_table(stem, attachment)
    (table,) = read_table(stem, attachment)
    have = [[squash(part) for part in path] for path in table.columns]
    assert have == [[squash(part) for part in path] for path in want["columns"]]


def test_a_row_keeps_its_cells_as_printed_when_one_cell_spans_two_columns() -> None:
    """gen-0010 row 16 prints one cell over two columns: six cells, not an empty one added."""
    (table,) = read_table("gen-0010", "附件1")
    row = [squash(c.text) for c in table.body_rows[15]]
    assert row == ["16", "八里店镇", "4", "4", "100.0%", "100.0%"]
    assert len(table.columns) == 7


def test_a_glyph_without_unicode_is_reported_per_page_and_never_read_as_nul() -> None:
    doc = document("gen-0006")
    assert [w.split(":")[0] for w in doc.warnings] == ["p.4", "p.5"]
    assert all("no Unicode mapping" in w for w in doc.warnings)
    texts = [c.text for t in doc.tables for row in t.body_rows for c in row]
    assert not any("\x00" in text for text in texts)
    assert sum("\ufffd" in text for text in texts) == 4
