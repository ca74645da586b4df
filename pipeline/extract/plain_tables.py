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

Among the readings of a run (where the header starts, how many cells it has),
the one that covers most lines wins. Lines are given with their blank lines; the
tables found are returned as ranges of those lines.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.extract.pagehead import is_chrome
from pipeline.limits import active

DATA = Path(__file__).resolve().parents[1] / "data" / "plain_tables.json"
MIN_COLS, MAX_COLS = 2, 12
MIN_ROWS = 2
CELL_MAX = 30  # a line longer than this (characters) is no cell
HEADER_MAX = 16  # nor a header cell
SPACES = re.compile(r"[ \u3000\xa0]{2,}|\t")
NUMBER = re.compile(r"^[↑↓▲▼+\-−－]?\s*[0-9][0-9,，]*(?:\.[0-9]+)?\s*[%‰]?$")
PLACEHOLDER = re.compile(r"^(?:[-—–/／]{1,2}|无|／)$")
LEAD_MAX = 3  # cells a run may hold above a table's header (a caption, a unit)

Kind = str  # "n" a number, "t" text, "-" a placeholder that fits either


@dataclass(frozen=True, slots=True)
class PlainTable:
    """A table found among text lines: lines [start, end) hold it, header row first."""

    start: int
    end: int
    rows: tuple[tuple[str, ...], ...]


@cache
def numeric_header_words() -> tuple[str, ...]:
    """Header words naming a quantity, read once. Raises ConfigError on a bad data file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        words = tuple(str(w) for w in raw["numeric_header_words"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed table vocabulary ({exc!r})") from exc
    return words


# A table read from plain text (no markup says it is one) of more rows than this stays text:
# finding where it ends tries every shorter table in turn. Real ones have tens of rows.
PLAIN_MAX_ROWS = 1_000


def find_plain_tables(lines: Sequence[str]) -> list[PlainTable]:
    """Tables printed one cell per line or one row per line with spaces between cells."""
    found = _space_tables(lines)
    taken = {i for t in found for i in range(t.start, t.end)}
    found += [t for t in _cell_tables(lines) if not taken & set(range(t.start, t.end))]
    return sorted(found, key=lambda t: t.start)


@lru_cache(maxsize=1 << 16)  # _fits asks again for every row as a candidate table shrinks
def _kind(cell: str) -> Kind:
    text = unicodedata.normalize("NFKC", cell).strip()
    if PLACEHOLDER.match(text):
        return "-"
    return "n" if NUMBER.match(text) else "t"


def _fits(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """The evidence a table needs (see the module's docstring)."""
    if len(rows) < MIN_ROWS or any(len(r) != len(header) for r in rows):
        return False
    if any(_kind(h) != "t" or len(h) > HEADER_MAX for h in header):
        return False
    columns = [_column_kind([_kind(r[c]) for r in rows]) for c in range(len(header))]
    if "n" not in columns or None in columns:
        return False
    if columns[0] == "n" and [r[0].strip() for r in rows] != [
        str(k) for k in range(1, len(rows) + 1)
    ]:
        return False  # a first column of numbers is the rows' numbers, 1, 2, 3 ...
    words = numeric_header_words()
    return all(
        kind == "n" for h, kind in zip(header, columns, strict=True) if _names_quantity(h, words)
    )


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


def _cell_tables(lines: Sequence[str]) -> list[PlainTable]:
    """Runs of cell lines read as header + rows of the header's width."""
    found: list[PlainTable] = []
    cells: list[tuple[int, str]] = []  # (line index, cell) of the current run
    for i, line in enumerate([*lines, "。"]):
        if not line.strip():
            continue
        cell = _cell(line)
        if cell is None:
            found += _tables_in_run(cells)
            cells = []
        elif cell:
            cells.append((i, cell))
    return found


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
            for t in (_table_at(cells, at, n) for n in range(MIN_COLS, MAX_COLS + 1))
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


def _size(table: PlainTable) -> int:
    return len(table.rows) * len(table.rows[0])


def _table_at(cells: Sequence[tuple[int, str]], at: int, width: int) -> PlainTable | None:
    """The table whose header is the `width` cells from `at`, with as many rows as fit."""
    texts = [c for _, c in cells]
    header = texts[at : at + width]
    if len(header) < width or any(_kind(h) != "t" or len(h) > HEADER_MAX for h in header):
        return None
    rows: list[list[str]] = []
    pattern: list[Kind] | None = None
    for start in range(at + width, len(texts) - width + 1, width):
        row = texts[start : start + width]
        kinds = [_kind(c) for c in row]
        if pattern is not None and any(
            a != b and "-" not in (a, b) for a, b in zip(pattern, kinds, strict=True)
        ):
            break
        pattern = pattern or kinds
        rows.append(row)
    if len(rows) > min(active().max_rows or PLAIN_MAX_ROWS, PLAIN_MAX_ROWS):
        return None  # the lines stay text: the search below costs the square of the rows
    while rows and not _fits(header, rows):
        rows.pop()
    if not rows:
        return None
    last = at + width * (len(rows) + 1) - 1
    return PlainTable(cells[at][0], cells[last][0] + 1, (tuple(header), *map(tuple, rows)))


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
