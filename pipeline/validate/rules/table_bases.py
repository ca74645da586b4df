"""TBL008: a share column of a table that lists only some categories is each count over a
whole the text states.

"商品类1367件，服务类1094件……前五位分布情况见下表" over a table of the top five goods and the
top five services, each with its count and 占比: the shares are not over the table's own
column total (the table leaves the other categories out) but over the whole the text
prints before it, one whole for each group of rows. TBL001 finds no formula for such a
column; here the whole is looked for among the counts the narrative prints: the one count
over which the shares of a group's rows hold, on all of them but at most one.

The pairing is made by arithmetic alone, so it must be unique and wide: one count value
that fits at least `MIN_FITTING` rows of the group and fails on at most one. A share that
fails it is an error when `SURE_FITTING` rows or more confirm the whole, else a warning.
A totals row of a table of one group is a count over the same whole: its share is its own
count over it, not the sum of the rows' rounded shares ("合计 1511 33.8%", where 1511/4480
is 33.7%).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from fractions import Fraction

from pipeline.model import Checked, Normalized, Number, Problem, Severity, Span
from pipeline.normalize.metrics import SHARE as SHARE_METRIC
from pipeline.normalize.tables import is_group_column
from pipeline.numeric.arithmetic import Rounding, format_as, holds
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import (
    TableView,
    doubtful,
    evidence,
    formulas_of,
    integer_of,
    view_of,
)
from pipeline.validate.text_quantities import exact_count, quantity_span

MIN_FITTING = 3  # rows a stated whole must fit before it is taken for the base
SURE_FITTING = 4  # rows confirming it before a share that breaks it is an error
Whole = tuple[int, Span]


@rule("TBL008", Severity.ERROR, "a share column over a whole the text states, group by group")
def check_stated_bases(norm: Normalized) -> Iterator[Problem | Checked]:
    rounding = rounding_of(norm)
    wholes = _stated_counts(norm)
    if not wholes:
        return
    for nt in norm.tables:
        view = view_of(nt, rounding)
        unexplained = formulas_of(nt, rounding).unexplained
        for share in (c for c in unexplained if nt.columns[c].metric == SHARE_METRIC):
            count = max((c for c in view.counts if c < share), default=None)
            if count is None:
                continue
            groups = _groups(view)
            for rows in groups:
                # a totals row belongs with the body when the body is one group: its share
                # is its count over the same whole, not the sum of the rounded shares
                extra = list(view.total_rows) if len(groups) == 1 else []
                yield from _check_group(view, (count, share), rows, wholes, extra)


def _stated_counts(norm: Normalized) -> list[Whole]:
    """The exact counts the narrative prints, with where each is printed."""
    return [(n, quantity_span(q)) for q in norm.quantities if (n := exact_count(q))]


def _groups(view: TableView) -> list[list[int]]:
    """The body rows, split by a first text column that names groups of rows (商品类 over
    its items, 服务类 over its own), else all in one."""
    body = [r for r in range(len(view.records)) if r not in view.total_rows]
    body = [r for r in body if not view.records[r].unaligned]
    firsts = [_first_text(view, r) for r in body]
    if not body or not is_group_column(firsts):
        return [body]
    groups: dict[str, list[int]] = {}
    for r, name in zip(body, firsts, strict=True):
        groups.setdefault(name, []).append(r)
    return list(groups.values())


def _first_text(view: TableView, r: int) -> str:
    values = view.records[r].values
    return next((v.cell.text.strip() for v in values if v is not None and v.number is None), "")


def _check_group(
    view: TableView,
    at: tuple[int, int],
    rows: Sequence[int],
    wholes: Sequence[Whole],
    totals: Sequence[int] = (),
) -> Iterator[Problem | Checked]:
    count, share = at
    pairs = [
        (r, p, s)
        for r in rows
        if (p := _part(view, r, count)) and (s := _share(view, r, share)) is not None
    ]
    if len(pairs) < MIN_FITTING:
        return
    parts = sum(p for _, p, _ in pairs)
    fitting = {
        base: [_fits(Fraction(p, base), s) for _, p, s in pairs]
        for base in {n for n, _ in wholes if n > parts}
    }
    held = [b for b, fits in fitting.items() if sum(fits) >= max(MIN_FITTING, len(fits) - 1)]
    if len(held) != 1:
        return  # no whole, or more than one: the pairing is not the text's to say
    base = held[0]
    stated = next(span for n, span in wholes if n == base)
    for (r, part, printed), fits in zip(pairs, fitting[base], strict=True):
        yield Checked((*view.spans(r, (count, share)), stated))
        if not fits:
            sure = sum(fitting[base]) >= SURE_FITTING and not doubtful(view.records[r])
            yield _problem(view, (r, count, share), (part, base, stated), printed, sure)
    sure = sum(fitting[base]) >= SURE_FITTING
    for r in totals:
        row = view.printed_row(r)  # the view blanks a totals row's numbers
        counted, total_share = row[count], row[share]
        whole = integer_of(counted) if counted is not None and not counted.percent else None
        if whole is None or total_share is None or not total_share.percent or whole > base:
            continue
        yield Checked((*view.spans(r, (count, share)), stated))
        if not _fits(Fraction(whole, base), total_share):
            yield _problem(view, (r, count, share), (whole, base, stated), total_share, sure)


def _fits(x: Fraction, printed: Number) -> bool:
    """Under any rounding: which convention the office used is TBL001's and CONV's to say,
    and a share that fits one is no misprint of this base."""
    return any(holds(x, printed, r) for r in Rounding)


def _part(view: TableView, r: int, c: int) -> int | None:
    n = view.rows[r][c]
    return integer_of(n) if n is not None and not n.percent else None


def _share(view: TableView, r: int, c: int) -> Number | None:
    """The row's share; a bare figure in a column of percentages is one (5.49 among 6.14%)."""
    n = view.rows[r][c]
    if n is None or n.percent:
        return n
    others = [m for m in (row[c] for row in view.rows) if m is not None]
    return replace(n, percent=True) if sum(m.percent for m in others) > len(others) / 2 else None


def _problem(
    view: TableView,
    at: tuple[int, int, int],
    over: tuple[int, int, Span],
    printed: Number,
    sure: bool,
) -> Problem:
    r, count, share = at
    part, base, stated = over
    expected = format_as(Fraction(part, base), printed, view.rounding)
    held = "the shares of the other rows" if sure else "the shares of a few rows only"
    return Problem(
        message=(
            f"{view.where(r)} {view.labels[share]}: {part}/{base} is {expected}, "
            f"printed {printed.text}"
        ),
        evidence=evidence((*view.spans(r, (count, share)), stated)),
        reported=printed.text,
        expected=expected,
        explanation=f"{held} are their counts over {stated.text}, which the text states",
        table=view.name,
        row=view.records[r].row,
        column=view.labels[share],
        severity=None if sure else Severity.WARNING,
    )
