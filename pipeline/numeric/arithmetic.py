"""Printed numbers as intervals, and exact arithmetic on them.

A printed figure stands for every true value that the office's rounding maps to
it: "12.34%" with two decimals is [0.12335, 0.12345) under half-up rounding and
[0.1234, 0.1235) under truncation. Intervals here are always in plain units
(0.1234, not 12.34; 32500, not 3.25万). Everything is exact (`Fraction`,
`Decimal`); no float is ever compared.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from pipeline.model import Number


class Rounding(enum.StrEnum):
    """How an office turned a true value into printed digits.

    HALF_UP rounds ties away from zero (四舍五入, `decimal.ROUND_HALF_UP`);
    HALF_EVEN rounds ties to the even digit; TRUNCATE drops digits (toward zero).
    """

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    TRUNCATE = "truncate"


@dataclass(frozen=True, slots=True)
class Interval:
    """A non-empty interval of rationals; each end is closed or open.

    Raises ValueError when lo > hi, or lo == hi with an open end (empty).
    """

    lo: Fraction
    hi: Fraction
    lo_closed: bool = True
    hi_closed: bool = True

    def __post_init__(self) -> None:
        if self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed)):
            raise ValueError(f"empty interval: {self!r}")

    @classmethod
    def point(cls, x: Fraction | int) -> Interval:
        """The closed interval [x, x]."""
        return cls(Fraction(x), Fraction(x))

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    def contains(self, x: Fraction | int) -> bool:
        above = self.lo < x or (self.lo_closed and self.lo == x)
        below = x < self.hi or (self.hi_closed and x == self.hi)
        return above and below

    def intersect(self, other: Interval) -> Interval | None:
        """The common part of both intervals, or None when they are disjoint."""
        lo, lo_closed = _tighter_lo(self, other)
        hi, hi_closed = _tighter_hi(self, other)
        if lo < hi or (lo == hi and lo_closed and hi_closed):
            return Interval(lo, hi, lo_closed, hi_closed)
        return None

    def meets(self, other: Interval) -> bool:
        """True when the intervals share at least one value."""
        return self.intersect(other) is not None

    def __add__(self, other: Interval) -> Interval:
        return Interval(
            self.lo + other.lo,
            self.hi + other.hi,
            self.lo_closed and other.lo_closed,
            self.hi_closed and other.hi_closed,
        )

    def __sub__(self, other: Interval) -> Interval:
        return Interval(
            self.lo - other.hi,
            self.hi - other.lo,
            self.lo_closed and other.hi_closed,
            self.hi_closed and other.lo_closed,
        )

    def __mul__(self, other: Interval) -> Interval:
        if self.lo == self.hi and other.lo == other.hi:
            # two points (closed, being non-empty): one product, no corners to search; the
            # common case of counts, and an audit multiplies tens of thousands of them
            product = self.lo * other.lo
            return Interval(product, product)
        corners = [
            (a * b, _attained(a, ca, b, cb))
            for a, ca in ((self.lo, self.lo_closed), (self.hi, self.hi_closed))
            for b, cb in ((other.lo, other.lo_closed), (other.hi, other.hi_closed))
        ]
        lo = min(v for v, _ in corners)
        hi = max(v for v, _ in corners)
        lo_closed = any(c for v, c in corners if v == lo)
        hi_closed = any(c for v, c in corners if v == hi)
        return Interval(lo, hi, lo_closed, hi_closed)

    def __truediv__(self, other: Interval) -> Interval:
        """Raises ValueError when `other` reaches 0 (the quotient is unbounded)."""
        if other.lo <= 0 <= other.hi:
            raise ValueError(f"division by an interval that reaches 0: {other!r}")
        inverse = Interval(1 / other.hi, 1 / other.lo, other.hi_closed, other.lo_closed)
        return self * inverse


def _tighter_lo(a: Interval, b: Interval) -> tuple[Fraction, bool]:
    if a.lo != b.lo:
        return (a.lo, a.lo_closed) if a.lo > b.lo else (b.lo, b.lo_closed)
    return a.lo, a.lo_closed and b.lo_closed


def _tighter_hi(a: Interval, b: Interval) -> tuple[Fraction, bool]:
    if a.hi != b.hi:
        return (a.hi, a.hi_closed) if a.hi < b.hi else (b.hi, b.hi_closed)
    return a.hi, a.hi_closed and b.hi_closed


def _attained(a: Fraction, a_closed: bool, b: Fraction, b_closed: bool) -> bool:
    # a*b is reached when both ends are reached, or when a reached end is 0
    # (then any value of the other factor gives 0).
    return (a_closed and b_closed) or (a == 0 and a_closed) or (b == 0 and b_closed)


def integers_in(iv: Interval) -> range:
    """The integers inside `iv`, in increasing order."""
    lo = math.ceil(iv.lo)
    if lo == iv.lo and not iv.lo_closed:
        lo += 1
    hi = math.floor(iv.hi)
    if hi == iv.hi and not iv.hi_closed:
        hi -= 1
    return range(lo, hi + 1)


# --- printed numbers ------------------------------------------------------------


def plain_factor(n: Number) -> Fraction:
    """What multiplies the printed digits to give plain units (1/100 for a percent)."""
    return Fraction(n.scale, 100 if n.percent else 1)


# An audit asks about the same printed numbers again and again (every candidate formula,
# every convention); a document prints a few thousand. The caches are bounded so that a
# long archive run does not keep every document's numbers.
CACHED_NUMBERS = 1 << 16


def interval_of(n: Number, rounding: Rounding, *, exact: bool = False) -> Interval:
    """The true values, in plain units, that `n` stands for under `rounding`.

    With `exact=True` the number is taken as printed (a count such as "12件"):
    the interval is the single point `n.exact`.
    """
    return _interval_of(n, rounding, exact)


@lru_cache(maxsize=CACHED_NUMBERS)
def exact_of(n: Number) -> Fraction:
    """`n.exact` as a Fraction (0.9725 for 97.25%), computed once per printed number."""
    return Fraction(n.exact)


@lru_cache(maxsize=CACHED_NUMBERS)
def _interval_of(n: Number, rounding: Rounding, exact: bool) -> Interval:
    factor = plain_factor(n)
    value = Fraction(n.value)
    if exact:
        return Interval.point(value * factor)
    unit = Fraction(1, 10**n.decimals)
    lo, hi, lo_closed, hi_closed = _printed_bounds(value, unit, rounding)
    return Interval(lo * factor, hi * factor, lo_closed, hi_closed)


def _printed_bounds(
    v: Fraction, unit: Fraction, rounding: Rounding
) -> tuple[Fraction, Fraction, bool, bool]:
    """Bounds in printed units of the values that round to `v` (a multiple of `unit`)."""
    if rounding is Rounding.TRUNCATE:
        if v > 0:
            return v, v + unit, True, False
        if v < 0:
            return v - unit, v, False, True
        return -unit, unit, False, False
    half = unit / 2
    if rounding is Rounding.HALF_EVEN:
        even = (v / unit).numerator % 2 == 0
        return v - half, v + half, even, even
    if v > 0:
        return v - half, v + half, True, False
    if v < 0:
        return v - half, v + half, False, True
    return -half, half, False, False


def round_fraction(x: Fraction, decimals: int, rounding: Rounding) -> Decimal:
    """`x` rounded to `decimals` places, as an exact Decimal with that exponent."""
    scaled = x * Fraction(10) ** decimals
    n = _round_to_int(scaled, rounding)
    sign = 1 if n < 0 else 0
    digits = tuple(int(d) for d in str(abs(n)))
    return Decimal((sign, digits, -decimals))


def _round_to_int(y: Fraction, rounding: Rounding) -> int:
    if rounding is Rounding.TRUNCATE:
        return math.trunc(y)
    if rounding is Rounding.HALF_EVEN:
        return round(y)
    magnitude = math.floor(abs(y) + Fraction(1, 2))
    return magnitude if y >= 0 else -magnitude


_NUMERIC = re.compile(r"^(?P<pre>\D*?)(?P<num>[-+\u2212]?\d[\d,]*(?:\.\d+)?)(?P<post>\D*)$")


def format_as(x: Fraction, like: Number, rounding: Rounding = Rounding.HALF_UP) -> str:
    """`x` (plain units) printed the way `like` was: same decimals, percent sign, suffix.

    2/3 formatted like "12.34%" gives "66.67%"; text around the digits of
    `like` ("约", "万", "件") is kept.
    """
    digits = round_fraction(x / plain_factor(like), like.decimals, rounding)
    body = f"{digits:f}"
    match = _NUMERIC.match(like.text.strip())
    if match is None:
        return body + ("%" if like.percent else "")
    return f"{match['pre']}{body}{match['post']}"


@dataclass(frozen=True, slots=True)
class Bounds:
    """A printed interval as integers over one positive denominator: lo/den to hi/den.

    The same values as `interval_of`, but asking whether it holds a Fraction costs three
    integer products instead of two Fraction comparisons.
    """

    lo: int
    hi: int
    den: int
    lo_closed: bool
    hi_closed: bool

    @classmethod
    def of(cls, iv: Interval) -> Bounds:
        den = math.lcm(iv.lo.denominator, iv.hi.denominator)
        lo = iv.lo.numerator * (den // iv.lo.denominator)
        hi = iv.hi.numerator * (den // iv.hi.denominator)
        return cls(lo, hi, den, iv.lo_closed, iv.hi_closed)

    def contains(self, x: Fraction) -> bool:
        return self.contains_ratio(x.numerator, x.denominator)

    def contains_ratio(self, num: int, den: int) -> bool:
        """Whether num / den lies inside (den != 0): no Fraction is built, so no gcd taken."""
        if den < 0:
            num, den = -num, -den
        value = num * self.den
        lo = self.lo * den
        hi = self.hi * den
        above = lo < value or (self.lo_closed and lo == value)
        return above and (value < hi or (self.hi_closed and value == hi))


@lru_cache(maxsize=CACHED_NUMBERS)
def bounds_of(printed: Number, rounding: Rounding) -> Bounds:
    """The printed interval of `printed` (not exact) as integers, computed once per number."""
    return Bounds.of(interval_of(printed, rounding))


def holds(x: Fraction, printed: Number, rounding: Rounding) -> bool:
    """True when the exact value `x` (plain units) lies in the printed interval."""
    return bounds_of(printed, rounding).contains(x)


def holds_interval(iv: Interval, printed: Number, rounding: Rounding) -> bool:
    """True when some value of `iv` (plain units) lies in the printed interval."""
    return iv.meets(interval_of(printed, rounding))


def conventions_that_hold(x: Fraction, printed: Number) -> tuple[Rounding, ...]:
    """The rounding conventions under which `printed` is a correct print of `x`."""
    return tuple(r for r in Rounding if holds(x, printed, r))
