"""Which counts a weighted sub-score may read as "W when 0" or "W − k × count".

The table is 附件1 of a generated bulletin (seed 4102, gen-0001: 2020年10月 考评表), as our
extraction read it: rows 12-35 print the received count in an unheaded column. Its
返工工单得分（5分） has a header of its own and no count column: it scores reworked orders the
table does not print. Borrowing 告警数 from the 告警工单得分 group "explained" it on 31 of 35
rows and flagged the other 4 as errors.
"""

from __future__ import annotations

from decimal import Decimal

from pipeline.model import Column, Number
from pipeline.numeric.infer import FormulaKind, Inference, indicator_inputs, infer_formula

TableRow = list[Number | None]
Indicators = tuple[int, ...] | None

# Columns 2..15 of the table (序号 and 部门名称 dropped); "-" is a cell the row does not print.
GEN_0001_ATTACHMENT_1 = """\
- 1532 35.00 1532 40.00 0 5.00 0 10.00 1532 1532 5.00 5.00 100.00
- 715 35.00 715 40.00 0 5.00 0 10.00 715 1532 2.33 5.00 97.33
- 244 35.00 244 40.00 0 5.00 0 10.00 244 1532 0.80 5.00 95.80
- 182 35.00 182 40.00 0 5.00 0 10.00 182 1532 0.59 5.00 95.59
- 409 35.00 400 39.12 0 5.00 0 10.00 409 1532 1.33 5.00 95.45
- 90 35.00 90 40.00 0 5.00 0 10.00 90 1532 0.29 5.00 95.29
- 159 35.00 158 39.75 0 5.00 0 10.00 159 1532 0.52 5.00 95.27
- 64 35.00 64 40.00 0 5.00 0 10.00 64 1532 0.21 5.00 95.21
- 61 35.00 61 40.00 0 5.00 0 10.00 61 1532 0.20 5.00 95.20
- 172 35.00 170 39.53 0 5.00 0 10.00 172 1532 0.56 5.00 95.10
- 70 35.00 69 39.43 0 5.00 0 10.00 70 1532 0.23 5.00 94.66
209 202 33.83 202 40.00 0 5.00 0 10.00 202 1532 0.66 5.00 94.49
71 69 34.01 69 40.00 0 5.00 0 10.00 69 1532 0.23 5.00 94.24
68 68 35.00 66 38.82 0 5.00 0 10.00 68 1532 0.22 5.00 94.05
68 68 35.00 66 38.82 0 5.00 0 10.00 68 1532 0.22 5.00 94.05
64 63 34.45 62 39.37 0 5.00 0 10.00 63 1532 0.21 5.00 94.02
360 360 35.00 336 37.33 0 5.00 0 10.00 360 1532 1.17 5.00 93.51
745 745 35.00 745 40.00 0 5.00 0 10.00 745 1532 2.43 0.00 92.43
73 73 35.00 67 36.71 0 5.00 0 10.00 73 1532 0.24 5.00 91.95
126 126 35.00 114 36.19 0 5.00 0 10.00 126 1532 0.41 5.00 91.60
269 264 34.35 238 36.06 0 5.00 0 10.00 264 1532 0.86 5.00 91.27
352 352 35.00 303 34.43 0 5.00 0 10.00 352 1532 1.15 5.00 90.58
127 127 35.00 127 40.00 1 0.00 0 10.00 127 1532 0.41 5.00 90.41
88 88 35.00 88 40.00 3 0.00 0 10.00 88 1532 0.29 5.00 90.29
74 74 35.00 74 40.00 1 0.00 0 10.00 74 1532 0.24 5.00 90.24
147 145 34.52 127 35.03 0 5.00 0 10.00 145 1532 0.47 5.00 90.03
93 93 35.00 92 39.57 0 5.00 0 10.00 93 1532 0.30 0.00 89.87
73 73 35.00 72 39.45 0 5.00 0 10.00 73 1532 0.24 0.00 89.69
98 98 35.00 84 34.29 0 5.00 0 10.00 98 1532 0.32 5.00 89.61
948 948 35.00 865 36.50 3 0.00 0 10.00 948 1532 3.09 5.00 89.59
69 69 35.00 59 34.20 0 5.00 0 10.00 69 1532 0.23 5.00 89.43
302 302 35.00 285 37.75 3 0.00 0 10.00 302 1532 0.99 5.00 88.73
107 107 35.00 94 35.14 2 0.00 0 10.00 107 1532 0.35 5.00 85.49
79 76 33.67 76 40.00 1 0.00 0 10.00 76 1532 0.25 0.00 83.92
84 84 35.00 84 40.00 1 0.00 2 0.00 84 1532 0.27 0.00 75.27
"""


def _column(path: tuple[str, ...], metric: str, weight: int | None) -> Column:
    return Column(path, metric, None if weight is None else Decimal(weight), path[0])


