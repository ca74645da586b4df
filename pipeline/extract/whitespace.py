"""Tables without vertical rules: three-line tables and whitespace-aligned tables.

A body row prints its cells as runs of glyphs on one band (`runs.py`); bands
with three runs, two of them numbers, anchor a table body, and anchors close
enough to each other form one body. The horizontal rules of a three-line table
(`rules.py`) bound it: everything between the rule right above the first row
(the header rule, or the top rule of a part without a header) and the bottom
rule is body, and the header is what lies above that rule up to the top rule.
Without rules the body takes the lines right above or below it that only
continue its text cells (a name wrapped onto two lines), and the header is the
lines right above it printed at the table's size. A body of one row is a table
only between rules or at the top of a page (a row carried over from the page
before). Rows and wrapped cells come from `bodyrows.py`, columns from the
rivers of the body (`columns.py`), header paths from the header (`headers.py`).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator, Sequence

from pipeline.extract.bodyrows import CHAIN_GAP, body_rows, row_cells
from pipeline.extract.columns import find_columns
from pipeline.extract.headers import read_header
from pipeline.extract.lines import Char, outside
from pipeline.extract.rules import Rule
from pipeline.extract.runs import Band, Run, page_bands
from pipeline.extract.tables import BACKEND, PageTable
from pipeline.model import BBox

# Body rows further apart than this many font sizes do not belong to one table.
ROW_GAP = 4.0
# A line this close (font sizes) to a body row that only continues its text cells is part of it;
# so is one about as close as the lines of a wrapped cell inside the body (its leading), though
# never further than a chained line (`CHAIN_GAP`).
WRAP_GAP = 0.45
LEADING_SLACK = 1.25
# Header lines are at most this far apart (font sizes), and there are at most so many.
HEADER_GAP = 1.2
MAX_HEADER_BANDS = 12
# Table lines reach at most this many font sizes beyond the body's text (a wide header).
OVERHANG = 5.0
# A line printed this much larger than the body is a title, not table text.
BIG = 1.15
# A body of fewer rows is a table only between rules or at the top of a page (a row
# carried over from the page before).
MIN_BODY_ROWS = 2
# A lone header run wider than this share of the table is a title, not a group cell.
GROUP_CELL_SHARE = 0.5


def read_whitespace_tables(
    page_number: int,
    chars: Sequence[Char],
    taken: Sequence[BBox],
    rules: Sequence[Rule] = (),
    *,
    infer_spaces: bool,
    big: float = BIG,
) -> list[PageTable]:
    """Tables on a page outside the ruled ones (`taken`), top to bottom; a line `big` times
    the body's size or more is not table text (BIG for a text PDF)."""
    free = outside(chars, taken) if taken else chars
    bands = page_bands(free, infer_spaces=infer_spaces)
    tables = []
    floor = float("-inf")
    for first, last in _bodies(bands, rules, big):
        if bands[first].top <= floor:
            continue
        table = _Table(page_number, bands, rules, floor, infer_spaces, big).read(first, last)
        if table is not None:
            tables.append(table)
            floor = table.bbox[3]
    return tables


def _bodies(bands: Sequence[Band], rules: Sequence[Rule], big: float) -> Iterator[tuple[int, int]]:
    """(first, last) band index of each run of body rows close to each other.

    Rows are close when the gap between them, or between the wrapped lines of their text
    cells in between (a long name on four lines), is under `ROW_GAP` font sizes. Two
    rules between two rows (a bottom rule and the next table's top rule) part them.
    """
    i = 0
    while i < len(bands):
        if not bands[i].body_like:
            i += 1
            continue
        last = i
        previous = bands[i]
        for j in range(i + 1, len(bands)):
            band, ref = bands[j], bands[last]
            if band.top - previous.bottom > ROW_GAP * ref.size or band.size > big * ref.size:
                break
            if band.body_like:
                if sum(ref.bottom < r.y < band.top for r in rules) >= 2:
                    break
                last = j
                previous = band
            elif _in_text_cells(band, ref):
                previous = band
        yield i, last
        i = last + 1


def _in_text_cells(band: Band, row: Band) -> bool:
    """Every run of `band` lies within `row` and clear of its numbers: a wrapped line of a
    text cell (prose, a title or the next table's header reaches over numbers)."""
    numbers = [cell for cell in row.runs if cell.numeric]
    return all(
        row.left <= run.bbox[0]
        and run.bbox[2] <= row.right
        and not any(_overlap(run, n) for n in numbers)
        for run in band.runs
    )


