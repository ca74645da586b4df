"""Tables a web page flattened into running text: header and rows on one line.

A page that loses its table markup may print the whole table as one line of tokens split
by single spaces: the header cells (the label column's at times spaced out character by
character, 指 标), then for each row its label and its figures. Such a line is read as a
table only on strong evidence, since a wrong table is worse than none:

- at least `MIN_ROWS` rows in a run, each a short text label (one token, or a label
  spaced out one character a token: 合 计) followed by exactly `k` ≥ 2 figures;
- just before the first row's label, `k` header cells, every one naming a quantity (件数,
  比重 ...) or ending in a bracketed unit (人口数(人): `pipeline/data/plain_tables.json`),
  and the label column's header (if any) naming none;
- every figure column holds a number (a placeholder such as "-" fits, but not alone);
- the run ends at the end of the line, where prose goes on or where another such table
  starts; a label followed by another count of figures (a row short of a cell), or `k`
  figures after words no row label reads as, leaves the whole line text.

What the line prints before the header (a caption) and after the last row stays text. A
table may take a few lines: the line above may hold the caption and header alone (or the
lines above its header cells, one a line), and the lines below may go on with its rows
when they hold nothing but whole rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import cache

from pipeline.extract.pagehead import is_chrome
from pipeline.extract.plain_tables import (
    HEADER_MAX,
    MAX_COLS,
    PLAIN_MAX_ROWS,
    cell_kind,
    is_header_cell,
    names_quantity,
)
from pipeline.extract.table_vocabulary import vocabulary_entry
from pipeline.limits import active

MIN_ROWS = 3
MIN_FIGURES = 2  # figure columns; one figure after a word is too common in prose
SPACED_MAX = 6  # characters of a label or header spaced out one per token (内 蒙 古)
PROSE = re.compile(r"[。；;，,：:！？]")  # a sentence, not a cell (but for the colon of 其中:)
ASIDE = re.compile(r"^(?:其中|#)[：:]?")
FIGURE = re.compile(r"[0-9０-９]")  # a line without a digit holds no row


@dataclass(frozen=True, slots=True)
class FlatTable:
    """A table read from flat text: the text before it, its rows (header first) and the
    text after it (either may be empty)."""

    lead: str
    rows: tuple[tuple[str, ...], ...]
    tail: str


@dataclass(frozen=True, slots=True)
class _Segment:
    """A run of text tokens and the run of figures after it; `start` is the index of its
    first token in the line."""

    start: int
    texts: tuple[str, ...]
    figures: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Found:
    """A header and the rows after it: tokens [lead_end, label_at) are the header, the
    first row's label is token `label_at`, rows end before token `after`."""

    lead_end: int
    label_at: int
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    after: int


@cache
def _unit_end() -> re.Pattern[str]:
    """A header cell ending in a bracketed unit: 人口数(人), 产值（亿元）."""
    return vocabulary_entry("figure_header_unit", lambda v: re.compile(str(v)))


@cache
def _caption_number() -> re.Pattern[str]:
    """A table's caption number (表2, 附表1), never a header cell."""
    return vocabulary_entry("caption_number", lambda v: re.compile(str(v)))


def find_flat_table(line: str) -> FlatTable | None:
    """The first table flattened into `line` that the line holds whole, or None."""
    tokens = line.split()
    segments = _segments(tokens)
    for j in range(len(segments)):
        found = _found_at(tokens, segments, j)
        if found is not None and _whole(found, tokens, segments):
            return _table(found, tokens)
    return None


def find_flat_tables(lines: Sequence[str], taken: Set[int]) -> list[tuple[int, int, FlatTable]]:
    """The flattened tables among `lines` outside the lines `taken` (by other tables), each
    with the range of lines [first, end) it takes."""
    found: list[tuple[int, int, FlatTable]] = []
    free = 0  # lines before this one are taken by a table already found
    for i, line in enumerate(lines):
        if i < free or i in taken or not line.strip():
            continue
        read = read_flat(lines, i)
        if read is not None and read[1] >= free and not taken & set(range(read[1], read[2])):
            found.append((read[1], read[2], read[0]))
            free = read[2]
    return found


def read_flat(lines: Sequence[str], i: int) -> tuple[FlatTable, int, int] | None:
    """The table flattened into line `i` and the lines [first, end) it takes (see the
    module's docstring), or None."""
    if _marked(lines[i]) or not FIGURE.search(lines[i]):
        return None
    read = _read_flat(lines, i)
    return None if read is None or is_chrome(lines[i]) else read


