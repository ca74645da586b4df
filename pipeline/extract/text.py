"""Plain text (.txt) to a `Document`: paragraphs and tables (tab- or |-separated, one
cell per line, or split by runs of spaces: plain_tables.py; a whole table flattened into
one line of single-spaced tokens: flat_tables.py).

Paragraphs are separated by blank lines; a file without blank lines has one
paragraph per line. A run of lines holding tabs (or at least two "|") is a
table; blank lines between such runs split the table, which the flow core
stitches back (flow.py). In the header rows a blank cell is a merged cell: it
widens the cell to its left where the column has a sub-header further down
("工作量得分" over three sub-headers), else it lengthens the cell above (a
group name whose column has no sub-header). Body rows are kept as printed,
even with more cells than the header has columns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.extract.blocks import Block, Paragraph, TableBlock, TableCell
from pipeline.extract.flat_tables import FlatTable, find_flat_table, find_flat_tables
from pipeline.extract.flow import blocks_to_document
from pipeline.extract.grid import count_header_rows
from pipeline.extract.pagehead import is_chrome
from pipeline.extract.plain_tables import PlainTable, find_plain_tables
from pipeline.extract.ruby import strip_readings
from pipeline.extract.spaced_copies import find_copy_tables
from pipeline.limits import check_file_chars
from pipeline.model import Document

BACKEND = "text"
ENCODINGS = ("utf-8-sig", "gb18030")
CONTROL_SHARE = 0.01  # more control characters than this share: a binary file


def text_to_document(path: Path) -> Document:
    """Read a plain-text bulletin; raises InputError for binary or undecodable files."""
    text = decode_bytes(read_bytes(path), path, kind="text file")
    check_file_chars(str(path), len(text))  # before any splitting
    return blocks_to_document(text_to_blocks(strip_readings(text)), path=path, backend=BACKEND)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def decode_bytes(data: bytes, path: Path, *, kind: str, declared: str | None = None) -> str:
    """The text of a file: UTF-16 with a BOM, else `declared`, UTF-8 or GB18030.

    Raises InputError for an empty file or one that is binary (`kind` names what
    it should have been: "text file", "HTML file").
    """
    if not data.strip():
        raise InputError(f"{path}: empty file")
    text = _decode(data, (declared,) if declared else ())
    if text is None or _looks_binary(text):
        raise InputError(f"{path}: not a {kind} (binary or unknown encoding)")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return text


def _decode(data: bytes, first: tuple[str, ...]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in (*first, *ENCODINGS):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _looks_binary(text: str) -> bool:
    """Control characters, or (after a UTF-16 byte order mark decoded with replacement) more
    U+FFFD than any text has: bytes that are not text in any encoding tried."""
    control = sum(1 for ch in text if ch not in "\t\n\r\f" and unicodedata.category(ch) == "Cc")
    replaced = text.count("\ufffd")
    return "\x00" in text or control > CONTROL_SHARE * len(text) or replaced > 0.1 * len(text)


def text_to_blocks(text: str) -> list[Block]:
    """Paragraph and table blocks in reading order.

    Tables printed one cell per line or with spaces between cells are found first
    (plain_tables.py), then tables flattened into single-spaced text on the other lines
    (flat_tables.py); the lines around them are read as before.
    """
    lines = text.splitlines()
    by_line = len(list(_groups(lines))) == 1
    plain = find_plain_tables(lines)
    taken = {i for t in plain for i in range(t.start, t.end)}
    found: list[tuple[int, int, list[Block]]] = [(t.start, t.end, [_plain_table(t)]) for t in plain]
    for first, end, rows in find_copy_tables(lines, taken):
        found.append((first, end, [_copy_table(rows)]))
        taken |= set(range(first, end))
    found += [(first, end, _flat_blocks(t)) for first, end, t in find_flat_tables(lines, taken)]
    blocks: list[Block] = []
    at = 0
    for start, end, table_blocks in sorted(found, key=lambda f: f[0]):
        blocks += _lines_blocks(lines[at:start], by_line)
        blocks += table_blocks
        at = end
    return blocks + _lines_blocks(lines[at:], by_line)


def _lines_blocks(lines: Sequence[str], by_line: bool) -> list[Block]:
    return [block for group in _groups(lines) for block in _group_blocks(group, by_line)]


def _plain_table(table: PlainTable) -> TableBlock:
    rows = tuple(tuple(TableCell(text) for text in row) for row in table.rows)
    if not table.groups:
        return TableBlock(rows, header_rows=table.header_rows)
    # two header rows: the first column's cell spans both, each group its share of the rest
    first, *labels = table.rows[0]
    span = len(labels) // len(table.groups)
    upper = (TableCell(first, rowspan=2), *(TableCell(g, colspan=span) for g in table.groups))
    lower = tuple(TableCell(text) for text in labels)
    return TableBlock((upper, lower, *rows[1:]), header_rows=2)


def _copy_table(rows: Sequence[Sequence[str]]) -> TableBlock:
    return TableBlock(tuple(tuple(TableCell(t) for t in row) for row in rows), header_rows=1)


def _groups(lines: Sequence[str]) -> Iterator[list[str]]:
    """Runs of non-blank lines."""
    group: list[str] = []
    for line in lines:
        if line.strip():
            group.append(line)
        elif group:
            yield group
            group = []
    if group:
        yield group


def _group_blocks(group: Sequence[str], by_line: bool) -> Iterator[Block]:
    """Split a run of lines into tables (runs of table lines) and paragraphs."""
    run: list[str] = []
    for line in group:
        table = _is_table_line(line)
        if run and (table != _is_table_line(run[0]) or (by_line and not table)):
            yield _run_block(run)
            run = []
        run.append(line)
    if run:
        yield _run_block(run)


def _flat_blocks(table: FlatTable) -> list[Block]:
    """A table flattened into text and the text around it: the text before it is a
    paragraph of its own (the caption a table is named by), and the text after it is
    read again for another table."""
    lead = [Paragraph((table.lead,))] if table.lead else []
    rows = tuple(tuple(TableCell(text) for text in row) for row in table.rows)
    tail: list[Block] = []
    if table.tail:
        following = find_flat_table(table.tail)
        tail = _flat_blocks(following) if following else [Paragraph((table.tail,))]
    return [*lead, TableBlock(rows, header_rows=1), *tail]


def _is_table_line(line: str) -> bool:
    """Cells split by tabs or bars; a site's field line (索引号: | ... |) is chrome, no table."""
    return ("\t" in line.strip() or line.count("|") >= 2) and not is_chrome(line)


