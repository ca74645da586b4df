"""Extraction of the committed seed PDF: parts, stitched tables, provenance."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber

from pipeline.model import Document, Table
from pipeline.normalize import resolve_metadata


def table(doc: Document, label: str) -> Table:
    return next(t for t in doc.tables if t.attachment == label)


def test_extract_metadata_and_period(seed_document: Document) -> None:
    meta = resolve_metadata(seed_document)
    assert meta.issuer is not None and meta.issuer.text == "宝鸡市金台区人民政府办公室"
    assert meta.title is not None and "关于" in meta.title.text and meta.title.text.endswith("通报")
    assert meta.period is not None
    assert (meta.period.start, meta.period.end) == (date(2023, 2, 1), date(2023, 2, 28))
    assert meta.published == date(2023, 3, 6)
    assert meta.district == "金台区"
    assert meta.recipients is not None and meta.recipients.text.endswith("：")


def test_extract_sections_and_notes(seed_document: Document) -> None:
    headings = [(s.number, s.heading) for s in seed_document.sections]
    assert ("一、", "总体情况") in headings
    assert ("（二）", "市委书记信箱、市长信箱办理情况") in headings
    assert ("（一）", "房产及物业服务类") in headings
    labels = [(n.label, n.title[:4]) for n in seed_document.attachment_notes]
    assert labels == [("附件1", "2023"), ("附件2", "2022")]


def test_extract_drops_page_numbers(seed_document: Document) -> None:
    assert not any(line.text.startswith("—") for line in seed_document.lines)


def test_extract_stitches_attachment_1_into_one_table(seed_document: Document) -> None:
    att1 = [t for t in seed_document.tables if t.attachment == "附件1"]
    assert len(att1) == 1
    t = att1[0]
    assert len(t.body_rows) == 35
    assert t.pages == (4, 5)
    assert len(t.header_rows) == 2
    assert {c.source.page for row in t.body_rows[:5] for c in row} == {4}
    assert {c.source.page for row in t.body_rows[5:] for c in row} == {5}
    assert [len(r) for r in t.body_rows] == [15] * 5 + [16] * 30
    assert any("without a repeated header" in n for n in t.notes)


def test_extract_header_paths(seed_document: Document) -> None:
    t = table(seed_document, "附件1")
    assert t.columns[0] == ("序号",)
    assert t.columns[3] == ("办结得分(35分)", "得分")
    assert t.columns[10] == ("工作量得分(5分)", "办结工单数量")
    assert t.columns[-1] == ("最终得分",)
    assert table(seed_document, "附件2").columns[5] == ("按期办结率",)


def test_extract_cells_match_truth(seed_document: Document, seed_truth: dict[str, Any]) -> None:
    for printed, expected in zip(seed_document.tables, seed_truth["tables"], strict=True):
        got = [[c.text for c in row] for row in printed.body_rows]
        want = [
            [c if isinstance(c, str) else c["text"] for c in row] for row in expected["body_rows"]
        ]
        assert got == want


def test_extract_cell_provenance(seed_document: Document, seed_pdf: Path) -> None:
    """A sample of cells: the text inside each bbox on its page is the cell's text."""
    t = table(seed_document, "附件1")
    sample = [t.body_rows[0][1], t.body_rows[1][-1], t.body_rows[28][2], t.body_rows[34][-1]]
    with pdfplumber.open(seed_pdf) as pdf:
        for cell in sample:
            assert cell.source.bbox is not None
            page = pdf.pages[cell.source.page - 1]
            inside = page.within_bbox(cell.source.bbox).extract_text()
            assert inside.replace(" ", "").replace("\n", "") == cell.text
            assert cell.source.backend == "pdfium"  # the default backend


def test_extract_line_provenance(seed_document: Document, seed_pdf: Path) -> None:
    line = next(ln for ln in seed_document.lines if "98.11%" in ln.text)
    assert line.source.page == 1
    with pdfplumber.open(seed_pdf) as pdf:
        page = pdf.pages[0]
        assert line.source.bbox is not None
        # pdfium's boxes (the default backend) are pdfminer's within 0.5 pt, not to the bit
        x0, top, x1, bottom = line.source.bbox
        inside = page.within_bbox((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5)).extract_text()
        assert "98.11%" in inside
