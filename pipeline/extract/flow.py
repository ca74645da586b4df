"""Flow blocks (HTML, DOCX, plain text) to a `Document`.

The readers of formats without pages turn a file into blocks (blocks.py); this
module gives them the same document model as the PDF reader, through the same
GB/T 9704 parsing (structure.py) and table stitching (stitch.py). A block is a
paragraph: lines break a paragraph only where the block does, or at a numbered
heading or an attachment note.

Provenance: blocks are numbered from 1 in reading order, empty ones not
counted; a line's or a cell's `Source.page` is the number of its block,
`bbox` is None and `backend` names the format ("html", "docx", "text").
Attachments start at a block "附件N" (or "附件N:"); the next short paragraph,
or the rest of the label's own block, is the attachment's title.

A page saved from a web site prints site chrome around the bulletin (pagehead.py):
chrome lines are left out of the body, the title and the attachments (a line's
`index` then counts the lines kept in its block); the publication date a chrome
line prints is the document's date when no date closes the body. A body without
a GB/T 9704 head (no salutation) takes as title the short line above the body
that names a bulletin; the lines above that title are page furniture, not body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.extract.blocks import Block, Paragraph, TableBlock, is_empty
from pipeline.extract.document import CONTINUED, file_sha256
from pipeline.extract.grid import body_cells, count_header_rows, header_paths, rows_to_grid
from pipeline.extract.lines import TextLine, join_cjk
from pipeline.extract.pagehead import read_chrome, title_range
from pipeline.extract.pdf import PAGE_NUMBER
from pipeline.extract.shape_limits import within_limits
from pipeline.extract.stitch import PlacedTable, stitch_tables
from pipeline.extract.structure import Body, Placed, attachment_label, parse_body, span
from pipeline.extract.table_vocabulary import caption_words
from pipeline.extract.tables import PageTable
from pipeline.model import (
    BBox,
    Cell,
    Document,
    Line,
    RawMetadata,
    Row,
    Section,
    Source,
    Span,
    UnreadablePage,
)

NO_BOX: BBox = (0.0, 0.0, 0.0, 0.0)  # a placeholder: flow sources carry no bbox
TITLE_MAX = 60  # a paragraph this short (characters) can be a title
LABEL_LOOKAHEAD = 3  # "附件" without a number starts an attachment only before a table

Numbered = tuple[int, Block]


@dataclass(slots=True)
class _Part:
    """The body (label None) or one attachment: its label block and what follows."""

    label: str | None
    head: Numbered | None
    blocks: list[Numbered] = field(default_factory=list)


def blocks_to_document(
    blocks: Sequence[Block], *, path: Path, backend: str, warnings: Sequence[str] = ()
) -> Document:
    """Build the document; `backend` is the format's name, recorded in every Source.

    A table or paragraph past a shape limit (pipeline.limits) is left out and named in the
    document's unreadable pages (PAGE001); raises LimitError when nothing is left or the file
    is past the limit for a file.
    """
    kept = _kept(blocks)
    numbered, skipped = within_limits(kept, path, backend)
    pages = len(kept)
    numbered, chrome = _without_chrome(numbered, backend)
    parts = _split_parts(numbered)
    body_lines = [p for n, b in parts[0].blocks if isinstance(b, Paragraph) for p in _placed(n, b)]
    body = _read_body(body_lines, backend, chrome.title)
    sections, lines = list(body.sections), list(body.lines)
    titles: dict[str, str] = {}
    for part in parts[1:]:
        titles[part.label or ""] = _add_attachment(part, sections, lines, backend)
    placed = [t for part in parts for t in _placed_tables(part, titles, backend)]
    return Document(
        path=str(path),
        sha256=file_sha256(path),
        format=backend,
        pages=pages,
        metadata=_dated(body.metadata, chrome.published),
        sections=tuple(sections),
        lines=tuple(lines),
        attachment_notes=body.notes,
        tables=tuple(stitch_tables(placed)),
        warnings=(*warnings, *(f"block {u.page}: {u.reason}" for u in skipped)),
        unreadable_pages=(*skipped, *_unread(body, lines, placed, numbered, backend, skipped)),
    )


def _unread(
    body: Body,
    lines: Sequence[Line],
    tables: Sequence[PlacedTable],
    numbered: Sequence[Numbered],
    backend: str,
    skipped: Sequence[UnreadablePage],
) -> list[UnreadablePage]:
    """Blocks with text that the document does not hold: all of them when it kept no line
    and no table and left nothing out past a limit (that is named already), else those
    after the closing date."""
    if not lines and not tables and not skipped:
        return [UnreadablePage(n, NOTHING_READ, backend) for n, _ in numbered]
    return _unread_after_date(body, backend)


NOTHING_READ = "read as no table or paragraph (the document kept nothing)"


# A line after the closing date that holds a figure, not only a date ("2023年3月1日印发").
FIGURE = re.compile(r"\d")
DATE_ONLY = re.compile(r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|\d{4}\s*年")
AFTER_DATE = "printed after the closing date and read as no table or paragraph"


def _unread_after_date(body: Body, backend: str) -> list[UnreadablePage]:
    """The blocks after the closing date whose lines hold figures the body left out: an
    attachment no table was found in must not vanish without a word (PAGE001)."""
    figures = [p.page for p in body.after_date if FIGURE.search(DATE_ONLY.sub("", p.line.text))]
    if not figures:
        return []
    pages = sorted({p.page for p in body.after_date if figures[0] <= p.page <= figures[-1]})
    return [UnreadablePage(page, AFTER_DATE, backend) for page in pages]


def _kept(blocks: Sequence[Block]) -> list[Block]:
    """Blocks with text, without page numbers and "续表" markers (print artefacts)."""
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines = tuple(t for t in map(_clean, block.lines) if t and not PAGE_NUMBER.match(t))
            block = Paragraph(lines)
            if len(lines) == 1 and lines[0] in CONTINUED:
                continue
        if not is_empty(block):
            kept.append(block)
    return kept


@dataclass(frozen=True, slots=True)
class _PageChrome:
    """What the site's chrome says: the publication date and the title a field names."""

    published: Span | None = None
    title: Span | None = None


