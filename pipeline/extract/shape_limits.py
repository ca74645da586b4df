"""The cheap in-process limits on a document's shape (pipeline.limits): rows and cells per
table, characters per block and per file, checked before layout so that their cost never
grows past what a real bulletin needs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.extract.blocks import Block, Paragraph, TableBlock
from pipeline.limits import (
    MAX_CELLS,
    MAX_CHARS_PER_FILE,
    MAX_CHARS_PER_PAGE,
    check_cells,
    check_chars,
    check_rows,
)


def check_blocks(blocks: Sequence[Block], path: Path) -> None:
    """Raises LimitError naming `path`, the block and the limit when a block is too big."""
    total = 0
    for number, block in enumerate(blocks, start=1):
        if isinstance(block, TableBlock):
            where = f"{path}: table in block {number}"
            check_rows(where, len(block.rows))
            check_cells(where, table_cells(block))
            chars = sum(len(c.text) for row in block.rows for c in row)
        elif isinstance(block, Paragraph):
            where = f"{path}: block {number}"
            chars = sum(len(line) for line in block.lines)
        else:
            continue
        check_chars(where, chars, MAX_CHARS_PER_PAGE)
        total += chars
    check_chars(str(path), total, MAX_CHARS_PER_FILE)


def table_cells(table: TableBlock) -> int:
    """Grid positions the table's cells cover, rowspans cut at the last row (stops counting
    past MAX_CELLS, so a table of huge spans costs no more than the limit)."""
    n_rows, total = len(table.rows), 0
    for r, row in enumerate(table.rows):
        for cell in row:
            total += min(max(cell.rowspan, 1), n_rows - r) * max(cell.colspan, 1)
        if total > MAX_CELLS:
            break
    return total