def _read_flat(lines: Sequence[str], i: int) -> tuple[FlatTable, int, int] | None:
    firsts = [i, i - 1] if i > 0 and _header_line(lines[i - 1]) else [i]
    for first in firsts:
        above = len(lines[first].split()) if first < i else 0
        tokens = " ".join(lines[k] for k in range(first, i + 1)).split()
        segments = _segments(tokens)
        for j in range(len(segments)):
            found = _found_at(tokens, segments, j)
            if found is None or (first < i and found.label_at != above):
                continue  # no table, or none whose header the line above ends
            if found.after < len(tokens) or i + 1 == len(lines):
                if _whole(found, tokens, segments):
                    return _table(found, tokens), first, i + 1
                continue
            taken = _rows_below(found, tokens, lines, (first, i + 1))
            if taken is not None:
                return taken
    return _under_cells(lines, i)


def _under_cells(lines: Sequence[str], i: int) -> tuple[FlatTable, int, int] | None:
    """The table whose header is printed one cell per line above line `i` (blank lines
    may part them) and whose rows start with line `i`, a line of nothing but whole rows."""
    k = len(_segments(lines[i].split())[0].figures)
    above = _cells_above(lines, i, k) if MIN_FIGURES <= k < MAX_COLS else None
    rows = _more_rows(lines[i], k) if above else []
    if above is None or not rows:
        return None
    header, first = above
    found = _Found(0, 0, header, tuple(rows), 0)
    return _rows_below(found, (), lines, (first, i + 1))


def _cells_above(lines: Sequence[str], i: int, k: int) -> tuple[tuple[str, ...], int] | None:
    """The `k` + 1 header cells printed one per line above line `i`, and the line of the
    first; None unless they read as a label column's header and `k` figure headers and
    the line above them is no header cell too (a header wider than the rows)."""
    cells: list[str] = []
    at, first = i - 1, i
    while at >= 0 and len(cells) <= k:
        if lines[at].strip():
            if not _cell_line(lines[at]):
                return None
            cells.insert(0, " ".join(lines[at].split()))
            first = at
        at -= 1
    while at >= 0 and not lines[at].strip():
        at -= 1
    if len(cells) <= k or (at >= 0 and _cell_line(lines[at]) and not _caption(lines[at])):
        return None
    name, figures = cells[0], cells[1:]
    if any(len(h) < 2 or not is_header_cell(h) or not _names_figure(h) for h in figures):
        return None
    if not is_header_cell(name) or _caption(name) or _names_figure(name) or PROSE.search(name):
        return None
    return (name, *figures), first


def _cell_line(line: str) -> bool:
    """A line that may be one header cell: short text, no figure, no markup."""
    text = " ".join(line.split())
    if _marked(line) or len(text) > HEADER_MAX or _has_figure(line):
        return False
    return not is_chrome(line)


def _rows_below(
    found: _Found, tokens: Sequence[str], lines: Sequence[str], span: tuple[int, int]
) -> tuple[FlatTable, int, int] | None:
    """The table whose rows end the lines [first, start) of `span`, with the rows the
    lines from `start` go on with; None when they go on in another shape or too few rows
    are found."""
    first, start = span
    k = len(found.header) - 1
    rows = list(found.rows)
    end = start
    while end < len(lines) and (more := _more_rows(lines[end], k)):
        rows += more
        end += 1
    after = next((k for k in range(end, len(lines)) if lines[k].strip()), len(lines))
    if after < len(lines) and _opens_with_row(lines[after]):
        return None  # rows go on (in another shape, or past a blank line): one would be missed
    whole = _Found(found.lead_end, found.label_at, found.header, tuple(rows), found.after)
    if not _columns_hold(whole):
        return None
    return _table(whole, tokens), first, end


def _segments(tokens: Sequence[str]) -> list[_Segment]:
    """The line as alternating runs: text tokens, then the figures that follow them."""
    segments: list[_Segment] = []
    start = 0
    texts: list[str] = []
    figures: list[str] = []
    for i, token in enumerate(tokens):
        text = cell_kind(token) == "t"
        if text and figures:
            segments.append(_Segment(start, tuple(texts), tuple(figures)))
            start, texts, figures = i, [], []
        (texts if text else figures).append(token)
    segments.append(_Segment(start, tuple(texts), tuple(figures)))
    return segments


def _found_at(tokens: Sequence[str], segments: Sequence[_Segment], j: int) -> _Found | None:
    """The header and first row's label that end segment `j`'s text, and the run of rows
    from there; None when segment `j` opens no table."""
    first = segments[j]
    k = len(first.figures)
    if not MIN_FIGURES <= k < MAX_COLS or len(first.texts) < k + 1:
        return None
    label = first.texts[-1]
    if len(label) < 2 or not _one_token_label(label):
        return None  # one character may end a label spaced out (北 京): no telling where
    named = _header(first.texts[:-1], k)
    if named is None:
        return None
    header, used = named
    label_at = first.start + len(first.texts) - 1
    lead_end = label_at - used
    if set(header[1:]) & set(tokens[first.start : lead_end]):
        return None  # the header printed again before: copies side by side
    m = j
    while m + 1 < len(segments) and _row(segments[m + 1], k):
        m += 1
    rows = [(label, *first.figures)] + [_row_cells(s) for s in segments[j + 1 : m + 1]]
    after = segments[m + 1].start if m + 1 < len(segments) else len(tokens)
    return _Found(lead_end, label_at, header, tuple(rows), after)


