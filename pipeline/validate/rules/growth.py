"""Changes against an earlier period: growth rates and percentage points, in the text and in
the tables that print this period beside the last.

A growth rate is (new − old) / old, a change in points new − old; both are recomputed
when both figures are printed: the old one in the same sentence ("较上月（913件）减少0.55%"),
elsewhere in the text, or as the total of a table's 上月 column whose 本月 column adds up to
the new figure. Rounded inputs (rates, counts in 万) are carried as intervals; a change
that only another rounding convention reproduces is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import (
    Checked,
    Claim,
    ClaimKind,
    Evidence,
    Normalized,
    NormalizedTable,
    Number,
    Problem,
    Severity,
    Span,
)
from pipeline.normalize.comparisons import (
    claim_interval,
    is_difference,
    period_triples,
    text_changes,
)
from pipeline.numeric.arithmetic import Interval, Rounding, format_as, interval_of
from pipeline.numeric.changes import (
    as_percent,
    change_of,
    negate,
    printed_change,
    table_change_holds,
)
from pipeline.validate.explain import copied_from
from pipeline.validate.facts import (
    ColumnTotal,
    admissible_roundings,
    claim_evidence,
    claim_span,
    column_total,
    paragraph_numbers,
    rounding_of,
)
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import DOUBT, TableView, department, doubtful, view_of


@dataclass(frozen=True, slots=True)
class Figure:
    """One side of a comparison: its value as an interval (a point when exact), how it was
    printed, and where."""

    interval: Interval
    text: str
    spans: tuple[Span, ...]
    evidence: Evidence
    where: str

    @property
    def exact(self) -> Fraction | None:
        return self.interval.lo if self.interval.is_point else None


# --- the figures a change compares ---------------------------------------------------


def _figure(norm: Normalized, claim: Claim, rounding: Rounding) -> Figure | None:
    if claim.value is None:
        return None
    iv = claim_interval(claim, rounding)
    assert iv is not None
    where = f"the text's {claim.value.text.strip()} (p.{claim.source.page})"
    return Figure(
        iv, claim.value.text.strip(), (claim_span(claim),), claim_evidence(norm, claim), where
    )


def _total_figure(total: ColumnTotal) -> Figure:
    where = f"the total of {total.label}"
    return Figure(Interval.point(total.total), str(total.total), total.cells, total.where, where)


def _old_from_tables(norm: Normalized, new: Figure, compared: str) -> Figure | None:
    """The total of a table's previous-period column, when its current column adds up to
    the new figure (so the table counts what the sentence counts)."""
    if new.exact is None:
        return None
    for table in norm.tables:
        for triple in period_triples(table):
            if triple.compared != compared:
                continue
            current = column_total(table, triple.current)
            previous = column_total(table, triple.previous)
            if current is None or previous is None or not current.supports(int(new.exact)):
                continue
            return _total_figure(previous)
    return None


# --- GROWTH001 -----------------------------------------------------------------------


@rule(
    "GROWTH001",
    Severity.ERROR,
    "a growth rate or change in points stated in the text equals the change between its figures",
)
def check_text_changes(norm: Normalized) -> Iterator[Problem | Checked]:
    rounding = rounding_of(norm)
    for found in text_changes(norm.claims, paragraph_numbers(norm)):
        change, compared = found.change, found.compared
        new = _figure(norm, found.new, rounding)
        old = _figure(norm, found.old, rounding) if found.old is not None else None
        if old is None and new is not None and change.kind is ClaimKind.GROWTH:
            old = _old_from_tables(norm, new, compared)
        if new is None or old is None:
            continue
        yield Checked((claim_span(change), *new.spans, *old.spans))
        problem = _judge(norm, change, (new, old), compared, rounding)
        if problem is not None:
            yield problem


def _judge(
    norm: Normalized,
    change: Claim,
    figures: tuple[Figure, Figure],
    compared: str,
    rounding: Rounding,
) -> Problem | None:
    assert change.value is not None
    new, old = figures
    actual = change_of(is_difference(change), new.interval, old.interval)
    if actual is None:
        return None
    points = change.kind is ClaimKind.POINTS
    printed = printed_change(change.value, change.direction, rounding, points=points)
    accepted = admissible_roundings(norm)
    if any(
        actual.meets(printed_change(change.value, change.direction, r, points=points))
        for r in accepted
    ):
        return None
    others = [
        r
        for r in Rounding
        if r is not rounding
        and actual.meets(printed_change(change.value, change.direction, r, points=points))
    ]
    expected = _expected(change, actual, rounding)
    how = "new − old" if is_difference(change) else "(new − old) / old"
    message = (
        f"the text states {change.value.text.strip()} "
        f"{'up' if change.direction == 'up' else 'down' if change.direction == 'down' else ''} "
        f"against {compared} ({old.text} -> {new.text}), but {how} = {expected}"
    )
    return Problem(
        message=" ".join(message.split()),
        evidence=tuple(dict.fromkeys((claim_evidence(norm, change), new.evidence, old.evidence))),
        reported=change.value.text.strip(),
        expected=expected,
        explanation=(
            f"{change.value.text.strip()} holds only under {others[0].value} rounding, "
            f"while the document rounds {rounding.value}"
            if others
            else explain_change(change, new, old, printed)
        ),
        severity=Severity.WARNING if others else None,
    )


def _expected(change: Claim, actual: Interval, rounding: Rounding) -> str:
    """The recomputed change (the middle of its interval), signed, printed like the stated one."""
    assert change.value is not None
    mid = (actual.lo + actual.hi) / 2
    if mid == 0:
        return "no change"
    like = change.value
    size = abs(mid) * 100 if change.kind is ClaimKind.POINTS and not like.percent else abs(mid)
    return f"{'up' if mid > 0 else 'down'} {format_as(size, like, rounding)}"


def explain_change(change: Claim, new: Figure, old: Figure, printed: Interval) -> str:
    """What the stated change is, when it is not new against old: the change against the new
    figure as base, the ratio new / old, or the figures' change with its direction turned."""
    where = f"the new figure is {new.where}; the old one is {old.where}"
    tries: list[tuple[str, Interval | None]] = []
    ratio = not is_difference(change)
    if ratio and not (new.interval.lo <= 0 <= new.interval.hi):
        tries.append(
            (
                "(new − old) / new, the change over the new figure",
                (new.interval - old.interval) / new.interval,
            )
        )
        if not (old.interval.lo <= 0 <= old.interval.hi):
            tries.append(
                ("new / old, the ratio rather than the change", new.interval / old.interval)
            )
    actual = change_of(not ratio, new.interval, old.interval)
    if actual is not None:
        tries.append(
            (
                "the change with its direction turned: the figures moved the other way",
                negate(actual),
            )
        )
    for label, iv in tries:
        if iv is not None and iv.meets(printed):
            return f"the stated figure is {label}; {where}"
    return f"no other reading of the two figures gives it; {where}"


