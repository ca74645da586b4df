"""Tables in plain text that carry no tab: one cell per line, or cells split by spaces.

A web page copied as text loses its table markup. What is left is either one cell
per line (a header of N short lines, then each row as N lines, at times with a
lone "|" between cells or one closing each cell) or one row per line with runs
of spaces between the cells. A run of lines is read as a table only on strong
evidence, since a wrong table is worse than none:

- a header of N ≥ 2 short cells, none of them a number;
- at least `MIN_ROWS` rows after it, every one of N cells;
- the same columns numeric in every row (a placeholder such as "-" fits any), at
  least one of them;
- a column whose header names a quantity (件, 率, 占比 ...: `pipeline/data/
  plain_tables.json`) numeric.

A name too long for its column may go on to a second line (`_wrapped`), and a remark
column may print a sentence between a row's short cells (`_remark`); both stay one cell.
Among the readings of a run (where the header starts, how many cells it has),
the one that covers most lines wins. Lines are given with their blank lines; the
tables found are returned as ranges of those lines.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.pagehead import is_chrome
from pipeline.extract.table_vocabulary import numeric_header_words, rank_header_words, total_labels
from pipeline.limits import active

MIN_COLS, MAX_COLS = 2, 16
MIN_ROWS = 2
MIN_GROUPS = 2  # a group column is read when it names at least this many groups
HEADER_GROUPS_MIN = 2  # header groups over repeated labels: one group repeats nothing
ONE_ROW_MIN = 3  # categories over one row of counts: at least this many (`_category_rows`)
CELL_MAX = 30  # a line longer than this (characters) is no cell
HEADER_MAX = 16  # nor a header cell
SPACES = re.compile(r"[ \u3000\xa0]{2,}|\t")
# a figure, a percentage, or a growth printed as a multiple (1.2倍) where others print a percent
NUMBER = re.compile(r"^[↑↓▲▼+\-−－]?\s*[0-9][0-9,，]*(?:\.[0-9]+)?\s*[%‰倍]?$")
PLACEHOLDER = re.compile(r"^(?:[-—–/／]{1,2}|无|／)$")
LEAD_MAX = 3  # cells a run may hold above a table's header (a caption, a unit)

Kind = str  # "n" a number, "t" text, "-" a placeholder that fits either


@dataclass(frozen=True, slots=True)
class PlainTable:
    """A table found among text lines: lines [start, end) hold it, its `header_rows`
    (one, or none for a table read by the shape of its rows alone) first."""

    start: int
    end: int
    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    # a two-level header: the groups printed above the header row (rows[0]), each over an
    # equal share of the columns after the first, whose header cell spans both levels
    groups: tuple[str, ...] = ()


def cell_kind(cell: str) -> Kind:
    """ "n" a number, "t" text, "-" a placeholder that fits either."""
    return _kind(cell)


def is_header_cell(cell: str) -> bool:
    """Short text that may head a column (no numbered heading, no line ending in a colon)."""
    return _header_cell(cell)


def names_quantity(header: str) -> bool:
    """The header names a quantity (numeric_header_words)."""
    return _names_quantity(header, numeric_header_words())


# A table read from plain text (no markup says it is one) of more rows than this stays text:
# finding where it ends tries every shorter table in turn. Real ones have tens of rows.
PLAIN_MAX_ROWS = 1_000


def find_plain_tables(lines: Sequence[str]) -> list[PlainTable]:
    """Tables printed one cell per line or one row per line with spaces between cells.

    A line of nothing but spaces between blank lines may be an empty cell (a page whose
    cells sit one per line, blank lines between them, prints an empty cell that way) or
    just a gap: lines are read as tables both ways, and a table read with empty cells
    replaces those read without them that it overlaps when it holds more rows than they
    do together (an empty cell read as a gap puts the rows out of step, which cuts them
    short)."""
    found = _space_tables(lines)
    taken = {i for t in found for i in range(t.start, t.end)}
    cells = [t for t in _cell_tables(lines, blanks=False) if not taken & _lines(t)]
    for table in _cell_tables(lines, blanks=True):
        if taken & _lines(table):
            continue
        overlapped = [t for t in cells if _lines(t) & _lines(table)]
        if len(table.rows) > sum(len(t.rows) for t in overlapped):
            cells = [t for t in cells if t not in overlapped] + [table]
    return sorted(found + cells, key=lambda t: t.start)


def _lines(table: PlainTable) -> set[int]:
    return set(range(table.start, table.end))


@lru_cache(maxsize=1 << 16)  # _fits asks again for every row as a candidate table shrinks
def _kind(cell: str) -> Kind:
    text = unicodedata.normalize("NFKC", cell).strip()
    if not text or PLACEHOLDER.match(text):
        return "-"
    return "n" if NUMBER.match(text) else "t"


def _fits(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """The evidence a table needs (see the module's docstring)."""
    categories = _category_rows(header, rows)
    if len(rows) < MIN_ROWS and not categories:
        return False
    full = [r for r in rows if len(r) == len(header)]
    if len(rows) - len(full) > len(full) // 2 or any(len(r) < len(header) - 1 for r in rows):
        return False  # rows short of a cell (`_short_row`) are a minority among whole ones
    if not all(_header_cell(h) for h in header):
        return False
    columns = [_column_kind([_kind(r[c]) for r in full]) for c in range(len(header))]
    if "n" not in columns or None in columns:
        return False
    # under categories the first column holds a category's figures, not row numbers
    if columns[0] == "n" and not categories and not _numbers_rows(header[0], [r[0] for r in rows]):
        return False
    words = numeric_header_words()
    return all(
        kind == "n" for h, kind in zip(header, columns, strict=True) if _names_quantity(h, words)
    )


def _category_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """A header of categories over one row of counts ("噪音 | 占道 | 其他" over "4 | 6 |
    2"), and maybe a row of their shares under it: enough rows when they hold a figure
    under each of at least `ONE_ROW_MIN` categories and no category names a quantity of
    its own (such a header is the first row of a table whose other rows are missing)."""
    if not 1 <= len(rows) <= 2 or len(header) < ONE_ROW_MIN:
        return False
    if any(len(r) != len(header) or any(_kind(c) != "n" for c in r) for r in rows):
        return False
    if len(rows) == 2 and not all(c.strip().endswith(("%", "％")) for c in rows[1]):
        return False
    words = numeric_header_words()
    return not any(_names_quantity(h, words) for h in header)


def _numbers_rows(header: str, firsts: Sequence[str]) -> bool:
    """A first column of numbers numbers the rows: 1, 2, 3 ..., or ranks under a rank
    header (1, 2, 2, 4: ties repeat, and never fall); rows printed without a number may
    close the table (合计, the office's own row)."""
    firsts = [f.strip() for f in firsts]
    while len(firsts) > 1 and not firsts[-1]:
        firsts.pop()
    if firsts == [str(k) for k in range(1, len(firsts) + 1)]:
        return True
    if not any(w in header for w in rank_header_words()):
        return False
    ranks = [int(f) if f.isdigit() else 0 for f in firsts]
    return ranks[0] == 1 and all(0 < a <= b for a, b in itertools.pairwise(ranks))


# A numbered heading (一、 （二） 3.) or a line that introduces what follows (…如下：)
# is text above a table, never one of its header cells.
NOT_HEADER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])|[：:]$")


