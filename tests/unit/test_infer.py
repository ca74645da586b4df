from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest

from pipeline.model import Number
from pipeline.numeric.infer import (
    FormulaKind,
    Inference,
    Verdict,
    infer_formula,
    unrounded_values,
)
from pipeline.numeric.ranks import RankConvention, check_rank_order, infer_rank_convention
from pipeline.numeric.sums import infer_sum, judge_sum

Table = list[list[Number | None]]


def num(text: str) -> Number:
    percent = text.endswith("%")
    digits = text.rstrip("%")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Number(text, Decimal(digits), decimals, percent)


# Attachment 1 of the seed bulletin (2023年2月区级各部门市民热线办理考评表), numbers only.
# Rows 1-5 print 13 values; rows 6-35 print one more, the received count, first.
SEED_ATTACHMENT_1 = """\
135 35.00 135 40.00 0 5.00 0 10.00 135 345 1.96 5.00 96.96
172 35.00 169 39.30 0 5.00 0 10.00 172 345 2.49 5.00 96.80
190 35.00 185 38.95 0 5.00 0 10.00 190 345 2.75 5.00 96.70
42 35.00 42 40.00 0 5.00 0 10.00 42 345 0.61 5.00 95.61
39 35.00 39 40.00 0 5.00 0 10.00 39 345 0.57 5.00 95.57
37 37 35.00 37 40.00 0 5.00 0 10.00 37 345 0.54 5.00 95.54
31 31 35.00 31 40.00 0 5.00 0 10.00 31 345 0.45 5.00 95.45
17 17 35.00 17 40.00 0 5.00 0 10.00 17 345 0.25 5.00 95.25
10 10 35.00 10 40.00 0 5.00 0 10.00 10 345 0.14 5.00 95.14
7 7 35.00 7 40.00 0 5.00 0 10.00 7 345 0.10 5.00 95.10
6 6 35.00 6 40.00 0 5.00 0 10.00 6 345 0.09 5.00 95.09
5 5 35.00 5 40.00 0 5.00 0 10.00 5 345 0.07 5.00 95.07
5 5 35.00 5 40.00 0 5.00 0 10.00 5 345 0.07 5.00 95.07
4 4 35.00 4 40.00 0 5.00 0 10.00 4 345 0.06 5.00 95.06
3 3 35.00 3 40.00 0 5.00 0 10.00 3 345 0.04 5.00 95.04
3 3 35.00 3 40.00 0 5.00 0 10.00 3 345 0.04 5.00 95.04
2 2 35.00 2 40.00 0 5.00 0 10.00 2 345 0.03 5.00 95.03
1 1 35.00 1 40.00 0 5.00 0 10.00 1 345 0.01 5.00 95.01
1 1 35.00 1 40.00 0 5.00 0 10.00 1 345 0.01 5.00 95.01
1 1 35.00 1 40.00 0 5.00 0 10.00 1 345 0.01 5.00 95.01
1 1 35.00 1 40.00 0 5.00 0 10.00 1 345 0.01 5.00 95.01
50 50 35.00 49 39.20 0 5.00 0 10.00 50 345 0.72 5.00 94.92
28 28 35.00 27 38.57 0 5.00 0 10.00 28 345 0.41 5.00 93.98
216 216 35.00 191 35.37 0 5.00 0 10.00 216 345 3.13 5.00 93.50
20 20 35.00 19 38.00 0 5.00 0 10.00 20 345 0.29 5.00 93.29
71 71 35.00 66 37.18 0 5.00 0 10.00 71 345 1.03 5.00 93.21
49 49 35.00 45 36.73 0 5.00 0 10.00 49 345 0.71 5.00 92.44
11 11 35.00 10 36.36 0 5.00 0 10.00 11 345 0.16 5.00 91.52
346 345 34.90 343 39.77 0 5.00 1 0.00 345 345 5.00 5.00 89.67
20 20 35.00 17 34.00 0 5.00 0 10.00 20 345 0.29 5.00 89.29
6 6 35.00 5 33.33 0 5.00 0 10.00 6 345 0.09 5.00 88.42
5 5 35.00 4 32.00 0 5.00 0 10.00 5 345 0.07 5.00 87.07
4 4 35.00 3 30.00 0 5.00 0 10.00 4 345 0.06 5.00 85.06
48 48 35.00 33 27.50 0 5.00 0 10.00 48 345 0.70 5.00 83.20
3 3 35.00 2 26.67 0 5.00 0 10.00 3 345 0.04 5.00 81.71
"""

