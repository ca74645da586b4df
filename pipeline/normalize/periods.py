"""Printed dates and reporting periods to calendar dates.

A period is inclusive at both ends: "2021年2月" is 2021-02-01..2021-02-28,
"一季度" January 1 to March 31, "截至9月底" January 1 to September 30. Forms
without a year take `default_year`. Each form is one regular expression and one
builder in `FORMS`; `find_periods` keeps the longest match at each position.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from pipeline.errors import ParseError
from pipeline.model import Period
from pipeline.normalize.numbers import SCAN_FOLD, chinese_to_int

CN_YEAR_DIGITS = "〇零一二三四五六七八九"
CN_SMALL_NUM = "一二三四五六七八九十"
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _year(name: str) -> str:
    return rf"(?<![0-9{CN_YEAR_DIGITS}])(?P<{name}>[0-9]{{4}}|[{CN_YEAR_DIGITS}]{{4}})\s*年"


def _num(name: str) -> str:
    return rf"(?<![0-9.{CN_SMALL_NUM}])(?P<{name}>[0-9]{{1,2}}|[{CN_SMALL_NUM}]{{1,3}})\s*"


SEP = r"\s*(?:[-－—–~～]+|至|到)\s*"
Y, Y2 = rf"(?:{_year('y')}\s*)?", rf"(?:{_year('y2')}\s*)?"
M, M2 = _num("m") + "月", _num("m2") + "月"
D, D2 = r"\s*" + _num("d") + "[日号]", r"\s*" + _num("d2") + "[日号]"
# Templates: str.format fills in the group names.
DOTTED = (
    r"(?<![0-9.])(?:(?P<{y}>[0-9]{{4}})\.)?"
    r"(?P<{m}>[0-9]{{1,2}})\.(?P<{d}>[0-9]{{1,2}})(?![0-9])"
)
ISO = r"(?<![0-9])(?P<{y}>[0-9]{{4}})[-/.](?P<{m}>[0-9]{{1,2}})[-/.](?P<{d}>[0-9]{{1,2}})(?![0-9])"

Groups = dict[str, str | None]
Builder = Callable[[Groups, int | None], tuple[date, date]]


def parse_date(text: str) -> date:
    """A printed calendar date: 2021 年 5 月 8 日, 2021年5月8日, 2021-05-08, 2021.5.8.

    Also Chinese numerals (二〇二三年三月六日) and full-width digits. The year
    must be printed. Raises ParseError otherwise or for an impossible date.
    """
    folded = text.strip().translate(SCAN_FOLD)
    for pattern in (rf"{_year('y')}\s*{M}{D}", ISO.format(y="y", m="m", d="d")):
        match = re.fullmatch(pattern, folded)
        if match:
            groups = match.groupdict()
            return _date(_int(groups["y"]), _int(groups["m"]), _int(groups["d"]))
    raise ParseError(f"not a date: {text!r}")


def parse_period(text: str, *, default_year: int | None = None) -> Period:
    """A printed reporting period, from a single day up to a whole year.

    Forms: 2021 年 5 月份, 5 月份, 1-4月份, 2020年12月-2021年2月, 一季度, 第二季度,
    2021年二季度, 前三季度, 上半年, 2019年4月8日—4月14日, 11.17-11.23, 截至9月底,
    自2018年1月1日起，截至2018年12月3日,
    2020年. `default_year` supplies a missing year. Raises ParseError when the
    text is not one of these forms, when no year is known, or when a date is
    impossible or the end precedes the start.
    """
    folded = text.strip().translate(SCAN_FOLD)
    for pattern, build in _forms():
        match = pattern.fullmatch(folded)
        if match:
            start, end = build(match.groupdict(), default_year)
            return Period(start=start, end=end, text=text.strip())
    raise ParseError(f"not a period: {text!r}")


def find_periods(text: str, *, default_year: int | None) -> list[tuple[Period, int, int]]:
    """Every period mentioned in `text`, with its [start, end) char span, left to right.

    Overlapping mentions keep the longest ("2021 年 5 月份" rather than "2021 年");
    mentions without a year are skipped when `default_year` is None, as are
    impossible dates. Never raises.
    """
    folded = text.translate(SCAN_FOLD)
    candidates: list[tuple[int, int, Period]] = []
    for pattern, build in _forms():
        for match in pattern.finditer(folded):
            try:
                start, end = build(match.groupdict(), default_year)
            except ParseError:
                continue
            span = text[match.start() : match.end()].strip()
            candidates.append((match.start(), match.end(), Period(start, end, span)))
    return _longest_first(candidates)


def _longest_first(candidates: list[tuple[int, int, Period]]) -> list[tuple[Period, int, int]]:
    chosen: list[tuple[Period, int, int]] = []
    taken_until = -1
    for start, end, period in sorted(candidates, key=lambda c: (c[0], c[0] - c[1])):
        if start >= taken_until:
            chosen.append((period, start, end))
            taken_until = end
    return chosen


# --- builders ------------------------------------------------------------------


def _int(text: str | None) -> int:
    if text is None:
        raise ParseError("missing number in a date")
    return int(text) if text.isdigit() and text.isascii() else chinese_to_int(text)


def _year_of(groups: Groups, key: str, default: int | None) -> int:
    if groups.get(key):
        return _int(groups[key])
    if default is None:
        raise ParseError("the period has no year and no default year was given")
    return default


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ParseError(f"impossible date {year}-{month}-{day}: {exc}") from exc


def _month_end(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ParseError(f"impossible month {month}")
    return date(year, month, calendar.monthrange(year, month)[1])


def _ordered(start: date, end: date) -> tuple[date, date]:
    if end < start:
        raise ParseError(f"period ends ({end}) before it starts ({start})")
    return start, end


def _second_year(g: Groups, year: int, start: tuple[int, int], end: tuple[int, int]) -> int:
    """The end's year: printed, else the start's, else the next when the end month wraps."""
    if g.get("y2"):
        return _int(g["y2"])
    return year + 1 if end[0] < start[0] else year


def _day_range(g: Groups, default: int | None) -> tuple[date, date]:
    year = _year_of(g, "y", default)
    m, d, d2 = _int(g["m"]), _int(g["d"]), _int(g["d2"])
    m2 = _int(g["m2"]) if g.get("m2") else m
    year2 = _second_year(g, year, (m, d), (m2, d2))
    return _ordered(_date(year, m, d), _date(year2, m2, d2))


def _single_day(g: Groups, default: int | None) -> tuple[date, date]:
    day = _date(_year_of(g, "y", default), _int(g["m"]), _int(g["d"]))
    return day, day


def _month_range(g: Groups, default: int | None) -> tuple[date, date]:
    year = _year_of(g, "y", default)
    m, m2 = _int(g["m"]), _int(g["m2"])
    year2 = _second_year(g, year, (m, 1), (m2, 1))
    return _ordered(_month_end(year, m).replace(day=1), _month_end(year2, m2))


def _month(g: Groups, default: int | None) -> tuple[date, date]:
    end = _month_end(_year_of(g, "y", default), _int(g["m"]))
    return end.replace(day=1), end


def _year_to_date(g: Groups, default: int | None) -> tuple[date, date]:
    year = _year_of(g, "y", default)
    month = _int(g["m"])
    end = _date(year, month, _int(g["d"])) if g.get("d") else _month_end(year, month)
    return date(year, 1, 1), end


def _quarters_to_date(g: Groups, default: int | None) -> tuple[date, date]:
    year = _year_of(g, "y", default)
    return date(year, 1, 1), _month_end(year, 3 * QUARTERS[g["q"] or ""])


def _quarter(g: Groups, default: int | None) -> tuple[date, date]:
    year = _year_of(g, "y", default)
    q = QUARTERS[g["q"] or ""]
    return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)


def _half(g: Groups, default: int | None) -> tuple[date, date]:
    year = _year_of(g, "y", default)
    if g["h"] == "上":
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


def _whole_year(g: Groups, default: int | None) -> tuple[date, date]:
    year = _year_of(g, "y", default)
    return date(year, 1, 1), date(year, 12, 31)


@lru_cache(maxsize=1)
def _forms() -> tuple[tuple[re.Pattern[str], Builder], ...]:
    dotted = DOTTED.format(y="y", m="m", d="d") + SEP + DOTTED.format(y="y2", m="m2", d="d2")
    iso = ISO.format(y="y", m="m", d="d") + SEP + ISO.format(y="y2", m="m2", d="d2")
    quarter = r"(?P<q>[一二三四1-4])\s*(?:个)?\s*季度"
    table: tuple[tuple[str, Builder], ...] = (
        # "自2018年1月1日起，截至12月3日": a span opened by 自 and closed by 截至 or 至
        (
            rf"自\s*{Y}{M}{D}\s*(?:起|以来)?\s*[,，]?\s*(?:截[至止]到?|至|到)\s*{Y2}(?:{M2})?{D2}",
            _day_range,
        ),
        (rf"{Y}{M}{D}{SEP}{Y2}(?:{M2})?{D2}", _day_range),
        (dotted, _day_range),
        (iso, _day_range),
        (rf"截[至止]到?\s*{Y}{M}(?:{D}|\s*[底末])?", _year_to_date),
        (rf"{Y}{M}{D}", _single_day),
        (ISO.format(y="y", m="m", d="d"), _single_day),
        (rf"{Y}{_num('m')}(?:月)?{SEP}{Y2}{M2}份?", _month_range),
        (rf"{Y}{M}份?", _month),
        (rf"{Y}前\s*{quarter}", _quarters_to_date),
        # not from inside a run of spaces: from its start (linear in a long run)
        (rf"{Y}第?(?<!\s)\s*{quarter}", _quarter),
        (rf"{Y}(?P<h>上|下)半年", _half),
        (rf"{_year('y')}度?", _whole_year),
    )
    return tuple((re.compile(p), build) for p, build in table)