def _without_chrome(
    numbered: Sequence[Numbered], backend: str
) -> tuple[list[Numbered], _PageChrome]:
    """The blocks without their chrome lines (pagehead.py), and what those lines say."""
    placed = [p for n, b in numbered if isinstance(b, Paragraph) for p in _placed(n, b)]
    found = read_chrome([p.line.text for p in placed])
    drop = {(p.page, p.index) for p, chrome in zip(placed, found.lines, strict=True) if chrome}
    kept: list[Numbered] = []
    for n, block in numbered:
        if isinstance(block, Paragraph):
            block = Paragraph(tuple(t for i, t in enumerate(block.lines) if (n, i) not in drop))
            if is_empty(block):
                continue
        kept.append((n, block))
    return kept, _PageChrome(
        published=_chrome_span(placed, found.published, backend),
        title=_chrome_span(placed, found.named_title, backend),
    )


def _chrome_span(
    placed: Sequence[Placed], found: tuple[int, str] | None, backend: str
) -> Span | None:
    return Span(found[1], placed[found[0]].source(backend)) if found else None


def _read_body(lines: Sequence[Placed], backend: str, named: Span | None) -> Body:
    """The body; without a GB/T 9704 head, the title is the bulletin's name above it,
    else the one a chrome field names."""
    body = parse_body(lines, backend, breaks=_new_block)
    if body.metadata.title is not None:
        return body
    found = title_range([p.line.text for p in lines])
    if found is None:
        return replace(body, metadata=replace(body.metadata, title=named)) if named else body
    first, end = found
    rest = parse_body(lines[end:], backend, breaks=_new_block)
    title = span(lines[first:end], backend)
    return replace(rest, metadata=replace(rest.metadata, title=title))


def _dated(metadata: RawMetadata, published: Span | None) -> RawMetadata:
    """The metadata with the page's publication date when no date closes the body."""
    if metadata.date is not None or published is None:
        return metadata
    return replace(metadata, date=published, date_posted=True)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _new_block(prev: Placed, cur: Placed) -> bool:
    return prev.page != cur.page


def _placed(number: int, paragraph: Paragraph) -> list[Placed]:
    return [
        Placed(number, TextLine(t, NO_BOX, 0.0), boxed=False, index=i)
        for i, t in enumerate(paragraph.lines)
    ]