# --- GROWTH002 -----------------------------------------------------------------------


@rule(
    "GROWTH002",
    Severity.ERROR,
    "a table's change column equals the change from its previous-period to its current column",
)
def check_table_changes(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for table in norm.tables:
        for triple in period_triples(table):
            if triple.change is None:
                continue
            for r, record in enumerate(table.records):
                if record.unaligned:
                    continue
                yield from _check_row(
                    norm, table, r, (triple.current, triple.previous, triple.change), accepted
                )


def _cell_number(table: NormalizedTable, r: int, c: int) -> tuple[Number, Span] | None:
    values = table.records[r].values
    v = values[c] if c < len(values) else None
    return (v.number, v.cell) if v is not None and v.number is not None else None


def _check_row(
    norm: Normalized,
    table: NormalizedTable,
    r: int,
    columns: tuple[int, int, int],
    accepted: tuple[Rounding, ...],
) -> Iterator[Problem | Checked]:
    """Check one row's change cell under the document's convention; `accepted` starts with
    it and goes on with the conventions its evidence cannot tell from it."""
    rounding = accepted[0]
    cells = [_cell_number(table, r, c) for c in columns]
    if any(c is None for c in cells):
        return
    (cur, cur_cell), (prev, prev_cell), (change, change_cell) = [c for c in cells if c is not None]
    held = table_change_holds(cur, prev, change, rounding)
    if held is None:
        return
    yield Checked((cur_cell, prev_cell, change_cell))
    if held or any(table_change_holds(cur, prev, change, r) for r in accepted[1:]):
        return
    points = cur.percent and prev.percent
    new, old = (
        interval_of(n, rounding, exact=not n.percent and not n.decimals) for n in (cur, prev)
    )
    actual = change_of(points, new, old)
    assert actual is not None  # table_change_holds said old is not 0
    others = [o for o in Rounding if o is not rounding and table_change_holds(cur, prev, change, o)]
    yield row_problem(norm, table, r, columns, actual, rounding, others)


def row_problem(
    norm: Normalized,
    table: NormalizedTable,
    r: int,
    columns: tuple[int, int, int],
    actual: Interval,
    rounding: Rounding,
    others: list[Rounding],
) -> Problem:
    """The finding for a wrong change cell; a warning when the row's own extraction is in
    doubt or when another rounding convention (`others`) reproduces the cell."""
    view = view_of(table, rounding)
    cur_c, prev_c, change_c = columns
    cur, prev, change = (view.value(r, c) for c in columns)
    assert cur is not None and prev is not None and change is not None
    assert change.number is not None
    mid = (actual.lo + actual.hi) / 2
    like = change.number
    expected = format_as(mid if like.percent else mid * 100, like, rounding)
    suspect = doubtful(table.records[r])
    return Problem(
        message=(
            f"{view.where(r)} {view.labels[change_c]}: expected {expected} from "
            f"{view.labels[prev_c]} {prev.cell.text} to {view.labels[cur_c]} {cur.cell.text}, "
            f"found {change.cell.text}" + (DOUBT if suspect else "")
        ),
        evidence=tuple(Evidence(s.source, s.text) for s in (change.cell, cur.cell, prev.cell)),
        reported=change.cell.text,
        expected=expected,
        explanation=(
            f"{change.cell.text} holds only under {others[0].value} rounding, "
            f"while the document rounds {rounding.value}"
            if others
            else _row_explanation(view, r, columns, actual)
        ),
        table=view.name,
        row=table.records[r].row,
        column=view.labels[change_c],
        department=department(table.records[r]),
        severity=Severity.WARNING if suspect or others else None,
    )


def _row_explanation(
    view: TableView, r: int, columns: tuple[int, int, int], actual: Interval
) -> str:
    """Why a change cell may be wrong: copied from a neighbour, this period's figure copied
    from the previous one, or the change read another way."""
    cur_c, prev_c, change_c = columns
    # from the records, not view.rows: a 合计 row's change is checked too, and view.rows
    # leaves total rows blank
    numbers = [_cell_number(view.table, r, c) for c in columns]
    if any(n is None for n in numbers):
        return "no other reading of the two figures gives it"
    cur, prev, change = (n[0] for n in numbers if n is not None)
    if cur.exact == prev.exact and change.exact != 0:
        return (
            f"{view.labels[cur_c]} prints the same {cur.text} as {view.labels[prev_c]}: "
            "this period's figure may have been copied from the previous period's column"
        )
    copies = copied_from(change, view.neighbours(r, change_c)[:2])
    if copies:
        how = copies[0].how
        return f"{change.text} is what {how} prints: a value copied from the neighbouring row"
    points = cur.percent and prev.percent
    stated = printed_change(
        change if change.percent or points else as_percent(change),
        None,
        view.rounding,
        points=points,
    )
    new, old = Interval.point(Fraction(cur.exact)), Interval.point(Fraction(prev.exact))
    if not cur.percent and cur.exact and ((new - old) / new).meets(stated):
        return "it is the change over this period's figure, (new − old) / new"
    if negate(actual).meets(stated):
        return "it has the sign of the opposite change: the figures moved the other way"
    return "no other reading of the row's figures gives it"
