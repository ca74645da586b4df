"""Unit tests for pipeline.normalize.tables: typed columns and the department column."""

from __future__ import annotations

from pipeline.model import DepartmentName, Source, Span, Table
from pipeline.normalize.tables import (
    department_column,
    department_labels,
    normalize_table,
    table_columns,
)


def table(header: tuple[tuple[str, ...], ...], rows: list[list[str]]) -> Table:
    body = tuple(
        tuple(Span(t, Source(1, None, "test", (r, c))) for c, t in enumerate(row))
        for r, row in enumerate(rows)
    )
    return Table("统计表", "附件2", (1,), (), header, body)


TOPICS = table(
    (("序号",), ("诉求类别",), ("数量(件)",), ("占比",)),
    [["1", "城乡建设类", "310", "34.14%"], ["2", "农业农村类", "95", "10.46%"]],
)


def test_tables_category_column_is_not_a_department_column() -> None:
    assert department_column(TOPICS, table_columns(TOPICS)) is None
    assert department_labels(TOPICS) == []
    names = {"农业农村类": DepartmentName("农业农村类", "农业农村类", "new")}
    nt = normalize_table(0, TOPICS, names, default_year=None)
    assert [r.department for r in nt.records] == [None, None]


def test_tables_unheaded_text_column_is_still_the_department_column() -> None:
    t = table(
        (("序号",), ("名称",), ("受理量",)), [["1", "区民政局", "12"], ["2", "区司法局", "9"]]
    )
    assert department_column(t, table_columns(t)) == 1
    assert department_labels(t) == ["区民政局", "区司法局"]


def test_tables_columns_read_a_generic_count_beside_its_named_twin() -> None:
    group = "办结得分（40分）"
    t = table(
        (("单位名称",), (group, "工单数"), (group, "办结数"), (group, "得分")),
        [["区民政局", "20", "19", "38.00"]],
    )
    assert [c.metric for c in table_columns(t)] == [
        "department",
        "received",
        "completed",
        "score_completed",
    ]


def test_tables_traditional_headers_are_read_folded() -> None:
    printed = (("縣區",), ("總件數",), ("已辦結",), ("辦結率",))
    simple = (("县区",), ("总件数",), ("已办结",), ("办结率",))
    rows = [["東城區", "64", "64", "100%"]]
    folded = table_columns(table(printed, rows), fold=True)
    assert [c.metric for c in folded] == [c.metric for c in table_columns(table(simple, rows))]
    assert folded[3].metric is not None and folded[3].path == ("办结率",)
    # a simplified page keeps a header as printed: a stray traditional character in it
    # is the page's own spelling
    assert table_columns(table(printed, rows))[3].path == ("辦結率",)
