"""Rules on the arithmetic inside a table's rows: column formulas and total columns.

TBL001 reports the formula inferred for each measure column (and the sum behind
the total column), TBL002 the rows that break it (and sub-scores that no deduction
rule gives), TBL003 the rows whose total is not the sum of its parts (parts
recomputed unrounded from the counts where a formula gives them, so a total rounded
once from exact parts is not flagged). A wrong cell is explained by a value copied
from a neighbour, or for a rate or share by a numerator and denominator printed
elsewhere. A totals row's rate is its column's formula over the rows' summed counts
(`total_rows.total_rates`), so a wrong one is TBL002's too. TBL004 (totals rows) is in
`total_rows.py`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction

from pipeline.model import (
    Checked,
    Evidence,
    Normalized,
    Number,
    Problem,
    Severity,
)
from pipeline.normalize.metrics import SHARE as SHARE_METRIC
from pipeline.numeric.arithmetic import (
    Interval,
    Rounding,
    conventions_that_hold,
    format_as,
    holds,
    interval_of,
    plain_factor,
    round_fraction,
)
from pipeline.numeric.infer import FormulaKind, Inference, Verdict
from pipeline.validate.column_formulas import own_count, penalty_breaks
from pipeline.validate.explain import (
    RatioKind,
    copied_from,
    explain_ratio,
)
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.rates import Origin, pool
from pipeline.validate.rules.tables import (
    DOUBT,
    TableView,
    department,
    doubtful,
    evidence,
    formulas_of,
    integer_of,
    view_of,
)
from pipeline.validate.rules.total_rows import total_rates


def exact_text(x: Fraction, like: Number) -> str:
    """`x` (plain units) as `like` prints, with up to three more decimals when they are not 0."""
    digits = f"{round_fraction(x / plain_factor(like), like.decimals + 3, Rounding.HALF_UP):f}"
    if like.decimals == 0:
        digits = digits.rstrip("0").rstrip(".")
    else:
        digits = digits[: len(digits) - 3] + digits[len(digits) - 3 :].rstrip("0")
    return digits + ("%" if like.percent else "")


def _rhs(inference: Inference) -> str:
    return inference.formula.description.split(" = ", 1)[-1]


# --- TBL001: inferred formulas ------------------------------------------------------


@rule("TBL001", Severity.INFO, "the formula behind each measure column, inferred from the counts")
def check_formulas_inferred(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        view, found = view_of(nt, rounding_of(norm)), formulas_of(nt, rounding_of(norm))
        full = [c for c, inf in found.formulas if _full_weight(inf)]
        for c, inference in found.formulas:
            if c not in full:
                yield _formula_info(view, c, inference)
        if found.total is not None:
            yield _formula_info(view, *found.total)
        for c in found.unexplained:
            pair = _equal_pair(view, c)
            if pair is None:
                yield _unexplained_info(view, c)
                continue
            rows = _printed_rows(view, c)
            yield Checked(tuple(s for r in rows for s in view.spans(r, (c, *pair))))
            yield _equal_pair_info(view, c, pair)
        if full:
            yield _full_weight_info(view, full)


def _equal_pair(view: TableView, c: int) -> tuple[int, int] | None:
    """Two count columns equal (and not 0) on every row where a rate column prints 100%
    on every row: the formula search drops their ratio, which cannot tell numerator from
    denominator, yet either way it gives the 100% printed ("总件数 = 已办结, 办结率 100%")."""
    rows = _printed_rows(view, c)
    if not rows or any((n := view.rows[r][c]) is None or not _full_percent(n) for r in rows):
        return None
    for a, b in itertools.combinations(view.counts, 2):
        pairs = [(view.rows[r][a], view.rows[r][b]) for r in rows]
        if all(x is not None and y is not None and x.value == y.value != 0 for x, y in pairs):
            return a, b
    return None


def _full_percent(n: Number) -> bool:
    return n.percent and n.value == 100


def _equal_pair_info(view: TableView, c: int, pair: tuple[int, int]) -> Problem:
    a, b = (view.labels[i] for i in pair)
    return Problem(
        message=(
            f"{view.name} {view.labels[c]}: 100% on every row, as {a} equals {b} on every row"
        ),
        evidence=evidence(view.spans_of(_printed_rows(view, c)[:1], c)),
        explanation=(
            "a ratio of two equal columns cannot say which is the numerator, but either way "
            "it gives the 100% printed"
        ),
        table=view.name,
        column=view.labels[c],
    )


def _full_weight(inference: Inference) -> bool:
    return inference.formula.kind is FormulaKind.CONSTANT and not inference.failing


def _printed_rows(view: TableView, c: int) -> list[int]:
    return [r for r, row in enumerate(view.rows) if row[c] is not None]


def _formula_info(view: TableView, c: int, inference: Inference) -> Problem:
    printed = len(_printed_rows(view, c))
    lacking = printed - inference.applicable
    note = f" ({lacking} rows lack an input)" if lacking > 0 else ""
    return Problem(
        message=(
            f"{view.name} {inference.formula.description}, holds on "
            f"{len(inference.holding)} of {inference.applicable} rows{note}"
        ),
        evidence=evidence(view.spans_of(_printed_rows(view, c)[:1], c)),
        explanation=f"kept as the candidate that fails on fewest rows ({len(inference.failing)})",
        table=view.name,
        column=view.labels[c],
    )


def _unexplained_info(view: TableView, c: int) -> Problem:
    rows = _printed_rows(view, c)
    values = {n.value for r in rows if (n := view.rows[r][c]) is not None}
    first = view.spans_of(rows[:1], c)
    same = f" (it prints {first[0].text} on every row)" if len(values) == 1 and first else ""
    return Problem(
        message=f"{view.name} {view.labels[c]}: no formula over the counts explains it{same}",
        evidence=evidence(first),
        table=view.name,
        column=view.labels[c],
    )


def _full_weight_info(view: TableView, columns: Sequence[int]) -> Problem:
    names = ", ".join(view.labels[c] for c in columns)
    return Problem(
        message=f"{view.name} columns printing their full weight on every row: {names}",
        evidence=evidence(view.spans_of(_printed_rows(view, columns[0])[:1], columns[0])),
        table=view.name,
    )


# --- TBL002: rows breaking their column's formula -----------------------------------


@rule("TBL002", Severity.ERROR, "a measure cell equals its column's inferred formula")
def check_formula_rows(norm: Normalized) -> Iterator[Problem | Checked]:
    numbers: list[tuple[int, Origin]] | None = None
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for c, inference in formulas_of(nt, view.rounding).formulas:
            for r, verdict in enumerate(inference.verdicts):
                if verdict is Verdict.NOT_APPLICABLE:
                    continue
                yield Checked(view.spans(r, (c, *inference.formula.inputs)))
                if verdict is Verdict.FAILS:
                    numbers = pool(norm) if numbers is None else numbers
                    yield _formula_problem(view, r, c, inference, numbers)
        found = formulas_of(nt, view.rounding)
        full = [c for c, inf in found.formulas if inf.formula.kind is FormulaKind.CONSTANT]
        for c in (*found.unexplained, *full):
            yield from _deductions(view, c)
        yield from _total_row_rates(view)


def _total_row_rates(view: TableView) -> Iterator[Problem | Checked]:
    """A totals row's rate breaks its column's formula over the rows' summed counts; one that
    follows the row's own printed counts is left to TBL004 (those counts do not add up)."""
    for rate in total_rates(view):
        yield rate.checked
        if rate.problem is not None and not rate.follows_printed:
            yield rate.problem


