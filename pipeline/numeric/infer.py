"""Infer the unprinted formula behind a table column.

A table is rows × columns of printed numbers (None where a cell is missing).
A candidate formula is judged on the rows where its inputs exist: it holds on a
row when its exact value prints as the cell under the rounding convention. The
kept candidate has the lowest failure rate; ties go to the one applicable to
more rows, then to the simpler formula, then to the one whose inputs sit
nearer the target column (tables print inputs beside their score).

Input columns passed as `inputs` (or `counts`) are exact integers: their
printed values are used as they are, never widened into rounding intervals.

A weighted score that reads one count (W when it is 0, W − k × it) reads the count
its header names (`indicator_inputs`): a column mostly 0 agrees with a score mostly W
by chance, so any count of the table would explain a score scored on something the
table does not print.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from pipeline.model import Column, Number
from pipeline.numeric.arithmetic import (
    Bounds,
    Rounding,
    bounds_of,
    exact_of,
    holds,
)
from pipeline.numeric.exact_table import ExactTable
from pipeline.numeric.quotients import quotient_holds
from pipeline.numeric.search import Search, best_candidate

TableValues = Sequence[Sequence[Number | None]]

PENALTY_FACTORS: tuple[Fraction, ...] = tuple(Fraction(k) for k in (1, 2, 3, 5, 10))
MAX_SUM_SEARCH_COLUMNS = 12
SCORE_PREFIX = "score_"  # a sub-score's metric is score_<the metric it scores> (metrics.json)


class Verdict(enum.StrEnum):
    HOLDS = "holds"
    FAILS = "fails"
    NOT_APPLICABLE = "not_applicable"


class FormulaKind(enum.StrEnum):
    """Candidate families, simplest first (the order breaks ties)."""

    CONSTANT = "constant"  # W
    ZERO_INDICATOR = "zero_indicator"  # W when Ci = 0 else 0
    RATE = "rate"  # Ci / Cj (no weight)
    RATIO = "ratio"  # W × Ci / Cj
    RATIO_TO_MAX = "ratio_to_max"  # W × Ci / max over rows of Ci
    PENALTY = "penalty"  # max(0, W − k × Ci)
    SUM = "sum"  # sum of columns
    PART_OF_SUM = "part_of_sum"  # W × C0 / (C1 + … + Cn): one part's share of the row's parts


_COMPLEXITY = {kind: i for i, kind in enumerate(FormulaKind)}


@dataclass(frozen=True, slots=True)
class Formula:
    """An inferred column formula over column indexes of the table.

    `k` is the penalty factor (PENALTY); `column_max` the maximum of the input
    column over the table's rows (RATIO_TO_MAX). Values are in plain units.
    """

    kind: FormulaKind
    inputs: tuple[int, ...]
    weight: Decimal | None
    description: str
    k: Fraction | None = None
    column_max: Fraction | None = None

    def evaluate(self, row: Sequence[Number | None]) -> Fraction | None:
        """The unrounded value for `row`, or None when an input is missing or a divisor is 0.

        For SUM this is the sum of the printed parts taken as exact.
        """
        return self._apply([_exact(row, i) for i in self.inputs])

    def evaluate_at(self, table: ExactTable, r: int) -> Fraction | None:
        """`evaluate` on row `r` of `table`, from its columns' exact values."""
        return self._apply([table.column(i).values[r] for i in self.inputs])

    def _apply(self, values: list[Fraction | None]) -> Fraction | None:
        if any(v is None for v in values):
            return None
        return _EVALUATORS[self.kind](self, [v for v in values if v is not None])


def _exact(row: Sequence[Number | None], i: int) -> Fraction | None:
    cell = row[i] if i < len(row) else None
    return None if cell is None else exact_of(cell)


def _w(f: Formula) -> Fraction:
    return _w_of(f.weight)


def _w_of(weight: Decimal | None) -> Fraction:
    return _weight(weight) if weight is not None else Fraction(1)


