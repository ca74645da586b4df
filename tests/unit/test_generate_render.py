"""The three renderers of corpus/generate print what the Bulletin says, where it says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from corpus.generate import locate
from corpus.generate.spec import (
    Bulletin,
    HeaderCell,
    InjectedError,
    Paragraph,
    TableLayout,
    TableSpec,
)

NAMES = ["区市场监督管理局", "十里铺街道办事处", "区教育体育局", "金河镇", "区人力资源和社会保障局"]
NO_SOFFICE = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def score_table(n: int) -> TableSpec:
    groups = [HeaderCell("办结得分\n(40分)", colspan=2), HeaderCell("满意得分\n(60分)", colspan=2)]
    first = [HeaderCell("序号", rowspan=2), HeaderCell("单位名称", rowspan=2)]
    header = [
        [*first, *groups, HeaderCell("总分", rowspan=2)],
        [HeaderCell("件数"), HeaderCell("得分"), HeaderCell("件数"), HeaderCell("得分")],
    ]
    columns = [["序号"], ["单位名称"], ["办结得分", "件数"], ["办结得分", "得分"]]
    columns += [["满意得分", "件数"], ["满意得分", "得分"], ["总分"]]
    rows = []
    for i in range(n):
        name = f"{NAMES[i % 5]}{i + 1}"
        rows.append([str(i + 1), name, str(100 + i), "40.00", str(90 + i), "59.50", "99.50"])
    rows[3] = [*rows[3][:2], "7", *rows[3][2:]]  # one cell more than the columns
    layout = TableLayout("ruled", True, [6, n - 6], repeat_header=True, continued_marker=True)
    return TableSpec("t1", "1", "2025年3月各单位热线办理考评表", "score", header, columns, rows,
                     layout=layout)  # fmt: skip


def rate_table(ruling: str) -> TableSpec:
    cols = ["单位", "受理", "办结", "办结率"]
    rows = [
        [NAMES[i], str(20 + i), str(19 + i), f"{(19 + i) / (20 + i) * 100:.2f}%"] for i in range(4)
    ]
    rows.append(["合计", "86", "82", "95.35%"])
    rows[1] = ["十里铺街道办事处", "21", "20 95.24%"]  # one cell fewer
    header = [[HeaderCell(c) for c in cols]]
    return TableSpec("t2", "2", "2025年3月市长信箱办理情况统计表", "rate", header,
                     [[c] for c in cols], rows, [4], TableLayout(ruling))  # fmt: skip


def bulletin(producer: str, n: int = 14, ruling: str = "partial") -> Bulletin:
    body = [
        Paragraph("为做好12345热线工作，现将3月份办理情况通报如下：", "body"),
        Paragraph("一、总体情况", "heading1"),
        Paragraph("（一）热线办理情况", "heading2"),
        Paragraph("3月份，全区共受理热线工单1589件，办结1588件，办结率99.94%。" * 3),
        Paragraph("联系人：张三  电话：1234567", "contact"),
    ]
    errors = [
        InjectedError("text_rate", "99.94%", "99.93%", sentence="办结率99.94%"),
        InjectedError(
            "table_rate", "59.50", "58.50", table="t1", row=n - 1, column="满意得分/得分"
        ),
    ]
    return Bulletin(
        id=f"sample_{producer}", producer=producer, font="Noto Serif CJK SC",  # type: ignore[arg-type]
        issuer="示例市某区人民政府办公室", doc_number="示政办发〔2025〕12号",
        title="关于2025年3月份12345市民热线办理情况的通报",
        recipients="各镇、街道办事处，区政府各工作部门：",
        body=body, attachment_notes=["附件：1. 2025年3月各单位热线办理考评表", "2. 市长信箱统计表"],
        signature="示例市某区人民政府办公室", date_text="2025年4月3日",
        tables=[score_table(n), rate_table(ruling)], district="示例区", period_start="2025-03-01",
        period_end="2025-03-31", published="2025-04-03", rounding="half_up",
        departments={}, claims=[], errors=errors,
    )  # fmt: skip


def check(pdf: Path, b: Bulletin) -> None:
    with pdfplumber.open(pdf) as doc:
        texts = [page.extract_text() or "" for page in doc.pages]
        tables = [t for page in doc.pages for t in page.extract_tables()]
    joined = "".join(texts)
    assert "(cid:" not in joined
    assert "— 2 —".replace(" ", "") in joined.replace(" ", "")  # page numbers
    for needle in (
        "示例市某区人民政府办公室",
        "办结率99.94%",
        "附件1",
        "续表",
        "十里铺街道办事处2",
    ):
        assert needle in locate.norm(joined), needle
    cells = {c for t in tables for row in t for c in row if c}
    for text in ("区市场监督管理局1", "十里铺街道办事处2", "40.00", "99.50"):
        assert text in cells, text
    assert len(texts) >= 4  # letter, table page, continuation, attachment 2
    locate.fill_pages(b, texts)
    assert b.errors[0].page == 1
    assert b.errors[1].page == locate.page_of_text(texts, "续表")


@NO_SOFFICE
def test_docx(tmp_path: Path) -> None:
    from corpus.generate import render_docx

    b = bulletin("docx")
    [pdf] = render_docx.render([b], tmp_path)
    check(pdf, b)
    assert not (tmp_path / "sample_docx.docx").exists()


@NO_SOFFICE
def test_html(tmp_path: Path) -> None:
    from corpus.generate import render_html

    b = bulletin("html", ruling="ruled")
    [pdf] = render_html.render([b], tmp_path)
    check(pdf, b)
    assert "rowspan" in (tmp_path / "sample_html.html").read_text(encoding="utf-8")


def test_reportlab(tmp_path: Path) -> None:
    from corpus.generate import render_reportlab

    if render_reportlab.find_ttf("Noto Serif CJK SC") is None:
        pytest.skip("no TrueType CJK font (fonts-arphic-uming or fonts-wqy-microhei)")
    b = bulletin("reportlab", ruling="ruled")
    [pdf] = render_reportlab.render([b], tmp_path)
    check(pdf, b)
    again = render_reportlab.render([bulletin("reportlab", ruling="ruled")], tmp_path / "again")
    assert again[0].read_bytes() == pdf.read_bytes()  # deterministic
