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
from pipeline.numeric.arithmetic import Interval, Rounding, format_as, interval_of
from pipeline.validate.comparisons import compared_period, growth_words, period_triples
from pipeline.validate.explain import copied_from
from pipeline.validate.facts import (
    ColumnTotal,
    as_int,
    claim_evidence,
    claim_span,
    column_total,
    paragraph_of,
    rounding_of,
)
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import DOUBT, TableView, department, doubtful, view_of

PREVIOUS = "previous"


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


def _negate(iv: Interval) -> Interval:
    return Interval(-iv.hi, -iv.lo, iv.hi_closed, iv.lo_closed)


def printed_change(
    value: Number, direction: str | None, rounding: Rounding, *, points: bool = False
) -> Interval:
    """The signed change a printed figure stands for, in plain units: "减少0.55%" is about
    −0.0055, "下降0.9个百分点" (points) about −0.009, "增加50件" exactly 50."""
    count = not value.percent and not points and not value.decimals and value.scale == 1
    iv = interval_of(value, rounding, exact=count)
    if points and not value.percent:
        iv = iv * Interval.point(Fraction(1, 100))
    return _negate(iv) if direction == "down" and value.value > 0 else iv


def is_difference(change: Claim) -> bool:
    """A change in points, or a growth stated as a count ("增加50件"), is new − old."""
    return change.kind is ClaimKind.POINTS or (
        change.value is not None and not change.value.percent
    )


def change_of(difference: bool, new: Interval, old: Interval) -> Interval | None:
    """new − old for a difference, else (new − old) / old; None when old may be 0."""
    if difference:
        return new - old
    if old.lo <= 0 <= old.hi:
        return None
    return (new - old) / old


# --- the figures a change compares ---------------------------------------------------


def _figure(norm: Normalized, claim: Claim, rounding: Rounding) -> Figure | None:
    if claim.value is None:
        return None
    n = as_int(claim) if claim.kind is ClaimKind.COUNT else None
    iv = Interval.point(n) if n is not None else interval_of(claim.value, rounding)
    where = f"the text's {claim.value.text.strip()} (p.{claim.source.page})"
    return Figure(
        iv, claim.value.text.strip(), (claim_span(claim),), claim_evidence(norm, claim), where
    )


def _total_figure(total: ColumnTotal) -> Figure:
    where = f"the total of {total.label}"
    return Figure(Interval.point(total.total), str(total.total), total.cells, total.where, where)


def _measures(kind: ClaimKind) -> ClaimKind:
    return ClaimKind.RATE if kind is ClaimKind.POINTS else ClaimKind.COUNT


def _new_claim(norm: Normalized, change: Claim, index: int) -> Claim | None:
    """This period's figure the change is about: the nearest before it in its paragraph
    with the same metric, channels and subject."""
    para = paragraph_of(norm, change)
    for c in reversed(norm.claims[:index]):
        if paragraph_of(norm, c) != para:
            break
        if (
            c.kind is _measures(change.kind)
            and c.direction is None
            and c.metric == change.metric
            and c.scope == change.scope
            and c.subject == change.subject
            and c.value is not None
        ):
            return c
    return None


def _old_claim(norm: Normalized, change: Claim, compared: str) -> Claim | None:
    """The compared period's figure stated in the text: in the change's sentence, else its
    paragraph, else anywhere (same metric and channels)."""
    found = [
        c
        for c in norm.claims
        if c.direction == PREVIOUS
        and c.kind is _measures(change.kind)
        and c.subject == compared
        and c.metric == change.metric
        and c.scope == change.scope
        and c.value is not None
    ]
    same_sentence = [
        c for c in found if c.sentence == change.sentence and c.line - change.line in (-1, 0, 1)
    ]
    same_paragraph = [c for c in found if paragraph_of(norm, c) == paragraph_of(norm, change)]
    if change.subject is not None:  # a category's change: only its own sentence names its base
        return same_sentence[0] if same_sentence else None
    chosen = same_sentence or same_paragraph or found
    return chosen[0] if chosen else None


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