@lru_cache(maxsize=256)
def _weight(w: Decimal) -> Fraction:
    return Fraction(w)


def _ratio(f: Formula, v: list[Fraction]) -> Fraction | None:
    return None if v[1] == 0 else _w(f) * v[0] / v[1]


def _ratio_to_max(f: Formula, v: list[Fraction]) -> Fraction | None:
    return None if not f.column_max else _w(f) * v[0] / f.column_max


def _part_of_sum(f: Formula, v: list[Fraction]) -> Fraction | None:
    whole = sum(v[1:], Fraction(0))
    return None if whole == 0 else _w(f) * v[0] / whole


def _penalty(f: Formula, v: list[Fraction]) -> Fraction:
    return max(Fraction(0), _w(f) - (f.k or 0) * v[0])


_EVALUATORS: dict[FormulaKind, Callable[[Formula, list[Fraction]], Fraction | None]] = {
    FormulaKind.CONSTANT: lambda f, v: _w(f),
    FormulaKind.ZERO_INDICATOR: lambda f, v: _w(f) if v[0] == 0 else Fraction(0),
    FormulaKind.RATE: _ratio,
    FormulaKind.RATIO: _ratio,
    FormulaKind.RATIO_TO_MAX: _ratio_to_max,
    FormulaKind.PENALTY: _penalty,
    FormulaKind.SUM: lambda f, v: sum(v, Fraction(0)),
    FormulaKind.PART_OF_SUM: _part_of_sum,
}


def applicable_rows(formula: Formula, table: ExactTable, target: int) -> int:
    """The rows (a bitset) `formula` applies to: the target and its inputs printed, and no
    divisor 0; `evaluate` gives None on every other row."""
    mask = table.column(target).present
    for i in formula.inputs:
        mask &= table.column(i).present
    if formula.kind in (FormulaKind.RATE, FormulaKind.RATIO):
        mask &= table.column(formula.inputs[1]).nonzero
    elif formula.kind is FormulaKind.RATIO_TO_MAX and not formula.column_max:
        mask = 0
    return mask


@dataclass(frozen=True, slots=True)
class Inference:
    """The kept formula for a column and its verdict on every row."""

    formula: Formula
    verdicts: tuple[Verdict, ...]

    @property
    def failing(self) -> tuple[int, ...]:
        return tuple(i for i, v in enumerate(self.verdicts) if v is Verdict.FAILS)

    @property
    def holding(self) -> tuple[int, ...]:
        return tuple(i for i, v in enumerate(self.verdicts) if v is Verdict.HOLDS)

    @property
    def applicable(self) -> int:
        return sum(v is not Verdict.NOT_APPLICABLE for v in self.verdicts)


@dataclass(frozen=True, slots=True)
class Acceptance:
    """When a candidate may be kept: share of rows it applies to, share it holds on."""

    min_coverage: Fraction = Fraction(1, 2)
    min_support: Fraction = Fraction(3, 4)
    min_rows: int = 2


# --- candidates -------------------------------------------------------------------


def label_of(labels: Sequence[str] | None, i: int) -> str:
    return labels[i] if labels is not None and i < len(labels) else f"col{i}"


def _num(w: Decimal | Fraction) -> str:
    if isinstance(w, Fraction):
        return str(w)
    return f"{w.normalize():f}"


def _column(table: TableValues, i: int) -> Sequence[Fraction | None]:
    return ExactTable.of(table).column(i).values


def _always_equal(a: Sequence[Fraction | None], b: Sequence[Fraction | None]) -> bool:
    present = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return bool(present) and all(x == y for x, y in present)


