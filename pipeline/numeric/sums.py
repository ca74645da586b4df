"""A total column as the sum of other columns, inferred and judged row by row.

Parts that a formula computes (`unrounded`) are used exactly where they print as their
cell; other parts count as their printed interval (a point for count columns). The subset
of columns kept is found as `infer_formula` finds a formula (`infer.keep_best`).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from pipeline.model import Number
from pipeline.numeric.arithmetic import Interval, Rounding, holds, interval_of
from pipeline.numeric.exact_table import ExactTable
from pipeline.numeric.infer import (
    MAX_SUM_SEARCH_COLUMNS,
    Acceptance,
    Formula,
    FormulaKind,
    Inference,
    TableValues,
    Verdict,
    cell_of,
    keep_best,
    label_of,
)

DEFAULT_ACCEPTANCE = Acceptance()


def _part_interval(
    row: Sequence[Number | None],
    i: int,
    unrounded: Fraction | None,
    exact: bool,
    rounding: Rounding,
) -> Interval | None:
    cell = cell_of(row, i)
    if cell is None:
        return None
    if unrounded is not None and holds(unrounded, cell, rounding):
        return Interval.point(unrounded)
    return interval_of(cell, rounding, exact=exact)


def _sum_verdict(
    row: Sequence[Number | None],
    target: int,
    parts: Sequence[int],
    unrounded: Sequence[Fraction | None],
    counts: Collection[int],
    rounding: Rounding,
) -> Verdict:
    total = cell_of(row, target)
    pieces = [
        _part_interval(row, i, u, i in counts, rounding)
        for i, u in zip(parts, unrounded, strict=True)
    ]
    if total is None or any(p is None for p in pieces):
        return Verdict.NOT_APPLICABLE
    summed = sum((p for p in pieces if p is not None), Interval.point(0))
    printed = interval_of(total, rounding, exact=target in counts)
    return Verdict.HOLDS if summed.meets(printed) else Verdict.FAILS


def judge_sum(
    table: TableValues,
    target: int,
    parts: Sequence[int],
    *,
    unrounded: Mapping[int, Sequence[Fraction | None]] | None = None,
    counts: Collection[int] = (),
    rounding: Rounding = Rounding.HALF_UP,
) -> tuple[Verdict, ...]:
    """Whether column `target` equals the sum of columns `parts`, row by row.

    A part's unrounded value (`unrounded[column][row]`, e.g. from
    `unrounded_values`) is used exactly when it prints as the cell; otherwise
    the part counts as its printed interval (a point for `counts` columns). The
    row holds when the summed interval meets the total's printed interval, so
    with all parts exact the sum is rounded once and compared.
    """
    known = unrounded or {}
    verdicts = []
    for r, row in enumerate(table):
        exact = [_row_value(known.get(i), r) for i in parts]
        verdicts.append(_sum_verdict(row, target, parts, exact, counts, rounding))
    return tuple(verdicts)


def _row_value(column: Sequence[Fraction | None] | None, r: int) -> Fraction | None:
    return column[r] if column is not None and r < len(column) else None


def _part_sets(columns: Sequence[int]) -> Iterator[tuple[int, ...]]:
    if len(columns) > MAX_SUM_SEARCH_COLUMNS:
        yield tuple(columns)
        return
    for size in range(len(columns), 1, -1):
        yield from itertools.combinations(columns, size)


def infer_sum(
    table: TableValues,
    target: int,
    columns: Sequence[int],
    *,
    unrounded: Mapping[int, Sequence[Fraction | None]] | None = None,
    counts: Collection[int] = (),
    labels: Sequence[str] | None = None,
    rounding: Rounding = Rounding.HALF_UP,
    acceptance: Acceptance = DEFAULT_ACCEPTANCE,
) -> Inference | None:
    """The subset (two or more) of `columns` whose sum best explains column `target`.

    Subsets are searched when there are at most MAX_SUM_SEARCH_COLUMNS columns,
    otherwise only the full set is tried; on a tie the larger subset wins. See
    `judge_sum` for how rows are judged. None when no subset meets `acceptance`.
    """
    cols = [c for c in columns if c != target]
    sums = [
        Formula(
            FormulaKind.SUM,
            parts,
            None,
            f"{label_of(labels, target)} = {' + '.join(label_of(labels, i) for i in parts)}",
        )
        for parts in _part_sets(cols)
    ]
    pieces = _Pieces(table, target, unrounded or {}, counts, rounding)
    return keep_best(
        sums,
        ExactTable.of(table),
        target,
        lambda f, r: pieces.sum_meets_total(f.inputs, r),
        acceptance,
        lambda f: judge_sum(
            table, target, f.inputs, unrounded=unrounded, counts=counts, rounding=rounding
        ),
    )


@dataclass(slots=True)
class _Pieces:
    """The intervals `judge_sum` adds, each computed once per cell however many subsets
    read it. Only asked about rows where the total and every part are printed."""

    table: TableValues
    target: int
    unrounded: Mapping[int, Sequence[Fraction | None]]
    counts: Collection[int]
    rounding: Rounding
    known: dict[tuple[int, int], Interval] = field(default_factory=dict)

    def piece(self, r: int, i: int) -> Interval:
        found = self.known.get((r, i))
        if found is None:
            unrounded = _row_value(self.unrounded.get(i), r)
            exact = i in self.counts
            found = _part_interval(self.table[r], i, unrounded, exact, self.rounding)
            assert found is not None  # the row's mask says the cell is printed
            self.known[r, i] = found
        return found

    def total(self, r: int) -> Interval:
        found = self.known.get((r, self.target))
        if found is None:
            total = self.table[r][self.target]
            assert total is not None
            found = interval_of(total, self.rounding, exact=self.target in self.counts)
            self.known[r, self.target] = found
        return found

    def sum_meets_total(self, parts: Sequence[int], r: int) -> bool:
        lo = hi = Fraction(0)
        lo_closed = hi_closed = True
        for i in parts:
            p = self.piece(r, i)
            lo, hi = lo + p.lo, hi + p.hi
            lo_closed, hi_closed = lo_closed and p.lo_closed, hi_closed and p.hi_closed
        return Interval(lo, hi, lo_closed, hi_closed).meets(self.total(r))