def _position(change: Claim) -> int:
    """Where the change's figure stands in its sentence (points: the one before 百分点)."""
    assert change.value is not None
    text, value = change.sentence, change.value.text.strip()
    spots = [i for i in range(len(text)) if text.startswith(value, i)]
    if change.kind is ClaimKind.POINTS:
        marked = [
            i for i in spots if text[i + len(value) :].lstrip().startswith(growth_words().points)
        ]
        spots = marked or spots
    return spots[0] if spots else len(text)


def _clause_before(change: Claim) -> str:
    text = change.sentence[: _position(change)]
    cut = max(text.rfind(mark) for mark in "，,；;。")
    return text[cut + 1 :]


@rule(
    "GROWTH001",
    Severity.ERROR,
    "a growth rate or change in points stated in the text equals the change between its figures",
)
def check_text_changes(norm: Normalized) -> Iterator[Problem | Checked]:
    rounding = rounding_of(norm)
    for i, change in enumerate(norm.claims):
        if change.kind not in (ClaimKind.GROWTH, ClaimKind.POINTS) or change.value is None:
            continue
        if change.metric is None:
            continue
        compared = compared_period(_clause_before(change))
        new_claim = _new_claim(norm, change, i)
        if compared is None or new_claim is None:
            continue
        new = _figure(norm, new_claim, rounding)
        old_claim = _old_claim(norm, change, compared)
        old = _figure(norm, old_claim, rounding) if old_claim is not None else None
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
    if actual.meets(printed):
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
                _negate(actual),
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
    rounding = rounding_of(norm)
    for table in norm.tables:
        for triple in period_triples(table):
            if triple.change is None:
                continue
            for r, record in enumerate(table.records):
                if record.unaligned:
                    continue
                yield from _check_row(
                    norm, table, r, (triple.current, triple.previous, triple.change), rounding
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
    rounding: Rounding,
) -> Iterator[Problem | Checked]:
    cells = [_cell_number(table, r, c) for c in columns]
    if any(c is None for c in cells):
        return
    (cur, cur_cell), (prev, prev_cell), (change, change_cell) = [c for c in cells if c is not None]
    points = cur.percent and prev.percent
    new, old = (
        interval_of(n, rounding, exact=not n.percent and not n.decimals) for n in (cur, prev)
    )
    actual = change_of(points, new, old)
    if actual is None:
        return
    yield Checked((cur_cell, prev_cell, change_cell))
    stated = change if change.percent or points else _as_percent(change)
    printed = printed_change(stated, None, rounding, points=points)
    if actual.meets(printed):
        return
    yield _row_problem(norm, table, r, columns, actual, rounding)


def _as_percent(n: Number) -> Number:
    """A change printed bare under a header without a unit is read as a percent."""
    return Number(n.text, n.value, n.decimals, True, n.scale, n.unit)


def _row_problem(
    norm: Normalized,
    table: NormalizedTable,
    r: int,
    columns: tuple[int, int, int],
    actual: Interval,
    rounding: Rounding,
) -> Problem:
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
        evidence=tuple(
            Evidence(s.source.page, s.source.bbox, s.text)
            for s in (change.cell, cur.cell, prev.cell)
        ),
        reported=change.cell.text,
        expected=expected,
        explanation=_row_explanation(view, r, columns, actual),
        table=view.name,
        row=table.records[r].row,
        column=view.labels[change_c],
        department=department(table.records[r]),
        severity=Severity.WARNING if suspect else None,
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
        change if change.percent or points else _as_percent(change),
        None,
        view.rounding,
        points=points,
    )
    new, old = Interval.point(Fraction(cur.exact)), Interval.point(Fraction(prev.exact))
    if not cur.percent and cur.exact and ((new - old) / new).meets(stated):
        return "it is the change over this period's figure, (new − old) / new"
    if _negate(actual).meets(stated):
        return "it has the sign of the opposite change: the figures moved the other way"
    return "no other reading of the row's figures gives it"
