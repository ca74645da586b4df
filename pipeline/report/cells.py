"""The cited cells and lines of a document without pages (HTML, DOCX, text), as the report
shows them: what a thumbnail with drawn boxes is for a PDF.

There is no page to render: a block is a table or a paragraph, and a piece of evidence names
its cell by (row, column) or its line by (line,) in the block (`Source.index`). Each finding
gets one view per block its evidence points into: the table's header and the rows that hold a
cited cell, with a row of context either side, or the paragraph's lines around the cited ones;
the rows or lines left out show as one gap. Cited cells and lines are marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.model import Document, Evidence, Row, Table

CONTEXT = 1  # rows or lines shown either side of a cited one
Place = tuple[int, ...]  # (row, column) of a cell or (line,) in its block


@dataclass(frozen=True, slots=True)
class ShownCell:
    text: str
    index: Place
    cited: bool


Shown = tuple[ShownCell, ...]


@dataclass(frozen=True, slots=True)
class BlockView:
    """One block as a finding shows it. `rows` holds table body rows or paragraph lines (one
    cell each); None stands for rows or lines left out. `header` is a table's header rows."""

    block: int
    table: bool
    header: tuple[Shown, ...]
    rows: tuple[Shown | None, ...]
    cited: int  # cells or lines marked
    width: int  # the most cells in a row: what a gap row spans


def cited_blocks(doc: Document, evidence: Sequence[Evidence]) -> tuple[BlockView, ...]:
    """One view per block (in block order) holding a cell or line the evidence names; evidence
    without an index (a title, a heading, a page that was not read) has no view."""
    cited: dict[int, set[Place]] = {}
    for e in evidence:
        if e.index is not None and e.bbox is None:
            cited.setdefault(e.page, set()).add(e.index)
    views = (_block_view(doc, block, places) for block, places in sorted(cited.items()))
    return tuple(v for v in views if v is not None)


def _block_view(doc: Document, block: int, places: set[Place]) -> BlockView | None:
    cells: set[Place] = {p for p in places if len(p) == 2}
    if cells:
        view = _table_view(doc, block, cells)
        if view is not None:
            return view
    return _paragraph_view(doc, block, places - cells)


def _table_view(doc: Document, block: int, cited: set[Place]) -> BlockView | None:
    for table in doc.tables:
        body = [row for row in table.body_rows if _in_block(row, block)]
        header = [row for row in table.header_rows if _in_block(row, block)]
        if not body and not header:
            continue
        rows = [_shown(row, cited) for row in body]
        keep = _window([any(c.cited for c in row) for row in rows])
        view = _view(
            block,
            True,
            _header(table, header, cited),
            [rows[i] if i is not None else None for i in keep],
        )
        return view if view.cited else None
    return None


def _header(table: Table, printed: Sequence[Row], cited: set[Place]) -> tuple[Shown, ...]:
    """The header as one row of column paths ("办结率得分（40分）/工单数"), which line up with
    the body's cells; the header rows as printed (cells spanning several columns no longer
    do) when a cited cell is one of them."""
    shown = tuple(_shown(row, cited) for row in printed)
    if any(c.cited for row in shown for c in row) or not table.columns:
        return shown
    return (tuple(ShownCell("/".join(p), (), False) for p in table.columns),)


def _paragraph_view(doc: Document, block: int, cited: set[Place]) -> BlockView | None:
    lines = [
        ShownCell(ln.text, ln.source.index, ln.source.index in cited)
        for ln in doc.lines
        if ln.source.page == block and ln.source.index is not None and ln.source.bbox is None
    ]
    if not any(c.cited for c in lines):
        return None
    keep = _window([c.cited for c in lines])
    return _view(block, False, (), [(lines[i],) if i is not None else None for i in keep])


def _view(
    block: int,
    table: bool,
    header: tuple[Shown, ...],
    rows: Sequence[Shown | None],
) -> BlockView:
    shown = [*header, *(r for r in rows if r is not None)]
    return BlockView(
        block=block,
        table=table,
        header=header,
        rows=tuple(rows),
        cited=sum(c.cited for row in shown for c in row),
        width=max((len(r) for r in shown), default=1),
    )


def _in_block(row: Row, block: int) -> bool:
    return any(c.source.page == block and c.source.index is not None for c in row)


def _shown(row: Row, cited: set[Place]) -> Shown:
    return tuple(
        ShownCell(c.text, c.source.index or (), c.source.index in cited)
        for c in row
        if c.source.index is not None
    )


def _window(marked: Sequence[bool]) -> list[int | None]:
    """The positions within CONTEXT of a marked one, in order, with None where a run of
    positions is left out (before, between or after them)."""
    near = sorted({j for i, m in enumerate(marked) if m for j in _around(i, len(marked))})
    out: list[int | None] = []
    previous = -1
    for i in near:
        if i > previous + 1:
            out.append(None)
        out.append(i)
        previous = i
    if near and previous < len(marked) - 1:
        out.append(None)
    return out


def _around(i: int, size: int) -> Iterable[int]:
    return range(max(0, i - CONTEXT), min(size, i + CONTEXT + 1))
