"""Unit tests for pipeline.normalize.periods."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.errors import ParseError
from pipeline.normalize.periods import find_periods, parse_date, parse_period


@pytest.mark.parametrize(
    "text", ["2023 年 3 月 6 日", "2023年3月6日", "2023-03-06", "2023.3.6", "２０２３年３月６日",
             "二〇二三年三月六日", "2023/3/6"],
)  # fmt: skip
def test_periods_parse_date_forms(text: str) -> None:
    assert parse_date(text) == date(2023, 3, 6)


@pytest.mark.parametrize("text", ["3 月 6 日", "2023年2月30日", "2023年", "yesterday"])
def test_periods_parse_date_rejects(text: str) -> None:
    with pytest.raises(ParseError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023 年 2 月份", date(2023, 2, 1), date(2023, 2, 28)),
        ("2023年2月", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
        ("2 月份", date(2023, 2, 1), date(2023, 2, 28)),
        ("十二月", date(2023, 12, 1), date(2023, 12, 31)),
        ("1-4月份", date(2023, 1, 1), date(2023, 4, 30)),
        ("1月至4月", date(2023, 1, 1), date(2023, 4, 30)),
        ("自2022年1月1日起，截至2022年11月30日", date(2022, 1, 1), date(2022, 11, 30)),
        ("自2月1日至3月15日", date(2023, 2, 1), date(2023, 3, 15)),
        ("2022年12月-2023年2月", date(2022, 12, 1), date(2023, 2, 28)),
        ("一季度", date(2023, 1, 1), date(2023, 3, 31)),
        ("第二季度", date(2023, 4, 1), date(2023, 6, 30)),
        ("2022年二季度", date(2022, 4, 1), date(2022, 6, 30)),
        ("前三季度", date(2023, 1, 1), date(2023, 9, 30)),
        ("上半年", date(2023, 1, 1), date(2023, 6, 30)),
        ("2022年下半年", date(2022, 7, 1), date(2022, 12, 31)),
        ("2016年3月4日—3月10日", date(2016, 3, 4), date(2016, 3, 10)),
        ("3月4日至10日", date(2023, 3, 4), date(2023, 3, 10)),
        ("11.17-11.23", date(2023, 11, 17), date(2023, 11, 23)),
        ("12.28-1.3", date(2023, 12, 28), date(2024, 1, 3)),
        ("截至9月底", date(2023, 1, 1), date(2023, 9, 30)),
        ("截至2022年9月20日", date(2022, 1, 1), date(2022, 9, 20)),
        ("2022年", date(2022, 1, 1), date(2022, 12, 31)),
        ("2023年3月6日", date(2023, 3, 6), date(2023, 3, 6)),
    ],
)
def test_periods_parse_period_forms(text: str, start: date, end: date) -> None:
    period = parse_period(text, default_year=2023)
    assert (period.start, period.end, period.text) == (start, end, text)


def test_periods_parse_period_printed_year_beats_default() -> None:
    assert parse_period("2021年5月", default_year=2023).start == date(2021, 5, 1)


@pytest.mark.parametrize("text", ["2 月份", "一季度", "上半年", "11.17-11.23"])
def test_periods_parse_period_needs_a_year(text: str) -> None:
    with pytest.raises(ParseError):
        parse_period(text)


@pytest.mark.parametrize("text", ["13月", "2023年4月31日", "第五季度", "热线", "3月10日—3月4日"])
def test_periods_parse_period_rejects(text: str) -> None:
    with pytest.raises(ParseError):
        parse_period(text, default_year=2023)


def test_periods_find_in_title() -> None:
    title = "宝鸡市金台区人民政府办公室 关于 2023 年 2 月份 12345 市民热线及市长 信箱办理情况的通报"
    found = find_periods(title, default_year=None)
    assert len(found) == 1
    period, start, end = found[0]
    assert (period.start, period.end) == (date(2023, 2, 1), date(2023, 2, 28))
    assert title[start:end] == "2023 年 2 月份" == period.text


def test_periods_find_in_attachment_note() -> None:
    found = find_periods("附件 2：2022 年 2 月金台区市长信箱信件办理统计表", default_year=2023)
    assert [(p.start, p.end) for p, _, _ in found] == [(date(2022, 2, 1), date(2022, 2, 28))]


def test_periods_find_uses_default_year_or_skips() -> None:
    text = "2 月份，我区共接收 1589 件"
    assert [p.start for p, _, _ in find_periods(text, default_year=2023)] == [date(2023, 2, 1)]
    assert find_periods(text, default_year=None) == []


def test_periods_find_several_longest_first() -> None:
    text = "截至9月底，1-4月份，2016年3月4日—3月10日"
    found = find_periods(text, default_year=2023)
    assert [p.text for p, _, _ in found] == ["截至9月底", "1-4月份", "2016年3月4日—3月10日"]


def test_periods_find_ignores_non_dates() -> None:
    assert find_periods("共受理 1589 件，办结率 99.94%，12345 热线", default_year=2023) == []
