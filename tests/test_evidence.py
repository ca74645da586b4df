"""Evidence points at the printed cell: in HTML, DOCX and text by block and (row, column)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import pipeline
from pipeline.dataset.rows import document_rows
from pipeline.errors import ParseError
from pipeline.model import Document, Span

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed"


def cells_by_place(doc: Document) -> dict[tuple[int, tuple[int, ...]], Span]:
    return {
        (c.source.page, c.source.index): c
        for t in doc.tables
        for row in (*t.header_rows, *t.body_rows)
        for c in row
        if c.source.index is not None
    }


@pytest.mark.parametrize("suffix", ["html", "docx"])
def test_evidence_of_a_block_format_names_the_cell_it_quotes(suffix: str) -> None:
    result = pipeline.audit(SEED / f"jintai_2023_02_hotline_bulletin.{suffix}")
    doc = result.normalized.document
    cells = cells_by_place(doc)
    # a table's title has no place of its own: a finding quoting it points at the first cell
    titles = {t.title for t in doc.tables}
    pointed = [
        e
        for f in result.findings
        for e in f.evidence
        if e.index and len(e.index) == 2 and e.text not in titles
    ]
    assert len(pointed) >= 10  # the seed's table findings
    for e in pointed:  # the quote is the cell's text, sometimes followed by what it is
        assert e.text.startswith(cells[(e.page, e.index)].text), e
    record = pipeline.Audit.from_json(result.to_json())
    assert record.findings == result.findings  # the index survives the JSON


def test_evidence_of_a_pdf_has_a_box_and_no_index(seed_audit: pipeline.Audit) -> None:
    evidence = [e for f in seed_audit.findings for e in f.evidence]
    assert evidence and all(e.index is None for e in evidence)
    assert all(e.bbox is not None for e in evidence if e.page > 0)


@pytest.mark.parametrize(
    ("suffix", "backend"),
    [("html", "html"), ("docx", "docx"), ("txt", "text"), ("pdf", "pdfium")],
)
def test_evidence_names_the_backend_that_read_it(suffix: str, backend: str) -> None:
    result = pipeline.audit(SEED / f"jintai_2023_02_hotline_bulletin.{suffix}")
    data = json.loads(result.to_json())
    assert data["schema"] == "bulletins.audit/3"
    pieces = [e for f in data["findings"] for e in f["evidence"]] + data["coverage"]["unchecked"]
    assert pieces and {e["backend"] for e in pieces} == {backend}
    record = pipeline.Audit.from_json(data)
    assert {e.backend for f in record.findings for e in f.evidence} == {backend}
    # the dataset's findings keep every piece of evidence with its backend
    rows = document_rows(result, source=suffix).findings
    assert {e["backend"] for r in rows for e in json.loads(r.evidence)} == {backend}


def test_an_audit_json_of_schema_1_reads_back_with_the_format_as_backend() -> None:
    result = pipeline.audit(SEED / "jintai_2023_02_hotline_bulletin.html")
    data = json.loads(result.to_json())
    data["schema"] = "bulletins.audit/1"
    for f in data["findings"]:
        del f["department_id"]
        for e in f["evidence"]:
            del e["backend"]
    record = pipeline.Audit.from_json(data)
    # html: the format is the backend; /1 names no department identity
    assert record.findings == tuple(replace(f, department_id=None) for f in result.findings)
    data["schema"] = "bulletins.audit/0"
    with pytest.raises(ParseError, match=r"bulletins\.audit/3"):
        pipeline.Audit.from_json(data)


def test_an_audit_json_of_schema_2_reads_back_without_department_ids() -> None:
    result = pipeline.audit(SEED / "jintai_2023_02_hotline_bulletin.html")  # no box to round
    assert any(f.department_id for f in result.findings)
    data = json.loads(result.to_json())
    data["schema"] = "bulletins.audit/2"
    for f in data["findings"]:
        del f["department_id"]
    record = pipeline.Audit.from_json(data)
    assert record.findings == tuple(replace(f, department_id=None) for f in result.findings)
    assert json.loads(record.to_json())["schema"] == "bulletins.audit/3"


@pytest.mark.parametrize("suffix", ["html", "docx", "txt"])
def test_text_and_markdown_reports_name_the_block_and_the_cell_or_line(suffix: str) -> None:
    from pipeline.report.markdown import audit_markdown
    from pipeline.report.text import audit_text

    result = pipeline.audit(SEED / f"jintai_2023_02_hotline_bulletin.{suffix}")
    text, markdown = audit_text(result), audit_markdown(result)
    shown = [e for f in result.findings for e in f.evidence[:3]]
    assert any(e.index for e in shown)
    for e in shown:
        place = f"block {e.page}"
        if e.index is not None:
            kind = "cell" if len(e.index) == 2 else "line"
            place += f", {kind} " + ",".join(map(str, e.index))
        assert f"evidence: {place} " in text, place
        assert place in markdown, place
    assert "evidence: p." not in text


def test_text_and_markdown_reports_of_a_pdf_give_page_and_box(
    seed_audit: pipeline.Audit,
) -> None:
    from pipeline.report.markdown import audit_markdown
    from pipeline.report.text import audit_text

    text, markdown = audit_text(seed_audit), audit_markdown(seed_audit)
    e = next(e for f in seed_audit.findings for e in f.evidence if e.bbox is not None)
    x0, top, x1, bottom = (round(v) for v in e.bbox or ())
    assert f"evidence: p.{e.page} [{x0},{top},{x1},{bottom}] " in text
    assert f"p.{e.page} \\[{x0},{top},{x1},{bottom}\\]" in markdown
    assert "block " not in text
