from decimal import Decimal
from fractions import Fraction

import pytest

from pipeline.model import Number
from pipeline.numeric.arithmetic import (
    Interval,
    Rounding,
    conventions_that_hold,
    format_as,
    holds,
    holds_interval,
    integers_in,
    interval_of,
    round_fraction,
)

F = Fraction


def num(text: str) -> Number:
    percent = text.endswith("%")
    digits = text.rstrip("%")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Number(text, Decimal(digits), decimals, percent)


def test_arithmetic_interval_of_percent_half_up() -> None:
    iv = interval_of(num("98.11%"), Rounding.HALF_UP)
    assert iv == Interval(F("0.98105"), F("0.98115"), True, False)


def test_arithmetic_interval_of_percent_truncate() -> None:
    iv = interval_of(num("98.11%"), Rounding.TRUNCATE)
    assert iv == Interval(F("0.9811"), F("0.9812"), True, False)


def test_arithmetic_interval_of_half_even_closes_even_ties() -> None:
    even = interval_of(num("0.12"), Rounding.HALF_EVEN)
    odd = interval_of(num("0.13"), Rounding.HALF_EVEN)
    assert even.lo_closed and even.hi_closed
    assert not odd.lo_closed and not odd.hi_closed


def test_arithmetic_interval_of_negative_half_up_is_mirrored() -> None:
    iv = interval_of(num("-1.5"), Rounding.HALF_UP)
    assert iv == Interval(F("-1.55"), F("-1.45"), False, True)


def test_arithmetic_interval_of_scaled_number() -> None:
    n = Number("9.67万", Decimal("9.67"), 2, scale=10000)
    assert interval_of(n, Rounding.HALF_UP) == Interval(F(96650), F(96750), True, False)


def test_arithmetic_interval_of_exact_count_is_a_point() -> None:
    assert interval_of(num("56"), Rounding.HALF_UP, exact=True) == Interval.point(56)
    assert interval_of(num("56"), Rounding.HALF_UP) == Interval(F("55.5"), F("56.5"), True, False)


def test_arithmetic_55_over_56_is_not_98_11_percent() -> None:
    assert not holds(F(55, 56), num("98.11%"), Rounding.HALF_UP)
    assert conventions_that_hold(F(55, 56), num("98.11%")) == ()
    assert holds(F(52, 53), num("98.11%"), Rounding.HALF_UP)


def test_arithmetic_conventions_that_hold_tells_truncation_apart() -> None:
    # 1588/1589 = 0.999370…: 99.94% half-up, 99.93% truncated
    assert conventions_that_hold(F(1588, 1589), num("99.94%")) == (
        Rounding.HALF_UP,
        Rounding.HALF_EVEN,
    )
    assert conventions_that_hold(F(1588, 1589), num("99.93%")) == (Rounding.TRUNCATE,)


@pytest.mark.parametrize(
    ("x", "rounding", "expected"),
    [
        (F("0.125"), Rounding.HALF_UP, "0.13"),
        (F("0.125"), Rounding.HALF_EVEN, "0.12"),
        (F("0.129"), Rounding.TRUNCATE, "0.12"),
        (F("-0.125"), Rounding.HALF_UP, "-0.13"),
        (F("-0.129"), Rounding.TRUNCATE, "-0.12"),
        (F(2, 3), Rounding.HALF_UP, "0.67"),
        (F(-1, 1000), Rounding.HALF_UP, "0.00"),
    ],
)
def test_arithmetic_round_fraction(x: Fraction, rounding: Rounding, expected: str) -> None:
    result = round_fraction(x, 2, rounding)
    assert str(result) == expected
    assert result == Decimal(expected)


def test_arithmetic_round_fraction_row_2_total() -> None:
    parts = 35 + F(40 * 169, 172) + 5 + 10 + F(5 * 172, 345) + 5
    assert round_fraction(parts, 2, Rounding.HALF_UP) == Decimal("96.80")


def test_arithmetic_format_as_percent() -> None:
    assert format_as(F(55, 56), num("98.11%")) == "98.21%"
    assert format_as(F(1, 3), num("12.5%")) == "33.3%"
    assert format_as(F(55, 56), num("98.11%"), Rounding.TRUNCATE) == "98.21%"


def test_arithmetic_format_as_keeps_unit_text() -> None:
    like = Number("9.67万", Decimal("9.67"), 2, scale=10000)
    assert format_as(F(123456), like) == "12.35万"
    assert format_as(F(57), Number("56件", Decimal(56), 0, unit="件")) == "57件"


def test_arithmetic_holds_interval_with_rounded_parts() -> None:
    parts = [num(t) for t in ("35.00", "39.30", "5.00", "10.00", "2.49", "5.00")]
    total = sum((interval_of(p, Rounding.HALF_UP) for p in parts), Interval.point(0))
    assert holds_interval(total, num("96.80"), Rounding.HALF_UP)
    assert not holds_interval(total, num("96.90"), Rounding.HALF_UP)


def test_arithmetic_interval_contains_respects_open_ends() -> None:
    iv = Interval(F(0), F(1), lo_closed=False, hi_closed=True)
    assert not iv.contains(0)
    assert iv.contains(1)
    assert iv.contains(F(1, 2))


def test_arithmetic_interval_meets_touching_ends() -> None:
    a = Interval(F(0), F(1), True, False)
    assert not a.meets(Interval(F(1), F(2)))
    assert Interval(F(0), F(1)).meets(Interval(F(1), F(2)))
    assert a.intersect(Interval(F(1, 2), F(3))) == Interval(F(1, 2), F(1), True, False)


def test_arithmetic_interval_rejects_empty() -> None:
    with pytest.raises(ValueError):
        Interval(F(1), F(0))
    with pytest.raises(ValueError):
        Interval(F(1), F(1), True, False)


def test_arithmetic_interval_operations() -> None:
    a = Interval(F(1), F(2), True, False)
    b = Interval(F(-3), F(4))
    assert a + b == Interval(F(-2), F(6), True, False)
    assert a - b == Interval(F(-3), F(5), True, False)
    assert a * b == Interval(F(-6), F(8), False, False)
    assert b / a == Interval(F(-3), F(4))


def test_arithmetic_interval_product_with_zero_end_is_closed() -> None:
    product = Interval(F(0), F(1)) * Interval(F(2), F(3), False, False)
    assert product == Interval(F(0), F(3), True, False)


def test_arithmetic_interval_division_by_zero_interval_raises() -> None:
    with pytest.raises(ValueError):
        Interval(F(1), F(2)) / Interval(F(-1), F(1))
    with pytest.raises(ValueError):
        Interval(F(1), F(2)) / Interval(F(0), F(1), False, True)


def test_arithmetic_integers_in() -> None:
    assert integers_in(Interval(F(1), F(3), False, True)) == range(2, 4)
    assert list(integers_in(Interval(F(1, 3), F(2, 3)))) == []
