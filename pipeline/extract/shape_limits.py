"""The cheap in-process limits on a document's shape (pipeline.limits): rows and cells per
table, characters per block and per file, checked before layout so that their cost never
grows past what a real bulletin needs.

A table or paragraph past a limit is left out and named, so that the rest of the document is
still audited and a PAGE001 warning says what was not; the document fails only when no block
is left, or when the whole file is past the limit for a file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import LimitError
from pipeline.extract.blocks import Block, Paragraph, TableBlock
from pipeline.limits import NOT_READ, active, check_file_chars, past
from pipeline.model import UnreadablePage

Numbered = tuple[int, Block]


def within_limits(
    blocks: Sequence[Block], path: Path, backend: str
) -> tuple[list[Numbered], tuple[UnreadablePage, ...]]:
    """The blocks numbered from 1, without those past a limit, and one UnreadablePage
    (numbered like the block, read by `backend`) per block left out.

    Raises LimitError when the file is past the limit for a file, or every block is left out.
    """
    kept: list[Numbered] = []
    skipped: list[UnreadablePage] = []
    total = 0
    for number, block in enumerate(blocks, start=1):
        chars = block_chars(block)
        total += chars
        problem = block_problem(block, chars)
        if problem is None:
            kept.append((number, block))
        else:
            skipped.append(UnreadablePage(number, problem + NOT_READ, backend))
    check_file_chars(str(path), total)
    if skipped and not kept:
        first = skipped[0]
        raise LimitError(f"{path}: block {first.page}: {first.reason.removesuffix(NOT_READ)}")
    return kept, tuple(skipped)


def block_problem(block: Block, chars: int) -> str | None:
    """Which limit the block is past (`table has 20,001 rows (limit 5,000; --max-rows)`),
    or None."""
    if isinstance(block, TableBlock):
        return (
            past("table", len(block.rows), "rows", "max_rows")
            or past("table", table_cells(block), "cells", "max_cells")
            or past("table", chars, "characters", "max_chars")
        )
    return past("paragraph", chars, "characters", "max_chars")


def block_chars(block: Block) -> int:
    if isinstance(block, TableBlock):
        return sum(len(c.text) for row in block.rows for c in row)
    if isinstance(block, Paragraph):
        return sum(len(line) for line in block.lines)
    return 0


def table_cells(table: TableBlock) -> int:
    """Grid positions the table's cells cover, rowspans cut at the last row (stops counting
    past the active cell limit, so a table of huge spans costs no more than the limit)."""
    n_rows, total, limit = len(table.rows), 0, active().max_cells
    for r, row in enumerate(table.rows):
        for cell in row:
            total += min(max(cell.rowspan, 1), n_rows - r) * max(cell.colspan, 1)
        if limit and total > limit:
            break
    return total
