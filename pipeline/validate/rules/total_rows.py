"""TBL004: a 合计/总计 row is the sum of the body rows it covers.

Count columns are summed exactly (a count printed once across two columns, a merged cell,
is in both: normalization gives its value to each). A broken sum is explained by a digit
slip, a left-out part, or a value copied from a neighbour (`explain.py`).

Rate columns of the totals row are recomputed from the summed counts, and a share
column's totals row is its count over the column's total (`total_rates`). A rate that
breaks its column's formula is TBL002's finding; TBL004 keeps only the rate that follows
the row's own printed counts, since then what is wrong is that those do not add up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from pipeline.model import Checked, Normalized, Number, Problem, Severity, Span
from pipeline.numeric.arithmetic import conventions_that_hold, format_as, holds
from pipeline.numeric.infer import FormulaKind, Inference, Verdict
from pipeline.validate.explain import SlipKind, SumExplanation, copied_from, explain_sum
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import (
    DOUBT,
    NumberRow,
    TableView,
    doubtful,
    evidence,
    formulas_of,
    integer_of,
    view_of,
)

# --- TBL004: totals rows ----------------------------------------------------------


def covered_rows(view: TableView, t: int) -> list[int]:
    """The body rows a totals row sums: those since the previous totals row, else all above,
    else (a totals row printed first) those below it up to the next one."""
    totals = set(view.total_rows)
    previous = max((i for i in view.total_rows if i < t), default=-1)
    above = [i for i in range(previous + 1, t) if i not in totals]
    if not above:
        above = [i for i in range(t) if i not in totals]
    if above:
        return above
    following = [i for i in view.total_rows if i > t]
    end = following[0] if following else len(view.records)
    return list(range(t + 1, end))


@rule("TBL004", Severity.ERROR, "a 合计/总计 row equals the sum of the rows it covers")
def check_total_rows(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for t in view.total_rows:
            rows = covered_rows(view, t)
            if len(rows) < 2 or any(view.records[i].unaligned for i in rows):
                continue  # a total over one row is that row, or a table cut short after it
            yield from _check_count_totals(view, t, rows)
        for rate in total_rates(view):
            if rate.problem is not None and rate.follows_printed:
                yield rate.problem


@dataclass(frozen=True, slots=True)
class TotalRate:
    """One rate or share cell of a totals row, checked against the rows' summed counts.

    `problem` is set when it does not hold; `follows_printed` when the printed rate is what
    the formula gives over the totals row's own printed counts (which then do not add up).
    """

    checked: Checked
    problem: Problem | None
    follows_printed: bool


def total_rates(view: TableView) -> Iterator[TotalRate]:
    """Every rate and share cell of the table's totals rows, checked."""
    for t in view.total_rows:
        rows = covered_rows(view, t)
        if rows and not any(view.records[i].unaligned for i in rows):
            yield from _check_rate_totals(view, t, rows)


def _check_count_totals(
    view: TableView, t: int, rows: Sequence[int]
) -> Iterator[Problem | Checked]:
    for c in view.counts:
        printed = view.value(t, c)
        total = integer_of(printed.number) if printed else None
        parts = [integer_of(view.rows[i][c]) or 0 for i in rows]
        if printed is None or total is None:
            continue
        yield Checked((printed.cell, *view.spans_of(rows, c)))
        if total != sum(parts):
            yield _count_total_problem(view, t, c, rows, (total, parts))


def _count_total_problem(
    view: TableView, t: int, c: int, rows: Sequence[int], sums: tuple[int, list[int]]
) -> Problem:
    total, parts = sums
    printed = view.value(t, c)
    assert printed is not None
    first, last = view.records[rows[0]].row, view.records[rows[-1]].row
    slips = explain_sum(total, parts)
    copy = None if slips else _copied_part(view, t, c, rows, sums)
    why = (
        _slip_text(view, rows, slips[0])
        if slips
        else copy[0]
        if copy
        else "no single slip explains the difference"
    )
    suspect = any(doubtful(view.records[i]) for i in (t, *rows))
    return Problem(
        message=(
            f"{view.where(t)} {view.labels[c]}: expected {sum(parts)}, the sum of rows "
            f"{first}–{last}, found {printed.cell.text}" + (DOUBT if suspect else "")
        ),
        evidence=evidence((printed.cell, *view.spans_of(rows, c), *(copy[1] if copy else ()))),
        reported=printed.cell.text,
        expected=str(sum(parts)),
        explanation=f"rows {first}–{last} add to {sum(parts)}; {why}",
        table=view.name,
        row=view.records[t].row,
        column=view.labels[c],
        severity=Severity.WARNING if suspect else None,
    )


