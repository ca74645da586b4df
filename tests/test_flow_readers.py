"""The flow readers (text, DOCX, HTML) on the seed bulletin: the same document as the PDF.

The three files hold the seed's published content: the `.txt` as published (tab
tables, a three-row header with blank merged cells, blank lines where the PDF
breaks pages), the `.docx` the seed PDF is rendered from (two tables, vMerge and
gridSpan), and the `.html` as a government site would publish it (one table
with rowspan/colspan and ragged rows, site chrome around the article).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import InputError
from pipeline.extract import read_document
from pipeline.extract.blocks import Block, Paragraph, TableBlock, TableCell
from pipeline.extract.grid import header_paths, join_weights, rows_to_grid
from pipeline.extract.html import html_to_blocks
from pipeline.extract.text import text_to_blocks
from pipeline.model import Audit, Document, Severity, Table
from pipeline.normalize import normalize, resolve_metadata
from pipeline.validate import audit

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed"
FORMATS = {
    "text": SEED / "jintai_2023_02_hotline_bulletin.txt",
    "docx": SEED / "jintai_2023_02_hotline_bulletin.docx",
    "html": SEED / "jintai_2023_02_hotline_bulletin.html",
}


@pytest.fixture(scope="module", params=sorted(FORMATS))
def flow_doc(request: pytest.FixtureRequest) -> Document:
    return read_document(FORMATS[request.param])


def table(doc: Document, label: str) -> Table:
    (found,) = [t for t in doc.tables if t.attachment == label]
    return found


def rows_of(block: Block) -> tuple[tuple[TableCell, ...], ...]:
    assert isinstance(block, TableBlock)
    return block.rows


def lines_of(block: Block) -> tuple[str, ...] | None:
    return block.lines if isinstance(block, Paragraph) else None


def test_flow_metadata(flow_doc: Document) -> None:
    meta = resolve_metadata(flow_doc)
    assert meta.issuer is not None and meta.issuer.text == "宝鸡市金台区人民政府办公室"
    assert meta.title is not None and "关于" in meta.title.text and meta.title.text.endswith("通报")
    assert not meta.title.text.startswith("宝鸡市金台区人民政府办公室宝鸡")
    assert meta.period is not None
    assert (meta.period.start, meta.period.end) == (date(2023, 2, 1), date(2023, 2, 28))
    assert meta.published == date(2023, 3, 6)
    assert meta.district == "金台区"
    assert (
        meta.recipients is not None
        and meta.recipients.text == "各镇、街道办事处，区政府各工作部门："
    )
    assert meta.signature is not None and meta.signature.text == "宝鸡市金台区人民政府办公室"


def test_flow_sections_and_attachment_notes(flow_doc: Document, seed_document: Document) -> None:
    assert [(s.number, s.heading, s.level) for s in flow_doc.sections] == [
        (s.number, s.heading, s.level) for s in seed_document.sections
    ]
    labels = [(n.label, n.title) for n in flow_doc.attachment_notes]
    assert labels == [(n.label, n.title) for n in seed_document.attachment_notes]
    assert labels[1] == ("附件2", "2022 年 2 月金台区市长信箱信件办理统计表")


def test_flow_attachment_1_is_one_table(flow_doc: Document, seed_document: Document) -> None:
    t = table(flow_doc, "附件1")
    assert t.title == "2023 年 2 月区级各部门市民热线办理考评表"
    assert len(t.body_rows) == 35
    assert [len(r) for r in t.body_rows] == [15] * 5 + [16] * 30
    assert t.columns == table(seed_document, "附件1").columns
    assert t.columns[3] == ("办结得分(35分)", "得分")
    assert t.columns[10] == ("工作量得分(5分)", "办结工单数量")
    assert "body rows 6–35 have 16 cells; the header has 15 columns" in t.notes


def test_flow_attachment_2(flow_doc: Document, seed_document: Document) -> None:
    t = table(flow_doc, "附件2")
    assert t.title == "2023 年 2 月区级各部门市长信箱留言办理情况统计表"
    assert len(t.body_rows) == 17
    assert t.columns == table(seed_document, "附件2").columns


def test_flow_cells_match_truth(flow_doc: Document, seed_truth: dict[str, Any]) -> None:
    for printed, expected in zip(flow_doc.tables, seed_truth["tables"], strict=True):
        got = [[c.text for c in row] for row in printed.body_rows]
        want = [
            [c if isinstance(c, str) else c["text"] for c in row] for row in expected["body_rows"]
        ]
        assert got == want


def test_flow_provenance_is_the_block_index(flow_doc: Document) -> None:
    spans = [ln.source for ln in flow_doc.lines]
    spans += [c.source for t in flow_doc.tables for r in (*t.header_rows, *t.body_rows) for c in r]
    assert {s.backend for s in spans} == {flow_doc.format}
    assert all(s.bbox is None and 1 <= s.page <= flow_doc.pages for s in spans)
    for t in flow_doc.tables:
        assert {c.source.page for r in t.body_rows for c in r} <= set(t.pages)
    rate = next(ln for ln in flow_doc.lines if "98.11%" in ln.text)
    assert rate.section is not None and flow_doc.sections[rate.section].number == "（二）"


def test_flow_audit_errors_match_the_pdf(flow_doc: Document, seed_audit: Audit) -> None:
    def errors(result: Audit) -> list[tuple[str, str | None, str | None]]:
        found = [f for f in result.findings if f.severity is Severity.ERROR]
        return sorted((f.rule, f.reported, f.expected) for f in found)

    result = audit(normalize(flow_doc))
    assert [e[0] for e in errors(result)] == ["PERIOD001", "RATE001", "XREF001"]
    assert errors(result) == errors(seed_audit)


def test_flow_text_header_blanks_are_merged_cells() -> None:
    doc = read_document(FORMATS["text"])
    (first, weights, subs) = table(doc, "附件1").header_rows
    assert [c.text for c in first][:3] == ["序号", "部门名称", "办结得分"]
    assert [c.text for c in weights] == ["(35分)", "(40分)", "(5分)", "(10分)", "(5分)"]
    assert len(subs) == 11


def test_flow_text_blank_header_cell_rules() -> None:
    """A blank widens the cell to its left over sub-headers, else lengthens the cell above."""
    text = "甲\t组\t\t乙\n\t子1\t子2\t\n1\t2\t3\t4\n"
    (block,) = text_to_blocks(text)
    rows = rows_of(block)
    assert rows[0] == (TableCell("甲", 1, 2), TableCell("组", 2, 1), TableCell("乙", 1, 2))
    assert header_paths(rows, rows_to_grid(rows), 2) == (
        ("甲",),
        ("组", "子1"),
        ("组", "子2"),
        ("乙",),
    )


def test_flow_text_paragraphs_by_blank_line_or_by_line() -> None:
    by_blank = text_to_blocks("标题\n第二行\n\n正文。\n")
    by_line = text_to_blocks("标题\n第二行\n正文。\n")
    assert [lines_of(b) for b in by_blank] == [("标题", "第二行"), ("正文。",)]
    assert [lines_of(b) for b in by_line] == [("标题",), ("第二行",), ("正文。",)]


def test_flow_pipe_table() -> None:
    (block,) = text_to_blocks("| 序号 | 名称 | 件数 |\n|---|---|---|\n| 1 | 甲 | 12 |\n")
    assert [[c.text for c in row] for row in rows_of(block)] == [
        ["序号", "名称", "件数"],
        ["1", "甲", "12"],
    ]


def test_flow_weight_joins_the_group_name() -> None:
    assert join_weights(["办结得分", "（35分）", "得分"]) == ("办结得分（35分）", "得分")
    assert join_weights(["(35分)"]) == ("(35分)",)


def test_flow_html_chrome_and_layout_tables() -> None:
    import lxml.html

    page = lxml.html.document_fromstring(
        "<html><body><div class='nav'>首页</div><table><tr><td><p>正文<br>第二行</p>"
        "<table><tr><td rowspan='2'>甲</td><td>1</td></tr><tr><td>2</td></tr></table>"
        "</td></tr></table><script>var x;</script><div class='footer'>版权</div></body></html>"
    )
    blocks = html_to_blocks(page)
    assert [lines_of(b) for b in blocks] == [("正文", "第二行"), None]
    assert rows_of(blocks[1])[0][0] == TableCell("甲", 1, 2)


def test_flow_html_br_separated_paragraphs() -> None:
    import lxml.html

    page = lxml.html.document_fromstring(
        "<html><body><div>标题<br>第二行<br>\u3000\u3000一、总体<br>&nbsp;&nbsp;正文。<br>"
        "接续<br><br>另段</div></body></html>"
    )
    assert [lines_of(b) for b in html_to_blocks(page)] == [
        ("标题", "第二行"),
        ("一、总体",),
        ("正文。", "接续"),
        ("另段",),
    ]


def test_flow_corrupt_inputs_raise_one_line_input_errors(tmp_path: Path) -> None:
    not_zip = tmp_path / "bulletin.docx"
    not_zip.write_bytes(b"%PDF-1.7 this is not a zip archive")
    other_zip = tmp_path / "other.docx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("hello.txt", "not a word document")
    empty = tmp_path / "bulletin.html"
    empty.write_bytes(b"")
    binary = tmp_path / "bulletin.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    cases = {not_zip: "not a DOCX (bad zip)", other_zip: "not a DOCX", empty: "empty file"}
    cases[binary] = "not a text file"
    for path, reason in cases.items():
        with pytest.raises(InputError) as info:
            read_document(path)
        message = str(info.value)
        assert message.startswith(str(path)) and reason in message
        assert "\n" not in message


def test_flow_cli_extract_html() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(FORMATS["html"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["format"] == "html"
    cell = data["tables"][0]["body_rows"][0][0]
    assert cell["bbox"] is None and cell["page"] == data["tables"][0]["pages"][0]