LABELS = (
    "受理工单数",
    "办结工单数",
    "办结得分",
    "按期工单数",
    "按期办结得分",
    "逾期退单工单数",
    "逾期退单得分",
    "告警工单数",
    "告警工单得分",
    "办结工单数量",
    "办结最高分",
    "工作量得分",
    "返工工单得分",
    "最终得分",
)
RECEIVED, DONE, DONE_SCORE, ON_TIME, ON_TIME_SCORE = 0, 1, 2, 3, 4
RETURNED, RETURNED_SCORE, ALERTS, ALERT_SCORE = 5, 6, 7, 8
WORKLOAD, MAX_DONE, WORKLOAD_SCORE, REWORK_SCORE, FINAL = 9, 10, 11, 12, 13
COUNTS = (RECEIVED, DONE, ON_TIME, RETURNED, ALERTS, WORKLOAD, MAX_DONE)
SCORES = {
    DONE_SCORE: Decimal(35),
    ON_TIME_SCORE: Decimal(40),
    RETURNED_SCORE: Decimal(5),
    ALERT_SCORE: Decimal(10),
    WORKLOAD_SCORE: Decimal(5),
    REWORK_SCORE: Decimal(5),
}


def seed_table() -> Table:
    table: Table = []
    for line in SEED_ATTACHMENT_1.splitlines():
        cells: list[Number | None] = [num(t) for t in line.split()]
        table.append([None, *cells] if len(cells) == 13 else cells)
    return table


def with_cell(table: Table, row: int, col: int, text: str) -> Table:
    changed = [list(r) for r in table]
    changed[row][col] = num(text)
    return changed


def infer_score(table: Sequence[Sequence[Number | None]], col: int) -> Inference:
    found = infer_formula(table, col, inputs=COUNTS, weight=SCORES[col], labels=LABELS)
    assert found is not None
    return found


def score_inferences(table: Table) -> dict[int, Inference]:
    return {col: infer_score(table, col) for col in SCORES}


def test_infer_workload_score_is_share_of_max() -> None:
    found = infer_score(seed_table(), WORKLOAD_SCORE)
    assert found.formula.kind is FormulaKind.RATIO
    assert found.formula.description == "工作量得分 = 5 × 办结工单数量 / 办结最高分"
    assert found.failing == ()
    assert found.applicable == 35


def test_infer_workload_score_on_thirteen_value_rows_only() -> None:
    found = infer_score(seed_table()[:5], WORKLOAD_SCORE)
    assert found.formula.description.endswith("5 × 办结工单数量 / 办结最高分")
    assert found.failing == ()


def test_infer_on_time_score() -> None:
    found = infer_score(seed_table(), ON_TIME_SCORE)
    assert found.formula.description == "按期办结得分 = 40 × 按期工单数 / 办结工单数"
    assert found.failing == ()


def test_infer_done_score_uses_received_column_where_printed() -> None:
    found = infer_score(seed_table(), DONE_SCORE)
    assert found.formula.description == "办结得分 = 35 × 办结工单数 / 受理工单数"
    assert found.verdicts[:5] == (Verdict.NOT_APPLICABLE,) * 5
    assert found.applicable == 30
    assert found.failing == ()
    row_29 = seed_table()[28]
    assert found.formula.evaluate(row_29) == Fraction(35 * 345, 346)


def test_infer_alert_score_is_zero_after_one_alert() -> None:
    found = infer_score(seed_table(), ALERT_SCORE)
    assert found.formula.kind is FormulaKind.ZERO_INDICATOR
    assert found.formula.description == "告警工单得分 = 10 when 告警工单数 = 0 else 0"
    assert found.failing == ()
    assert found.formula.evaluate(seed_table()[28]) == 0


def test_infer_constant_scores() -> None:
    inferred = score_inferences(seed_table())
    for col in (RETURNED_SCORE, REWORK_SCORE):
        assert inferred[col].formula.kind is FormulaKind.CONSTANT
        assert inferred[col].failing == ()