def _header_cell(cell: str) -> bool:
    return _kind(cell) == "t" and len(cell) <= HEADER_MAX and not NOT_HEADER.search(cell)


def _column_kind(kinds: Sequence[Kind]) -> Kind | None:
    """ "n" or "t" when every cell agrees (placeholders fit both), else None."""
    seen = set(kinds) - {"-"}
    if len(seen) > 1:
        return None
    return seen.pop() if seen else "t"


def _names_quantity(header: str, words: Sequence[str]) -> bool:
    return any(w in header for w in words)


# --- one cell per line ----------------------------------------------------------------


def _cell(line: str) -> str | None:
    """The cell a line prints ("" for a lone bar between cells), None when it is no cell."""
    text = line.strip().strip("|｜ \u3000\xa0")
    if "|" in text or "｜" in text or "\t" in text:
        return None
    if len(text) > CELL_MAX or "。" in text or (text and is_chrome(text)):
        return None
    return text


# A remark cell (what an inspection found, a sentence or two) may be this long.
REMARK_MAX = 120


def _remark(lines: Sequence[str], i: int) -> str | None:
    """A line too long for a cell that is one all the same: a remark column's sentence
    (考评存在问题) between a row's short cells, the next of them a number (its score).
    A paragraph between a table and a heading is followed by no number, so stays text."""
    text = lines[i].strip()
    if len(text) > REMARK_MAX or any(bar in text for bar in "|｜\t") or is_chrome(text):
        return None
    before = next((ln for ln in reversed(lines[:i]) if ln.strip()), None)
    after = next((ln for ln in lines[i + 1 :] if ln.strip()), None)
    if before is None or after is None or not _cell(before):
        return None
    following = _cell(after)
    return text if following and _kind(following) == "n" else None


