"""Growth rates against an earlier figure printed elsewhere, beside them or in a table
(GROWTH005-GROWTH007), and tables headed by years as period tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import read_document
from pipeline.model import Checked, Normalized, Problem, Severity
from pipeline.normalize import normalize
from pipeline.normalize.comparisons import period_triples
from pipeline.validate.rules.earlier_figures import check_change_beside, check_growth_from_tables
from pipeline.validate.rules.text_previous import check_repeated_growth, compared_with


def normalized(tmp_path: Path, text: str) -> Normalized:
    path = tmp_path / "bulletin.txt"
    path.write_text("某区12315中心2025年4月数据分析\n\n" + text + "\n", encoding="utf-8")
    return normalize(read_document(path))


def problems(found: list[Problem | Checked]) -> list[Problem]:
    return [p for p in found if isinstance(p, Problem)]


def checked(found: list[Problem | Checked]) -> set[str]:
    return {s.text for c in found if isinstance(c, Checked) for s in c.spans}


@pytest.mark.parametrize(
    ("head", "against"),
    [("同比下降12.3%，环比增长", "mom"), ("与去年同期相比增加了", "yoy"), ("比3月份增加", "mom")],
)
def test_compared_with_reads_the_last_comparison_word(head: str, against: str) -> None:
    assert compared_with(head) == against


def test_an_overview_rate_is_recomputed_from_the_change_a_section_prints(tmp_path: Path) -> None:
    section = "\n\n二、举报情况\n\n本月共受理举报200件，比去年同期减少了50件。"
    text = "本月举报200件，同比下降20.0%。" + section
    found = list(check_repeated_growth(normalized(tmp_path, text)))
    assert problems(found) == [] and "20.0%" in checked(found)
    wrong = text.replace("同比下降20.0%", "同比下降25.0%")
    (p,) = problems(list(check_repeated_growth(normalized(tmp_path, wrong))))
    assert p.reported == "25.0%" and p.severity is None


def test_a_share_between_count_and_rate_weakens_the_pairing(tmp_path: Path) -> None:
    section = "\n\n二、举报情况\n\n本月共受理举报200件，比去年同期减少了50件。"
    text = "本月举报200件，占总量的10.0%，同比下降25.0%。" + section
    (p,) = problems(list(check_repeated_growth(normalized(tmp_path, text))))
    assert p.severity is Severity.WARNING


def test_a_change_of_a_rate_is_not_paired_with_a_count(tmp_path: Path) -> None:
    section = "\n\n二、回复\n\n本月回复500件，比上月增加20件。"
    text = "已回复500件，回复率95.00%，较上月提高2.00%。" + section
    assert problems(list(check_repeated_growth(normalized(tmp_path, text)))) == []


def test_points_between_two_printed_rates(tmp_path: Path) -> None:
    ok = "满意率为96.5%，较上月（95.8%）提高0.7个百分点。"
    assert problems(list(check_change_beside(normalized(tmp_path, ok)))) == []
    wrong = ok.replace("0.7个百分点", "1.7个百分点")
    (p,) = problems(list(check_change_beside(normalized(tmp_path, wrong))))
    assert p.reported.startswith("1.7")


def test_a_table_headed_by_years_is_a_period_table(tmp_path: Path) -> None:
    text = (
        "投诉1200件，同比增长20.00%。\n\n表1 同期对比\n"
        "类型      2025年(件)    去年2024年(件)    同比(%)\n"
        "投诉      1200          1000              20.00\n"
        "举报      300           250               20.00\n"
    )
    norm = normalized(tmp_path, text)
    (table,) = norm.tables
    (triple,) = period_triples(table)
    assert (triple.current, triple.previous, triple.change) == (1, 2, 3)
    found = list(check_growth_from_tables(norm))
    assert problems(found) == [] and "20.00%" in checked(found)


def test_a_count_in_wan_is_matched_to_the_table_row_it_rounds_from(tmp_path: Path) -> None:
    text = (
        "投诉1.20万件，同比增长25.00%。\n\n表1 同期对比\n"
        "类型      2025年(件)    去年2024年(件)    同比(%)\n"
        "投诉      12040         10000             20.40\n"
        "举报      300           250               20.00\n"
    )
    (p,) = problems(list(check_growth_from_tables(normalized(tmp_path, text))))
    assert p.reported == "25.00%" and p.expected == "up 20.40%"