def _split_parts(numbered: Sequence[Numbered]) -> list[_Part]:
    parts = [_Part(None, None)]
    for pos, (n, block) in enumerate(numbered):
        label = _label(block)
        if label is not None and _starts_attachment(label, numbered[pos + 1 :]):
            parts.append(_Part(label, (n, block)))
        else:
            parts[-1].blocks.append((n, block))
    return parts


def _label(block: Block) -> str | None:
    if not isinstance(block, Paragraph):
        return None
    return attachment_label(block.lines[0])


def _starts_attachment(label: str, after: Sequence[Numbered]) -> bool:
    numbered = label != "附件"
    return numbered or any(isinstance(b, TableBlock) for _, b in after[:LABEL_LOOKAHEAD])


def _add_attachment(part: _Part, sections: list[Section], lines: list[Line], backend: str) -> str:
    """Add the attachment's section and narrative lines; return its title."""
    assert part.label is not None and part.head is not None
    head_number, head = part.head
    assert isinstance(head, Paragraph)
    title_lines = list(head.lines[1:])
    rest = part.blocks
    if not title_lines and rest and _is_title(rest[0][1]):
        title_lines, rest = list(_lines_of(rest[0][1])), rest[1:]
    title = _joined(title_lines)
    sections.append(Section(part.label, title, 0, Source(head_number, None, backend), None))
    paragraph = max((ln.paragraph for ln in lines), default=-1)
    for n, block in rest:
        if isinstance(block, Paragraph):
            paragraph += 1
            lines.extend(
                Line(t, Source(n, None, backend, (i,)), len(sections) - 1, paragraph)
                for i, t in enumerate(block.lines)
            )
    return title


def _is_title(block: Block) -> bool:
    return isinstance(block, Paragraph) and len(_joined(block.lines)) <= TITLE_MAX


def _lines_of(block: Block) -> tuple[str, ...]:
    return block.lines if isinstance(block, Paragraph) else ()


def _joined(lines: Sequence[str]) -> str:
    text = ""
    for line in lines:
        text = join_cjk(text, line)
    return text


def _placed_tables(part: _Part, titles: dict[str, str], backend: str) -> list[PlacedTable]:
    """The part's tables; the first one of an attachment takes the attachment's title."""
    placed: list[PlacedTable] = []
    previous: Block | None = None
    blocks = [block for _, block in part.blocks]
    for k, (n, block) in enumerate(part.blocks):
        if isinstance(block, TableBlock):
            first = part.label is not None and not placed
            title = titles[part.label or ""] if first else _nearest_title(previous)
            title = title or _caption_below(blocks[k + 1 : k + 3])
            table = _page_table(n, block, backend)
            placed.append(PlacedTable(table, part.label, title, False, False))
        previous = block
    return placed


def _caption_below(after: Sequence[Block]) -> str:
    """A table with nothing to name it above may be named by the short paragraph right
    below it, when that names a table (排名前五的, 统计表: plain_tables.json) and is not
    itself the caption of a table that follows."""
    if not after or not _is_title(after[0]) or any(isinstance(b, TableBlock) for b in after[1:]):
        return ""
    text = _joined(_lines_of(after[0]))
    return text if caption_words().search(text) else ""


def _nearest_title(previous: Block | None) -> str:
    """A short paragraph right above a table names it."""
    if previous is not None and _is_title(previous):
        return _joined(_lines_of(previous))
    return ""


def _page_table(number: int, block: TableBlock, backend: str) -> PageTable:
    """One table block; header rows are the block's own count, else the leading rows with
    fewer than two numbers."""
    n_header = block.header_rows if block.header_rows is not None else count_header_rows(block.rows)
    grid = rows_to_grid(block.rows)
    columns = header_paths(block.rows, grid, n_header) if n_header else ()

    def cell(r: int, k: int) -> Cell:
        return Cell(_clean(block.rows[r][k].text), Source(number, None, backend, (r, k)))

    header = [tuple(cell(r, k) for k in range(len(block.rows[r]))) for r in range(n_header)]
    body = [tuple(cell(*at) for at in row) for row in body_cells(block.rows, grid, n_header)]
    return PageTable(
        page=number,
        bbox=NO_BOX,
        header_rows=tuple(r for r in header if r),
        columns=columns,
        body_rows=tuple(r for r in body if _has_text(r)),
    )


def _has_text(row: Row) -> bool:
    return any(cell.text for cell in row)
