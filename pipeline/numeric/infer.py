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
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from pipeline.model import Column, Number
from pipeline.numeric.arithmetic import Interval, Rounding, holds, interval_of

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
        values = [_exact(row, i) for i in self.inputs]
        if any(v is None for v in values):
            return None
        return _EVALUATORS[self.kind](self, [v for v in values if v is not None])


def _exact(row: Sequence[Number | None], i: int) -> Fraction | None:
    cell = row[i] if i < len(row) else None
    return None if cell is None else Fraction(cell.exact)


def _w(f: Formula) -> Fraction:
    return Fraction(f.weight) if f.weight is not None else Fraction(1)


def _ratio(f: Formula, v: list[Fraction]) -> Fraction | None:
    return None if v[1] == 0 else _w(f) * v[0] / v[1]


def _ratio_to_max(f: Formula, v: list[Fraction]) -> Fraction | None:
    return None if not f.column_max else _w(f) * v[0] / f.column_max


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
}


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


def _label(labels: Sequence[str] | None, i: int) -> str:
    return labels[i] if labels is not None and i < len(labels) else f"col{i}"


def _num(w: Decimal | Fraction) -> str:
    if isinstance(w, Fraction):
        return str(w)
    return f"{w.normalize():f}"


def _column(table: TableValues, i: int) -> list[Fraction | None]:
    return [_exact(row, i) for row in table]


def _always_equal(table: TableValues, i: int, j: int) -> bool:
    pairs = [(a, b) for a, b in zip(_column(table, i), _column(table, j), strict=True)]
    present = [(a, b) for a, b in pairs if a is not None and b is not None]
    return bool(present) and all(a == b for a, b in present)


def _ratio_candidates(
    table: TableValues, inputs: Sequence[int], weight: Decimal | None, names: Callable[[int], str]
) -> Iterator[Formula]:
    kind = FormulaKind.RATE if weight is None else FormulaKind.RATIO
    prefix = "" if weight is None else f"{_num(weight)} × "
    for i, j in itertools.permutations(inputs, 2):
        if not _always_equal(table, i, j):
            yield Formula(kind, (i, j), weight, f"{prefix}{names(i)} / {names(j)}")


def _weighted_candidates(
    table: TableValues,
    inputs: Sequence[int],
    indicators: Sequence[int],
    weight: Decimal,
    names: Callable[[int], str],
) -> Iterator[Formula]:
    w = _num(weight)
    yield Formula(FormulaKind.CONSTANT, (), weight, w)
    for i in inputs:
        present = [v for v in _column(table, i) if v is not None]
        if i in indicators:
            when = f"{w} when {names(i)} = 0 else 0"
            yield Formula(FormulaKind.ZERO_INDICATOR, (i,), weight, when)
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
) -> list[Formula]:
    """Every candidate formula for column `target` over the count columns `inputs`.

    `indicators` are the inputs that W-when-0 and penalty candidates may read (see
    `indicator_inputs`); None lets them read every input.
    """
    cols = [i for i in inputs if i != target]
    readable = cols if indicators is None else [i for i in cols if i in indicators]

    def names(i: int) -> str:
        return _label(labels, i)

    found = list(_ratio_candidates(table, cols, weight, names))
    if weight is not None:
        found += _weighted_candidates(table, cols, readable, weight, names)
    head = f"{names(target)} = "
    return [
        Formula(f.kind, f.inputs, f.weight, head + f.description, f.k, f.column_max) for f in found
    ]


# --- judging ----------------------------------------------------------------------


def judge(
    formula: Formula, table: TableValues, target: int, rounding: Rounding
) -> tuple[Verdict, ...]:
    """The formula's verdict on each row: its exact value against the printed cell."""
    return tuple(_verdict(formula.evaluate(row), _cell(row, target), rounding) for row in table)


def _cell(row: Sequence[Number | None], i: int) -> Number | None:
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
    formula: Formula, verdicts: Sequence[Verdict], target: int, table: TableValues
) -> tuple[Fraction, int, int, int, int, int, tuple[int, ...]]:
    applicable = sum(v is not Verdict.NOT_APPLICABLE for v in verdicts)
    fails = sum(v is Verdict.FAILS for v in verdicts)
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


def _acceptable(verdicts: Sequence[Verdict], rows_printed: int, acceptance: Acceptance) -> bool:
    applicable = sum(v is not Verdict.NOT_APPLICABLE for v in verdicts)
    held = sum(v is Verdict.HOLDS for v in verdicts)
    return (
        applicable >= acceptance.min_rows
        and applicable >= acceptance.min_coverage * rows_printed
        and held >= acceptance.min_support * applicable
    )