def _ratio_candidates(
    table: TableValues,
    inputs: Sequence[int],
    weight: Decimal | None,
    names: Callable[[int], str],
    own: Collection[int],
    keep_equal: bool,
) -> Iterator[Formula]:
    kind = FormulaKind.RATE if weight is None else FormulaKind.RATIO
    prefix = "" if weight is None else f"{_num(weight)} × "
    for i, j in itertools.permutations(inputs, 2):
        if own and i not in own and j not in own:
            continue
        if keep_equal or not _always_equal(_column(table, i), _column(table, j)):
            yield Formula(kind, (i, j), weight, f"{prefix}{names(i)} / {names(j)}")


def _weighted_candidates(
    table: TableValues,
    inputs: Sequence[int],
    indicators: Sequence[int],
    weight: Decimal,
    names: Callable[[int], str],
    own: Collection[int],
) -> Iterator[Formula]:
    w = _num(weight)
    yield Formula(FormulaKind.CONSTANT, (), weight, w)
    for i in inputs:
        if i in indicators:
            when = f"{w} when {names(i)} = 0 else 0"
            yield Formula(FormulaKind.ZERO_INDICATOR, (i,), weight, when)
        # W × Ci / max(Ci) reads one column, which the group's own columns narrow as for ratios
        present = [v for v in _column(table, i) if v is not None] if not own or i in own else []
        if present and max(present) > 0:
            yield Formula(
                FormulaKind.RATIO_TO_MAX,
                (i,),
                weight,
                f"{w} × {names(i)} / max({names(i)})",
                column_max=max(present),
            )
        if i in indicators:
            yield from _penalties(i, weight, names)


def _penalties(i: int, weight: Decimal, names: Callable[[int], str]) -> Iterator[Formula]:
    w = _num(weight)
    for k in PENALTY_FACTORS:
        yield Formula(
            FormulaKind.PENALTY, (i,), weight, f"max(0, {w} − {_num(k)} × {names(i)})", k=k
        )


def indicator_inputs(
    columns: Sequence[Column], target: int, counts: Sequence[int]
) -> tuple[int, ...]:
    """The count columns a weighted score may read as "W when 0" or "W − k × count".

    Those printed under the score's own header group (告警工单得分（10分）/告警数 for
    告警工单得分（10分）/得分); when there are none, those whose metric the score's metric
    scores (a column 告警数 for a column 告警工单得分: score_alerts over alerts). A score
    with neither, such as a lone 返工工单得分 column, scores a count the table does not
    print: it gets no such candidate.
    """
    score = columns[target]
    others = [c for c in counts if c != target]
    own = tuple(c for c in others if columns[c].group == score.group)
    return own or tuple(c for c in others if _scores(score, columns[c]))


def own_inputs(columns: Sequence[Column], target: int, counts: Sequence[int]) -> tuple[int, ...]:
    """The count columns printed under the target's own header group.

    A group header such as 办结率得分（35分） prints the counts its score is made of beneath
    it (受理数, 办结数, 得分); a ratio for that score reads at least one of them, the other
    possibly from elsewhere in the table (按期办结率得分（40分）/工单数 over the 受理数 of
    another group). Narrowing the ratios this way keeps their number proportional to the
    table's width instead of its square.
    """
    group = columns[target].group
    return tuple(c for c in counts if c != target and columns[c].group == group)


def _scores(score: Column, count: Column) -> bool:
    return count.metric is not None and score.metric == SCORE_PREFIX + count.metric


def candidate_formulas(
    table: TableValues,
    target: int,
    *,
    inputs: Sequence[int],
    weight: Decimal | None,
    labels: Sequence[str] | None = None,
    indicators: Sequence[int] | None = None,
    own: Collection[int] = (),
) -> list[Formula]:
    """Every candidate formula for column `target` over the count columns `inputs`.

    `indicators` are the inputs that W-when-0 and penalty candidates may read (see
    `indicator_inputs`); None lets them read every input. When `own` (`own_inputs`) names
    columns, a ratio must read one of them. A ratio of two columns equal on every row is
    no candidate.
    """
    return _candidates(table, target, inputs, weight, labels, indicators, own=own, keep_equal=False)