def _run_block(run: Sequence[str]) -> Block:
    if not _is_table_line(run[0]):
        return Paragraph(tuple(line.strip() for line in run))
    rows = [_cells(line) for line in run if not _is_rule(line)]
    return _table(rows)


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return [cell.strip() for cell in line.strip("\r\n").split("\t")]
    inner = line.strip()
    inner = inner.removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in inner.split("|")]


def _is_rule(line: str) -> bool:
    """A separator row such as "|---|:---:|" or "+----+"."""
    return "\t" not in line and not line.strip(" |:-+=\u3000")


def _table(rows: Sequence[list[str]]) -> TableBlock:
    n_header = count_header_rows([[TableCell(t) for t in row] for row in rows])
    header = _merge_blanks(_placed_sub_header(rows[:n_header]))
    body = [tuple(TableCell(t) for t in row) for row in rows[n_header:]]
    return TableBlock((*header, *body))


def _placed_sub_header(rows: Sequence[list[str]]) -> list[list[str]]:
    """A two-row header whose lower row is printed packed to the left, put under its groups.

    A web table's second header row holds only the labels under the group cells (比重 over
    2020年 and 2010年); the cells spanning both rows are not repeated there. Copied as text,
    the lower labels start at the first column ("2020年 | 2010年 | |"), while each group
    prints as its label followed by blank cells, one for each further column it spans
    ("地区 | 人口数 | 比重 | |"). When the groups span exactly as many columns as the lower
    row prints labels, the labels go under the groups in order; otherwise the rows stay."""
    if len(rows) != 2:
        return list(rows)
    upper, lower = rows
    labels = [t for t in lower if t]
    if not labels or not all(lower[: len(labels)]) or any(lower[len(labels) :]):
        return list(rows)  # not packed to the left
    spanned = _group_columns(upper)
    if len(spanned) != len(labels) or not spanned or spanned[0] == 0:
        return list(rows)
    placed = [""] * max(len(upper), len(lower))
    for c, label in zip(spanned, labels, strict=True):
        placed[c] = label
    return [list(upper), placed]


def _group_columns(upper: Sequence[str]) -> list[int]:
    """The columns under group cells: each labelled cell followed by blank cells spans them."""
    columns: list[int] = []
    c = 0
    while c < len(upper):
        end = c + 1
        while end < len(upper) and not upper[end]:
            end += 1
        if upper[c] and end - c > 1:
            columns += range(c, end)
        c = end
    return columns


@dataclass(slots=True)
class _Span:
    """A header cell growing over the blank cells that merge into it."""

    text: str
    top: int
    left: int
    rows: int = 1
    cols: int = 1


def _merge_blanks(rows: Sequence[list[str]]) -> list[tuple[TableCell, ...]]:
    width = max((len(r) for r in rows), default=0)
    texts = [r + [""] * (width - len(r)) for r in rows]
    owner: list[list[_Span | None]] = [[None] * width for _ in texts]
    spans: list[_Span] = []
    for r in range(len(texts)):
        for c in range(width):
            if owner[r][c] is None and not _merge(texts, owner, r, c):
                spans.append(_Span(texts[r][c], r, c))
                owner[r][c] = spans[-1]
    return [
        tuple(TableCell(s.text, s.cols, s.rows) for s in spans if s.top == r)
        for r in range(len(texts))
    ]


def _merge(texts: list[list[str]], owner: list[list[_Span | None]], r: int, c: int) -> bool:
    """Merge blank cell (r, c) into the cell to its left or above; False when neither fits."""
    if texts[r][c]:
        return False
    below = _has_sub_header(texts, r, c)
    left = owner[r][c - 1] if c > 0 else None
    if below and left is not None and left.top == r and left.rows == 1:
        left.cols += 1
        owner[r][c] = left
        return True
    above = owner[r - 1][c] if r > 0 else None
    if below or above is None or above.left != c:
        return False
    columns = range(c, c + above.cols)
    if any(texts[r][k] or _has_sub_header(texts, r, k) for k in columns):
        return False
    above.rows += 1
    for k in columns:
        owner[r][k] = above
    return True


def _has_sub_header(texts: Sequence[Sequence[str]], r: int, c: int) -> bool:
    return any(texts[k][c] for k in range(r + 1, len(texts)))