class _Table:
    """Reads one table around a run of body rows on a page."""

    def __init__(
        self,
        page: int,
        bands: Sequence[Band],
        rules: Sequence[Rule],
        floor: float,
        infer_spaces: bool,
        big: float,
    ) -> None:
        self.page = page
        self.bands = bands
        self.rules = rules
        self.floor = floor
        self.infer_spaces = infer_spaces
        self.big = big
        self.size = 0.0
        self.left = 0.0
        self.right = 0.0
        self.leading = 0.0

    def read(self, first: int, last: int) -> PageTable | None:
        anchors = [b for b in self.bands[first : last + 1] if b.body_like]
        self.size = statistics.median(b.size for b in anchors)
        self.left = min(b.left for b in anchors)
        self.right = max(b.right for b in anchors)
        self.leading = _leading(self.bands[first : last + 1])
        above = self._rule_above(first)
        below = self._rule_below(last)
        top = self._first_body_band(first, above)
        bottom = self._last_body_band(last, below)
        head = self._header_start(top, above)
        header, body = self.bands[head:top], self.bands[top : bottom + 1]
        rows = body_rows(body)
        if not rows or (len(rows) < MIN_BODY_ROWS and not (above or below or self._opens(head))):
            return None
        edges = [*(r for r in (above, below) if r is not None)]
        left = min([self.left, *(b.left for b in header), *(r.x0 for r in edges)])
        right = max([self.right, *(b.right for b in header), *(r.x1 for r in edges)])
        columns = find_columns([row.runs for row in rows], left, right)
        header_rows, paths = read_header(
            header, columns, self.page, backend=BACKEND, infer_spaces=self.infer_spaces
        )
        box_top = min(b.top for b in (header or body))
        box_bottom = max(below.y if below else 0.0, *(b.bottom for b in body))
        return PageTable(
            page=self.page,
            bbox=(left, box_top, right, box_bottom),
            header_rows=header_rows,
            columns=paths,
            body_rows=tuple(row_cells(self.page, row, columns) for row in rows),
        )

    def _opens(self, head: int) -> bool:
        """True when nothing printed at the body's size precedes the table on its page."""
        return all(b.size > self.big * self.size for b in self.bands[:head])

    def _spanning(self, rule: Rule) -> bool:
        return rule.spans(self.left, self.right)

    def _table_band(self, band: Band) -> bool:
        reach = OVERHANG * self.size
        inside = band.left >= self.left - reach and band.right <= self.right + reach
        return inside and band.size <= self.big * self.size

    def _rule_above(self, first: int) -> Rule | None:
        """The lowest rule over the body with only table lines between it and the body."""
        top = self.bands[first].top
        reach = top - (MAX_HEADER_BANDS + 2) * 1.5 * self.size
        found = [r for r in self.rules if max(self.floor, reach) < r.y <= top and self._spanning(r)]
        if not found:
            return None
        rule = max(found, key=lambda r: r.y)
        between = [b for b in self.bands if rule.y < b.centre < top]
        return rule if all(self._table_band(b) for b in between) else None

    def _rule_below(self, last: int) -> Rule | None:
        bottom = self.bands[last].bottom
        found = [
            r
            for r in self.rules
            if bottom <= r.y <= bottom + ROW_GAP * self.size and self._spanning(r)
        ]
        return min(found, key=lambda r: r.y) if found else None

    def _first_body_band(self, first: int, above: Rule | None) -> int:
        if above is not None:
            return next(i for i, b in enumerate(self.bands) if b.centre > above.y)
        i = first
        while i > 0 and self._continues(self.bands[i - 1], self.bands[i], self.bands[first]):
            i -= 1
        return i

    def _last_body_band(self, last: int, below: Rule | None) -> int:
        if below is not None:
            return max(i for i, b in enumerate(self.bands) if b.centre < below.y)
        i = last
        while i + 1 < len(self.bands) and self._continues(
            self.bands[i + 1], self.bands[i], self.bands[last]
        ):
            i += 1
        return i

    def _continues(self, band: Band, neighbour: Band, anchor: Band) -> bool:
        """A line right next to the body that only continues text cells of a row."""
        gap = max(band.top - neighbour.bottom, neighbour.top - band.bottom)
        chained = neighbour is not anchor and all(
            any(_overlap(r, n) for n in neighbour.runs) for r in band.runs
        )
        limit = CHAIN_GAP * self.size
        if not chained:
            limit = min(limit, max(WRAP_GAP * self.size, LEADING_SLACK * self.leading))
        if gap > limit or not self._table_band(band):
            return False
        numbers = [r for r in anchor.runs if r.numeric]
        return not any(_overlap(run, n) for run in band.runs for n in numbers)

    def _header_start(self, top: int, above: Rule | None) -> int:
        """Index of the first header band: table lines right above the body."""
        floor = self.bands[top].top if top < len(self.bands) else 0.0
        if above is not None:
            floor = min(floor, above.y)
        start = top
        while start > 0 and top - start < MAX_HEADER_BANDS:
            band = self.bands[start - 1]
            if band.bottom <= self.floor or floor - band.bottom > HEADER_GAP * self.size:
                break
            if not self._table_band(band) or self._title_like(band):
                break
            if any(band.bottom - 1 < r.y < floor - 1 and self._spanning(r) for r in self.rules):
                break
            start -= 1
            floor = min(floor, band.top)
        return start

    def _title_like(self, band: Band) -> bool:
        if len(band.runs) > 1:
            return False
        run = band.runs[0]
        wide = run.bbox[2] - run.bbox[0] > GROUP_CELL_SHARE * (self.right - self.left)
        return wide or run.text.endswith("表")


def _leading(body: Sequence[Band]) -> float:
    """The smallest gap in the body between a wrapped line and the line next to it in its
    column: the space between the lines of one cell (0.0 when no cell wraps)."""
    gaps = [
        b.top - a.bottom
        for a, b in itertools.pairwise(body)
        if not (a.body_like and b.body_like)
        and b.top > a.bottom
        and any(_overlap(r, s) for r in a.runs for s in b.runs)
    ]
    return min(gaps, default=0.0)


def _overlap(a: Run, b: Run) -> bool:
    return a.bbox[0] < b.bbox[2] and b.bbox[0] < a.bbox[2]
