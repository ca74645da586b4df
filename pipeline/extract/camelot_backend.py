"""Camelot (lattice or stream) as a table backend, converted to our `PageTable`s.

Camelot is run once per document, over all pages, on the first page asked for;
its tables are then handed out page by page. Camelot reports PDF coordinates
with a bottom-left origin; here every box is turned to ours (top-left origin:
`top = page_height - y2`). A merged cell is the union of the grid cells between
which camelot found no ruling (its `hspan`/`vspan` cells), so header rows and
header paths come from the same rule as pdfplumber's (`tables.grid_to_page_table`).
Cell text is camelot's own, lines joined without spaces between CJK characters.

Rotated pages: camelot applies /Rotate, then, when a page holds more vertical
than horizontal text lines, turns it a quarter back and reports that table in
the turned frame (`table.rotation` "clockwise"/"anticlockwise"); upside-down
text it leaves as displayed. Boxes are carried from camelot's frame to the
frame the page is read in (`turn`), so they agree with the pdfplumber lines
whatever camelot decided; its reading of cells is kept as it is.

Stream tables that hold fewer than two body-like rows (three cells, two of them
numbers) are narrative text read as a one-column table and are dropped, with a
log line; lattice tables are kept as found. Raises nothing of its own: camelot's
exceptions on a PDF pdfplumber could open propagate as bugs.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.extract.lines import Char, join_cjk
from pipeline.extract.tables import PageTable, grid_to_page_table, is_numeric
from pipeline.extract.turn import Turn, page_table_to_display, page_table_to_reading
from pipeline.model import BBox

log = logging.getLogger(__name__)

FLAVORS = ("lattice", "stream")
# Camelot's `table.rotation`: the clockwise quarter turns it took the page back by.
CAMELOT_QUARTERS = {"": 0, "clockwise": 1, "anticlockwise": 3}
# The whitespace reader's body rule: a stream table needs this many such rows.
MIN_BODY_ROWS = 2
MIN_BODY_CELLS = 3
MIN_NUMERIC_CELLS = 2


class CamelotTables:
    """Tables of one PDF as camelot finds them with one flavor."""

    def __init__(self, path: Path, flavor: str) -> None:
        if flavor not in FLAVORS:
            raise ValueError(f"camelot flavor must be one of {FLAVORS}, not {flavor!r}")
        self.path = path
        self.flavor = flavor
        self.name = f"camelot-{flavor}"
        self._by_page: dict[int, list[Any]] | None = None

    def find_tables(self, page: Any, chars: Sequence[Char]) -> list[PageTable]:
        """The tables camelot found on this pdfplumber page, top to bottom."""
        from pipeline.extract.turned_page import turn_of

        if self._by_page is None:
            self._by_page = self._read_all()
        turn = turn_of(page)
        found = [
            _in_reading_frame(t, page.page_number, turn, self.name)
            for t in self._by_page.get(page.page_number, [])
        ]
        kept = [t for t in found if self.flavor == "lattice" or _has_body(t)]
        if len(kept) < len(found):
            log.info(
                "p.%d: %s dropped %d table(s) without numeric rows",
                page.page_number,
                self.name,
                len(found) - len(kept),
            )
        return sorted(kept, key=lambda t: (t.bbox[1], t.bbox[0]))

    def _read_all(self) -> dict[int, list[Any]]:
        from camelot.io import read_pdf

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tables = read_pdf(
                str(self.path),
                pages="all",
                flavor=self.flavor,
                # A header line that runs over several cells is split at the rulings.
                split_text=True,
                suppress_stdout=True,
            )
        for w in caught:
            log.debug("%s: camelot: %s", self.path, w.message)
        by_page: dict[int, list[Any]] = {}
        for t in tables:
            by_page.setdefault(int(t.page), []).append(t)
        return by_page


def _in_reading_frame(table: Any, page: int, turn: Turn, backend: str) -> PageTable:
    """A camelot table with its boxes in the frame the page is read in."""
    own = Turn(CAMELOT_QUARTERS.get(str(table.rotation or ""), 0), turn.display)
    found = camelot_to_page_table(table, page, own.size[1], backend)
    if own.quarters == turn.quarters:
        return found
    return page_table_to_reading(page_table_to_display(found, own), turn)


def camelot_to_page_table(table: Any, page: int, page_height: float, backend: str) -> PageTable:
    """One camelot table to a `PageTable` with top-left boxes and merged cells."""
    cells: list[list[Any]] = [list(row) for row in table.cells]
    owner = _merged_owner(cells)
    boxes: dict[tuple[int, int], BBox] = {}
    texts: dict[BBox, str] = {}
    members: dict[tuple[int, int], list[Any]] = {}
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            members.setdefault(owner[r][c], []).append(cell)
    for key, group in members.items():
        bbox = bottom_left_to_top_left(_union(group), page_height)
        boxes[key] = bbox
        texts[bbox] = _cell_text(group)
    grid = [
        [boxes[(r, c)] if owner[r][c] == (r, c) else None for c in range(len(row))]
        for r, row in enumerate(cells)
    ]
    grid = [row for row in grid if any(b is not None for b in row)]
    rows, cols = table.rows, table.cols
    outline = (cols[0][0], rows[-1][1], cols[-1][1], rows[0][0])
    bbox = bottom_left_to_top_left(outline, page_height)
    return grid_to_page_table(grid, texts, page, bbox, backend)


def bottom_left_to_top_left(box: tuple[float, float, float, float], page_height: float) -> BBox:
    """(x1, y1, x2, y2) with a bottom-left origin to (x0, top, x1, bottom)."""
    x1, y1, x2, y2 = box
    return (float(x1), page_height - float(y2), float(x2), page_height - float(y1))


def _merged_owner(cells: Sequence[Sequence[Any]]) -> list[list[tuple[int, int]]]:
    """For each grid position, the top-left position of the merged cell covering it.

    Two neighbours belong to one cell when camelot found no ruling between them.
    """
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(p: tuple[int, int]) -> tuple[int, int]:
        while parent.get(p, p) != p:
            p = parent[p]
        return p

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            if c + 1 < len(row) and not cell.right and not row[c + 1].left:
                join((r, c), (r, c + 1))
            below = cells[r + 1][c] if r + 1 < len(cells) and c < len(cells[r + 1]) else None
            if below is not None and not cell.bottom and not below.top:
                join((r, c), (r + 1, c))
    return [[find((r, c)) for c in range(len(row))] for r, row in enumerate(cells)]


def _union(group: Sequence[Any]) -> tuple[float, float, float, float]:
    return (
        min(c.x1 for c in group),
        min(c.y1 for c in group),
        max(c.x2 for c in group),
        max(c.y2 for c in group),
    )


def _cell_text(group: Sequence[Any]) -> str:
    text = ""
    for cell in group:
        for line in str(cell.text).splitlines():
            text = join_cjk(text, " ".join(line.split()))
    return text


def _has_body(table: PageTable) -> bool:
    body = [
        row
        for row in (*table.header_rows, *table.body_rows)
        if len(row) >= MIN_BODY_CELLS and sum(is_numeric(c.text) for c in row) >= MIN_NUMERIC_CELLS
    ]
    return len(body) >= MIN_BODY_ROWS
