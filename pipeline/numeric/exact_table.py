"""A table of printed numbers whose columns are read as exact values once.

Formula search asks for the same cells again and again: every candidate of every target
column, under every rounding convention. `ExactTable` is the table as immutable rows, so
what is derived from a column can be kept beside it: the exact values (Fractions, plain
units) and two bitsets over rows, where the column prints a number and where that number
is not 0. Columns are derived when first asked for, so a search that reads three columns
of a wide table pays for three.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Number
from pipeline.numeric.arithmetic import exact_of


@dataclass(frozen=True, slots=True)
class ExactColumn:
    """One column: exact values by row (None where nothing is printed) and row bitsets."""

    values: tuple[Fraction | None, ...]
    present: int
    nonzero: int

    @classmethod
    def of(cls, cells: Sequence[Number | None]) -> ExactColumn:
        values = tuple(None if n is None else exact_of(n) for n in cells)
        present = nonzero = 0
        for r, v in enumerate(values):
            if v is not None:
                present |= 1 << r
                if v != 0:
                    nonzero |= 1 << r
        return cls(values, present, nonzero)


@dataclass(frozen=True, slots=True)
class SortedRow:
    """A row's values in increasing order, with the floor of each (integers, cheap to search
    with `bisect`) and the column each came from."""

    floors: list[int]
    values: list[Fraction]
    columns: list[int]


Rows = tuple[tuple[Number | None, ...], ...]


class ExactTable(Rows):
    """Rows of printed numbers (a tuple of tuples, so it cannot change under its cache).

    Any `Sequence[Sequence[Number | None]]` can be wrapped: `ExactTable.of(rows)`; an
    ExactTable wraps to itself. Rows may differ in length: a row too short for a column
    prints nothing there.
    """

    _columns: dict[int, ExactColumn]
    _sorted: dict[tuple[int, tuple[int, ...]], SortedRow]
    _derived: dict[Hashable, tuple[Fraction | None, ...]]

    def __new__(cls, rows: Sequence[Sequence[Number | None]]) -> ExactTable:
        table = super().__new__(cls, tuple(tuple(row) for row in rows))
        table._columns = {}
        table._sorted = {}
        table._derived = {}
        return table

    @classmethod
    def of(cls, rows: Sequence[Sequence[Number | None]]) -> ExactTable:
        return rows if isinstance(rows, ExactTable) else cls(rows)

    def column(self, i: int) -> ExactColumn:
        found = self._columns.get(i)
        if found is None:
            found = ExactColumn.of([row[i] if i < len(row) else None for row in self])
            self._columns[i] = found
        return found

    def sorted_row(self, r: int, columns: Sequence[int]) -> SortedRow:
        """Row `r`'s exact values in `columns` where printed, in increasing order (kept for
        every search over the same columns)."""
        key = (r, tuple(columns))
        found = self._sorted.get(key)
        if found is None:
            pairs = sorted((v, c) for c in columns if (v := self.column(c).values[r]) is not None)
            floors = [v.numerator // v.denominator for v, _ in pairs]
            found = SortedRow(floors, [v for v, _ in pairs], [c for _, c in pairs])
            self._sorted[key] = found
        return found

    def derived(
        self, key: Hashable, value_at: Callable[[int], Fraction | None]
    ) -> tuple[Fraction | None, ...]:
        """`value_at` of every row, kept under `key`: a candidate formula's unrounded values
        do not depend on the rounding convention, and the convention count judges each
        candidate under all three."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = tuple(value_at(r) for r in range(len(self)))
        return found
