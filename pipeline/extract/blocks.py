"""What the flow readers (HTML, DOCX, plain text) hand to the flow core.

A flow document is a sequence of blocks in reading order: a paragraph (one or
more printed lines) or a table given as rows of cells with their spans. There
is no geometry; a block's position in the sequence is its provenance.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph; `lines` are its lines as printed (split at hard line breaks)."""

    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableCell:
    """A printed table cell covering `rowspan` rows and `colspan` columns."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A table as printed: each row lists the cells that start in it, left to right.

    `header_rows` is how many leading rows are header when the reader knows it (a
    plain-text table found by its header); None leaves it to the numbers in the rows.
    """

    rows: tuple[tuple[TableCell, ...], ...]
    header_rows: int | None = None


Block = Paragraph | TableBlock


def is_empty(block: Block) -> bool:
    """True for a paragraph without text or a table without a non-empty cell."""
    if isinstance(block, Paragraph):
        return not any(line.strip() for line in block.lines)
    return not any(cell.text.strip() for row in block.rows for cell in row)
