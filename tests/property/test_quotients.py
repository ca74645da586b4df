"""`quotient_holds` counts the same rows as judging every ratio on every row.

The partner lookup works on integer floors of the ends of the printed interval; these
tests compare it with the plain judgement (`holds` of W × Ci / Cj) on small tables with
signs, zeros, blanks and printed values on the edge of their intervals.
"""

from collections import Counter
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Number
from pipeline.numeric.arithmetic import Rounding, holds, round_fraction
from pipeline.numeric.exact_table import ExactTable
from pipeline.numeric.quotients import quotient_holds

WIDTH = 4  # column 0 is the target, 1..3 the counts

counts = st.one_of(st.none(), st.integers(min_value=-30, max_value=300))
weights = st.sampled_from([Fraction(1), Fraction(100), Fraction(35), Fraction(5, 2)])


def count(n: int | None) -> Number | None:
    return None if n is None else Number(str(n), Decimal(n), 0, False)


def printed(x: Fraction, places: int, rounding: Rounding) -> Number:
    digits = round_fraction(x, places, rounding)
    return Number(f"{digits:f}", digits, places, False)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[Number | None]], Fraction, Rounding]:
    """Rows whose target is mostly a rounded ratio of two of their counts (or a near miss)."""
    weight = draw(weights)
    rounding = draw(st.sampled_from(list(Rounding)))
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        cells = [draw(counts) for _ in range(WIDTH - 1)]
        i, j = draw(st.permutations(range(WIDTH - 1)))[:2]
        a, b = cells[i], cells[j]
        places = draw(st.integers(min_value=0, max_value=3))
        if a is not None and b:
            exact = weight * Fraction(a, b) + draw(st.sampled_from([0, 0, Fraction(1, 1000)]))
            target: Number | None = printed(exact, places, rounding)
        else:
            target = draw(st.one_of(st.none(), st.just(printed(Fraction(0), places, rounding))))
        rows.append([target, *(count(c) for c in cells)])
    return rows, weight, rounding


def judged(
    rows: list[list[Number | None]], own: list[int], weight: Fraction, rounding: Rounding
) -> Counter[tuple[int, int]]:
    """Every pair (i, j) with i or j in `own`, judged on every row."""
    held: Counter[tuple[int, int]] = Counter()
    columns = range(1, WIDTH)
    for row in rows:
        target = row[0]
        if target is None:
            continue
        for i in columns:
            for j in columns:
                a, b = row[i], row[j]
                if i == j or (i not in own and j not in own) or a is None or b is None:
                    continue
                ratio = weight * Fraction(a.value) / Fraction(b.value) if b.value else None
                if ratio is not None and holds(ratio, target, rounding):
                    held[i, j] += 1
    return held


@settings(max_examples=300, deadline=None)
@given(tables(), st.sampled_from([[1], [2], [1, 2], [1, 2, 3]]))
def test_quotient_holds_counts_what_judging_every_pair_counts(
    drawn: tuple[list[list[Number | None]], Fraction, Rounding], own: list[int]
) -> None:
    rows, weight, rounding = drawn
    found = quotient_holds(ExactTable(rows), 0, own, [1, 2, 3], weight, rounding)
    assert +found == +judged(rows, own, weight, rounding)