def _deductions(view: TableView, c: int) -> Iterator[Problem | Checked]:
    """A sub-score that scores full marks wherever its own count is 0, and on a row with a
    non-zero count prints what no deduction rule gives (a warning: the rule is not printed)."""
    columns = view.table.columns
    broken = penalty_breaks(columns, view.rows, c, view.counts, view.rounding)
    own = own_count(columns, c, view.counts)
    if broken is None or own is None:
        return
    yield Checked(tuple(s for r in range(len(view.rows)) for s in view.spans(r, (c, own))))
    for r, allowed in broken:
        printed, count = view.rows[r][c], view.rows[r][own]
        assert printed is not None and count is not None
        rec = view.records[r]
        values = ", ".join(exact_text(a, printed) for a in allowed)
        yield Problem(
            message=(
                f"{view.where(r)} {view.labels[c]}: {view.labels[own]} {count.text} scores "
                f"{printed.text}, which no deduction rule gives ({values})"
            ),
            evidence=evidence(view.spans(r, (c, own))),
            reported=printed.text,
            expected=" or ".join(exact_text(a, printed) for a in allowed),
            explanation=(
                f"every row with {view.labels[own]} 0 scores the full "
                f"{exact_text(Fraction(columns[c].weight or 0), printed)}; a non-zero count "
                "scores 0 or the weight less a whole multiple (1, 2, 3, 5, 10) of it"
            ),
            table=view.name,
            row=rec.row,
            column=view.labels[c],
            department=department(rec),
            severity=Severity.WARNING,
        )