def _candidates(
    table: TableValues,
    target: int,
    inputs: Sequence[int],
    weight: Decimal | None,
    labels: Sequence[str] | None,
    indicators: Sequence[int] | None,
    *,
    own: Collection[int],
    keep_equal: bool,
) -> list[Formula]:
    """`candidate_formulas`, with ratios of equal columns kept when `keep_equal` (a search
    then drops them only if one would win: comparing columns costs a pass over the rows)."""
    cols = [i for i in inputs if i != target]
    readable = cols if indicators is None else [i for i in cols if i in indicators]

    def names(i: int) -> str:
        return label_of(labels, i)

    found = list(_ratio_candidates(table, cols, weight, names, own, keep_equal))
    if weight is not None:
        found += _weighted_candidates(table, cols, readable, weight, names, own)
    head = f"{names(target)} = "
    return [
        Formula(f.kind, f.inputs, f.weight, head + f.description, f.k, f.column_max) for f in found
    ]


# --- judging ----------------------------------------------------------------------


def judge(
    formula: Formula, table: TableValues, target: int, rounding: Rounding
) -> tuple[Verdict, ...]:
    """The formula's verdict on each row: its exact value against the printed cell."""
    values = unrounded_values(formula, table)
    return tuple(
        _verdict(value, cell_of(row, target), rounding)
        for value, row in zip(values, table, strict=True)
    )


def cell_of(row: Sequence[Number | None], i: int) -> Number | None:
    return row[i] if i < len(row) else None


def _verdict(value: Fraction | None, printed: Number | None, rounding: Rounding) -> Verdict:
    if value is None or printed is None:
        return Verdict.NOT_APPLICABLE
    return Verdict.HOLDS if holds(value, printed, rounding) else Verdict.FAILS


def _overshoots(formula: Formula, table: TableValues) -> int:
    """Rows on which a rate exceeds 100% or a weighted ratio its weight: 325 / 320 rounds
    to the same whole score as 320 / 325, but only the second is a share of the weight."""
    if formula.kind not in (FormulaKind.RATE, FormulaKind.RATIO):
        return 0
    cap = Fraction(formula.weight) if formula.weight is not None else Fraction(1)
    return sum(1 for v in unrounded_values(formula, table) if v is not None and v > cap)


def _rank_key(
    formula: Formula, fails: int, applicable: int, target: int, table: TableValues
) -> tuple[Fraction, int, int, int, int, int, tuple[int, ...]]:
    # a sum that holds with one more column (say, all zeros) is the fuller reading
    more_parts = -len(formula.inputs) if formula.kind is FormulaKind.SUM else 0
    distance = sum(abs(i - target) for i in formula.inputs)
    return (
        Fraction(fails, max(applicable, 1)),
        -applicable,
        _overshoots(formula, table),
        _COMPLEXITY[formula.kind],
        more_parts,
        distance,
        formula.inputs,
    )


def _admits(table: TableValues, target: int, acceptance: Acceptance) -> Callable[[int], bool]:
    """Whether a candidate applying to that many rows may be kept (before its failures)."""
    rows_printed = sum(cell_of(row, target) is not None for row in table)
    return lambda applicable: (
        applicable >= acceptance.min_rows and applicable >= acceptance.min_coverage * rows_printed
    )


def keep_best(
    formulas: Sequence[Formula],
    table: ExactTable,
    target: int,
    holds_at: Callable[[Formula, int], bool],
    acceptance: Acceptance,
    verdicts: Callable[[Formula], tuple[Verdict, ...]],
    known: Callable[[Formula], int | None] = lambda f: None,
    valid: Callable[[Formula], bool] = lambda f: True,
) -> Inference | None:
    """The admitted formula of smallest rank (`search.best_candidate`), with its verdicts."""
    search = Search(
        candidates=formulas,
        rows_of=lambda f: applicable_rows(f, table, target),
        holds_at=holds_at,
        rank=lambda f, fails, applicable: _rank_key(f, fails, applicable, target, table),
        admits=_admits(table, target, acceptance),
        support=acceptance.min_support,
        known=known,
        valid=valid,
    )
    found = best_candidate(search)
    if found is None:
        return None
    formula = formulas[found[0]]
    return Inference(formula, verdicts(formula))


