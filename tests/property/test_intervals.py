from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from pipeline.model import Number
from pipeline.numeric.arithmetic import (
    Interval,
    Rounding,
    format_as,
    integers_in,
    interval_of,
    round_fraction,
)

fractions = st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**6)
unit_steps = st.fractions(min_value=0, max_value=1, max_denominator=1000)
roundings = st.sampled_from(list(Rounding))
decimals = st.integers(min_value=0, max_value=4)
scales = st.sampled_from([1, 10000])


def printed(value: Decimal, places: int, *, percent: bool, scale: int) -> Number:
    text = f"{value:f}" + ("%" if percent else "")
    return Number(text, value, places, percent=percent, scale=scale)


def plain(percent: bool, scale: int) -> Fraction:
    return Fraction(scale, 100 if percent else 1)


@given(fractions, decimals, roundings, st.booleans(), scales)
def test_intervals_rounded_value_contains_the_exact_value(
    x: Fraction, places: int, rounding: Rounding, percent: bool, scale: int
) -> None:
    factor = plain(percent, scale)
    digits = round_fraction(x / factor, places, rounding)
    n = printed(digits, places, percent=percent, scale=scale)
    assert interval_of(n, rounding).contains(x)


@given(fractions, st.integers(min_value=-3, max_value=3), decimals, roundings)
def test_intervals_interval_holds_exactly_when_rounding_gives_the_digits(
    x: Fraction, offset: int, places: int, rounding: Rounding
) -> None:
    # A printed value near round(x): x lies in its interval iff it *is* round(x).
    nearest = round_fraction(x, places, rounding)
    value = nearest + Decimal(offset).scaleb(-places)
    n = printed(value, places, percent=False, scale=1)
    assert interval_of(n, rounding).contains(x) == (value == nearest)


@given(fractions, decimals, roundings, st.booleans())
def test_intervals_format_as_round_trips(
    x: Fraction, places: int, rounding: Rounding, percent: bool
) -> None:
    like = printed(Decimal(0).scaleb(-places), places, percent=percent, scale=1)
    text = format_as(x, like, rounding)
    digits = Decimal(text.rstrip("%"))
    assert text.endswith("%") == percent
    assert interval_of(printed(digits, places, percent=percent, scale=1), rounding).contains(x)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    a, b = draw(fractions), draw(fractions)
    lo, hi = min(a, b), max(a, b)
    lo_closed, hi_closed = draw(st.booleans()), draw(st.booleans())
    if lo == hi:
        lo_closed = hi_closed = True
    return Interval(lo, hi, lo_closed, hi_closed)


def point_in(iv: Interval, t: Fraction) -> Fraction:
    x = iv.lo + t * (iv.hi - iv.lo)
    assume(iv.contains(x))
    return x


OPERATIONS: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
}


@given(intervals(), intervals(), unit_steps, unit_steps, st.sampled_from(list(OPERATIONS)))
def test_intervals_arithmetic_contains_exact_results(
    a: Interval, b: Interval, s: Fraction, t: Fraction, op: str
) -> None:
    x, y = point_in(a, s), point_in(b, t)
    result = {"+": a + b, "-": a - b, "*": a * b}[op]
    assert result.contains(OPERATIONS[op](x, y))


@given(intervals(), intervals(), unit_steps, unit_steps)
def test_intervals_division_contains_exact_quotients(
    a: Interval, b: Interval, s: Fraction, t: Fraction
) -> None:
    assume(not b.lo <= 0 <= b.hi)
    x, y = point_in(a, s), point_in(b, t)
    assert (a / b).contains(x / y)


@given(intervals(), intervals())
def test_intervals_meets_is_symmetric_and_matches_intersection(a: Interval, b: Interval) -> None:
    assert a.meets(b) == b.meets(a)
    common = a.intersect(b)
    if common is not None:
        assert a.meets(common) and b.meets(common)
        assert common.lo >= max(a.lo, b.lo) and common.hi <= min(a.hi, b.hi)


@given(intervals())
def test_intervals_integers_in_are_exactly_the_contained_integers(iv: Interval) -> None:
    assume(iv.hi - iv.lo < 50)
    found = integers_in(iv)
    nearby = range(int(iv.lo) - 2, int(iv.hi) + 3)
    assert [n for n in nearby if iv.contains(n)] == list(found)