def unrounded(table: Table) -> dict[int, tuple[Fraction | None, ...]]:
    return {col: unrounded_values(i.formula, table) for col, i in score_inferences(table).items()}


def test_infer_final_score_is_sum_of_unrounded_parts() -> None:
    table = seed_table()
    found = infer_sum(table, FINAL, list(SCORES), unrounded=unrounded(table), labels=LABELS)
    assert found is not None
    assert found.formula.kind is FormulaKind.SUM
    assert found.formula.inputs == tuple(SCORES)
    assert found.formula.description.startswith("最终得分 = 办结得分 + 按期办结得分")
    assert found.failing == ()
    assert found.applicable == 35


def test_infer_row_2_holds_only_with_unrounded_parts() -> None:
    table = seed_table()
    parts = list(SCORES)
    exact_print = judge_sum(table, FINAL, parts, counts={*parts, FINAL})
    assert exact_print[1] is Verdict.FAILS  # rounded parts add to 96.79, printed 96.80
    with_unrounded = judge_sum(table, FINAL, parts, unrounded=unrounded(table))
    assert with_unrounded[1] is Verdict.HOLDS  # 96.795… rounds half-up to 96.80


def test_infer_flags_a_broken_score_cell() -> None:
    table = with_cell(seed_table(), 1, ON_TIME_SCORE, "39.40")
    found = infer_score(table, ON_TIME_SCORE)
    assert found.formula.description == "按期办结得分 = 40 × 按期工单数 / 办结工单数"
    assert found.failing == (1,)


def test_infer_flags_a_broken_total() -> None:
    table = with_cell(seed_table(), 0, FINAL, "96.90")
    found = infer_sum(table, FINAL, list(SCORES), unrounded=unrounded(table), labels=LABELS)
    assert found is not None
    assert found.formula.inputs == tuple(SCORES)
    assert found.failing == (0,)


def test_infer_broken_part_falls_back_to_its_printed_interval() -> None:
    table = with_cell(seed_table(), 2, WORKLOAD_SCORE, "3.75")
    found = infer_sum(table, FINAL, list(SCORES), unrounded=unrounded(table))
    assert found is not None
    assert found.failing == (2,)


def test_infer_rate_column_without_weight() -> None:
    rows = [("12", "12", "100%"), ("8", "7", "88%"), ("6", "6", "100%"), ("3", "2", "67%")]
    table: Table = [[num(a), num(b), num(c)] for a, b, c in rows]
    found = infer_formula(table, 2, inputs=(0, 1), labels=("应办件数", "按期办结数", "按期办结率"))
    assert found is not None
    assert found.formula.kind is FormulaKind.RATE
    assert found.formula.description == "按期办结率 = 按期办结数 / 应办件数"
    assert found.failing == ()


def test_infer_penalty_formula() -> None:
    rows = [("0", "10.00"), ("1", "8.00"), ("3", "4.00"), ("7", "0.00"), ("0", "10.00")]
    table: Table = [[num(a), num(b)] for a, b in rows]
    found = infer_formula(table, 1, inputs=(0,), weight=Decimal(10))
    assert found is not None
    assert found.formula.kind is FormulaKind.PENALTY
    assert found.formula.k == 2
    assert found.formula.description == "col1 = max(0, 10 − 2 × col0)"


def test_infer_nothing_when_no_candidate_holds_on_most_rows() -> None:
    rows = [("3", "1.00"), ("5", "7.00"), ("2", "4.50"), ("9", "0.10")]
    table: Table = [[num(a), num(b)] for a, b in rows]
    assert infer_formula(table, 1, inputs=(0,), weight=Decimal(10)) is None


def test_infer_rows_with_missing_inputs_are_not_applicable() -> None:
    table = seed_table()
    table[3] = [*table[3][:ON_TIME], None, *table[3][ON_TIME + 1 :]]
    found = infer_score(table, ON_TIME_SCORE)
    assert found.verdicts[3] is Verdict.NOT_APPLICABLE
    assert found.failing == ()


def test_infer_rank_order_of_seed_final_scores() -> None:
    scores = [row[FINAL] for row in seed_table()]
    values = [n.value for n in scores if n is not None]
    assert check_rank_order(values, list(range(1, 36))) == []
    assert infer_rank_convention([Fraction(v) for v in values], list(range(1, 36))) is (
        RankConvention.ORDINAL
    )


