"""Tables printed as copies side by side, one row a line, cells split by single spaces.

A report may print a long ranking as two or three copies of a small table side by side
(事项类别 件数 占比 事项类别 件数 占比 ...), each line a row of every copy. A web page copied
as text keeps each row on its line but puts one space between the cells. Such lines are
read as one table (the side-by-side copies are then unstacked by normalize) only on
strong evidence:

- a header line of `c` ≥ 2 identical copies of `k` ≥ 2 header cells, the first naming no
  quantity and another naming one (件数, 占比: `pipeline/data/plain_tables.json`);
- at least `MIN_ROWS` lines right below it, each read whole as one to `c` copies of a
  label and `k - 1` figures; a label spaced out one character a token (三 农) is one label;
- no row holds more copies than a row above it (the last copies run short at the end).
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from pipeline.extract.pagehead import is_chrome
from pipeline.extract.plain_tables import (
    HEADER_MAX,
    MAX_COLS,
    cell_kind,
    is_header_cell,
    names_quantity,
)

MIN_COPIES = 2
MIN_ROWS = 2

Rows = tuple[tuple[str, ...], ...]


def find_copy_tables(lines: Sequence[str], taken: Set[int]) -> list[tuple[int, int, Rows]]:
    """The side-by-side tables among `lines` outside the lines `taken`: the range of lines
    [first, end) each takes and its rows, the header first."""
    found: list[tuple[int, int, Rows]] = []
    i = 0
    while i < len(lines):
        read = None if i in taken else _table_at(lines, i, taken)
        if read is None:
            i += 1
            continue
        found.append(read)
        i = read[1]
    return found


def _table_at(lines: Sequence[str], i: int, taken: Set[int]) -> tuple[int, int, Rows] | None:
    shape = _header(lines[i])
    if shape is None:
        return None
    k, copies = shape
    rows: list[tuple[str, ...]] = []
    most = copies
    end = i + 1
    while end < len(lines) and end not in taken:
        row = _row(lines[end], k, most)
        if row is None:
            break
        most = len(row) // k
        rows.append(row + ("",) * (k * copies - len(row)))
        end += 1
    if len(rows) < MIN_ROWS:
        return None
    header = tuple(lines[i].split())
    return i, end, (header, *rows)


def _header(line: str) -> tuple[int, int] | None:
    """(cells of one copy, copies) when the line is a header printed as copies."""
    tokens = line.split()
    if is_chrome(line) or len(tokens) > MAX_COLS:
        return None
    for k in range(2, len(tokens) // MIN_COPIES + 1):
        if len(tokens) % k or any(t != tokens[n % k] for n, t in enumerate(tokens)):
            continue
        copy = tokens[:k]
        if len(set(copy)) != k or not all(is_header_cell(t) for t in copy):
            continue
        if not names_quantity(copy[0]) and any(names_quantity(t) for t in copy[1:]):
            return k, len(tokens) // k
    return None


def _row(line: str, k: int, most: int) -> tuple[str, ...] | None:
    """The line read whole as one to `most` copies of a label and `k - 1` figures."""
    tokens = line.split()
    cells: list[str] = []
    at = 0
    while at < len(tokens):
        label_end = at
        while label_end < len(tokens) and cell_kind(tokens[label_end]) == "t":
            label_end += 1
        label = "".join(tokens[at:label_end])
        figures = tokens[label_end : label_end + k - 1]
        if not label or len(label) > HEADER_MAX or len(figures) != k - 1:
            return None
        if label_end - at > 1 and any(len(t) > 1 for t in tokens[at:label_end]):
            return None  # words, not a label spaced out one character a token
        if any(cell_kind(f) == "t" for f in figures):
            return None
        cells += [label, *figures]
        at = label_end + k - 1
    if not cells or len(cells) // k > most:
        return None
    return tuple(cells)