def infer_formula(
    table: TableValues,
    target: int,
    *,
    inputs: Sequence[int],
    weight: Decimal | None = None,
    labels: Sequence[str] | None = None,
    rounding: Rounding = Rounding.HALF_UP,
    acceptance: Acceptance = Acceptance(),
    indicators: Sequence[int] | None = None,
    own: Sequence[int] = (),
) -> Inference | None:
    """The formula that best explains column `target` from the count columns `inputs`.

    With a `weight` W (from a header such as "(N分)") the candidates are W,
    W·Ci/Cj, W·Ci/max(Ci), and, for the `indicators` among the inputs (all of them
    when None), W when Ci = 0 else 0 and max(0, W − k·Ci); without a weight, the
    rates Ci/Cj. `own` (see `own_inputs`) narrows the ratios to those that read one of
    them. None when no candidate meets `acceptance`. The kept formula is the one of
    smallest rank among the admitted, as if every candidate were judged on every row.

    Pass an `ExactTable` when inferring several columns of one table: its exact values
    are then computed once.
    """
    exact = ExactTable.of(table)
    candidates = _candidates(
        exact, target, inputs, weight, labels, indicators, own=own, keep_equal=True
    )
    cols = [i for i in inputs if i != target]
    w = _w_of(weight)
    held = quotient_holds(exact, target, own or cols, cols, w, rounding) if w > 0 else None

    def known(f: Formula) -> int | None:
        if held is None or f.kind not in (FormulaKind.RATE, FormulaKind.RATIO):
            return None
        return applicable_rows(f, exact, target).bit_count() - held[f.inputs[0], f.inputs[1]]

    def valid(f: Formula) -> bool:
        if f.kind not in (FormulaKind.RATE, FormulaKind.RATIO):
            return True
        return not _always_equal(_column(exact, f.inputs[0]), _column(exact, f.inputs[1]))

    def holds_at(f: Formula, r: int) -> bool:
        printed = exact[r][target]
        if printed is None:
            return False
        if f.kind in _QUOTIENTS:
            return _quotient_holds(f, exact, r, bounds_of(printed, rounding))
        value = f.evaluate_at(exact, r)
        return value is not None and holds(value, printed, rounding)

    return keep_best(
        candidates,
        exact,
        target,
        holds_at,
        acceptance,
        lambda f: judge(f, exact, target, rounding),
        known,
        valid,
    )


_QUOTIENTS = (FormulaKind.RATE, FormulaKind.RATIO, FormulaKind.RATIO_TO_MAX)


def _quotient_holds(f: Formula, table: ExactTable, r: int, printed: Bounds) -> bool:
    """`holds` for W × Ci / Cj (or / max Ci) on row r, in integers: most of a search's
    judgements are quotients, and building their Fractions (a gcd each) is their cost."""
    a = table.column(f.inputs[0]).values[r]
    b = table.column(f.inputs[1]).values[r] if len(f.inputs) == 2 else f.column_max
    if a is None or not b:
        return False
    w = _w(f)
    num = w.numerator * a.numerator * b.denominator
    return printed.contains_ratio(num, w.denominator * a.denominator * b.numerator)


def unrounded_values(formula: Formula, table: TableValues) -> tuple[Fraction | None, ...]:
    """The formula's unrounded value on every row (None where it does not apply); kept with
    the table when it is an `ExactTable`."""
    if isinstance(table, ExactTable):
        return table.derived(formula, lambda r: formula.evaluate_at(table, r))
    return tuple(formula.evaluate(row) for row in table)