def test_infer_rank_order_finds_a_row_out_of_place() -> None:
    values = [Decimal(v) for v in ("96.96", "96.80", "95.61", "96.70", "95.57")]
    assert check_rank_order(values, None) in ([2], [3])
    assert check_rank_order(values, [1, 2, 3, 4, 5]) in ([2], [3])


@pytest.mark.parametrize(
    ("ranks", "convention"),
    [([1, 2, 2, 4], RankConvention.COMPETITION), ([1, 2, 2, 3], RankConvention.DENSE)],
)
def test_infer_rank_conventions_with_ties(ranks: list[int], convention: RankConvention) -> None:
    values = [Fraction(10), Fraction(9), Fraction(9), Fraction(8)]
    assert check_rank_order(values, ranks) == []
    assert infer_rank_convention(values, ranks) is convention


def test_infer_rank_order_flags_wrong_rank_numbers() -> None:
    values = [Fraction(10), Fraction(9), Fraction(9), Fraction(8)]
    assert check_rank_order(values, [1, 2, 2, 5]) == [3]
    assert check_rank_order(values, [1, 2, 4, 4]) == [2]


def test_infer_rank_order_one_misplaced_row_flags_only_itself() -> None:
    values = [Fraction(v) for v in (5, 4, 9, 3)]
    assert check_rank_order(values, [1, 2, 3, 4]) == [2]
    assert check_rank_order(values, None) == [2]


def test_infer_rank_order_ascending() -> None:
    values = [Fraction(v) for v in (1, 2, 2, 5)]
    assert check_rank_order(values, [1, 2, 2, 4], descending=False) == []
    assert check_rank_order(values, [1, 2, 2, 4]) == [0, 3]


def test_infer_rank_order_rejects_length_mismatch() -> None:
    with pytest.raises(ValueError):
        check_rank_order([Fraction(1)], [1, 2])


def test_infer_formula_evaluate_is_unrounded() -> None:
    found = infer_score(seed_table(), ON_TIME_SCORE)
    assert found.formula.evaluate(seed_table()[1]) == Fraction(40 * 169, 172)
    assert replace(found.formula, inputs=(ON_TIME, RETURNED)).evaluate(seed_table()[1]) is None


def test_infer_rank_one_mistyped_rank_beside_a_tie() -> None:
    """A tie numbered 6, 7 (ordinal) and row 9 misprinted 10: only row 9 is wrong."""
    values = [Fraction(x) for x in (99, 98, 97, 96, 95, 94, 94, 93, 92, 91, 90)]
    assert check_rank_order(values, [1, 2, 3, 4, 5, 6, 7, 8, 10, 10, 11]) == [8]
    assert check_rank_order(values, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) == []


def test_infer_weighted_ratio_that_never_exceeds_its_weight_wins_a_tie() -> None:
    # A held-out bulletin's 办结率得分(30分), printed whole: 30 × 320 / 325 = 29.54 and
    # 30 × 325 / 320 = 30.47 both print 30, but only the first is a share of the weight.
    # The first row has no received count (it printed one cell fewer) and scores 29.
    table: Table = [[None, num("22"), num("29")]]
    table += [[num(a), num(b), num("30")] for a, b in (("17", "17"), ("325", "320"), ("41", "41"))]
    found = infer_formula(table, 2, inputs=(0, 1), weight=Decimal(30))
    assert found is not None and found.formula.kind is FormulaKind.RATIO
    assert found.formula.inputs == (1, 0) and len(found.holding) == 3


def test_infer_rank_printed_tie_ranked_apart_is_right() -> None:
    # 95 and 95 may be 95.04 and 94.96 unrounded: ranks 3 and 4 fill the tie's places
    values = [Fraction(v) for v in (99, 97, 95, 95, 93, 93, 90)]
    assert check_rank_order(values, [1, 2, 3, 4, 5, 5, 7]) == []
    assert check_rank_order(values, [1, 2, 4, 3, 5, 6, 7]) == []
    # ranks that do not fill the tie's places are still wrong
    assert check_rank_order(values, [1, 2, 3, 4, 6, 6, 7]) == [5]