def _cell_tables(lines: Sequence[str], *, blanks: bool) -> list[PlainTable]:
    """Runs of cell lines read as header + rows of the header's width, and what is left
    of each run as rows of a label and its numbers (`_headerless`); with `blanks`, a line
    of spaces between blank lines is an empty cell."""
    found: list[PlainTable] = []
    cells: list[tuple[int, str]] = []  # (line index, cell) of the current run
    for i, line in enumerate([*lines, "。"]):
        if not line.strip():
            if blanks and _empty_cell(lines, i):
                cells.append((i, ""))
            continue
        cell = _cell(line)
        if cell is None and i < len(lines):
            cell = _remark(lines, i)
        if cell is None:
            tables = _tables_in_run(cells)
            found += tables + _headerless(_uncovered(cells, tables))
            cells = []
        elif cell:
            cells.append((i, cell))
        elif blanks and _bar_closed_before(lines, i):
            cells.append((i, ""))
    return sorted(found, key=lambda t: t.start)


def _bar_closed_before(lines: Sequence[str], i: int) -> bool:
    """A lone bar after a line that a bar closes (8020655 |): where every cell closes with
    a bar, a bar alone is an empty cell (a row's blank name); between cells that print no
    bar of their own it only separates them."""
    before = next((ln.strip() for ln in reversed(lines[:i]) if ln.strip()), "")
    return before.endswith(("|", "｜"))


def _empty_cell(lines: Sequence[str], i: int) -> bool:
    """A line of spaces alone between two blank lines."""
    around = (lines[i - 1] if i > 0 else "", lines[i + 1] if i + 1 < len(lines) else "")
    return bool(lines[i]) and around == ("", "")


def _uncovered(
    cells: Sequence[tuple[int, str]], tables: Sequence[PlainTable]
) -> list[list[tuple[int, str]]]:
    """The stretches of a run that no table holds."""
    stretches: list[list[tuple[int, str]]] = [[]]
    for i, cell in cells:
        if any(t.start <= i < t.end for t in tables):
            if stretches[-1]:
                stretches.append([])
        else:
            stretches[-1].append((i, cell))
    return [s for s in stretches if s]


def _tables_in_run(cells: Sequence[tuple[int, str]]) -> list[PlainTable]:
    """The tables of a run of cell lines. A header starts at most `LEAD_MAX` cells below
    the run's start or the table before; the run's last table leaves fewer cells below
    it than it has columns (else the cells go on in another shape: no table at all)."""
    found: list[PlainTable] = []
    free = 0
    while free < len(cells):
        tables = [
            t
            for at in range(free, min(free + LEAD_MAX + 1, len(cells)))
            for n in range(MIN_COLS, MAX_COLS + 1)
            for t in (_table_at(cells, at, n), _grouped_at(cells, at, n))
            if t is not None
        ]
        if not tables:
            break
        best = max(tables, key=lambda t: (_size(t), -t.start))
        found.append(best)
        free = next((k for k, (i, _) in enumerate(cells) if i >= best.end), len(cells))
    if found and len(cells) - free >= len(found[-1].rows[0]) + LEAD_MAX:
        found.pop()
    return found


# Rows of a label and its numbers read as a table although no header line names the
# columns (a page whose header row was an image, or never printed): at least this many
# rows, each of one short text cell and the same count (>= 2) of numbers.
HEADERLESS_MIN_ROWS = 3


def _headerless(stretches: Sequence[Sequence[tuple[int, str]]]) -> list[PlainTable]:
    found: list[PlainTable] = []
    for cells in stretches:
        kinds = [_kind(c) for _, c in cells]
        at = 0
        while at < len(cells):
            table = _headerless_at(cells, kinds, at)
            if table is None:
                at += 1
                continue
            found.append(table)
            at += len(table.rows) * len(table.rows[0])
    return found


