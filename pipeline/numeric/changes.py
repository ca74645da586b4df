"""Changes against an earlier period, as intervals: growth (new − old) / old and
differences new − old, and the signed change a printed figure stands for."""

from __future__ import annotations

from fractions import Fraction

from pipeline.model import Number
from pipeline.numeric.arithmetic import Interval, Rounding, holds, interval_of


def negate(iv: Interval) -> Interval:
    return Interval(-iv.hi, -iv.lo, iv.hi_closed, iv.lo_closed)


def printed_change(
    value: Number, direction: str | None, rounding: Rounding, *, points: bool = False
) -> Interval:
    """The signed change a printed figure stands for, in plain units: "减少0.55%" is about
    −0.0055, "下降0.9个百分点" (points) about −0.009, "增加50件" exactly 50."""
    count = not value.percent and not points and not value.decimals and value.scale == 1
    iv = interval_of(value, rounding, exact=count)
    if points and not value.percent:
        iv = iv * Interval.point(Fraction(1, 100))
    return negate(iv) if direction == "down" and value.value > 0 else iv


def change_of(difference: bool, new: Interval, old: Interval) -> Interval | None:
    """new − old for a difference, else (new − old) / old; None when old may be 0."""
    if difference:
        return new - old
    if old.lo <= 0 <= old.hi:
        return None
    return (new - old) / old


def as_percent(n: Number) -> Number:
    """A change printed bare under a header without a unit is read as a percent."""
    return Number(n.text, n.value, n.decimals, True, n.scale, n.unit)


def table_change_holds(
    cur: Number, prev: Number, change: Number, rounding: Rounding
) -> bool | None:
    """Whether a period table's change cell is the change from `prev` to `cur` under
    `rounding` (points when both are rates, else a growth in percent); None when `prev` may
    be 0, so nothing can be said."""
    points = cur.percent and prev.percent
    new, old = (
        interval_of(n, rounding, exact=not n.percent and not n.decimals) for n in (cur, prev)
    )
    stated = change if change.percent or points else as_percent(change)
    if not points and new.is_point and old.is_point:
        # two counts: the growth is one exact number, judged against the printed percent
        # without the interval arithmetic (most of the calls of a table's change search)
        if old.lo == 0:
            return None
        return holds((new.lo - old.lo) / old.lo, stated, rounding)
    actual = change_of(points, new, old)
    if actual is None:
        return None
    return actual.meets(printed_change(stated, None, rounding, points=points))
