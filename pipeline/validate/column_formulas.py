"""Formulas a column's name defines, tried beside the ones inferred from its rows.

A column headed 办结率 is 办结 / 受理 by definition (`pipeline/data/rates.json`);
inference alone can pick another pair when the rows cannot tell them apart (a
table where every department completed all it received). A share column (占比)
is each row's count over the column's total: its 合计 row, else the sum of the
rows. Each formula is judged on the rows as `infer_formula` judges its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from pipeline.model import Column, Number
from pipeline.normalize.metrics import SHARE as SHARE_METRIC
from pipeline.normalize.rates import rate_definitions
from pipeline.numeric.arithmetic import Rounding, holds
from pipeline.numeric.infer import PENALTY_FACTORS, Formula, FormulaKind, Inference, Verdict, judge

Rows = Sequence[Sequence[Number | None]]
FACTORS = PENALTY_FACTORS


def _fails(inference: Inference) -> tuple[Fraction, int]:
    return Fraction(len(inference.failing), max(inference.applicable, 1)), -inference.applicable


def defined_rate(
    columns: Sequence[Column],
    rows: Rows,
    target: int,
    counts: Sequence[int],
    rounding: Rounding,
) -> Inference | None:
    """The rate column's formula as its metric defines it, judged on the rows.

    The numerator and denominator are the count columns of the defined metrics, those of
    the target's own header group first. None when the table lacks either.
    """
    definition = rate_definitions().get(columns[target].metric or "")
    if definition is None:
        return None
    tops = _of_metric(columns, counts, (definition.numerator,), target)
    bases = _of_metric(columns, counts, definition.denominators, target)
    if not tops or not bases:
        return None
    top, base = tops[0], bases[0]
    label = "/".join(columns[target].path)
    names = " / ".join("/".join(columns[i].path) for i in (top, base))
    formula = Formula(FormulaKind.RATE, (top, base), None, f"{label} = {names}")
    return Inference(formula, judge(formula, rows, target, rounding))


def _of_metric(
    columns: Sequence[Column], counts: Sequence[int], metrics: Sequence[str], target: int
) -> list[int]:
    found = [c for m in metrics for c in counts if columns[c].metric == m]
    return sorted(found, key=lambda c: (columns[c].group != columns[target].group, abs(c - target)))


def prefer_defined(inferred: Inference | None, defined: Inference | None) -> Inference | None:
    """The defined formula unless the inferred one fails on fewer rows and explains as many.

    Rows an inferred formula cannot compute (its denominator is 0) do not fail it, but do
    not confirm it either: 受理 / 办结 skips every row that completed nothing, while
    办结 / 受理 gives their printed 0%. A defined formula that holds on more rows wins.
    """
    if defined is None or not defined.applicable:
        return inferred
    if (
        inferred is None
        or _fails(defined) <= _fails(inferred)
        or len(defined.holding) > len(inferred.holding)
    ):
        return defined if len(defined.holding) >= 2 else inferred
    return inferred


def share_of_total(
    columns: Sequence[Column],
    rows: Rows,
    target: int,
    counts: Sequence[int],
    totals: Sequence[Sequence[Number | None]],
    rounding: Rounding,
) -> Inference | None:
    """A share column as each row's count over the count column's total.

    The total is the printed 合计 row (`totals`, one row) when there is one, else the sum
    of the rows. The count column is the nearest one before the share. None when the
    column is not a share or the total is 0.
    """
    if columns[target].metric != SHARE_METRIC:
        return None
    before = [c for c in counts if c < target] or list(counts)
    if not before:
        return None
    source = _same_leaf(columns, counts, target) or max(before)
    total = _column_total(rows, totals, source)
    if not total:
        return None
    label = "/".join(columns[source].path)
    formula = Formula(
        FormulaKind.RATIO_TO_MAX,
        (source,),
        None,
        f"{'/'.join(columns[target].path)} = {label} / {total} (the column's total)",
        column_max=total,
    )
    return Inference(formula, judge(formula, rows, target, rounding))


def share_of_parts(
    columns: Sequence[Column], rows: Rows, target: int, counts: Sequence[int], rounding: Rounding
) -> Inference | None:
    """A group's share of the row's whole, under a header of groups that each print the same
    labels (人数 and 占总人口% under every age band): the share under a group is that group's
    count over the sum of the counts of every group in the row. None unless each group of
    the row holds one count column under the same label and one column under the target's
    label. The cells may print the share as a percent or as its number of hundredths."""
    path = columns[target].path
    own = [c for c in counts if len(columns[c].path) == 2 and columns[c].path[0] == path[0]]
    if len(path) != 2 or len(own) != 1:
        return None
    part = columns[own[0]].path[1]
    parts = [c for c in counts if len(columns[c].path) == 2 and columns[c].path[1] == part]
    peers = [c for c, col in enumerate(columns) if len(col.path) == 2 and col.path[1] == path[1]]
    if (
        len(parts) < 2
        or len(parts) != len(peers)
        or len({columns[c].path[0] for c in parts}) != len(parts)
    ):
        return None
    names = " + ".join("/".join(columns[c].path) for c in parts)
    label = f"{'/'.join(path)} = {'/'.join(columns[own[0]].path)} / ({names})"
    found = [
        Inference(formula, judge(formula, rows, target, rounding))
        for weight in (None, Decimal(100))
        for formula in (Formula(FormulaKind.PART_OF_SUM, (own[0], *parts), weight, label),)
    ]
    return max(found, key=lambda i: len(i.holding))


def _same_leaf(columns: Sequence[Column], counts: Sequence[int], target: int) -> int | None:
    """The one count column under another group that ends in the share's own lower label:
    比重/2020年 is over 人口数/2020年, not the 人口数/2010年 printed just before it."""
    path = columns[target].path
    if len(path) < 2:
        return None
    same = [c for c in counts if len(columns[c].path) >= 2 and columns[c].path[-1] == path[-1]]
    return same[0] if len(same) == 1 and columns[same[0]].path[0] != path[0] else None


def _column_total(rows: Rows, totals: Sequence[Sequence[Number | None]], c: int) -> Fraction | None:
    if len(totals) == 1 and (n := totals[0][c]) is not None:
        return Fraction(n.exact)
    present = [Fraction(n.exact) for row in rows if (n := row[c]) is not None]
    return sum(present, Fraction(0)) if present else None


def usable(inference: Inference | None) -> bool:
    """Holds on at least three quarters of at least two rows it applies to."""
    if inference is None:
        return False
    held = sum(v is Verdict.HOLDS for v in inference.verdicts)
    return inference.applicable >= 2 and 4 * held >= 3 * inference.applicable


def own_count(columns: Sequence[Column], target: int, counts: Sequence[int]) -> int | None:
    """The one count column printed under a sub-score's own header group (告警工单得分/工单数)."""
    group = columns[target].group
    mine = [c for c in counts if columns[c].group == group and c != target]
    return mine[0] if len(mine) == 1 and group != "/".join(columns[target].path) else None


