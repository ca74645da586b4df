"""Tables printed as two or more copies side by side, read back as one table.

A short ranking is often laid out in halves to save space: "单位 | 得分 | 排名 |
单位 | 得分 | 排名", the first rows on the left, the rest on the right. Read as
printed, every row holds two units and no column lists all the scores, so no
check can relate them. When the header's paths repeat as k identical blocks of
at least two columns, each body row is cut into k pieces and the pieces are
listed block by block (the left copy top to bottom, then the next), which is the
order such layouts are read in. A piece whose cells are all empty (the last row
of a half that runs short) is dropped. Cells keep their Sources: each still
points at the place it was printed.

Only a header that repeats exactly, body rows of the header's width and copies that
each open with a column of names qualify; anything else is left as printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipeline.extract.tables import is_numeric
from pipeline.model import Row, Table

MIN_BLOCK = 2  # columns of one copy: a label and at least one figure


def unfold_side_by_side(table: Table) -> Table:
    """The table with its side-by-side copies stacked, or the table itself."""
    blocks = _copies(table.columns)
    if blocks == 1 or any(len(r) != len(table.columns) for r in table.body_rows):
        return table
    width = len(table.columns) // blocks
    if not all(_names_rows(table.body_rows, b * width) for b in range(blocks)):
        return table  # "件数 | 占比 | 件数 | 占比" over numbers: two years, not two copies
    pieces = [row[b * width : (b + 1) * width] for b in range(blocks) for row in table.body_rows]
    return replace(
        table,
        columns=table.columns[:width],
        body_rows=tuple(p for p in pieces if any(c.text.strip() for c in p)),
        notes=(*table.notes, f"{blocks} copies of a {width}-column table printed side by side"),
    )


def _copies(columns: Sequence[tuple[str, ...]]) -> int:
    """The most copies the header paths repeat as (1 when they do not repeat)."""
    n = len(columns)
    for blocks in range(n // MIN_BLOCK, 1, -1):
        width = n // blocks
        if n % blocks == 0 and _repeats(columns, width) and _labelled(columns[:width]):
            return blocks
    return 1


def _names_rows(rows: Sequence[Row], c: int) -> bool:
    """Column `c` holds the rows' names: text in most of its filled cells."""
    filled = [row[c].text for row in rows if row[c].text.strip()]
    return bool(filled) and sum(not is_numeric(t) for t in filled) * 2 > len(filled)


def _repeats(columns: Sequence[tuple[str, ...]], width: int) -> bool:
    return all(columns[i] == columns[i % width] for i in range(len(columns)))


def _labelled(block: Sequence[tuple[str, ...]]) -> bool:
    """A copy's columns are named, and differently (a header of blanks says nothing)."""
    last = [path[-1].strip() if path else "" for path in block]
    return all(last) and len(set(last)) == len(last)
