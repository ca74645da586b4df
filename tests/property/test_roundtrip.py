"""Property tests: printing and parsing numbers and periods round-trip."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import Number
from pipeline.normalize.numbers import find_numbers, format_like, parse_number
from pipeline.normalize.periods import find_periods, parse_date, parse_period


@st.composite
def printed_numbers(draw: st.DrawFn) -> Number:
    """A number as an office might print it: decimals, %, 万, thousands separators."""
    decimals = draw(st.integers(min_value=0, max_value=3))
    digits = draw(st.integers(min_value=0, max_value=10**7))
    body = f"{Decimal(digits).scaleb(-decimals):f}"
    if draw(st.booleans()):
        body = f"{Decimal(body):,f}"
    suffix = draw(st.sampled_from(["", "%", "％", "万", "万件", " 件"]))
    return parse_number(body + suffix)


values = st.decimals(
    min_value=-(10**6), max_value=10**6, allow_nan=False, allow_infinity=False, places=5
)


@given(values, printed_numbers())
def test_roundtrip_format_like_then_parse(value: Decimal, like: Number) -> None:
    printed = format_like(value, like)
    parsed = parse_number(printed)
    expected = value.quantize(Decimal(1).scaleb(-like.decimals), rounding=ROUND_HALF_UP)
    assert parsed.value == expected
    assert parsed.decimals == like.decimals
    assert (parsed.percent, parsed.scale) == (like.percent, like.scale)


@given(values, printed_numbers())
def test_roundtrip_format_like_is_idempotent(value: Decimal, like: Number) -> None:
    once = format_like(value, like)
    assert format_like(parse_number(once).value, like) == once


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=2))
def test_roundtrip_find_numbers_in_sentence(count: int, decimals: int) -> None:
    text = f"{Decimal(count).scaleb(-decimals):f}"
    found = find_numbers(f"本月共受理{text}件，请各单位")
    assert [(n.value, n.unit) for n, _, _ in found] == [(Decimal(text), "件")]


months = st.tuples(st.integers(min_value=1900, max_value=2100), st.integers(1, 12))
month_formats = st.sampled_from(["{y}年{m}月", "{y} 年 {m} 月份", "{y}年{m:02d}月", "{y}年{m}月份"])


@given(months, month_formats)
def test_roundtrip_parse_period_of_formatted_month(ym: tuple[int, int], fmt: str) -> None:
    year, month = ym
    text = fmt.format(y=year, m=month)
    period = parse_period(text)
    last = calendar.monthrange(year, month)[1]
    assert (period.start, period.end) == (date(year, month, 1), date(year, month, last))
    assert period.text == text


@given(months, month_formats)
def test_roundtrip_find_periods_in_title(ym: tuple[int, int], fmt: str) -> None:
    year, month = ym
    text = fmt.format(y=year, m=month)
    title = f"关于{text}市民热线办理情况的通报"
    found = find_periods(title, default_year=None)
    assert [(p.start, title[s:e]) for p, s, e in found] == [(date(year, month, 1), text)]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_roundtrip_parse_date(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year} 年 {day.month} 月 {day.day} 日") == day
    assert parse_period(f"{day.year}年{day.month}月{day.day}日").start == day