def _whole(found: _Found, tokens: Sequence[str], segments: Sequence[_Segment]) -> bool:
    """Enough rows, a number in every figure column, and a clean end (`_ends_cleanly`)."""
    if not _columns_hold(found):
        return False
    after = [n for n, s in enumerate(segments) if s.start == found.after]
    return not after or _ends_cleanly(tokens, segments, after[0], len(found.header) - 1)


def _columns_hold(found: _Found) -> bool:
    k = len(found.header) - 1
    most = min(active().max_rows or PLAIN_MAX_ROWS, PLAIN_MAX_ROWS)
    if not MIN_ROWS <= len(found.rows) <= most:
        return False  # past the bound of a table read from plain text the lines stay text
    # a column of placeholders alone is no figure column
    return all(any(cell_kind(r[c]) == "n" for r in found.rows) for c in range(1, k + 1))


def _table(found: _Found, tokens: Sequence[str]) -> FlatTable:
    lead, tail = tokens[: found.lead_end], tokens[found.after :]
    return FlatTable(" ".join(lead), (found.header, *found.rows), " ".join(tail))


def _header(before: Sequence[str], k: int) -> tuple[tuple[str, ...], int] | None:
    """The label column's header and the `k` figure columns' headers that end `before`,
    and how many tokens they take."""
    figures = before[-k:]
    if any(len(h) < 2 or not is_header_cell(h) or not _names_figure(h) for h in figures):
        return None
    rest = before[:-k]
    spaced = _spaced_width(rest)
    if spaced >= 2:
        name, used = " ".join(rest[-spaced:]), spaced
    elif rest and is_header_cell(rest[-1]) and not _caption(rest[-1]):
        name, used = rest[-1], 1
    else:
        name, used = "", 0  # the label column is not named (a caption or prose before)
    if name and (_names_figure(name) or ASIDE.match(name) or PROSE.search(name)):
        return None  # a figure column's header: the header has more cells than the rows
    return (name, *figures), k + used


def _spaced_width(tokens: Sequence[str]) -> int:
    """How many one-character tokens end `tokens` (a cell spaced out: 地 区)."""
    width = 0
    while width < min(len(tokens), SPACED_MAX) and len(tokens[-1 - width]) == 1:
        width += 1
    return width


def _names_figure(header: str) -> bool:
    return names_quantity(header) or bool(_unit_end().search(header))


def _caption(text: str) -> bool:
    return bool(_caption_number().search(text))


def _row(seg: _Segment, k: int) -> bool:
    return len(seg.figures) == k and _label(seg.texts)


def _row_cells(seg: _Segment) -> tuple[str, ...]:
    return (" ".join(seg.texts), *seg.figures)


def _label(texts: Sequence[str]) -> bool:
    """A row's label: one short text token, or one spaced out a character a token."""
    if len(texts) == 1:
        return _one_token_label(texts[0])
    return 2 <= len(texts) <= SPACED_MAX and all(len(t) == 1 for t in texts)


def _one_token_label(text: str) -> bool:
    return len(text) <= HEADER_MAX and not PROSE.search(ASIDE.sub("", text))


def _ends_cleanly(tokens: Sequence[str], segments: Sequence[_Segment], n: int, k: int) -> bool:
    """What follows the last row (segment `n` on) is prose, nothing, or another table: not
    `k` figures after words no row label reads as, nor a label with another count of
    figures (a row short of a cell): a row left out would put the table's arithmetic out."""
    nxt = segments[n]
    if _found_at(tokens, segments, n) is not None:
        return True  # the next table's caption and header (checked in its turn)
    if len(nxt.figures) == k:
        return False
    return not (nxt.figures and _label(nxt.texts))


def _header_line(line: str) -> bool:
    """A line of text tokens only: maybe a caption and a header."""
    tokens = line.split()
    if _marked(line) or len(tokens) < MIN_FIGURES + 1 or _has_figure(line):
        return False
    return not is_chrome(line)


def _has_figure(line: str) -> bool:
    return any(cell_kind(t) != "t" for t in line.split())


def _more_rows(line: str, k: int) -> list[tuple[str, ...]]:
    """The rows of a line that holds nothing but whole rows of `k` figures, else []."""
    segments = _segments(line.split())
    if _marked(line) or not all(_row(s, k) for s in segments):
        return []
    return [_row_cells(s) for s in segments]


def _opens_with_row(line: str) -> bool:
    """The line starts as a row does: a label, then figures."""
    first = _segments(line.split())[0]
    return not _marked(line) and bool(first.figures) and _label(first.texts)


def _marked(line: str) -> bool:
    """A line of a table with its markup (tabs, bars): read as such, not as flat text."""
    return "\t" in line.strip() or line.count("|") >= 2
