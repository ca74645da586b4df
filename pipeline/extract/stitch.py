"""Page tables to document tables: a table that runs onto the next page is one table.

A table continues the previous one when it opens the next page with no text in
between and either has no header of its own (its width within one cell of the
previous header) or repeats the previous header exactly (then the repeat is
dropped; a repeat is recognised by its header paths or, when its rows hold a
different number of cells, by its header cells' texts). Every cell keeps the page
it was printed on.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.continuation import carried_fragment, join_fragment, realign
from pipeline.extract.side_by_side import unfold_side_by_side
from pipeline.extract.tables import PageTable
from pipeline.model import Cell, Table


@dataclass(frozen=True, slots=True)
class PlacedTable:
    """A page table with what surrounds it on the page."""

    table: PageTable
    part: str | None
    title: str
    text_above: bool
    text_below: bool


def stitch_tables(placed: Sequence[PlacedTable]) -> list[Table]:
    """Join continuations and build the document's tables in reading order."""
    groups: list[list[PlacedTable]] = []
    for item in placed:
        if groups and _continues(groups[-1][-1], item, groups[-1][0]):
            groups[-1].append(item)
        else:
            groups.append([item])
    return [unfold_side_by_side(_merge(g)) for g in groups]


def _continues(prev: PlacedTable, cur: PlacedTable, first: PlacedTable) -> bool:
    if cur.part != prev.part or cur.table.page != prev.table.page + 1:
        return False
    if prev.text_below or cur.text_above:
        return False
    if cur.table.columns:
        return _same_header(cur.table, first.table) or _fragment(prev.table, cur.table) is not None
    width = len(first.table.columns) or _typical_width(first.table)
    return bool(cur.table.body_rows) and abs(_typical_width(cur.table) - width) <= 1


def _fragment(prev: PageTable, cur: PageTable) -> dict[int, Cell] | None:
    last = prev.body_rows[-1] if prev.body_rows else None
    return carried_fragment(last, cur.header_rows)


def _same_header(a: PageTable, b: PageTable) -> bool:
    """The same header paths, or the same header cells (a repeat read over other columns)."""
    return a.columns == b.columns or _header_texts(a) == _header_texts(b)


def _header_texts(table: PageTable) -> list[str]:
    return sorted("".join(c.text.split()) for row in table.header_rows for c in row)


def _typical_width(table: PageTable) -> int:
    widths = sorted(len(r) for r in table.body_rows)
    return widths[len(widths) // 2] if widths else 0


def _merge(group: Sequence[PlacedTable]) -> Table:
    first = group[0].table
    width = len(first.columns) or _typical_width(first)
    notes: list[str] = []
    body = list(first.body_rows)
    for prev, item in itertools.pairwise(group):
        t = item.table
        fragment = _fragment(prev.table, t) if not _same_header(t, first) else None
        if fragment is not None and body:
            body[-1] = join_fragment(body[-1], fragment)
            notes.append(f"body row {len(body)} continues on p.{t.page}")
        how = (
            "repeating its header (dropped)"
            if t.columns and fragment is None
            else "without a repeated header"
        )
        notes.append(f"continued on p.{t.page} {how}: {len(t.body_rows)} rows")
        rows = list(t.body_rows)
        if not t.columns and all(len(r) < width for r in rows):
            rows = realign(rows, first.body_rows, width) or rows
        body.extend(rows)
    notes.extend(_width_notes(len(first.columns), body))
    return Table(
        title=group[0].title,
        attachment=group[0].part,
        pages=tuple(sorted({item.table.page for item in group})),
        header_rows=first.header_rows,
        columns=first.columns,
        body_rows=tuple(body),
        notes=tuple(notes),
    )


def _width_notes(n_columns: int, rows: Sequence[Sequence[object]]) -> list[str]:
    """Runs of body rows whose cell count differs from the header's."""
    if not n_columns:
        return []
    notes = []
    numbered = enumerate(rows, start=1)
    for width, run in itertools.groupby(numbered, key=lambda pair: len(pair[1])):
        if width == n_columns:
            continue
        index = [i for i, _ in run]
        where = f"{index[0]}" if len(index) == 1 else f"{index[0]}–{index[-1]}"
        notes.append(f"body rows {where} have {width} cells; the header has {n_columns} columns")
    return notes