COMPLETION, ON_TIME, OVERDUE = "办结率得分（35分）", "按期办结得分（40分）", "逾期退单得分（5分）"
ALERT, WORKLOAD, REWORK = "告警工单得分（10分）", "工作量得分（5分）", "返工工单得分（5分）"
COLUMNS = (
    _column((COMPLETION, "(no header)"), "received", 35),
    _column((COMPLETION, "工单数"), "completed", 35),
    _column((COMPLETION, "得分"), "score_completed", 35),
    _column((ON_TIME, "按期办结数"), "completed_on_time", 40),
    _column((ON_TIME, "得分"), "score_completed_on_time", 40),
    _column((OVERDUE, "工单数"), "overdue_returns", 5),
    _column((OVERDUE, "得分"), "score_overdue_returns", 5),
    _column((ALERT, "告警数"), "alerts", 10),
    _column((ALERT, "得分"), "score_alerts", 10),
    _column((WORKLOAD, "办结工单数量"), "completed", 5),
    _column((WORKLOAD, "最高办结量"), "completed_max", 5),
    _column((WORKLOAD, "得分"), "score_workload", 5),
    _column((REWORK,), "score_rework", 5),
    _column(("总分",), "score_total", None),
)
COUNTS = (0, 1, 3, 5, 7, 9, 10)
LABELS = tuple("/".join(c.path) for c in COLUMNS)
REWORK_SCORE, ALERT_SCORE, OVERDUE_SCORE, ALERTS = 12, 8, 6, 7


def num(text: str) -> Number:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Number(text, Decimal(text), decimals, False)


def table() -> list[TableRow]:
    lines = GEN_0001_ATTACHMENT_1.splitlines()
    return [[None if t == "-" else num(t) for t in line.split()] for line in lines]


def infer(
    rows: list[TableRow], target: int, indicators: tuple[int, ...] | None
) -> Inference | None:
    weight = COLUMNS[target].weight
    return infer_formula(
        rows, target, inputs=COUNTS, weight=weight, labels=LABELS, indicators=indicators
    )


def test_infer_indicators_of_a_grouped_score_are_its_own_counts() -> None:
    assert indicator_inputs(COLUMNS, ALERT_SCORE, COUNTS) == (ALERTS,)
    assert indicator_inputs(COLUMNS, OVERDUE_SCORE, COUNTS) == (5,)
    assert indicator_inputs(COLUMNS, 11, COUNTS) == (9, 10)
    # 工作量得分's 办结工单数量 is a completed count too, but 办结率得分 prints its own
    assert indicator_inputs(COLUMNS, 2, COUNTS) == (0, 1)


def test_infer_indicators_none_for_a_score_without_a_count() -> None:
    assert indicator_inputs(COLUMNS, REWORK_SCORE, COUNTS) == ()


def test_infer_indicators_of_another_group_when_the_metric_names_it() -> None:
    columns = (
        Column(("告警数",), "alerts", None, "告警数"),
        Column(("退单数",), "returns", None, "退单数"),
        Column(("告警工单得分(10分)",), "score_alerts", Decimal(10), "告警工单得分(10分)"),
    )
    assert indicator_inputs(columns, 2, (0, 1)) == (0,)


def test_infer_borrowed_count_explained_most_rework_rows() -> None:
    # the defect: any mostly-zero count of the table agrees with a mostly-W score
    found = infer(table(), REWORK_SCORE, None)
    assert found is not None
    assert (found.formula.kind, found.formula.inputs) == (FormulaKind.ZERO_INDICATOR, (ALERTS,))
    assert (len(found.holding), found.failing) == (31, (17, 26, 27, 33))


def test_infer_rework_score_without_its_count_gets_no_count_formula() -> None:
    rows = table()
    found = infer(rows, REWORK_SCORE, indicator_inputs(COLUMNS, REWORK_SCORE, COUNTS))
    # only "5 on every row" is left, which its five 0.00 rows break: no formula reads a count
    assert found is not None
    assert found.formula.kind is FormulaKind.CONSTANT
    assert len(found.failing) == 5


def test_infer_grouped_zero_scores_still_inferred() -> None:
    rows = table()
    for target, count in ((ALERT_SCORE, ALERTS), (OVERDUE_SCORE, 5)):
        found = infer(rows, target, indicator_inputs(COLUMNS, target, COUNTS))
        assert found is not None
        assert (found.formula.kind, found.formula.inputs) == (FormulaKind.ZERO_INDICATOR, (count,))
        assert found.failing == ()


def test_infer_rework_score_with_too_many_zero_rows_is_not_inferred() -> None:
    rows = table()
    for r in range(10):  # ten more departments with rework: "5 on every row" fails on 15 of 35
        rows[r][REWORK_SCORE] = num("0.00")
    assert infer(rows, REWORK_SCORE, indicator_inputs(COLUMNS, REWORK_SCORE, COUNTS)) is None
