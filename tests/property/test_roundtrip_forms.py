"""Property tests: every printed form of a number or period parses back to what was printed.

Numbers: thousands separators, full-width digits, 万, Chinese numerals, percent forms
(%, ％, 百分之) and the three minus signs. Periods: 2023年2月份, 1-4月份, 一季度, 上半年 and
date ranges, with and without the year.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize.numbers import chinese_to_int, find_numbers, parse_number
from pipeline.normalize.periods import find_periods, parse_period

CN = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
QUARTER_CN = "一二三四"


def _section(n: int, leading: bool) -> str:
    """n < 10000 in Chinese numerals, 零 for skipped places, 十 alone when it leads."""
    out, gap = "", False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = n // size % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out, gap = out + "零", False
        out += unit if unit == "十" and digit == 1 and leading and not out else CN[digit] + unit
    return out


def to_chinese(n: int) -> str:
    """0 <= n < 10^8 as an office writes it: 10500 -> 一万零五百, 15 -> 十五."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    if high == 0:
        return _section(low, leading=True)
    text = _section(high, leading=True) + "万"
    if low == 0:
        return text
    return text + ("零" if low < 1000 else "") + _section(low, leading=False)


amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)


@given(st.integers(min_value=0, max_value=10**9))
def test_roundtrip_thousands_separators(n: int) -> None:
    parsed = parse_number(f"{n:,}")
    assert (parsed.value, parsed.decimals) == (n, 0)


@given(amounts, st.sampled_from(["", "%", "％"]))
def test_roundtrip_full_width_digits(value: Decimal, sign: str) -> None:
    printed = f"{value:f}".translate(FULL_WIDTH) + sign
    parsed = parse_number(printed)
    assert parsed.value == value and parsed.decimals == 2
    assert parsed.percent is bool(sign) and parsed.text == printed


@given(amounts, st.sampled_from(["万", " 万", "万件"]))
def test_roundtrip_wan_scale(value: Decimal, suffix: str) -> None:
    parsed = parse_number(f"{value:f}{suffix}")
    assert (parsed.value, parsed.scale) == (value, 10_000)
    assert parsed.unit == ("件" if suffix.endswith("件") else None)


@given(st.integers(min_value=0, max_value=10**8 - 1))
def test_roundtrip_chinese_numerals(n: int) -> None:
    printed = to_chinese(n)
    assert chinese_to_int(printed) == n
    assert parse_number(printed + "件").value == n


@given(st.integers(min_value=2, max_value=10**8 - 1))  # "一件" is the article, by design
def test_roundtrip_chinese_counts_found_in_text(n: int) -> None:
    printed = to_chinese(n)
    found = find_numbers(f"本月共受理{printed}件，请各单位")
    assert [(f.value, f.unit) for f, _, _ in found] == [(n, "件")]


@given(st.integers(min_value=0, max_value=100), st.text(alphabet="0123456789", max_size=2))
def test_roundtrip_percent_forms(whole: int, frac: str) -> None:
    value = Decimal(f"{whole}.{frac}") if frac else Decimal(whole)
    arabic = f"{whole}.{frac}" if frac else str(whole)
    decimals = "点" + "".join(CN[int(c)] for c in frac) if frac else ""
    spoken = "百分之" + to_chinese(whole) + decimals
    for printed in (arabic + "%", arabic + "％", spoken):
        parsed = parse_number(printed)
        assert parsed.percent and parsed.value == value and parsed.decimals == len(frac)


@given(amounts.filter(lambda v: v > 0), st.sampled_from(["-", "－", "−"]))
def test_roundtrip_negative_signs(value: Decimal, sign: str) -> None:
    parsed = parse_number(f"{sign}{value:f}%")
    assert parsed.value == -value and parsed.percent
    found = find_numbers(f"同比下降{sign}{value:f}%，")
    assert [f.value for f, _, _ in found] == [-value]


years = st.integers(min_value=1990, max_value=2099)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@given(years, st.integers(1, 12), st.sampled_from(["{y}年{m}月份", "{y} 年 {m} 月份", "{m}月份"]))
def test_roundtrip_month_forms(year: int, month: int, form: str) -> None:
    text = form.format(y=year, m=month)
    period = parse_period(text, default_year=year)
    assert (period.start, period.end) == (date(year, month, 1), _month_end(year, month))


@given(years, st.integers(1, 12), st.integers(1, 12), st.sampled_from(["-", "－", "—", "至", "~"]))
def test_roundtrip_month_ranges(year: int, a: int, b: int, sep: str) -> None:
    first, last = min(a, b), max(a, b)
    for text in (f"{first}{sep}{last}月份", f"{year}年{first}月{sep}{last}月"):
        period = parse_period(text, default_year=year)
        assert (period.start, period.end) == (date(year, first, 1), _month_end(year, last))


@given(years, st.integers(1, 4), st.sampled_from(["{y}年{q}季度", "{y}年第{q}季度", "{q}季度"]))
def test_roundtrip_quarters(year: int, quarter: int, form: str) -> None:
    for q in (QUARTER_CN[quarter - 1], str(quarter)):
        period = parse_period(form.format(y=year, q=q), default_year=year)
        start = date(year, 3 * quarter - 2, 1)
        assert (period.start, period.end) == (start, _month_end(year, 3 * quarter))
    to_date = parse_period(f"{year}年前{QUARTER_CN[quarter - 1]}季度")
    assert (to_date.start, to_date.end) == (date(year, 1, 1), _month_end(year, 3 * quarter))


@given(years, st.booleans(), st.booleans())
def test_roundtrip_half_years(year: int, first_half: bool, with_year: bool) -> None:
    text = ("{y}年" if with_year else "").format(y=year) + ("上" if first_half else "下") + "半年"
    period = parse_period(text, default_year=year)
    if first_half:
        assert (period.start, period.end) == (date(year, 1, 1), date(year, 6, 30))
    else:
        assert (period.start, period.end) == (date(year, 7, 1), date(year, 12, 31))


days_in_year = st.integers(min_value=0, max_value=364)


@given(years, days_in_year, days_in_year, st.sampled_from(["—", "-", "至", "～"]))
def test_roundtrip_date_ranges(year: int, a: int, b: int, sep: str) -> None:
    start = date(year, 1, 1) + timedelta(days=min(a, b))
    end = date(year, 1, 1) + timedelta(days=max(a, b))
    forms = [
        f"{year}年{start.month}月{start.day}日{sep}{end.month}月{end.day}日",
        f"{year}年{start.month}月{start.day}日{sep}{year}年{end.month}月{end.day}日",
        f"{start.month}.{start.day}{sep}{end.month}.{end.day}",
        f"{start.isoformat()}{sep}{end.isoformat()}",
    ]
    for text in forms:
        period = parse_period(text, default_year=year)
        assert (period.start, period.end) == (start, end), text


@given(years, days_in_year, days_in_year)
def test_roundtrip_date_range_found_in_sentence(year: int, a: int, b: int) -> None:
    start = date(year, 1, 1) + timedelta(days=min(a, b))
    end = date(year, 1, 1) + timedelta(days=max(a, b))
    span = f"{year}年{start.month}月{start.day}日至{end.month}月{end.day}日"
    found = find_periods(f"现将{span}热线办理情况通报如下", default_year=None)
    assert [(p.start, p.end, p.text) for p, _, _ in found] == [(start, end, span)]
