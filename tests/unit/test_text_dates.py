"""Dates and periods of the narrative (DATE001, DATE002, PERIOD004)."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract import read_document
from pipeline.model import Checked, Normalized, Problem
from pipeline.normalize import normalize
from pipeline.validate.rules.text_dates import (
    check_body_period,
    check_dates_before_publication,
    check_impossible_dates,
)


def normalized(tmp_path: Path, body: str, signed: str = "2025年3月6日") -> Normalized:
    path = tmp_path / "bulletin.txt"
    text = f"某县12345热线2025年2月情况通报\n\n{body}\n\n某县12345热线办公室\n{signed}\n"
    path.write_text(text, encoding="utf-8")
    return normalize(read_document(path))


def problems(found: list[Problem | Checked]) -> list[Problem]:
    return [p for p in found if isinstance(p, Problem)]


def test_a_date_no_calendar_has(tmp_path: Path) -> None:
    norm = normalized(tmp_path, "2月份共受理诉求300件。2025年2月29日起增设坐席，4月31日前完成。")
    assert sorted(p.reported or "" for p in problems(list(check_impossible_dates(norm)))) == [
        "2025年2月29日",
        "4月31日",
    ]
    leap = normalized(tmp_path, "2月份共受理诉求300件。2月29日起增设坐席。")
    assert problems(list(check_impossible_dates(leap))) == []  # a yearless 2月29日 may exist


def test_published_before_the_cut_off_of_its_figures(tmp_path: Path) -> None:
    norm = normalized(tmp_path, "2月份共受理诉求300件，截至3月10日已办结290件。")
    (p,) = problems(list(check_dates_before_publication(norm)))
    assert p.reported == "2025-03-06" and p.severity is None
    before = normalized(tmp_path, "2月份共受理诉求300件，截至3月5日已办结290件。")
    assert problems(list(check_dates_before_publication(before))) == []


def test_a_yearless_date_far_after_publication_is_last_years(tmp_path: Path) -> None:
    norm = normalized(tmp_path, "截至12月31日，全年共受理诉求3000件。", signed="2025年1月6日")
    assert problems(list(check_dates_before_publication(norm))) == []


def test_a_body_opening_with_another_month_than_the_title(tmp_path: Path) -> None:
    assert problems(list(check_body_period(normalized(tmp_path, "2月份共受理诉求300件。")))) == []
    (p,) = problems(list(check_body_period(normalized(tmp_path, "1月份共受理诉求300件。"))))
    assert p.reported == "2025年2月"
