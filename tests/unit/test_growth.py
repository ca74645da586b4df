"""Growth rates and changes in points (GROWTH001, GROWTH002) on hand-made documents and tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import pytest

from pipeline.model import (
    Alignment,
    Checked,
    Column,
    DepartmentName,
    Document,
    Line,
    Metadata,
    Normalized,
    NormalizedTable,
    Problem,
    RawMetadata,
    Record,
    Severity,
    Source,
    Span,
    Table,
)
from pipeline.normalize import normalize
from pipeline.normalize.comparisons import compared_period, period_triples
from pipeline.normalize.conventions import infer_rounding
from pipeline.normalize.tables import parse_cell
from pipeline.numeric.arithmetic import Rounding, round_fraction
from pipeline.validate import audit
from pipeline.validate.rules.growth import check_table_changes, check_text_changes


def text_document(*paragraphs: str) -> Document:
    """One single-line paragraph per text, outside any section."""
    lines = tuple(
        Line(text, Source(1, (90.0, 80.0 + 28 * i, 510.0, 96.0 + 28 * i), "test"), None, i)
        for i, text in enumerate(paragraphs)
    )
    raw = RawMetadata(None, None, None, None, None, None)
    return Document("t.pdf", "0" * 64, "pdf", 1, raw, (), lines, (), ())


def problems(found: Sequence[Problem | Checked]) -> list[Problem]:
    return [p for p in found if isinstance(p, Problem)]


def checked(found: Sequence[Problem | Checked]) -> set[str]:
    return {s.text.strip() for c in found if isinstance(c, Checked) for s in c.spans}


def text_changes(*paragraphs: str) -> list[Problem | Checked]:
    return list(check_text_changes(normalize(text_document(*paragraphs))))


# --- comparisons -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("较上月（913件）减少", "上期"),
        ("环比增长", "上期"),
        ("比去年同期的2726件上升", "去年同期"),
        ("较上年同期", "去年同期"),
        ("与上季度相比下降", "上期"),
        ("同比提高", "去年同期"),
        ("办结率达", None),
    ],
)
def test_growth_compared_period(text: str, period: str | None) -> None:
    assert compared_period(text) == period


# --- GROWTH001: the text -----------------------------------------------------------------


def test_growth_text_growth_against_the_figure_in_the_sentence_holds() -> None:
    found = text_changes("6月，共受理群众诉求908件，较上月（913件）减少0.55%，办结900件。")
    assert problems(found) == []
    assert {"908件", "913件", "0.55%"} <= checked(found)


def test_growth_text_wrong_growth_is_an_error_with_the_recomputed_change() -> None:
    found = problems(text_changes("6月，共受理群众诉求908件，较上月（913件）减少0.65%。"))
    assert len(found) == 1
    assert found[0].reported == "0.65%"
    assert found[0].expected == "down 0.55%"
    assert found[0].severity is None  # the rule's own severity: error


def test_growth_text_wrong_direction_is_explained() -> None:
    found = problems(text_changes("6月，共受理群众诉求908件，较上月（913件）增长0.55%。"))
    assert len(found) == 1
    assert found[0].explanation is not None
    assert "direction turned" in found[0].explanation


def test_growth_text_growth_over_the_new_figure_is_explained() -> None:
    # (1000 − 800) / 1000 = 20.00%, while over last month's 800 it is 25.00%
    found = problems(text_changes("本月受理1000件，比上月的800件增长20.00%。"))
    assert [p.expected for p in found] == ["up 25.00%"]
    assert found[0].explanation is not None and "over the new figure" in found[0].explanation


def test_growth_text_points_from_printed_rates_hold_within_rounding() -> None:
    # 96.3% − 95.4% = 0.9 points exactly as printed
    found = text_changes("在时限内办结493件，及时办结率为96.3%，较上月（95.4%）提升0.9个百分点。")
    assert problems(found) == []
    assert {"96.3%", "95.4%"} <= checked(found)


def test_growth_text_wrong_points_are_an_error() -> None:
    found = problems(
        text_changes("在时限内办结493件，及时办结率为96.3%，较上月（95.4%）提升1.9个百分点。")
    )
    assert [(p.reported, p.expected) for p in found] == [("1.9个百分点", "up 0.9个百分点")]


def test_growth_text_without_the_old_figure_is_not_checked() -> None:
    found = text_changes("6月，共受理群众诉求908件，环比减少0.55%，同比提高3个百分点。")
    assert found == []


# --- GROWTH002: period tables -------------------------------------------------------------

FLAT = (
    Column(("序号",), "row_number", None, "序号"),
    Column(("单位名称",), "department", None, "单位名称"),
    Column(("本月受理量",), "received", None, "本月受理量"),
    Column(("上月受理量",), "received", None, "上月受理量"),
    Column(("受理量环比(%)",), None, None, "受理量环比(%)"),
)
NESTED = (
    Column(("序号",), "row_number", None, "序号"),
    Column(("责任单位",), "department", None, "责任单位"),
    Column(("工单量", "本月"), None, None, "工单量"),
    Column(("工单量", "上月"), None, None, "工单量"),
    Column(("工单量", "环比增减"), None, None, "工单量"),
)
DATA = (("甲局", 616, 743), ("乙局", 205, 274), ("丙局", 104, 123), ("丁局", 77, 68))


def change(now: int, before: int) -> str:
    return f"{round_fraction(Fraction(100 * (now - before), before), 2, Rounding.HALF_UP):f}%"


def period_rows() -> list[list[str]]:
    return [
        [str(i + 1), name, str(now), str(before), change(now, before)]
        for i, (name, now, before) in enumerate(DATA)
    ]


def period_table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> Normalized:
    records = []
    for r, cells in enumerate(rows):
        values = tuple(
            parse_cell(Span(t, Source(1, (40.0 * c, 20.0 * r, 40.0 * c + 40, 20.0 * r + 20), "t")))
            for c, t in enumerate(cells)
        )
        name = DepartmentName(cells[1], cells[1], "exact")
        records.append(Record(row=r + 1, department=name, values=values))
    cells = tuple(tuple(v.cell for v in rec.values if v is not None) for rec in records)
    table = Table("环比表", "附件2", (1,), (), tuple(c.path for c in columns), cells)
    nt = NormalizedTable(0, table, tuple(columns), tuple(records), None)
    raw = RawMetadata(None, None, None, None, None, None)
    doc = Document("t.pdf", "0", "pdf", 1, raw, (), (), (), (table,))
    meta = Metadata(None, None, None, None, None, None, None, None, None, None)
    return Normalized(doc, meta, (nt,), (), ())


@pytest.mark.parametrize("columns", [FLAT, NESTED])
def test_growth_period_triples_from_flat_and_nested_headers(columns: tuple[Column, ...]) -> None:
    norm = period_table(columns, period_rows())
    (triple,) = period_triples(norm.tables[0])
    assert (triple.current, triple.previous, triple.change, triple.compared) == (2, 3, 4, "上期")


@pytest.mark.parametrize("columns", [FLAT, NESTED])
def test_growth_clean_period_table_has_no_problem(columns: tuple[Column, ...]) -> None:
    found = list(check_table_changes(period_table(columns, period_rows())))
    assert problems(found) == []
    assert sum(isinstance(c, Checked) for c in found) == len(DATA)


def test_growth_wrong_change_cell_copied_from_the_row_above() -> None:
    rows = period_rows()
    rows[2][4] = rows[1][4]
    (found,) = problems(list(check_table_changes(period_table(FLAT, rows))))
    assert (found.row, found.column, found.reported) == (3, "受理量环比(%)", rows[1][4])
    assert found.expected == change(104, 123)
    assert found.explanation is not None and "row above" in found.explanation


def test_growth_current_figure_copied_from_the_previous_period() -> None:
    rows = period_rows()
    rows[3][2] = rows[3][3]  # this month's 77 printed as last month's 68
    (found,) = problems(list(check_table_changes(period_table(NESTED, rows))))
    assert found.row == 4 and found.expected == "0.00%"
    assert found.explanation is not None
    assert "copied from the previous period's column" in found.explanation


def test_growth_realigned_row_lowers_severity() -> None:
    norm = period_table(FLAT, [*period_rows()[:3], [*period_rows()[3][:4], "99.00%"]])
    table = norm.tables[0]
    shift = Alignment(5, 5, 2, 1, 5, "an extra cell at position 3")
    shifted = replace(table.records[3], alignment=shift)
    table = replace(table, records=(*table.records[:3], shifted))
    (found,) = problems(list(check_table_changes(replace(norm, tables=(table,)))))
    assert found.severity is Severity.WARNING


# --- RATE001: a rate copied from the earlier period -------------------------------------


def test_growth_rate_copied_from_the_previous_period_is_explained() -> None:
    doc = text_document(
        "本月受理400件，办结396件，办结率为98.85%，较上月（98.85%）提升0.15个百分点。"
    )
    (found,) = [f for f in audit(normalize(doc)).findings if f.rule == "RATE001"]
    assert found.explanation is not None
    assert found.explanation.startswith("98.85% is the text's figure for 上期")


@pytest.mark.parametrize(("stated", "expected"), [("50件", []), ("40件", ["up 50件"])])
def test_growth_text_change_stated_as_a_count(stated: str, expected: list[str]) -> None:
    found = text_changes(f"本月受理958件，较上月（908件）增加{stated}。")
    assert [p.expected for p in problems(found)] == expected
    assert stated in checked(found)


# --- the rounding convention read from changes -------------------------------------------

# A period table of a held-out bulletin whose office truncates: 1851 -> 1804 is -2.539%,
# printed -2.53%; the table has no other rounded relation to tell the convention by.
TRUNCATED = (("甲局", 1804, 1851, "-2.53%"), ("乙局", 1784, 1790, "-0.33%"))
TRUNCATED += (("丙局", 1551, 1198, "29.46%"), ("丁局", 24547, 23907, "2.67%"))


def truncated_rows(last: str | None = None) -> list[list[str]]:
    rows = [[str(i + 1), n, str(a), str(b), c] for i, (n, a, b, c) in enumerate(TRUNCATED)]
    if last is not None:
        rows[-1][4] = last
    return rows


def test_growth_table_changes_decide_the_rounding_convention() -> None:
    norm = period_table(FLAT, truncated_rows())
    rounding, support = infer_rounding(norm.tables, (), norm.document)
    assert rounding is Rounding.TRUNCATE
    assert dict(support) == {"half_up": 0, "truncate": 4, "half_even": 0}
    judged = replace(norm, rounding=rounding.value)
    assert problems(list(check_table_changes(judged))) == []


def test_growth_table_change_under_another_convention_is_a_warning() -> None:
    # 24547 / 23907 - 1 = 2.677%: half-up prints 2.68%, truncation 2.67%
    norm = replace(period_table(FLAT, truncated_rows()), rounding="half_up")
    found = problems(list(check_table_changes(norm)))
    assert {p.severity for p in found} == {Severity.WARNING}
    assert all("only under truncate rounding" in (p.explanation or "") for p in found)


def test_growth_table_change_no_rounding_gives_is_an_error() -> None:
    norm = period_table(FLAT, truncated_rows(last="2.60%"))
    norm = replace(norm, rounding="truncate")
    (found,) = problems(list(check_table_changes(norm)))
    assert (found.row, found.severity, found.expected) == (4, None, "2.67%")


@pytest.mark.parametrize(("stated", "rounding"), [("2.53%", "truncate"), ("2.54%", "half_up")])
def test_growth_text_change_counts_for_the_rounding_convention(stated: str, rounding: str) -> None:
    norm = normalize(text_document(f"本月受理1804件，较上月（1851件）减少{stated}。"))
    assert norm.rounding == rounding
    assert [f.rule for f in audit(norm).findings] == ["CONV001"]