def _formula_problem(
    view: TableView,
    r: int,
    c: int,
    inference: Inference,
    numbers: Sequence[tuple[int, Origin]],
) -> Problem:
    row, rec = view.rows[r], view.records[r]
    printed, value = row[c], inference.formula.evaluate(row)
    assert printed is not None and value is not None
    expected = format_as(value, printed, view.rounding)
    inputs = ", ".join(
        f"{view.labels[i]} {n.text}" for i in inference.formula.inputs if (n := row[i]) is not None
    )
    suspect = doubtful(rec)
    cause, extra = _cause(view, r, c, inference, numbers)
    others = conventions_that_hold(value, printed)
    if others:  # right under a rounding the table does not use elsewhere: a warning
        cause += f"; {printed.text} holds only under {others[0].value} rounding"
    closing = _closes_column(view, c, inference, printed)
    cause += closing or ""
    return Problem(
        message=(
            f"{view.where(r)} {view.labels[c]}: expected {expected} (= {_rhs(inference)}), "
            f"found {printed.text}" + (DOUBT if suspect else "")
        ),
        evidence=evidence(view.spans(r, (c, *inference.formula.inputs))) + extra,
        reported=printed.text,
        expected=expected,
        explanation=(
            f"the formula holds on {len(inference.holding)} of {inference.applicable} rows; "
            f"here {inputs or 'it'} give {exact_text(value, printed)}{cause}"
        ),
        table=view.name,
        row=rec.row,
        column=view.labels[c],
        department=department(rec),
        severity=Severity.WARNING if suspect or others or closing else None,
    )


def _closes_column(view: TableView, c: int, inference: Inference, printed: Number) -> str | None:
    """Why a share one unit off its count might be so on purpose: the printed column adds to
    exactly 100 with it and would not with the recomputed figures. Offices nudge one share
    to close a column; the figure is still not its count over the total, so it is reported,
    as a warning that says so."""
    if view.table.columns[c].metric != SHARE_METRIC or not printed.percent:
        return None
    shown, recomputed, off = Decimal(0), Decimal(0), Decimal(0)
    for r, verdict in enumerate(inference.verdicts):
        cell, value = view.rows[r][c], inference.formula.evaluate(view.rows[r])
        if verdict is Verdict.NOT_APPLICABLE or cell is None or value is None:
            continue
        digits = round_fraction(value / plain_factor(cell), cell.decimals, view.rounding)
        shown += cell.value
        recomputed += digits
        if cell is printed:
            off = abs(digits - cell.value)
    if off != Decimal(1).scaleb(-printed.decimals) or shown != 100 or recomputed == 100:
        return None
    return (
        f"; the printed column adds to exactly 100 with {printed.text}, the recomputed "
        f"figures to {recomputed}: it looks adjusted by one unit to close the column"
    )


def _cause(
    view: TableView,
    r: int,
    c: int,
    inference: Inference,
    numbers: Sequence[tuple[int, Origin]],
) -> tuple[str, tuple[Evidence, ...]]:
    """A likely cause of a wrong cell: a value copied from a neighbour, or (for a rate or a
    share) a numerator and denominator printed elsewhere in the document that give it."""
    printed = view.rows[r][c]
    assert printed is not None
    copies = copied_from(printed, view.neighbours(r, c))
    if copies:
        copy = copies[0]
        return (
            f"; {printed.text} is what {copy.how} prints: a value copied from there",
            evidence((copy.tag,)),
        )
    formula = inference.formula
    if formula.weight is not None or formula.kind not in (
        FormulaKind.RATE,
        FormulaKind.RATIO_TO_MAX,
    ):
        return "", ()
    top = view.rows[r][formula.inputs[0]]
    bottom = view.rows[r][formula.inputs[1]] if len(formula.inputs) > 1 else None
    den = (
        int(formula.column_max)
        if formula.column_max and formula.column_max.denominator == 1
        else None
    )
    found = explain_ratio(
        printed,
        numerator=integer_of(top),
        denominator=integer_of(bottom) if bottom is not None else den,
        pool=numbers,
        rounding=view.rounding,
    )
    same_top = [f for f in found if f.denominator_tags and f.numerator == integer_of(top)]
    best = next(iter(same_top), None) or next(
        (f for f in found if f.kind is RatioKind.BOTH_PRINTED), None
    )
    if best is None:
        return "", ()
    origin = best.denominator_tags[0]
    return (
        f"; {printed.text} is what {best.numerator}/{best.denominator} gives, "
        f"and {best.denominator} is {origin.label}",
        (origin.evidence,),
    )


