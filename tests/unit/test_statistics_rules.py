"""SHARE009, SUM005 and GROWTH011 on short bulletins of our own words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.extract import read_document
from pipeline.model import Checked, Normalized, Problem
from pipeline.normalize import normalize
from pipeline.validate.rules.amount_shares import _named_whole, check_amount_shares
from pipeline.validate.rules.growth_pulls import check_sector_pulls
from pipeline.validate.rules.text_overflow import check_parts_within_total

HEAD = "某县2024年统计公报\n\n某县统计局\n\n2025年3月1日\n\n"
Check = Callable[[Normalized], Iterator[Problem | Checked]]


def _run(tmp_path: Path, check: Check, body: str) -> tuple[list[str], int]:
    path = tmp_path / "b.txt"
    path.write_text(HEAD + body + "\n", encoding="utf-8")
    found = list(check(normalize(read_document(path))))
    problems = [f.reported or "" for f in found if isinstance(f, Problem)]
    return problems, sum(isinstance(f, Checked) for f in found)


def test_a_share_names_its_whole_by_synonym_area_or_total() -> None:
    gdp = _named_whole("，占全省生产总值的")
    assert gdp is not None and gdp.scope == "全省" and "GDP总量" in gdp.names
    total = _named_whole("占总涉及金额的")
    assert total is not None and total.noun == "金额"
    assert _named_whole("占投诉总量的") is None  # counts are the share rules' own


def test_a_share_over_a_whole_of_another_area_is_not_paired(tmp_path: Path) -> None:
    body = "全市地区生产总值500.0亿元。某县生产总值80.0亿元，占全省生产总值的3.1%。"
    assert _run(tmp_path, check_amount_shares, body) == ([], 0)
    body = "全市地区生产总值500.0亿元。某县生产总值80.0亿元，占全市生产总值的15.0%。"
    assert _run(tmp_path, check_amount_shares, body) == (["15.0%"], 1)  # 16.0%


def test_parts_over_their_total_only_when_they_measure_it(tmp_path: Path) -> None:
    body = "全年蔬菜总产量2.0万吨。其中，叶菜产量1.5万吨，根茎菜产量0.9万吨。"
    assert _run(tmp_path, check_parts_within_total, body) == (["2.0万"], 1)
    other = "全年蔬菜总产量2.0万吨。其中，叶菜产量1.5万吨，销售量0.9万吨。"
    assert _run(tmp_path, check_parts_within_total, other) == ([], 1)  # 销售量 is no 产量


def test_pulls_hold_within_rounding_and_another_whole_is_left_alone(tmp_path: Path) -> None:
    body = (
        "全县地区生产总值100.0亿元，比上年增长6.0%。三次产业分别拉动经济增长0.4、2.5和3.2个百分点。"
    )
    assert _run(tmp_path, check_sector_pulls, body) == ([], 1)
    far = (
        "全县地区生产总值100.0亿元，比上年增长6.0%。三次产业分别拉动经济增长0.4、1.0和1.2个百分点。"
    )
    assert _run(tmp_path, check_sector_pulls, far) == ([], 0)
