"""Unit tests for pipeline.normalize.numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.errors import ParseError
from pipeline.model import Number
from pipeline.normalize.numbers import (
    chinese_to_int,
    exact_to_printed,
    find_numbers,
    format_like,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("1589", "1589", 0),
        ("1,589", "1589", 0),
        ("１５８９", "1589", 0),
        ("１，５８９", "1589", 0),
        ("35.00", "35.00", 2),
        ("0", "0", 0),
    ],
)
def test_numbers_parse_plain_forms(text: str, value: str, decimals: int) -> None:
    number = parse_number(text)
    assert number.value == Decimal(value)
    assert number.decimals == decimals
    assert number.text == text
    assert not number.percent
    assert number.scale == 1
    assert number.unit is None


def test_numbers_parse_keeps_unit_after_space() -> None:
    number = parse_number("1589 件")
    assert (number.value, number.unit, number.text) == (Decimal(1589), "件", "1589 件")


@pytest.mark.parametrize("text", ["98.11%", "98.11％", "98.11 %"])
def test_numbers_parse_percent(text: str) -> None:
    number = parse_number(text)
    assert number.percent
    assert number.value == Decimal("98.11")
    assert number.decimals == 2
    assert number.exact == Decimal("0.9811")


def test_numbers_parse_whole_percent_has_no_decimals() -> None:
    number = parse_number("100%")
    assert (number.value, number.decimals, number.percent) == (Decimal(100), 0, True)


def test_numbers_parse_wan_scale() -> None:
    number = parse_number("9.67万")
    assert (number.value, number.scale, number.decimals) == (Decimal("9.67"), 10000, 2)
    assert number.exact == Decimal("96700")


def test_numbers_parse_wan_scale_with_unit() -> None:
    number = parse_number("2.42万件")
    assert (number.value, number.scale, number.unit) == (Decimal("2.42"), 10000, "件")


@pytest.mark.parametrize("text", ["-3.5", "－3.5", "−3.5"])
def test_numbers_parse_negative_signs(text: str) -> None:
    number = parse_number(text)
    assert number.value == Decimal("-3.5")
    assert number.text == text


@pytest.mark.parametrize(
    ("text", "value", "percent", "unit"),
    [
        ("五个百分点", "5", False, "个百分点"),
        ("一千二百", "1200", False, None),
        ("百分之九十八", "98", True, None),
        ("九十八点五", "98.5", False, None),
        ("一千零五件", "1005", False, "件"),
        ("负三", "-3", False, None),
    ],
)
def test_numbers_parse_chinese_numerals(
    text: str, value: str, percent: bool, unit: str | None
) -> None:
    number = parse_number(text)
    assert (number.value, number.percent, number.unit) == (Decimal(value), percent, unit)


def test_numbers_parse_units_longest_wins() -> None:
    assert parse_number("5个百分点").unit == "个百分点"
    assert parse_number("12人次").unit == "人次"
    assert parse_number("3家").unit == "家"


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "12 34", "约5件", "5件多", "1,58"])
def test_numbers_parse_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ParseError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("十五", 15), ("二十", 20), ("一百零五", 105), ("一千二", 1200), ("三万五", 35000),
     ("二〇二三", 2023), ("两百", 200), ("一亿二千万", 120_000_000)],
)  # fmt: skip
def test_numbers_chinese_to_int(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["三四", "万", "百", "一二百"])
def test_numbers_chinese_to_int_rejects_malformed(text: str) -> None:
    with pytest.raises(ParseError):
        chinese_to_int(text)


def _texts(found: list[tuple[Number, int, int]]) -> list[str]:
    return [n.text for n, _, _ in found]


def test_numbers_find_in_seed_sentence() -> None:
    sentence = (
        "2 月份，我区 12345 市民热线平台共接收市级交办工单事项 1589 件，"
        "实际办结 1588 件，总体办结率 99.94%。"
    )
    found = find_numbers(sentence)
    assert _texts(found) == ["1589 件", "1588 件", "99.94%"]
    number, start, end = found[0]
    assert sentence[start:end] == "1589 件"
    assert number.unit == "件"


def test_numbers_find_skips_dates_and_periods() -> None:
    assert find_numbers("2023 年 3 月 6 日") == []
    assert find_numbers("1-4月份共受理") == []
    assert _texts(find_numbers("2023年2月共受理56件")) == ["56件"]


def test_numbers_find_skips_phone_and_document_numbers() -> None:
    assert find_numbers("联系人：张三 电话：3151139") == []
    assert find_numbers("金政办发〔2023〕5号") == []
    assert find_numbers("手机 13912345678") == []


def test_numbers_find_skips_ordinals_and_attachment_labels() -> None:
    assert find_numbers("（1）提高办理质效") == []
    assert find_numbers("1. 提高办理质效") == []
    assert find_numbers("（详见附件 2）") == []


def test_numbers_find_keeps_hotline_number_with_unit() -> None:
    assert find_numbers("12345 市民热线") == []
    assert _texts(find_numbers("共12345件")) == ["12345件"]


def test_numbers_find_chinese_quantities() -> None:
    found = _texts(find_numbers("提升五个百分点，百分之九十八的诉求，三家单位"))
    assert found == ["五个百分点", "百分之九十八", "三家"]


def test_numbers_find_skips_chinese_words_that_are_not_counts() -> None:
    assert find_numbers("以下三个方面，十分重要，一次性解决，第一时间，一季度") == []


def test_numbers_find_fullwidth_digits_keep_raw_text() -> None:
    found = find_numbers("共受理１５８９件")
    assert _texts(found) == ["１５８９件"]
    assert found[0][0].value == Decimal(1589)


def test_numbers_find_negative_and_comma_list() -> None:
    assert _texts(find_numbers("同比增长-3.5%")) == ["-3.5%"]
    assert _texts(find_numbers("分别为583，360件")) == ["583", "360件"]


def test_numbers_format_like_rounds_half_up() -> None:
    like = parse_number("98.11%")
    assert format_like(Decimal("98.115"), like) == "98.12%"
    assert format_like(Decimal("98.1149"), like) == "98.11%"


def test_numbers_format_like_keeps_print_style() -> None:
    assert format_like(Decimal("1589.4"), parse_number("1,589 件")) == "1,589"
    assert format_like(Decimal("9.665"), parse_number("9.67万")) == "9.67万"
    assert format_like(Decimal("88"), parse_number("100％")) == "88％"
    assert format_like(Decimal("-0.001"), parse_number("1.00")) == "0.00"


def test_numbers_exact_to_printed() -> None:
    assert exact_to_printed(Decimal("0.9811"), parse_number("98.11%")) == Decimal("98.11")
    assert exact_to_printed(Decimal("96700"), parse_number("9.67万")) == Decimal("9.67")


def test_numbers_more_than_15_significant_digits_are_text() -> None:
    assert parse_number("123456789012345").value == Decimal(123456789012345)
    assert parse_number("0.000000000000000000012").value == Decimal("0.000000000000000000012")
    cn_digits = "一二三四五六七八九〇一二三四五六"
    for text in ("1234567890123456", "1" * 5000, "1234567890.123456", cn_digits):
        with pytest.raises(ParseError, match="not a number"):
            parse_number(text)
    line = "受理" + "1" * 5000 + "件，办结55件，" + "5600000000000056" + "件"
    assert [n.value for n, _, _ in find_numbers(line)] == [Decimal(55)]


@pytest.mark.parametrize(
    ("text", "value"), [("↓0.86%", "-0.86"), ("↑15.00%", "15.00"), ("▼12", "-12"), ("▲3.5", "3.5")]
)
def test_numbers_parse_arrows_as_signs(text: str, value: str) -> None:
    n = parse_number(text)
    assert n.value == Decimal(value) and n.text == text