def _headerless_at(
    cells: Sequence[tuple[int, str]], kinds: Sequence[Kind], at: int
) -> PlainTable | None:
    """The rows of a label and `width - 1` numbers from `at`, each ended by the next label
    or the run's end; None when fewer than `HEADERLESS_MIN_ROWS` follow."""
    numbers = 0
    while at + 1 + numbers < len(kinds) and kinds[at + 1 + numbers] in "n-":
        numbers += 1
    width = numbers + 1
    if numbers < MIN_COLS or width > MAX_COLS:
        return None
    if "n" in kinds[max(0, at - width) : at]:
        return None  # numbers just above the first label: rows of another shape, read out of step
    rows: list[tuple[str, ...]] = []
    p = at
    while _label_row(cells, kinds, p, width):
        rows.append(tuple(c for _, c in cells[p : p + width]))
        p += width
    if len(rows) < HEADERLESS_MIN_ROWS or any(_column_kind(col) != "n" for col in _numeric(rows)):
        return None
    header = _header_before(cells, kinds, at, width)
    if header is not None:
        first = cells[at - width][0]
        return PlainTable(first, cells[p - 1][0] + 1, (header, *rows))
    return PlainTable(cells[at][0], cells[p - 1][0] + 1, (_unnamed_header(width), *rows))


def _unnamed_header(width: int) -> tuple[str, ...]:
    """A header for columns the page does not name: the label column, then each column's
    place, so the table checks can still relate the columns by their arithmetic."""
    return ("", *(f"({c})" for c in range(2, width + 1)))


def _header_before(
    cells: Sequence[tuple[int, str]], kinds: Sequence[Kind], at: int, width: int
) -> tuple[str, ...] | None:
    """The `width` short text cells printed just above the rows, when they read as their
    header: the label column's cell names no quantity and the others' all do or none do
    (a header split across two lines shifts its cells, and then it is left out)."""
    if at < width:
        return None
    header = tuple(c for _, c in cells[at - width : at])
    if any(k != "t" for k in kinds[at - width : at]) or any(len(h) > HEADER_MAX for h in header):
        return None
    words = numeric_header_words()
    if _names_quantity(header[0], words):
        return None
    return header


def _label_row(cells: Sequence[tuple[int, str]], kinds: Sequence[Kind], p: int, width: int) -> bool:
    if p + width > len(kinds) or kinds[p] != "t" or len(cells[p][1]) > HEADER_MAX:
        return False
    if any(k not in "n-" for k in kinds[p + 1 : p + width]):
        return False
    return p + width == len(kinds) or kinds[p + width] == "t"


def _numeric(rows: Sequence[Sequence[str]]) -> list[list[Kind]]:
    """The kinds of each number column (all but the label's)."""
    return [[_kind(r[c]) for r in rows] for c in range(1, len(rows[0]))]


def _size(table: PlainTable) -> int:
    return len(table.rows) * len(table.rows[0])


def _table_at(cells: Sequence[tuple[int, str]], at: int, width: int) -> PlainTable | None:
    """The table whose header is the `width` cells from `at`, with as many rows as fit."""
    texts = [c for _, c in cells]
    header = texts[at : at + width]
    if len(header) < width or not all(_header_cell(h) for h in header):
        return None
    rows, ends = _rows_from(texts, at + width, width, _copy_width(header))
    if len(rows) > min(active().max_rows or PLAIN_MAX_ROWS, PLAIN_MAX_ROWS):
        return None  # the lines stay text: the search below costs the square of the rows
    while rows and not _fits(header, rows):
        rows.pop()
    if not rows:
        return None
    last = ends[len(rows) - 1]
    total = _merged_total(texts[last + 1 : last + width], rows)
    if total is not None:
        rows.append(total)
        last += width - 1
    return PlainTable(cells[at][0], cells[last][0] + 1, (tuple(header), *map(tuple, rows)))