# --- TBL003: total columns ------------------------------------------------------------


@rule("TBL003", Severity.ERROR, "a total column equals the sum of its parts, taken unrounded")
def check_total_column(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        found = formulas_of(nt, rounding_of(norm))
        if found.total is None:
            continue
        view, (target, inference) = view_of(nt, rounding_of(norm)), found.total
        parts = inference.formula.inputs
        for r, verdict in enumerate(inference.verdicts):
            if verdict is Verdict.NOT_APPLICABLE:
                continue
            yield Checked(view.spans(r, (target, *parts)))
            if verdict is Verdict.FAILS and not _holds_on_counts(view, r, target, parts):
                yield _total_problem(view, r, target, parts)


def _recomputed_part(view: TableView, r: int, c: int) -> Fraction | None:
    """The part's value from its formula over the row's counts, whether or not it prints so."""
    formulas = dict(formulas_of(view.table, view.rounding).formulas)
    if c not in formulas or formulas[c].formula.kind is FormulaKind.CONSTANT:
        return None  # a full weight printed on every row is rounded, not computed
    return formulas[c].formula.evaluate(view.rows[r])


def _holds_on_counts(view: TableView, r: int, target: int, parts: Sequence[int]) -> bool:
    """Whether the total is right for the parts recomputed from the counts: then the misprint
    is a part's, which TBL002 reports."""
    total = view.rows[r][target]
    summed = Interval.point(0)
    for c in parts:
        value, printed = _recomputed_part(view, r, c), view.rows[r][c]
        if printed is None or total is None:
            return False
        summed += (
            Interval.point(value) if value is not None else interval_of(printed, view.rounding)
        )
    return total is not None and summed.meets(interval_of(total, view.rounding))


def _unrounded_part(view: TableView, r: int, c: int) -> Fraction | None:
    """The part recomputed from counts, when its formula gives a value that prints as the cell."""
    printed = view.rows[r][c]
    for column, inference in formulas_of(view.table, view.rounding).formulas:
        if inference.formula.kind is FormulaKind.CONSTANT:
            continue
        value = inference.formula.evaluate(view.rows[r]) if column == c else None
        if value is not None and printed is not None and holds(value, printed, view.rounding):
            return value
    return None


def _total_problem(view: TableView, r: int, target: int, parts: Sequence[int]) -> Problem:
    row, rec = view.rows[r], view.records[r]
    total = row[target]
    assert total is not None
    printed = [Fraction(n.exact) for i in parts if (n := row[i]) is not None]
    recomputed = [_unrounded_part(view, r, i) for i in parts]
    unrounded = sum(
        (u if u is not None else p for u, p in zip(recomputed, printed, strict=True)), Fraction(0)
    )
    expected = format_as(unrounded, total, view.rounding)
    why = f"the printed parts add to {exact_text(sum(printed, Fraction(0)), total)}"
    if unrounded != sum(printed, Fraction(0)):
        why += f"; the unrounded parts to {exact_text(unrounded, total)}"
    suspect = doubtful(rec)
    copies = copied_from(total, view.neighbours(r, target))
    if copies:
        why += f"; {total.text} is what {copies[0].how} prints: a value copied from there"
    return Problem(
        message=(
            f"{view.where(r)} {view.labels[target]}: expected {expected} as the sum of "
            f"{len(parts)} parts, found {total.text}" + (DOUBT if suspect else "")
        ),
        evidence=evidence(view.spans(r, (target, *parts)))
        + evidence(tuple(c.tag for c in copies[:1])),
        reported=total.text,
        expected=expected,
        explanation=why,
        table=view.name,
        row=rec.row,
        column=view.labels[target],
        department=department(rec),
        severity=Severity.WARNING if suspect else None,
    )
