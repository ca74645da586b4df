"""The pruned formula search keeps what judging every candidate on every row keeps.

`infer_formula` and `infer_sum` stop judging a candidate once it cannot win
(pipeline/numeric/search.py). The reference here judges every candidate on every row
with `judge` / `judge_sum` and takes the admitted candidate of smallest rank, the first
on a tie; on random small tables, with errors and gaps, both must agree.
"""

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Number
from pipeline.numeric.arithmetic import Rounding
from pipeline.numeric.infer import (
    _COMPLEXITY,
    Acceptance,
    Formula,
    FormulaKind,
    Inference,
    Verdict,
    candidate_formulas,
    infer_formula,
    judge,
    unrounded_values,
)
from pipeline.numeric.sums import infer_sum, judge_sum

Table = list[list[Number | None]]


def count(n: int) -> Number:
    return Number(str(n), Decimal(n), 0)


def score(x: Fraction, rounding: Rounding) -> Number:
    mode = ROUND_HALF_UP if rounding is Rounding.HALF_UP else ROUND_DOWN
    d = (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=mode)
    return Number(str(d), d, 2)


def reference_rank(
    f: Formula, verdicts: Sequence[Verdict], target: int, table: Table
) -> tuple[object, ...]:
    applicable = sum(v is not Verdict.NOT_APPLICABLE for v in verdicts)
    fails = sum(v is Verdict.FAILS for v in verdicts)
    cap = Fraction(f.weight) if f.weight is not None else Fraction(1)
    over = 0
    if f.kind in (FormulaKind.RATE, FormulaKind.RATIO):
        over = sum(1 for v in unrounded_values(f, table) if v is not None and v > cap)
    more = -len(f.inputs) if f.kind is FormulaKind.SUM else 0
    distance = sum(abs(i - target) for i in f.inputs)
    return (
        Fraction(fails, max(applicable, 1)),
        -applicable,
        over,
        _COMPLEXITY[f.kind],
        more,
        distance,
        f.inputs,
    )


def reference_best(
    judged: Sequence[tuple[Formula, tuple[Verdict, ...]]], table: Table, target: int
) -> Inference | None:
    acceptance = Acceptance()
    printed = sum(row[target] is not None for row in table)
    kept = []
    for f, verdicts in judged:
        applicable = sum(v is not Verdict.NOT_APPLICABLE for v in verdicts)
        held = sum(v is Verdict.HOLDS for v in verdicts)
        if (
            applicable >= acceptance.min_rows
            and applicable >= acceptance.min_coverage * printed
            and held >= acceptance.min_support * applicable
        ):
            kept.append((f, verdicts))
    if not kept:
        return None
    f, verdicts = min(kept, key=lambda fv: reference_rank(fv[0], fv[1], target, table))
    return Inference(f, verdicts)


@st.composite
def scored_tables(draw: st.DrawFn) -> tuple[Table, Rounding]:
    """Rows of three counts and two scores: 10 × c1 / c0 and 5 − 2 × c2, then slips,
    blanks and zeros sprinkled in."""
    rounding = draw(st.sampled_from([Rounding.HALF_UP, Rounding.TRUNCATE]))
    n = draw(st.integers(2, 9))
    table: Table = []
    for _ in range(n):
        c0 = draw(st.integers(0, 40))
        c1 = draw(st.integers(0, max(c0, 0)))
        c2 = draw(st.sampled_from([0, 0, 1, 2]))
        s0 = score(Fraction(10 * c1, c0), rounding) if c0 else score(Fraction(10), rounding)
        s1 = score(Fraction(max(0, 5 - 2 * c2)), rounding)
        row: list[Number | None] = [count(c0), count(c1), count(c2), s0, s1]
        if draw(st.booleans()) and draw(st.booleans()):
            slip = draw(st.integers(0, 4))
            row[slip] = count(draw(st.integers(0, 40))) if slip < 3 else count(7)
        if draw(st.integers(0, 5)) == 0:
            row[draw(st.integers(0, 4))] = None
        table.append(row)
    return table, rounding


@settings(max_examples=200, deadline=None)
@given(
    scored_tables(),
    st.sampled_from([3, 4]),
    st.sampled_from([None, Decimal(10)]),
    st.sampled_from([(), (0,), (1,), (0, 1)]),
)
def test_infer_formula_keeps_the_exhaustive_choice(
    case: tuple[Table, Rounding], target: int, weight: Decimal | None, own: tuple[int, ...]
) -> None:
    """`own` narrows the ratios to those reading one of its columns, in both searches."""
    table, rounding = case
    found = infer_formula(
        table, target, inputs=[0, 1, 2], weight=weight, rounding=rounding, own=own
    )
    candidates = candidate_formulas(table, target, inputs=[0, 1, 2], weight=weight, own=own)
    judged = [(f, judge(f, table, target, rounding)) for f in candidates]
    assert found == reference_best(judged, table, target)


@settings(max_examples=100, deadline=None)
@given(scored_tables())
def test_infer_sum_keeps_the_exhaustive_choice(case: tuple[Table, Rounding]) -> None:
    table, rounding = case
    for row in table:
        parts = [n.value for n in row[3:5] if n is not None]
        row.append(score(Fraction(sum(parts, Decimal(0))), rounding) if len(parts) == 2 else None)
    found = infer_sum(table, 5, [0, 1, 2, 3, 4], counts=[0, 1, 2], rounding=rounding)
    judged = []
    import itertools

    for size in range(5, 1, -1):
        for parts in itertools.combinations([0, 1, 2, 3, 4], size):
            f = Formula(
                FormulaKind.SUM, parts, None, "col5 = " + " + ".join(f"col{i}" for i in parts)
            )
            judged.append((f, judge_sum(table, 5, parts, counts=[0, 1, 2], rounding=rounding)))
    assert found == reference_best(judged, table, 5)
