"""Rules on the arithmetic inside a table: column formulas, total columns, totals rows.

TBL001 reports the formula inferred for each measure column (and the sum behind
the total column), TBL002 the rows that break it, TBL003 the rows whose total
is not the sum of its parts (parts recomputed unrounded from the counts where a
formula gives them, so a total rounded once from exact parts is not flagged),
TBL004 the 合计/总计 rows that are not the sum of the rows they cover.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction

from pipeline.model import Checked, Normalized, Number, Problem, Severity
from pipeline.numeric.arithmetic import (
    Interval,
    Rounding,
    format_as,
    holds,
    interval_of,
    plain_factor,
    round_fraction,
)
from pipeline.numeric.infer import FormulaKind, Inference, Verdict
from pipeline.validate.explain import SlipKind, SumExplanation, explain_sum
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import (
    DOUBT,
    NumberRow,
    TableView,
    department,
    doubtful,
    evidence,
    formulas_of,
    view_of,
)


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
            yield _unexplained_info(view, c)
        if full:
            yield _full_weight_info(view, full)


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
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for c, inference in formulas_of(nt, view.rounding).formulas:
            for r, verdict in enumerate(inference.verdicts):
                if verdict is Verdict.NOT_APPLICABLE:
                    continue
                yield Checked(view.spans(r, (c, *inference.formula.inputs)))
                if verdict is Verdict.FAILS:
                    yield _formula_problem(view, r, c, inference)


def _formula_problem(view: TableView, r: int, c: int, inference: Inference) -> Problem:
    row, rec = view.rows[r], view.records[r]
    printed, value = row[c], inference.formula.evaluate(row)
    assert printed is not None and value is not None
    expected = format_as(value, printed)
    inputs = ", ".join(
        f"{view.labels[i]} {n.text}" for i in inference.formula.inputs if (n := row[i]) is not None
    )
    suspect = doubtful(rec)
    return Problem(
        message=(
            f"{view.where(r)} {view.labels[c]}: expected {expected} (= {_rhs(inference)}), "
            f"found {printed.text}" + (DOUBT if suspect else "")
        ),
        evidence=evidence(view.spans(r, (c, *inference.formula.inputs))),
        reported=printed.text,
        expected=expected,
        explanation=(
            f"the formula holds on {len(inference.holding)} of {inference.applicable} rows; "
            f"here {inputs or 'it'} give {exact_text(value, printed)}"
        ),
        table=view.name,
        row=rec.row,
        column=view.labels[c],
        department=department(rec),
        severity=Severity.WARNING if suspect else None,
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
    return formulas[c].formula.evaluate(view.rows[r]) if c in formulas else None


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
    expected = format_as(unrounded, total)
    why = f"the printed parts add to {exact_text(sum(printed, Fraction(0)), total)}"
    if unrounded != sum(printed, Fraction(0)):
        why += f"; the unrounded parts to {exact_text(unrounded, total)}"
    suspect = doubtful(rec)
    return Problem(
        message=(
            f"{view.where(r)} {view.labels[target]}: expected {expected} as the sum of "
            f"{len(parts)} parts, found {total.text}" + (DOUBT if suspect else "")
        ),
        evidence=evidence(view.spans(r, (target, *parts))),
        reported=total.text,
        expected=expected,
        explanation=why,
        table=view.name,
        row=rec.row,
        column=view.labels[target],
        department=department(rec),
        severity=Severity.WARNING if suspect else None,
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


def _integer(n: Number | None) -> int | None:
    if n is None or n.exact != n.exact.to_integral_value():
        return None
    return int(n.exact)


@rule("TBL004", Severity.ERROR, "a 合计/总计 row equals the sum of the rows it covers")
def check_total_rows(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for t in view.total_rows:
            rows = covered_rows(view, t)
            if not rows or any(view.records[i].unaligned for i in rows):
                continue
            yield from _check_count_totals(view, t, rows)
            yield from _check_rate_totals(view, t, rows)


def _check_count_totals(
    view: TableView, t: int, rows: Sequence[int]
) -> Iterator[Problem | Checked]:
    for c in view.counts:
        printed = view.value(t, c)
        total = _integer(printed.number) if printed else None
        parts = [_integer(view.rows[i][c]) or 0 for i in rows]
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
    why = _slip_text(view, rows, slips[0]) if slips else "no single slip explains the difference"
    suspect = any(doubtful(view.records[i]) for i in (t, *rows))
    return Problem(
        message=(
            f"{view.where(t)} {view.labels[c]}: expected {sum(parts)}, the sum of rows "
            f"{first}–{last}, found {printed.cell.text}" + (DOUBT if suspect else "")
        ),
        evidence=evidence((printed.cell, *view.spans_of(rows, c))),
        reported=printed.cell.text,
        expected=str(sum(parts)),
        explanation=f"rows {first}–{last} add to {sum(parts)}; {why}",
        table=view.name,
        row=view.records[t].row,
        column=view.labels[c],
        severity=Severity.WARNING if suspect else None,
    )


def _slip_text(view: TableView, rows: Sequence[int], slip: SumExplanation) -> str:
    if slip.kind is SlipKind.OFF_BY_ONE:
        return slip.description
    where = "the total" if slip.part is None else view.row_text(rows[slip.part])
    if slip.kind is SlipKind.OMITTED_PART:
        return f"the total leaves out {where} ({slip.printed})"
    return f"{where} printed {slip.printed} is a {slip.kind} of {slip.corrected}"


def _check_rate_totals(view: TableView, t: int, rows: Sequence[int]) -> Iterator[Problem | Checked]:
    summed = _summed_row(view, rows)
    for c, inference in formulas_of(view.table, view.rounding).formulas:
        printed = view.value(t, c)
        value = inference.formula.evaluate(summed)
        if inference.formula.kind is not FormulaKind.RATE or value is None:
            continue
        if printed is None or printed.number is None:
            continue
        yield Checked((printed.cell, *view.spans(t, inference.formula.inputs)))
        if not holds(value, printed.number, view.rounding):
            yield _rate_total_problem(view, t, c, inference, (summed, value))


def _rate_total_problem(
    view: TableView,
    t: int,
    c: int,
    inference: Inference,
    summed: tuple[NumberRow, Fraction],
) -> Problem:
    row, value = summed
    printed = view.value(t, c)
    assert printed is not None and printed.number is not None
    inputs = inference.formula.inputs
    expected = format_as(value, printed.number)
    counts = " / ".join(str(n.value) for i in inputs if (n := row[i]) is not None)
    why = f"{inference.formula.description} over the rows' summed counts"
    as_printed = inference.formula.evaluate(view.printed_row(t))
    if as_printed is not None and holds(as_printed, printed.number, view.rounding):
        why += "; the printed rate follows the row's printed totals, which do not add up"
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
    )


def _summed_row(view: TableView, rows: Sequence[int]) -> NumberRow:
    out: list[Number | None] = [None] * len(view.labels)
    for c in view.counts:
        total = sum(_integer(view.rows[i][c]) or 0 for i in rows)
        out[c] = Number(str(total), Decimal(total), 0)
    return tuple(out)