def penalty_breaks(
    columns: Sequence[Column], rows: Rows, target: int, counts: Sequence[int], rounding: Rounding
) -> list[tuple[int, tuple[Fraction, ...]]] | None:
    """Rows of a weighted sub-score that no deduction rule gives.

    A column that prints its full weight W on every row whose own count is 0 scores by
    that count: W when it is 0, and otherwise 0 or W − k × count (k = 1, 2, 3, 5, 10,
    not below 0). Returns (row, the values those rules allow) for each row with a
    non-zero count whose printed value is none of them, and each row with count 0 that does
    not print W; None when the column does not score this way (more than a quarter of the
    rows with count 0 print something else, or no such count column).
    """
    weight = columns[target].weight
    own = own_count(columns, target, counts)
    if weight is None or own is None:
        return None
    w = Fraction(weight)
    broken: list[tuple[int, tuple[Fraction, ...]]] = []
    zeros, off = 0, 0
    for r, row in enumerate(rows):
        n, printed = row[own], row[target]
        if n is None or printed is None:
            continue
        if n.exact == 0:
            full = holds(w, printed, rounding)
            zeros, off = zeros + full, off + (not full)
            if not full:
                broken.append((r, (w,)))
            continue
        allowed = (Fraction(0), *(max(Fraction(0), w - k * Fraction(n.exact)) for k in FACTORS))
        if not any(holds(a, printed, rounding) for a in allowed):
            broken.append((r, tuple(sorted(set(allowed)))))
    # the rule is learnt from the rows with no count: most rows must be such rows, and at
    # least three in four of them must print the full weight (9.8 where 16 rows print 10.0)
    learnt = zeros >= 2 and 2 * zeros >= len(rows) and 4 * off <= zeros + off
    return broken if learnt else None
