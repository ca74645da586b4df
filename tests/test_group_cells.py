"""A group printed once over its rows (rowspan) is repeated into each row it covers."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract import read_document
from pipeline.extract.blocks import TableCell
from pipeline.extract.grid import body_cells, rows_to_grid
from pipeline.normalize import normalize
from pipeline.validate import audit

GROUPED = """<html><head><meta charset="utf-8"><title>某县投诉分类</title></head><body>
<h1>某县2025年第二季度消费投诉分析</h1>
<p>表1 投诉分类统计</p>
<table>
<tr><td>大类</td><td>类别</td><td>件数</td><td>占比</td></tr>
<tr><td rowspan="3">商品类</td><td>食品</td><td>90</td><td>30.00%</td></tr>
<tr><td>家用电器</td><td>60</td><td>20.00%</td></tr>
<tr><td>小计</td><td>160</td><td>50.00%</td></tr>
<tr><td rowspan="3">服务类</td><td>餐饮住宿</td><td>100</td><td>33.33%</td></tr>
<tr><td>美容美发</td><td>50</td><td>16.67%</td></tr>
<tr><td>小计</td><td>150</td><td>50.00%</td></tr>
</table></body></html>
"""


def test_body_cells_repeat_a_text_group_but_not_a_number() -> None:
    rows = [
        [TableCell("大类"), TableCell("类别"), TableCell("件数")],
        [TableCell("商品类", rowspan=2), TableCell("食品"), TableCell("9", rowspan=2)],
        [TableCell("家电")],
    ]
    cells = body_cells(rows, rows_to_grid(rows), 1)
    assert cells == [[(1, 0), (1, 1), (1, 2)], [(1, 0), (2, 0)]]


def test_group_subtotals_are_checked_against_their_own_rows(tmp_path: Path) -> None:
    page = tmp_path / "grouped.html"
    page.write_text(GROUPED, encoding="utf-8")
    norm = normalize(read_document(page))
    (table,) = norm.tables
    assert [r[0].text for r in table.table.body_rows] == ["商品类"] * 3 + ["服务类"] * 3
    assert table.department_column is None  # the groups are no departments
    errors = [(f.rule, f.reported) for f in audit(norm).findings if f.severity.value == "error"]
    # 小计's 50.00% is 150 of 300, the rows' sum: the count is wrong, not the share
    assert errors == [("TBL004", "160")]