def _copied_part(
    view: TableView, t: int, c: int, rows: Sequence[int], sums: tuple[int, list[int]]
) -> tuple[str, tuple[Span, ...]] | None:
    """A totals cell, or the one part, that prints what a neighbour prints: the total copied
    from the previous period's column, or a row's count copied from the row next to it or
    from its own previous-period value, with the value that would make the column add up."""
    total, parts = sums
    printed = view.value(t, c)
    assert printed is not None and printed.number is not None
    copies = copied_from(printed.number, view.neighbours(t, c))
    if copies:
        return f"the total is what {copies[0].how} prints: a value copied from there", (
            copies[0].tag,
        )
    found = []
    for i, part in zip(rows, parts, strict=True):
        n = view.rows[i][c]
        corrected = total - (sum(parts) - part)
        if n is None or corrected < 0:
            continue
        for copy in copied_from(n, view.neighbours(i, c)):
            found.append((i, part, corrected, copy))
    rows_found = {i for i, *_ in found}
    if len(rows_found) > 1:  # a copy makes two equal rows: the one whose own formulas break
        broken = {i for i in rows_found if _breaks_formula(view, i, c)}
        found = [f for f in found if f[0] in broken]
        rows_found = broken
    if len(rows_found) != 1:
        return None  # none, or several rows that could each be the copy
    i, part, corrected, copy = found[0]
    return (
        f"{view.row_text(i)} prints {part}, the same as {copy.how}: a value copied from there; "
        f"with {corrected} the column would add up",
        (copy.tag,),
    )


def _breaks_formula(view: TableView, r: int, c: int) -> bool:
    """Whether a formula of the table that reads column `c` fails on row `r`."""
    return any(
        c in inference.formula.inputs and inference.verdicts[r] is Verdict.FAILS
        for _, inference in formulas_of(view.table, view.rounding).formulas
    )


def _slip_text(view: TableView, rows: Sequence[int], slip: SumExplanation) -> str:
    if slip.kind is SlipKind.OFF_BY_ONE:
        return slip.description
    where = "the total" if slip.part is None else view.row_text(rows[slip.part])
    if slip.kind is SlipKind.OMITTED_PART:
        return f"the total leaves out {where} ({slip.printed})"
    kind = "one-digit slip" if slip.kind is SlipKind.DIGIT else slip.kind.value
    return f"{where} printed {slip.printed} is a {kind} of {slip.corrected}"


def _check_rate_totals(view: TableView, t: int, rows: Sequence[int]) -> Iterator[TotalRate]:
    summed = _summed_row(view, rows)
    for c, inference in formulas_of(view.table, view.rounding).formulas:
        printed = view.value(t, c)
        formula = inference.formula
        if printed is None or printed.number is None:
            continue
        if formula.kind is FormulaKind.RATIO_TO_MAX and formula.weight is None:
            # a share column: the totals row's share is its own count over the column total;
            # one that fits the rows' summed count instead is right where the count is not
            # (TBL004 reports the count)
            value = formula.evaluate(view.printed_row(t))
            fixed = formula.evaluate(_with_counts(view.printed_row(t), summed))
            if (
                value is not None
                and fixed is not None
                and holds(fixed, printed.number, view.rounding)
            ):
                value = fixed
        elif formula.kind is FormulaKind.RATE:
            value = formula.evaluate(summed)
        else:
            continue
        if value is None:
            continue
        checked = Checked((printed.cell, *view.spans(t, formula.inputs)))
        if holds(value, printed.number, view.rounding):
            yield TotalRate(checked, None, False)
            continue
        as_printed = formula.evaluate(view.printed_row(t))
        follows = as_printed is not None and holds(as_printed, printed.number, view.rounding)
        problem = _rate_total_problem(view, t, c, inference, (summed, value), follows)
        yield TotalRate(checked, problem, follows)


def _rate_total_problem(
    view: TableView,
    t: int,
    c: int,
    inference: Inference,
    summed: tuple[NumberRow, Fraction],
    follows_printed: bool,
) -> Problem:
    row, value = summed
    printed = view.value(t, c)
    assert printed is not None and printed.number is not None
    inputs = inference.formula.inputs
    expected = format_as(value, printed.number)
    counts = " / ".join(str(n.value) for i in inputs if (n := row[i]) is not None)
    why = f"{inference.formula.description} over the rows' summed counts"
    if follows_printed:
        why += "; the printed rate follows the row's printed totals, which do not add up"
    others = conventions_that_hold(value, printed.number)
    if others:  # right under a rounding the table does not use elsewhere: a warning
        why += f"; {printed.cell.text} holds only under {others[0].value} rounding"
    return Problem(
        message=(
            f"{view.where(t)} {view.labels[c]}: expected {expected} from the summed counts "
            f"{counts}, found {printed.cell.text}"
        ),
        evidence=evidence((printed.cell, *view.spans(t, inputs))),
        reported=printed.cell.text,
        expected=expected,
        explanation=why,
        table=view.name,
        row=view.records[t].row,
        column=view.labels[c],
        # a rate that follows the printed totals holds under that reading: the totals'
        # own finding carries the error, this one only says the rate inherits it
        severity=Severity.WARNING if others or follows_printed else None,
    )


def _with_counts(row: NumberRow, summed: NumberRow) -> NumberRow:
    """`row` with its count cells replaced by the summed ones."""
    return tuple(s if s is not None else n for n, s in zip(row, summed, strict=True))


def _summed_row(view: TableView, rows: Sequence[int]) -> NumberRow:
    """Each count column summed over `rows`."""
    out: list[Number | None] = [None] * len(view.labels)
    for c in view.counts:
        total = sum(integer_of(view.rows[i][c]) or 0 for i in rows)
        out[c] = Number(str(total), Decimal(total), 0)
    return tuple(out)
