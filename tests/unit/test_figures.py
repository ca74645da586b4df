"""What counts as a figure for coverage (pipeline/validate/figures.py), and the text-against-
table rules that raise coverage (XREF001, XREF003), on hand-made documents."""

from __future__ import annotations

import pytest

from pipeline.model import Document, Finding, Line, RawMetadata, Severity, Source, Span, Table
from pipeline.normalize import normalize
from pipeline.normalize.numbers import find_numbers
from pipeline.validate import audit
from pipeline.validate.figures import is_figure, table_figures, text_figures


def figure(text: str) -> bool:
    (number, start, end), *_ = find_numbers(text)
    return is_figure(number, text[:start], text[end:])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("共受理群众诉求1589件", True),
        ("办结率99.94%", True),
        ("较上月提升0.9个百分点", True),
        ("共1.68万件", True),
        ("综合考评前3名", False),
        ("排名后 2 位的是", False),
        ("在平台下派后2小时内联系", False),
        ("须在3个工作日内答复", False),
        ("主要集中在以下5个方面", False),
        ("以下4类问题较为集中", False),
        ("得分最高的4个单位为", False),
    ],
)
def test_figures_what_is_a_figure(text: str, expected: bool) -> None:
    assert figure(text) is expected


def line(text: str, i: int, paragraph: int) -> Line:
    return Line(
        text, Source(1, (90.0, 80.0 + 28 * i, 510.0, 96.0 + 28 * i), "test"), None, paragraph
    )


def document(lines: tuple[Line, ...], tables: tuple[Table, ...] = ()) -> Document:
    raw = RawMetadata(None, None, None, None, None, None)
    return Document("t.pdf", "0" * 64, "pdf", 1, raw, (), lines, (), tables)


def test_figures_number_broken_across_a_line_end_is_one_figure() -> None:
    doc = document((line("全区共接收市级交办工单事项486", 0, 0), line("0件，办结4851件。", 1, 0)))
    assert [(s.text, s.source.bbox) for s in text_figures(doc)] == [
        ("4860件", doc.lines[0].source.bbox),
        ("4851件", doc.lines[1].source.bbox),
    ]


def cell(text: str, r: int, c: int) -> Span:
    return Span(text, Source(2, (60.0 * c, 100.0 + 20 * r, 60.0 * c + 60, 120.0 + 20 * r), "test"))


HEADER = ("序号", "单位", "受理量", "办结量")


def table(
    rows: list[list[str]], title: str = "受理情况统计表", names: tuple[str, ...] = HEADER
) -> Table:
    header = tuple(cell(name, 0, c) for c, name in enumerate(names))
    body = tuple(tuple(cell(t, r + 1, c) for c, t in enumerate(row)) for r, row in enumerate(rows))
    columns = tuple((h.text,) for h in header)
    return Table(title, "附件1", (2,), (header,), columns, body)


ROWS = [
    ["1", "区民政局", "120", "118"],
    ["2", "区财政局", "95", "95"],
    ["3", "区司法局", "60", "57"],
]


def test_figures_serial_numbers_are_labels_not_figures() -> None:
    norm = normalize(document((), (table(ROWS),)))
    assert [s.text for s in table_figures(norm.tables)] == [
        "120", "118", "95", "95", "60", "57"
    ]  # fmt: skip


def xref(paragraph: str, rows: list[list[str]], title: str = "受理情况统计表") -> list[Finding]:
    doc = document((line(paragraph, 0, 0),), (table(rows, title=title),))
    found = audit(normalize(doc)).findings
    return [f for f in found if f.rule.startswith("XREF") and f.severity is not Severity.INFO]


def test_figures_text_total_agrees_with_the_rows_when_the_total_row_is_wrong() -> None:
    rows = [*ROWS, ["", "合计", "285", "270"]]  # 合计 受理 misprinted: the rows add to 275
    assert xref("本月热线受理群众诉求275件，办结270件（详见附件1）。", rows) == []


def test_figures_text_total_disagreeing_with_the_table_is_an_error() -> None:
    found = xref("本月热线受理群众诉求278件，办结270件（详见附件1）。", ROWS)
    assert [(f.rule, f.reported, f.expected) for f in found] == [("XREF001", "278", "275")]


def test_figures_table_of_another_channel_is_not_compared() -> None:
    paragraph = "本月政府网站受理群众诉求278件（详见附件1）。"
    assert xref(paragraph, ROWS, title="市长信箱留言办理情况统计表") == []


RATE_ROWS = [[*r, f"{100 * int(r[3]) / int(r[2]):.2f}%"] for r in ROWS]


@pytest.mark.parametrize(("printed", "errors"), [("98.18%", []), ("98.00%", ["XREF003"])])
def test_figures_rate_without_counts_against_the_cited_table(
    printed: str, errors: list[str]
) -> None:
    doc = document(
        (line(f"本月热线办结率为{printed}（详见附件1）。", 0, 0),),
        (table(RATE_ROWS, names=(*HEADER, "办结率")),),
    )
    result = audit(normalize(doc))
    assert [f.rule for f in result.findings if f.severity is Severity.ERROR] == errors
    assert not any(e.text == printed for e in result.coverage.unchecked)
