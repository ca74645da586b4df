"""Table rules (TBL001–TBL006, ALN001) on small hand-made tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from pipeline.model import (
    Alignment,
    Column,
    DepartmentName,
    Document,
    Finding,
    Metadata,
    Normalized,
    NormalizedTable,
    RawMetadata,
    Record,
    Severity,
    Source,
    Span,
    Table,
)
from pipeline.normalize.tables import normalize_table, parse_cell
from pipeline.numeric.arithmetic import Rounding, round_fraction
from pipeline.validate.audit import audit
from pipeline.validate.registry import RULES

CODES = ("TBL001", "TBL002", "TBL003", "TBL004", "TBL005", "TBL006", "ALN001")

SCORE_COLUMNS = (
    Column(("序号",), "row_number", None, "序号"),
    Column(("部门名称",), "department", None, "部门名称"),
    Column(("受理",), "received", None, "受理"),
    Column(("办结",), "completed", None, "办结"),
    Column(("按期办结",), "completed_on_time", None, "按期办结"),
    Column(("办结得分(50分)",), "score_completed", Decimal(50), "办结得分(50分)"),
    Column(("按期得分(50分)",), "score_completed_on_time", Decimal(50), "按期得分(50分)"),
    Column(("最终得分",), "score_total", None, "最终得分"),
)
# name, received, completed, completed on time
SCORE_DATA = (
    ("甲局", 120, 118, 110),
    ("乙局", 95, 95, 90),
    ("丙局", 60, 57, 57),
    ("丁局", 44, 43, 40),
    ("戊局", 30, 28, 25),
    ("己局", 172, 172, 169),
    ("庚局", 17, 16, 13),
    ("辛局", 81, 80, 78),
)
COUNT_COLUMNS = (
    Column(("序号",), "row_number", None, "序号"),
    Column(("单位",), "department", None, "单位"),
    Column(("受理",), "received", None, "受理"),
    Column(("办结",), "completed", None, "办结"),
    Column(("办结率",), "rate_completed", None, "办结率"),
)
COUNT_DATA = (("甲局", 812, 809), ("乙局", 403, 401), ("丙局", 251, 251), ("丁局", 123, 118))


def two(x: Fraction) -> str:
    return f"{round_fraction(x, 2, Rounding.HALF_UP):f}"


def percent(x: Fraction) -> str:
    return two(x * 100) + "%"


def score_rows() -> list[list[str]]:
    """Rows sorted by descending total; every score computed from the counts."""
    rows = []
    for name, received, done, on_time in SCORE_DATA:
        s1, s2 = Fraction(50 * done, received), Fraction(50 * on_time, done)
        rows.append([name, str(received), str(done), str(on_time), two(s1), two(s2), two(s1 + s2)])
    rows.sort(key=lambda r: -Decimal(r[-1]))
    return [[str(i + 1), *r] for i, r in enumerate(rows)]


def count_rows() -> list[list[str]]:
    rows = [
        [str(i + 1), name, str(r), str(d), percent(Fraction(d, r))]
        for i, (name, r, d) in enumerate(COUNT_DATA)
    ]
    received = sum(r for _, r, _ in COUNT_DATA)
    done = sum(d for _, _, d in COUNT_DATA)
    return [*rows, ["", "合计", str(received), str(done), percent(Fraction(done, received))]]


def span(text: str, r: int, c: int) -> Span:
    return Span(text, Source(1, (40.0 * c, 20.0 * r, 40.0 * c + 40, 20.0 * r + 20), "test"))


def record(r: int, cells: Sequence[str], dept: int, **kw: object) -> Record:
    values = tuple(parse_cell(span(t, r, c)) for c, t in enumerate(cells))
    name = cells[dept]
    department = None if name == "合计" else DepartmentName(name, name, "exact")
    return Record(row=r + 1, department=department, values=values, **kw)  # type: ignore[arg-type]


def normalized(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], records: Sequence[Record] = ()
) -> Normalized:
    recs = tuple(records) or tuple(record(i, r, 1) for i, r in enumerate(rows))
    cells = tuple(tuple(v.cell for v in rec.values if v is not None) for rec in recs)
    table = Table("考评表", "附件1", (1,), (), tuple(c.path for c in columns), cells)
    nt = NormalizedTable(0, table, tuple(columns), recs, None)
    raw = RawMetadata(None, None, None, None, None, None)
    doc = Document("t.pdf", "0", "pdf", 1, raw, (), (), (), (table,))
    meta = Metadata(None, None, None, None, None, None, None, None, None, None)
    return Normalized(doc, meta, (nt,), (), ())


def findings(norm: Normalized, code: str | None = None) -> list[Finding]:
    found = audit(norm, rules=[RULES[c] for c in CODES]).findings
    return [f for f in found if code is None or f.rule == code]


def problems(norm: Normalized) -> list[Finding]:
    return [f for f in findings(norm) if f.severity is not Severity.INFO]


def test_rules_tables_clean_score_table_has_no_problem() -> None:
    rows = score_rows()
    # the rounding case the rules must accept: rounded parts that do not add to the total
    assert any(Decimal(r[5]) + Decimal(r[6]) != Decimal(r[7]) for r in rows)
    norm = normalized(SCORE_COLUMNS, rows)
    assert problems(norm) == []
    infos = [f.message for f in findings(norm, "TBL001")]
    assert "附件1 办结得分(50分) = 50 × 办结 / 受理, holds on 8 of 8 rows" in infos
    assert any(m.startswith("附件1 最终得分 = 办结得分(50分) + 按期得分(50分)") for m in infos)


def test_rules_tables_clean_run_checks_every_table_number() -> None:
    norm = normalized(SCORE_COLUMNS, score_rows())
    coverage = audit(norm, rules=[RULES[c] for c in CODES]).coverage
    assert coverage.checked == coverage.numbers


def test_rules_tables_broken_subscore_flagged() -> None:
    rows = score_rows()
    rows[2][5] = "45.10"
    found = findings(normalized(SCORE_COLUMNS, rows), "TBL002")
    assert [(f.row, f.column, f.severity) for f in found] == [(3, "办结得分(50分)", Severity.ERROR)]
    assert found[0].reported == "45.10"
    assert found[0].expected != "45.10" and found[0].department == rows[2][1]
    assert found[0].evidence[0].text == "45.10"


def test_rules_tables_realigned_row_lowers_severity() -> None:
    rows = score_rows()
    rows[2][5] = "45.10"
    shift = Alignment(9, 8, 2, 3, 9, "an extra cell at position 3")
    recs = [record(i, r, 1, alignment=shift if i == 2 else None) for i, r in enumerate(rows)]
    found = findings(normalized(SCORE_COLUMNS, rows, recs), "TBL002")
    assert [(f.row, f.severity) for f in found] == [(3, Severity.WARNING)]
    assert "doubt may be ours" in found[0].message


def test_rules_tables_broken_total_flagged() -> None:
    rows = score_rows()
    rows[3][7] = two(Fraction(Decimal(rows[3][7])) + Fraction(1, 10))
    found = findings(normalized(SCORE_COLUMNS, rows), "TBL003")
    assert [(f.row, f.column) for f in found] == [(4, "最终得分")]
    assert found[0].expected is not None and found[0].expected != rows[3][7]
    assert found[0].explanation is not None
    assert "printed parts add to" in found[0].explanation
    assert "unrounded parts" in found[0].explanation


def test_rules_tables_total_row_transposition_explained() -> None:
    rows = count_rows()
    assert rows[-1][2] == "1589"
    rows[-1][2] = "1598"
    found = findings(normalized(COUNT_COLUMNS, rows), "TBL004")
    assert [(f.row, f.column, f.reported, f.expected) for f in found] == [
        (5, "受理", "1598", "1589")
    ]
    assert found[0].explanation is not None and "transposition" in found[0].explanation


def test_rules_tables_total_row_rate_recomputed() -> None:
    # a wrong rate in the 合计 row breaks its column's formula: TBL002, not the sum rule
    rows = count_rows()
    rows[-1][4] = "99.10%"
    norm = normalized(COUNT_COLUMNS, rows)
    assert findings(norm, "TBL004") == []
    found = findings(norm, "TBL002")
    assert [(f.row, f.column, f.reported) for f in found] == [(5, "办结率", "99.10%")]
    assert found[0].expected == count_rows()[-1][4] == "99.37%"


def test_rules_tables_total_row_rate_over_misprinted_total() -> None:
    rows = count_rows()
    rows[-1][2] = "1598"
    rows[-1][4] = percent(Fraction(1579, 1598))
    found = findings(normalized(COUNT_COLUMNS, rows), "TBL004")
    assert [(f.column, f.expected) for f in found] == [("受理", "1589"), ("办结率", "99.37%")]
    assert found[1].explanation is not None
    assert "follows the row's printed totals" in found[1].explanation


def test_rules_tables_clean_count_table_has_no_problem() -> None:
    norm = normalized(COUNT_COLUMNS, count_rows())
    assert problems(norm) == []
    assert [f.message for f in findings(norm, "TBL001")] == [
        "附件1 办结率 = 办结 / 受理, holds on 4 of 4 rows"
    ]


def test_rules_tables_rank_order_broken() -> None:
    rows = score_rows()
    rows[3][1:], rows[4][1:] = rows[4][1:], rows[3][1:]
    found = findings(normalized(SCORE_COLUMNS, rows), "TBL005")
    assert found and {f.row for f in found} <= {4, 5}
    assert all(f.severity is Severity.ERROR for f in found)


def test_rules_tables_unranked_table_not_checked() -> None:
    rows = score_rows()
    rows.reverse()
    assert findings(normalized(SCORE_COLUMNS, rows), "TBL005") == []


def test_rules_tables_parent_count_broken() -> None:
    rows = score_rows()
    rows[5][4] = str(int(rows[5][3]) + 2)
    found = findings(normalized(SCORE_COLUMNS, rows), "TBL006")
    assert [(f.row, f.column, f.reported, f.expected) for f in found] == [
        (6, "按期办结", rows[5][4], f"≤ {rows[5][3]}")
    ]


def test_rules_tables_alignment_reported() -> None:
    rows = score_rows()
    shift = Alignment(9, 8, 2, 5, 9, "an extra cell at position 3")
    inserted = Column(("(no header)",), None, None, "(no header)", inserted=True)
    columns = (*SCORE_COLUMNS[:2], inserted, *SCORE_COLUMNS[2:])
    wide = [[*r[:2], r[2], *r[2:]] for r in rows]
    recs = [record(i, r, 1, alignment=shift) for i, r in enumerate(wide)]
    # rows that fit the header print no cell under the inserted column
    recs[:5] = [
        replace(r, values=(*r.values[:2], None, *r.values[3:]), alignment=None) for r in recs[:5]
    ]
    norm = normalized(columns, wide, recs)
    found = findings(norm, "ALN001")
    assert [f.message for f in found] == [
        "附件1 body rows 6–8 print 9 cells where the header has 8 columns; read with an "
        "unheaded column at position 3 (before 受理), confirmed by 5 relations per row"
    ]


def test_rules_tables_unaligned_rows_warned() -> None:
    rows = score_rows()
    recs = [record(i, r[:-1] if i == 7 else r, 1, unaligned=i == 7) for i, r in enumerate(rows)]
    found = findings(normalized(SCORE_COLUMNS, rows, recs), "ALN001")
    assert [(f.row, f.severity) for f in found] == [(8, Severity.WARNING)]
    assert "left out of the table checks" in found[0].message


# --- column formulas from what a column is ---------------------------------------------

CATEGORY_COLUMNS = (
    Column(("序号",), "row_number", None, "序号"),
    Column(("类别",), "category", None, "类别"),
    Column(("件数",), None, None, "件数"),
    Column(("占比",), "share", None, "占比"),
)
CATEGORY_DATA = (("城建类", 377), ("交通类", 272), ("教育类", 250), ("市场类", 68))


def category_rows() -> list[list[str]]:
    base = sum(n for _, n in CATEGORY_DATA)
    rows = [
        [str(i + 1), name, str(n), percent(Fraction(n, base))]
        for i, (name, n) in enumerate(CATEGORY_DATA)
    ]
    return [*rows, ["", "合计", str(base), "100.00%"]]


def test_rules_tables_share_column_is_count_over_the_column_total() -> None:
    norm = normalized(CATEGORY_COLUMNS, category_rows())
    assert problems(norm) == []
    assert [f.message for f in findings(norm, "TBL001")] == [
        "附件1 占比 = 件数 / 967 (the column's total), holds on 4 of 4 rows"
    ]
    coverage = audit(norm, rules=[RULES[c] for c in CODES]).coverage
    assert coverage.checked == coverage.numbers  # the 合计 row's 100.00% too


def test_rules_tables_share_over_another_base_flagged() -> None:
    rows = category_rows()
    rows[3][3] = percent(Fraction(68, 950))  # the share over another total
    (found,) = problems(normalized(CATEGORY_COLUMNS, rows))
    assert (found.rule, found.row, found.reported, found.expected) == (
        "TBL002",
        4,
        "7.16%",
        "7.03%",
    )


def test_rules_tables_defined_rate_when_rows_cannot_tell() -> None:
    # every unit completed all it received: 办结/按期 fits the rows as well as 办结/受理
    data = (("甲局", 6, 6, 6), ("乙局", 1, 1, 0), ("丙局", 1, 1, 0), ("丁局", 1, 1, 1))
    columns = (*COUNT_COLUMNS[:4], Column(("按期",), "completed_on_time", None, "按期"))
    columns = (*columns[:4], *COUNT_COLUMNS[4:], columns[4])
    rows = [
        [str(i + 1), n, str(r), str(d), "100.00%", str(o)] for i, (n, r, d, o) in enumerate(data)
    ]
    rows.append(["", "合计", "9", "9", "100.00%", "7"])
    norm = normalized(columns, rows)
    assert problems(norm) == []
    assert "附件1 办结率 = 办结 / 受理, holds on 4 of 4 rows" in [
        f.message for f in findings(norm, "TBL001")
    ]


def test_rules_tables_defined_rate_checked_when_every_row_prints_one_value() -> None:
    # every unit completed all it received: all rows print 100%, one misprints it
    data = (("甲局", 6, 6), ("乙局", 3, 3), ("丙局", 9, 9), ("丁局", 2, 2), ("戊局", 4, 4))
    rows = [[str(i + 1), n, str(r), str(d), "100%"] for i, (n, r, d) in enumerate(data)]
    assert problems(normalized(COUNT_COLUMNS, rows)) == []
    rows[3][4] = "91%"
    (found,) = problems(normalized(COUNT_COLUMNS, rows))
    assert (found.rule, found.row, found.reported, found.expected) == ("TBL002", 4, "91%", "100%")


def test_rules_tables_subscore_no_deduction_rule_gives_is_a_warning() -> None:
    columns = (
        Column(("序号",), "row_number", None, "序号"),
        Column(("单位",), "department", None, "单位"),
        Column(("告警得分(10分)", "工单数"), "alerts", Decimal(10), "告警得分(10分)"),
        Column(("告警得分(10分)", "得分"), "score_alerts", Decimal(10), "告警得分(10分)"),
    )
    counts = (0, 0, 0, 2, 0, 0)  # one row with alerts: the rule is not confirmed by the rows
    rows = [
        [str(i + 1), f"{i}局", str(n), "10.00" if n == 0 else "0.00"] for i, n in enumerate(counts)
    ]
    assert problems(normalized(columns, rows)) == []
    rows[3][3] = "0.50"
    (found,) = problems(normalized(columns, rows))
    assert (found.rule, found.row, found.severity) == ("TBL002", 4, Severity.WARNING)
    assert "no deduction rule gives" in found.message


# --- merged cells and copied values ---------------------------------------------------


def test_rules_tables_merged_cell_read_for_both_columns() -> None:
    rows = count_rows()
    # row 3 prints its equal 受理 and 办结 (251) once, in a cell as wide as both columns
    cells = [tuple(span(t, r, c) for c, t in enumerate(row)) for r, row in enumerate(rows)]
    x0, top, _, bottom = cells[2][2].source.bbox or (0.0, 0.0, 0.0, 0.0)
    wide = Span("251", Source(1, (x0, top, x0 + 80, bottom), "test"))
    cells[2] = (*cells[2][:2], wide, *(span(t, 2, c + 1) for c, t in enumerate(rows[2][4:], 3)))
    table = Table("统计表", "附件1", (1,), (), tuple(c.path for c in COUNT_COLUMNS), tuple(cells))
    names = {r[1]: DepartmentName(r[1], r[1], "exact") for r in rows if r[1] != "合计"}
    nt = normalize_table(0, table, names, default_year=None)
    assert nt.records[2].values[2] is nt.records[2].values[3]
    norm = normalized(nt.columns, rows, nt.records)
    assert findings(norm, "TBL004") == []
    # 丙局 takes part in 办结率 = 办结 / 受理 too (251 / 251 = 100.00%)
    assert findings(norm, "TBL001")[0].message.endswith("holds on 4 of 4 rows")


def test_rules_tables_wrong_cell_copied_from_the_row_above() -> None:
    rows = score_rows()
    rows[4][5] = rows[3][5]
    found = findings(normalized(SCORE_COLUMNS, rows), "TBL002")
    assert [f.row for f in found] == [5]
    assert found[0].explanation is not None
    assert f"is what the row above (row 4 ({rows[3][1]})) prints" in found[0].explanation
    assert found[0].evidence[-1].text == rows[3][5]


def test_rules_tables_total_row_part_copied_from_the_row_above() -> None:
    rows = count_rows()
    rows[2][2] = rows[1][2]  # row 3's 受理 printed as row 2's 403; its own 办结率 now breaks
    found, _ = findings(normalized(COUNT_COLUMNS, rows), "TBL004")  # 受理, then the 合计's rate
    assert (found.column, found.reported, found.expected) == ("受理", "1589", "1741")
    assert found.explanation is not None
    assert "row 3 (丙局) prints 403, the same as the row above" in found.explanation
    assert "with 251 the column would add up" in found.explanation


FULL_WEIGHT_COLUMNS = (
    Column(("序号",), "row_number", None, "序号"),
    Column(("部门名称",), "department", None, "部门名称"),
    Column(("办结率得分(30分)", "工单数"), "completed", None, "办结率得分(30分)"),
    Column(("办结率得分(30分)", "得分"), "score_completed", Decimal(30), "办结率得分(30分)"),
    Column(("按期办结得分(40分)", "按期办结数"), "completed_on_time", None, "按期办结得分(40分)"),
    Column(
        ("按期办结得分(40分)", "得分"), "score_completed_on_time", Decimal(40), "按期办结得分(40分)"
    ),
    Column(("满意率得分(10分)", "回访数"), "visited", None, "满意率得分(10分)"),
    Column(("满意率得分(10分)", "满意数"), "satisfied", None, "满意率得分(10分)"),
    Column(("满意率得分(10分)", "得分"), "score_satisfaction", Decimal(10), "满意率得分(10分)"),
    Column(("合计得分",), "score_total", None, "合计得分"),
)


def test_rules_tables_full_weight_column_is_a_rounded_part_of_the_total() -> None:
    # A held-out bulletin's whole-number scores; 办结率得分 prints 30 on every row, but its
    # received counts are not printed, so 30 stands for [29.5, 30.5): row 3's parts add to
    # 30 + 40 + 9.84 at most and 79 can be right.
    rows = [
        ["1", "甲局", "622", "30", "622", "40", "409", "398", "10", "80"],
        ["2", "乙局", "1356", "30", "1356", "40", "989", "989", "10", "80"],
        ["3", "丙局", "2045", "30", "2045", "40", "1778", "1750", "10", "79"],
        ["4", "丁局", "1501", "30", "1464", "39", "1364", "1268", "9", "78"],
    ]
    assert [f for f in problems(normalized(FULL_WEIGHT_COLUMNS, rows)) if f.rule == "TBL003"] == []
    rows[2][-1] = "77"  # no rounding of the parts gives 77
    (found,) = [f for f in problems(normalized(FULL_WEIGHT_COLUMNS, rows)) if f.rule == "TBL003"]
    assert (found.row, found.reported) == (3, "77")


REWORK_COLUMNS = (
    Column(("序号",), "row_number", None, "序号"),
    Column(("承办单位",), "department", None, "承办单位"),
    Column(("返工工单得分(10分)", "返工数"), "rework", None, "返工工单得分(10分)"),
    Column(("返工工单得分(10分)", "得分"), "score_rework", Decimal(10), "返工工单得分(10分)"),
)


def test_rules_tables_full_marks_missing_on_a_row_with_no_count() -> None:
    # A held-out bulletin: every unit with no reworked order scores the full 10.0, except
    # one that prints 9.8 with 返工数 0.
    scores = ["10.0", "10.0", "10.0", "10.0", "9.8", "10.0", "10.0", "10.0"]
    rows = [[str(i + 1), f"单位{i + 1}", "0", s] for i, s in enumerate(scores)]
    found = [f for f in problems(normalized(REWORK_COLUMNS, rows)) if f.rule == "TBL002"]
    assert [(f.row, f.reported, f.expected, f.severity) for f in found] == [
        (5, "9.8", "10.0", Severity.WARNING)
    ]
