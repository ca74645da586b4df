"""Tables printed as copies side by side are read back as one table, left copy first."""

from __future__ import annotations

from pipeline.extract.side_by_side import unfold_side_by_side
from pipeline.model import Cell, Source, Table


def _table(columns: list[str], rows: list[list[str]]) -> Table:
    def cell(text: str, r: int, c: int) -> Cell:
        return Cell(text, Source(1, None, "text", (r, c)))

    return Table(
        title="",
        attachment=None,
        pages=(1,),
        header_rows=(),
        columns=tuple((c,) for c in columns),
        body_rows=tuple(
            tuple(cell(t, r, c) for c, t in enumerate(row)) for r, row in enumerate(rows)
        ),
    )


def test_side_by_side_copies_are_stacked_left_copy_first() -> None:
    table = _table(
        ["单位", "得分", "排名", "单位", "得分", "排名"],
        [["甲区", "98", "1", "丙区", "95", "3"], ["乙区", "97", "2", "", "", ""]],
    )
    unfolded = unfold_side_by_side(table)
    assert unfolded.columns == (("单位",), ("得分",), ("排名",))
    assert [[c.text for c in r] for r in unfolded.body_rows] == [
        ["甲区", "98", "1"],
        ["乙区", "97", "2"],
        ["丙区", "95", "3"],
    ]
    assert unfolded.body_rows[2][0].source.index == (0, 3)  # still where it was printed
    assert "side by side" in unfolded.notes[-1]


def test_side_by_side_needs_an_exact_repeat_and_full_rows() -> None:
    other = _table(["单位", "得分", "单位", "排名"], [["甲区", "98", "乙区", "1"]])
    assert unfold_side_by_side(other) is other
    short = _table(["单位", "得分", "单位", "得分"], [["甲区", "98", "乙区"]])
    assert unfold_side_by_side(short) is short
    blank = _table(["", "", "", ""], [["甲", "1", "乙", "2"]])
    assert unfold_side_by_side(blank) is blank


def test_side_by_side_copies_open_with_names() -> None:
    years = _table(["件数", "占比", "件数", "占比"], [["12", "40%", "15", "50%"]])
    assert unfold_side_by_side(years) is years
