"""Unit tests for pipeline.normalize.columns: placing rows one cell long or short."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import BBox, NormalizedTable, Source, Span, Table
from pipeline.normalize.tables import normalize_table

WIDTH = 40.0
HEADER = (("序号",), ("单位",), ("受理",), ("办结",), ("办结率",))
COUNTS = (("序号",), ("单位",), ("受理",), ("办结",), ("在办",))
# 丙局 completed all 251 it received: its office printed 251 once, across 受理 and 办结
RATE_ROWS = (
    ("1", "甲局", "812", "809", "99.63%"),
    ("2", "乙局", "403", "401", "99.50%"),
    ("3", "丙局", "251", "100.00%"),
    ("4", "丁局", "123", "118", "95.93%"),
    ("", "合计", "1589", "1579", "99.37%"),
)
COUNT_ROWS = (
    ("1", "甲局", "812", "809", "3"),
    ("2", "乙局", "403", "401", "2"),
    ("3", "丙局", "251", "0"),
    ("4", "丁局", "123", "118", "5"),
    ("", "合计", "1589", "1579", "10"),
)


def ruled_box(r: int, first: int, span: int) -> BBox:
    """A ruled cell's box over `span` columns from column `first` (top-left origin)."""
    return (WIDTH * first, 20.0 * r, WIDTH * (first + span), 20.0 * r + 20)


def text_box(r: int, first: int, span: int, text: str) -> BBox:
    """The text's own box, centred in its cell (an unruled table)."""
    x0, top, x1, bottom = ruled_box(r, first, span)
    middle, half = (x0 + x1) / 2, 3.0 * len(text)
    return (middle - half, top + 5, middle + half, bottom - 5)


def table(
    rows: Sequence[Sequence[str]],
    header: tuple[tuple[str, ...], ...] = HEADER,
    *,
    boxes: str | None = "ruled",
    merged: bool = True,
) -> Table:
    """A table whose one short row prints its third cell across two columns (`merged`), or
    leaves its fourth column blank."""
    body = []
    for r, texts in enumerate(rows):
        short = len(texts) < len(header)
        cells, column = [], 0
        for text in texts:
            if short and not merged and column == 3:
                column += 1  # a blank cell the extraction does not return
            span = 2 if short and merged and column == 2 else 1
            box = None
            if boxes == "ruled":
                box = ruled_box(r, column, span)
            elif boxes == "text":
                box = text_box(r, column, span, text)
            cells.append(Span(text, Source(1, box, "test", None if box else (r, len(cells)))))
            column += span
        body.append(tuple(cells))
    return Table("统计表", "附件1", (1,), (), header, tuple(body))


def normalized(t: Table) -> NormalizedTable:
    return normalize_table(0, t, {}, default_year=None)


def test_columns_merged_cell_by_its_ruled_box_fills_both_columns() -> None:
    nt = normalized(table(RATE_ROWS))
    rec = nt.records[2]
    assert rec.alignment is not None and rec.alignment.merged
    assert (rec.alignment.position, rec.alignment.printed, rec.alignment.expected) == (3, 4, 5)
    assert rec.values[2] is rec.values[3]
    assert [v.cell.text if v else None for v in rec.values] == [
        "3",
        "丙局",
        "251",
        "251",
        "100.00%",
    ]
    assert "its box spans both" in rec.alignment.description
    assert rec.alignment.confirmed >= 1  # 办结率 = 办结 / 受理 holds with 251 in both


def test_columns_merged_cell_by_its_text_box_in_an_unruled_table() -> None:
    rec = normalized(table(RATE_ROWS, boxes="text")).records[2]
    assert rec.alignment is not None and rec.alignment.merged and rec.alignment.position == 3


def test_columns_merged_cell_without_boxes_when_the_relations_say_so() -> None:
    rec = normalized(table(RATE_ROWS, boxes=None)).records[2]
    assert rec.alignment is not None and rec.alignment.merged
    assert "the relations hold so" in rec.alignment.description


def test_columns_merged_cell_without_boxes_when_the_column_totals_say_so() -> None:
    # no rate to check: only the 合计 row tells that 251 counts under both 受理 and 办结
    rec = normalized(table(COUNT_ROWS, COUNTS, boxes=None)).records[2]
    assert rec.alignment is not None and rec.alignment.merged
    # 受理, 办结 and 在办 add up to the 合计 row; with 办结 left blank 办结 would not
    assert rec.alignment.confirmed == 3


def test_columns_a_cell_in_its_own_column_is_not_merged() -> None:
    # the boxes show 251 under 受理 alone and 办结 left blank: the relations that a merged
    # reading would satisfy do not override where the cells were printed
    rec = normalized(table(RATE_ROWS, merged=False)).records[2]
    assert rec.alignment is not None and not rec.alignment.merged
    assert rec.alignment.position == 3 and "boxes leave a gap" in rec.alignment.description
    assert rec.values[2] is not None and rec.values[3] is None


def test_columns_rows_that_fit_are_not_aligned() -> None:
    nt = normalized(table(RATE_ROWS))
    assert [r.alignment is None for r in nt.records] == [True, True, False, True, True]
