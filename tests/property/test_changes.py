"""`table_change_holds` on two counts judges the exact growth as the interval arithmetic does."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import Number
from pipeline.numeric.arithmetic import Interval, Rounding, interval_of, round_fraction
from pipeline.numeric.changes import as_percent, change_of, table_change_holds

counts = st.integers(min_value=-50, max_value=2000)


def count(n: int) -> Number:
    return Number(str(n), Decimal(n), 0, False)


@given(
    counts,
    counts,
    st.integers(min_value=0, max_value=2),
    st.sampled_from(list(Rounding)),
    st.booleans(),
    st.sampled_from([Fraction(0), Fraction(1, 10**4), Fraction(-1, 10**3)]),
)
def test_change_of_two_counts_matches_the_interval_arithmetic(
    new: int, old: int, places: int, rounding: Rounding, percent: bool, off: Fraction
) -> None:
    growth = Fraction(new - old, old) if old else Fraction(0)
    digits = round_fraction(growth * 100 + off, places, rounding)
    change = Number(f"{digits:f}" + ("%" if percent else ""), digits, places, percent)
    actual = change_of(False, Interval.point(new), Interval.point(old))
    stated = change if percent else as_percent(change)
    expected = None if actual is None else actual.meets(interval_of(stated, rounding))
    assert table_change_holds(count(new), count(old), change, rounding) is expected