def _best(
    judged: Sequence[tuple[Formula, tuple[Verdict, ...]]],
    table: TableValues,
    target: int,
    acceptance: Acceptance,
) -> Inference | None:
    rows_printed = sum(_cell(row, target) is not None for row in table)
    kept = [(f, v) for f, v in judged if _acceptable(v, rows_printed, acceptance)]
    if not kept:
        return None
    formula, verdicts = min(kept, key=lambda fv: _rank_key(fv[0], fv[1], target, table))
    return Inference(formula, verdicts)


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
) -> Inference | None:
    """The formula that best explains column `target` from the count columns `inputs`.

    With a `weight` W (from a header such as "(N分)") the candidates are W,
    W·Ci/Cj, W·Ci/max(Ci), and, for the `indicators` among the inputs (all of them
    when None), W when Ci = 0 else 0 and max(0, W − k·Ci); without a weight, the
    rates Ci/Cj. None when no candidate meets `acceptance`.
    """
    candidates = candidate_formulas(
        table, target, inputs=inputs, weight=weight, labels=labels, indicators=indicators
    )
    judged = [(f, judge(f, table, target, rounding)) for f in candidates]
    return _best(judged, table, target, acceptance)


def unrounded_values(formula: Formula, table: TableValues) -> tuple[Fraction | None, ...]:
    """The formula's unrounded value on every row (None where it does not apply)."""
    return tuple(formula.evaluate(row) for row in table)


# --- sums -------------------------------------------------------------------------


def _part_interval(
    row: Sequence[Number | None],
    i: int,
    unrounded: Fraction | None,
    exact: bool,
    rounding: Rounding,
) -> Interval | None:
    cell = _cell(row, i)
    if cell is None:
        return None
    if unrounded is not None and holds(unrounded, cell, rounding):
        return Interval.point(unrounded)
    return interval_of(cell, rounding, exact=exact)


def _sum_verdict(
    row: Sequence[Number | None],
    target: int,
    parts: Sequence[int],
    unrounded: Sequence[Fraction | None],
    counts: Collection[int],
    rounding: Rounding,
) -> Verdict:
    total = _cell(row, target)
    pieces = [
        _part_interval(row, i, u, i in counts, rounding)
        for i, u in zip(parts, unrounded, strict=True)
    ]
    if total is None or any(p is None for p in pieces):
        return Verdict.NOT_APPLICABLE
    summed = sum((p for p in pieces if p is not None), Interval.point(0))
    printed = interval_of(total, rounding, exact=target in counts)
    return Verdict.HOLDS if summed.meets(printed) else Verdict.FAILS


def judge_sum(
    table: TableValues,
    target: int,
    parts: Sequence[int],
    *,
    unrounded: Mapping[int, Sequence[Fraction | None]] | None = None,
    counts: Collection[int] = (),
    rounding: Rounding = Rounding.HALF_UP,
) -> tuple[Verdict, ...]:
    """Whether column `target` equals the sum of columns `parts`, row by row.

    A part's unrounded value (`unrounded[column][row]`, e.g. from
    `unrounded_values`) is used exactly when it prints as the cell; otherwise
    the part counts as its printed interval (a point for `counts` columns). The
    row holds when the summed interval meets the total's printed interval, so
    with all parts exact the sum is rounded once and compared.
    """
    known = unrounded or {}
    verdicts = []
    for r, row in enumerate(table):
        exact = [_row_value(known.get(i), r) for i in parts]
        verdicts.append(_sum_verdict(row, target, parts, exact, counts, rounding))
    return tuple(verdicts)


def _row_value(column: Sequence[Fraction | None] | None, r: int) -> Fraction | None:
    return column[r] if column is not None and r < len(column) else None


def _part_sets(columns: Sequence[int]) -> Iterator[tuple[int, ...]]:
    if len(columns) > MAX_SUM_SEARCH_COLUMNS:
        yield tuple(columns)
        return
    for size in range(len(columns), 1, -1):
        yield from itertools.combinations(columns, size)


def infer_sum(
    table: TableValues,
    target: int,
    columns: Sequence[int],
    *,
    unrounded: Mapping[int, Sequence[Fraction | None]] | None = None,
    counts: Collection[int] = (),
    labels: Sequence[str] | None = None,
    rounding: Rounding = Rounding.HALF_UP,
    acceptance: Acceptance = Acceptance(),
) -> Inference | None:
    """The subset (two or more) of `columns` whose sum best explains column `target`.

    Subsets are searched when there are at most MAX_SUM_SEARCH_COLUMNS columns,
    otherwise only the full set is tried; on a tie the larger subset wins. See
    `judge_sum` for how rows are judged. None when no subset meets `acceptance`.
    """
    cols = [c for c in columns if c != target]
    judged = []
    for parts in _part_sets(cols):
        names = " + ".join(_label(labels, i) for i in parts)
        formula = Formula(FormulaKind.SUM, parts, None, f"{_label(labels, target)} = {names}")
        verdicts = judge_sum(
            table, target, parts, unrounded=unrounded, counts=counts, rounding=rounding
        )
        judged.append((formula, verdicts))
    return _best(judged, table, target, acceptance)