def _grouped_at(cells: Sequence[tuple[int, str]], at: int, width: int) -> PlainTable | None:
    """The table under a two-level header printed one cell a line from `at`: the label
    column's header, then groups, then under them the same labels again for each group
    (18岁以下, 60岁以上 over 人数, 占比 each): the upper row's cells after the first each span
    as many columns, and the repeated lower labels are the evidence that they do."""
    texts = [c for _, c in cells]
    for groups in range(HEADER_GROUPS_MIN, (width - 1) // MIN_COLS + 1):
        span = (width - 1) // groups
        if span * groups != width - 1:
            continue
        upper = texts[at : at + 1 + groups]
        lower = texts[at + 1 + groups : at + groups + width]
        if len(lower) != width - 1 or not all(_header_cell(h) for h in (*upper, *lower)):
            continue
        if len(set(lower[:span])) != span or any(h != lower[k % span] for k, h in enumerate(lower)):
            continue
        header = (upper[0], *lower)
        rows, ends = _rows_from(texts, at + groups + width, width)
        if len(rows) > min(active().max_rows or PLAIN_MAX_ROWS, PLAIN_MAX_ROWS):
            return None
        while rows and not _fits(header, rows):
            rows.pop()
        if rows:
            end = cells[ends[len(rows) - 1]][0] + 1
            return PlainTable(
                cells[at][0], end, (header, *map(tuple, rows)), groups=tuple(upper[1:])
            )
    return None


def _rows_from(
    texts: Sequence[str], start: int, width: int, copy: int = 0
) -> tuple[list[list[str]], list[int]]:
    """Rows of `width` cells from `start` while their kinds keep the first row's pattern,
    and the index of each row's last cell. Under a first row opening with two text cells
    (a group and an item: 商品类, 食品), a row one cell short that fits the rest of the
    pattern continues the group printed once above it, which it is given; under rows that
    open with their number and a name, it is a row printed without a number."""
    rows: list[list[str]] = []
    ends: list[int] = []
    filled: list[int] = []  # rows given their group
    pattern: list[Kind] | None = None
    while True:
        full, short = texts[start : start + width], texts[start : start + width - 1]
        longer = texts[start : start + width + 1]
        if len(full) == width and (pattern is None or _matches(pattern, full)):
            pattern = pattern or [_kind(c) for c in full]
            rows.append(list(full))
            start += width
        elif pattern is not None and pattern[:2] == ["t", "t"] and _matches(pattern[1:], short):
            filled.append(len(rows))
            rows.append([rows[-1][0], *short])  # the group cell, printed once above
            start += width - 1
        elif (
            pattern is not None and pattern[:2] == ["n", "t"] and _unnumbered(rows, short, pattern)
        ):
            rows.append(["", *short])  # a row with no number under numbered ones (合计, 本级)
            start += width - 1
        elif pattern is not None and (joined := _wrapped(pattern, longer)):
            rows.append(joined)
            start += width + 1
        elif pattern is not None and _short_row(pattern, texts, start):
            rows.append(list(short))  # a blank number cell the page dropped: normalize places it
            start += width - 1
        elif copy and pattern is not None and (half := _copies_short(pattern, texts, start, copy)):
            rows.append([*half, *[""] * (width - len(half))])
            ends.append(start + len(half) - 1)
            break  # the copies printed side by side run short on their last row
        else:
            break
        ends.append(start - 1)
    if filled and len({r[0] for r in rows}) < MIN_GROUPS:
        return rows[: filled[0]], ends[: filled[0]]  # one group is no evidence of groups
    return rows, ends


def _wrapped(pattern: Sequence[Kind], cells: Sequence[str]) -> list[str] | None:
    """A row one cell long because a name too wide for its column went on to a second
    line ("社会劳动保障" over "管理类"): the two text cells where the pattern has a name
    followed by a number are one name. Read so only at the pattern's one such place, when
    the first part is at least as long as the second (a wrapped line fills its column
    first) and the joined row fits the pattern; otherwise the run ends, as it did."""
    places = [k for k in range(len(pattern) - 1) if pattern[k : k + 2] == ["t", "n"]]
    if len(places) != 1 or len(cells) != len(pattern) + 1:
        return None
    k = places[0]
    first, rest = cells[k], cells[k + 1]
    if _kind(first) != "t" or _kind(rest) != "t" or len(first) < len(rest):
        return None
    row = [*cells[:k], first + rest, *cells[k + 2 :]]
    if len(row[k]) > HEADER_MAX * 2 or not _matches(pattern, row):
        return None
    return row


def _short_row(pattern: Sequence[Kind], texts: Sequence[str], start: int) -> bool:
    """A row of a label and its numbers one number short, then the next row's label (or
    the run's end): a page flattened without its blank cells drops them. Which column the
    blank was is not said here; normalize places the row by the table's arithmetic or
    leaves it out of the checks (`pipeline/normalize/columns.py`)."""
    width = len(pattern)
    if width < MIN_COLS + 1 or pattern[0] != "t" or any(k != "n" for k in pattern[1:]):
        return False
    row, after = texts[start : start + width - 1], start + width - 1
    if len(row) != width - 1 or _kind(row[0]) != "t" or len(row[0]) > HEADER_MAX:
        return False
    if any(_kind(c) not in "n-" for c in row[1:]):
        return False
    return after == len(texts) or _kind(texts[after]) == "t"


def _copy_width(header: Sequence[str]) -> int:
    """The width of one copy when the header repeats as copies side by side ("单位 | 得分 |
    排名 | 单位 | 得分 | 排名"), else 0."""
    width = len(header)
    for copy in range(MIN_COLS, width // 2 + 1):
        if width % copy == 0 and all(header[i] == header[i % copy] for i in range(width)):
            return copy
    return 0


def _copies_short(
    pattern: Sequence[Kind], texts: Sequence[str], start: int, copy: int
) -> list[str] | None:
    """The last row of a table printed as copies side by side, holding only its first
    copies: the cells of whole copies that fit the pattern, then nothing more of the run
    (or a cell no copy would start with)."""
    width = len(pattern)
    if "n" not in pattern[:copy]:
        return None  # a copy is a name and its figures
    for used in range(width - copy, 0, -copy):
        cells = list(texts[start : start + used])
        after = texts[start + used] if start + used < len(texts) else None
        fits = len(cells) == used and _matches(pattern[:used], cells)
        if fits and (after is None or _kind(after) != pattern[0]):
            return cells
    return None


# Rows without a number that may close a numbered table (合计, 小计, the office's own row).
UNNUMBERED_MAX = 2


def _unnumbered(
    rows: Sequence[Sequence[str]], short: Sequence[str], pattern: Sequence[Kind]
) -> bool:
    """A row one cell short, under at least MIN_ROWS numbered rows, that fits the pattern
    past the number: printed without one, not the start of another reading."""
    numbered = sum(1 for r in rows if r[0])
    if numbered < MIN_ROWS or len(rows) - numbered >= UNNUMBERED_MAX:
        return False
    return _matches(pattern[1:], short)


def _matches(pattern: Sequence[Kind], row: Sequence[str]) -> bool:
    kinds = [_kind(c) for c in row]
    return len(kinds) == len(pattern) and all(
        a == b or "-" in (a, b) for a, b in zip(pattern, kinds, strict=True)
    )


def _merged_total(after: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str] | None:
    """The totals row printed below a table whose rows open with their number: its label
    (小计, 合计) spans the number and the name column, so it is one cell short. Read with an
    empty number cell, the label under the names (where a totals row is looked for)."""
    width = len(rows[0])
    if len(after) != width - 1 or after[0].strip() not in total_labels():
        return None
    if _kind(rows[0][0]) != "n" or _column_kind([_kind(r[1]) for r in rows]) != "t":
        return None
    if any(_kind(c) not in "n-" for c in after[1:]):
        return None
    return ["", *after]


# --- one row per line, cells split by spaces -------------------------------------------


def _space_cells(line: str) -> list[str]:
    return [c for c in SPACES.split(line.strip()) if c]


def _space_tables(lines: Sequence[str]) -> list[PlainTable]:
    """Runs of lines split by runs of spaces into the same number (≥ 2) of cells."""
    found: list[PlainTable] = []
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        cells = _space_cells(line) if not is_chrome(line) else []
        width = len(_space_cells(lines[run[0]])) if run else 0
        if len(cells) >= MIN_COLS and (not run or len(cells) == width):
            run.append(i)
            continue
        if run:
            found += _space_run(lines, run)
        run = [i] if len(cells) >= MIN_COLS else []
    return found


def _space_run(lines: Sequence[str], run: Sequence[int]) -> list[PlainTable]:
    if len(run) > PLAIN_MAX_ROWS:
        return []  # stays text, like a long table of one cell per line (_table_at)
    rows = [_space_cells(lines[i]) for i in run]
    for first in range(len(rows) - MIN_ROWS):
        if _fits(rows[first], rows[first + 1 :]):
            return [PlainTable(run[first], run[-1] + 1, tuple(map(tuple, rows[first:])))]
    return []
