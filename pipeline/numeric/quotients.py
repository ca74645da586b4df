"""On how many rows each ratio W × Ci / Cj prints as the target, for many pairs at once.

A score column's search tries a ratio for every pair of count columns that reads one of
the score's own columns: a number of pairs that grows with the table's width. Judging
each pair row by row costs pairs × rows. Here, for each row and each own column i, the
partners j that can make the ratio print as the target are looked up in the row's values
sorted once per table: W × a / b lies in the printed interval [lo, hi] only when b lies
between W × a / hi and W × a / lo (and, with i below the bar, W × b / a only when b lies
between a × lo / W and a × hi / W). The lookup gives a superset of the partners; each is
then judged exactly, with the same integer test as one judgement. The cost per row is the
number of own columns times (log of the width + the partners found).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Collection, Sequence
from fractions import Fraction

from pipeline.numeric.arithmetic import Bounds, Rounding, bounds_of
from pipeline.numeric.exact_table import ExactTable, SortedRow

Pair = tuple[int, int]  # (numerator column, denominator column)


def _between(row: SortedRow, floors: tuple[int, int] | None) -> range:
    """Positions in `row` of values between two ends, given by the ends' floors (all when
    None).

    Searched on the values' floors: a value v between the ends has floor(v) between the
    ends' floors, so the positions found hold every such value and perhaps a few more,
    which the exact judgement after the lookup turns away.
    """
    if floors is None:
        return range(len(row.floors))
    first = bisect.bisect_left(row.floors, min(floors))
    return range(first, bisect.bisect_right(row.floors, max(floors)))


# The ends below are rationals num / den; only their floors are needed, and floor division
# of the integers (Python floors for either sign of den) gives them without a Fraction,
# whose gcd on every row and column was most of a search's cost.


def _partners_below(a: Fraction, w: Fraction, printed: Bounds) -> tuple[int, int] | None:
    """Floors of the ends between which b may lie for W × a / b (a not 0) to print in
    `printed` (None: anywhere)."""
    if printed.lo <= 0 <= printed.hi:
        return None  # the interval reaches 0: no bound on b
    top = w.numerator * a.numerator * printed.den
    bottom = w.denominator * a.denominator
    return top // (bottom * printed.lo), top // (bottom * printed.hi)


def _partners_above(a: Fraction, w: Fraction, printed: Bounds) -> tuple[int, int]:
    """Floors of the ends between which b may lie for W × b / a to print in `printed`
    (a is not 0)."""
    top = a.numerator * w.denominator
    bottom = printed.den * a.denominator * w.numerator
    return printed.lo * top // bottom, printed.hi * top // bottom


def _holds(num: Fraction, den: Fraction, w: Fraction, printed: Bounds) -> bool:
    top = w.numerator * num.numerator * den.denominator
    return printed.contains_ratio(top, w.denominator * num.denominator * den.numerator)


def quotient_holds(
    table: ExactTable,
    target: int,
    own: Collection[int],
    columns: Sequence[int],
    weight: Fraction,
    rounding: Rounding,
) -> Counter[Pair]:
    """For each ratio weight × Ci / Cj with i and j among `columns`, one of them in `own`,
    the number of rows on which it holds: the target, Ci and Cj printed, Cj not 0, and the
    exact quotient inside the target's printed interval under `rounding`."""
    held: Counter[Pair] = Counter()
    target_column = table.column(target)
    for r, printed in enumerate(table[k][target] for k in range(len(table))):
        if printed is None or target_column.values[r] is None:
            continue
        row = table.sorted_row(r, columns)
        values, cols = row.values, row.columns
        bounds = bounds_of(printed, rounding)
        for i in own:
            a = table.column(i).values[r]
            if a is None:
                continue
            if a == 0:  # 0 / b is 0 for every b: all partners hold, or none
                if bounds.contains_ratio(0, 1):
                    held.update((i, j) for b, j in zip(values, cols, strict=True) if j != i and b)
                continue
            for k in _between(row, _partners_below(a, weight, bounds)):
                b, j = values[k], cols[k]
                if j != i and b != 0 and _holds(a, b, weight, bounds):
                    held[i, j] += 1
            for k in _between(row, _partners_above(a, weight, bounds)):
                b, j = values[k], cols[k]
                # a pair of two own columns was counted above, with j as the numerator
                if j != i and j not in own and _holds(b, a, weight, bounds):
                    held[j, i] += 1
    return held
