"""Rank lists in the narrative and in tables titled as the top N (RANK001-RANK004)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from pipeline.extract import read_document
from pipeline.model import Checked, Normalized, Problem, Severity
from pipeline.normalize import normalize
from pipeline.numeric.arithmetic import Interval
from pipeline.validate.rules.table_tops import check_table_tops, check_tops_in_tables
from pipeline.validate.rules.text_ranks import (
    _size,
    can_descend,
    check_text_rank_sizes,
    check_text_ranks,
    ranked_lists,
)


def normalized(tmp_path: Path, text: str) -> Normalized:
    path = tmp_path / "bulletin.txt"
    path.write_text("某县12345热线2025年3月情况\n\n" + text + "\n", encoding="utf-8")
    return normalize(read_document(path))


def problems(found: list[Problem | Checked]) -> list[Problem]:
    return [p for p in found if isinstance(p, Problem)]


def test_can_descend_accepts_ties_rounding_allows() -> None:
    point = Interval.point
    assert can_descend([point(5), point(5), point(3)])
    assert not can_descend([point(5), point(3), point(4)])
    # 96.5 then 96 (anything in [95.5, 96.5)) then 96.2: 96 may stand for 96.3
    half = Fraction(1, 2)
    rounded = [Interval(Fraction(965, 10) - Fraction(5, 100), Fraction(965, 10) + Fraction(5, 100))]
    rounded += [Interval(96 - half, 96 + half, True, False)]
    rounded += [Interval(Fraction(9615, 100), Fraction(9625, 100), True, False)]
    assert can_descend(rounded)


@pytest.mark.parametrize(("text", "n"), [("3", 3), ("十", 10), ("两", 2), ("十五", 15)])
def test_size_reads_arabic_and_chinese_numerals(text: str, n: int) -> None:
    assert _size(text) == n


def test_a_ranked_list_out_of_order_is_an_error_naming_the_misplaced_item(tmp_path: Path) -> None:
    norm = normalized(
        tmp_path,
        "办件量排名前四的单位依次为甲局（90件）、乙局（70件）、丙局（85件）、丁局（40件）。",
    )
    found = problems(list(check_text_ranks(norm)))
    assert [(p.reported, p.severity) for p in found] == [("70件 or 85件", None)]


def test_a_bottom_list_may_run_from_either_end(tmp_path: Path) -> None:
    norm = normalized(tmp_path, "得分排名后三位的是甲镇（80件）、乙镇（82件）、丙镇（85件）。")
    assert problems(list(check_text_ranks(norm))) == []
    (lst,) = ranked_lists(norm)
    assert lst.direction == "bottom" and lst.size == 3


def test_a_list_only_called_the_main_ones_warns(tmp_path: Path) -> None:
    norm = normalized(
        tmp_path, "群众反映较多的问题主要有：噪声（30件）、停车（45件）、绿化（12件）。"
    )
    (p,) = problems(list(check_text_ranks(norm)))
    assert p.severity is Severity.WARNING


def test_an_item_labelled_other_is_left_out_of_the_order(tmp_path: Path) -> None:
    norm = normalized(tmp_path, "排名前三的依次为：餐饮服务50件、其他60件、维修服务20件。")
    assert problems(list(check_text_ranks(norm))) == []
    assert problems(list(check_text_rank_sizes(norm))) == []


def test_an_enumeration_opened_by_a_superlative_is_ranked_loosely(tmp_path: Path) -> None:
    norm = normalized(
        tmp_path,
        "在各类诉求中，供水问题最多，为300件。其次是供电问题，有320件。排名第三的是燃气问题，为100件。",
    )
    (p,) = problems(list(check_text_ranks(norm)))
    assert p.severity is Severity.WARNING


def test_a_table_titled_as_the_top_n_falls_down_its_counts(tmp_path: Path) -> None:
    table = "投诉量排名前三的商品\n类别      数量\n食品      40\n服装      30\n家电      35\n"
    norm = normalized(tmp_path, table)
    (p,) = problems(list(check_table_tops(norm)))
    assert p.reported == "30 or 35" and p.severity is None


def test_a_text_top_list_must_hold_the_largest_rows_of_its_table(tmp_path: Path) -> None:
    text = (
        "受理量排前二的分别是甲区（500件）、乙区（300件）。\n\n各区受理情况统计表\n"
        "地区      受理量\n甲区      500\n乙区      300\n丙区      300\n丁区      100\n"
    )
    assert problems(list(check_tops_in_tables(normalized(tmp_path, text)))) == []  # a tie
    larger = text.replace("丙区      300", "丙区      400")
    (p,) = problems(list(check_tops_in_tables(normalized(tmp_path, larger))))
    assert p.reported == "300件" and "400" in p.message


def test_numbered_paragraphs_under_a_heading_of_hot_topics(tmp_path: Path) -> None:
    items = "1.供水问题（300件）：主要反映停水。\n\n2.供电问题（320件）：主要反映停电。"
    text = "二、反映的热点问题\n\n" + items
    (lst,) = ranked_lists(normalized(tmp_path, text))
    assert [q.value.text for q in lst.items] == ["300件", "320件"] and not lst.strict
    plain = text.replace("反映的热点问题", "反映的问题")
    assert list(ranked_lists(normalized(tmp_path, plain))) == []
