"""TBL010: in a table of a whole and its 其中 splits, each row's share is its amount over the
whole's.

Statistics communiqués print 年末常住人口 with 比重 100.0 and under it the splits (其中:城镇 /
乡村, 其中:男性 / 女性, the age groups), each row with its amount and its share of the whole.
The whole is the row above the first 其中 whose share prints 100; the amount is the nearest
column before the share that holds no percentages. Amounts in 万 are rounded, so the share is
judged over the interval the two printed amounts stand for, under every admissible rounding.

The pairing is the row's own: an error when at least two other rows confirm the whole as the
base. A share one unit off that makes its split's printed shares add up to exactly 100 (the
recomputed ones do not) looks adjusted to close the split: a warning that says so, as TBL002
says of a share column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction

from pipeline.model import Checked, Normalized, Number, Problem, Severity
from pipeline.normalize.metrics import SHARE as SHARE_METRIC
from pipeline.numeric.arithmetic import Rounding, interval_of, round_fraction
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.table_subrows import adds_up, row_label, split_tables
from pipeline.validate.rules.tables import TableView, evidence

CONFIRMING = 2  # other rows over the whole before a share that breaks it is an error


@rule(
    "TBL010",
    Severity.ERROR,
    "under a whole whose share is 100, each 其中 row's share is its amount over the whole's",
)
def check_split_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for view, whole, groups in split_tables(norm, accepted[0]):
        for share, amount in _share_columns(view, whole):
            yield from _judge(view, (amount, share), whole, groups, accepted)


def _share_columns(view: TableView, whole: int) -> Iterator[tuple[int, int]]:
    """(share, amount) column pairs: a share column whose whole prints 100, and the nearest
    column before it whose whole prints an amount."""
    top = view.printed_row(whole)
    for c, column in enumerate(view.table.columns):
        n = top[c]
        if column.metric != SHARE_METRIC or n is None or n.value != 100:
            continue
        before = [a for a in range(c) if (m := top[a]) is not None and not m.percent]
        if before:
            yield c, before[-1]


def _judge(
    view: TableView,
    at: tuple[int, int],
    whole: int,
    groups: Sequence[Sequence[int]],
    accepted: Sequence[Rounding],
) -> Iterator[Problem | Checked]:
    amount = at[0]
    base = view.printed_row(whole)[amount]
    assert base is not None  # _share_columns chose the column for it
    rows = [r for group in groups for r in group if _pair(view, r, at) is not None]
    # a share printed to fewer places than the split's others is cut (a page ending in "1"
    # where 13.8 stood) or a different figure: it is left out, not judged
    places = Counter(pair[1].decimals for r in rows if (pair := _pair(view, r, at)))
    usual = places.most_common(1)[0][0] if places else 0
    rows = [r for r in rows if (pair := _pair(view, r, at)) and pair[1].decimals >= usual]
    fits = {r: _fits(view, r, at, base, accepted) for r in rows}
    for r in rows:
        yield Checked((*view.spans(r, at), *view.spans(whole, [amount])))
        if fits[r]:
            continue
        confirmed = sum(fits[o] for o in rows if o != r) >= CONFIRMING
        group = next(g for g in groups if r in g)
        closing = _closes(view, r, at, base, group, accepted[0])
        # when the split's amounts miss the whole (TBL009's finding) the amount may be the
        # misprint rather than the share: then the share is only a warning
        parts = [view.printed_row(g)[amount] for g in group]
        if closing:
            doubt: str | None = closing
        elif not adds_up(base, [p for p in parts if p is not None], accepted):
            doubt = "; the split's amounts miss the whole's, so the amount may be the misprint"
        elif not confirmed:
            doubt = "; too few other rows confirm the whole as the base"
        else:
            doubt = None
        yield _problem(view, (r, whole), at, doubt)


def _pair(view: TableView, r: int, at: tuple[int, int]) -> tuple[Number, Number] | None:
    row = view.printed_row(r)
    part, share = row[at[0]], row[at[1]]
    if part is None or share is None or part.percent or not share.percent:
        return None
    return part, share


def _fits(
    view: TableView, r: int, at: tuple[int, int], base: Number, accepted: Sequence[Rounding]
) -> bool:
    pair = _pair(view, r, at)
    assert pair is not None
    part, share = pair
    for rounding in accepted:
        whole = interval_of(base, rounding, exact=_is_count(base))
        if whole.lo <= 0:
            continue
        quotient = interval_of(part, rounding, exact=_is_count(part)) / whole
        if quotient.meets(interval_of(share, rounding)):
            return True
    return False


def _is_count(n: Number) -> bool:
    return n.decimals == 0 and n.scale == 1


def _recomputed(part: Number, base: Number, share: Number, rounding: Rounding) -> Decimal:
    quotient = Fraction(part.exact) / Fraction(base.exact)
    return round_fraction(quotient * 100, share.decimals, rounding)


def _closes(
    view: TableView,
    r: int,
    at: tuple[int, int],
    base: Number,
    group: Sequence[int],
    rounding: Rounding,
) -> str | None:
    """The group's printed shares add to exactly 100 with this one unit off, and the
    recomputed ones do not: the office closed the split by hand."""
    pairs = [p for g in group if (p := _pair(view, g, at)) is not None]
    if len(pairs) != len(group):
        return None
    part, share = _pair(view, r, at) or (None, None)
    assert part is not None and share is not None
    unit = Decimal(1).scaleb(-share.decimals)
    if abs(_recomputed(part, base, share, rounding) - share.value) != unit:
        return None
    shown = sum((s.value for _, s in pairs), Decimal(0))
    recomputed = sum((_recomputed(p, base, s, rounding) for p, s in pairs), Decimal(0))
    if shown != 100 or recomputed == 100:
        return None
    return (
        f"; the split's printed shares add to exactly 100 with {share.text}, the recomputed "
        f"ones to {recomputed}: it looks adjusted by one unit to close the split"
    )


def _problem(
    view: TableView, rows: tuple[int, int], at: tuple[int, int], doubt: str | None
) -> Problem:
    """An error, or a warning when `doubt` says why the share may not be the misprint."""
    r, whole = rows
    amount, share = at
    part, printed = view.printed_row(r)[amount], view.printed_row(r)[share]
    base = view.printed_row(whole)[amount]
    assert part is not None and printed is not None and base is not None
    expected = f"{_recomputed(part, base, printed, view.rounding)}%"
    spans = (*view.spans(r, at), *view.spans(whole, [amount]))
    return Problem(
        message=(
            f"{view.where(r)} {view.labels[share]}: {part.text} over the whole's "
            f"{base.text} ({row_label(view.records[whole])}) gives {expected}, not {printed.text}"
        ),
        evidence=evidence(spans),
        reported=printed.text,
        expected=expected,
        explanation=(
            "the row above the first 其中 prints a share of 100, so each split row's share is "
            "its amount over that row's, within the precision both amounts are printed to"
            + (doubt or "")
        ),
        table=view.name,
        row=view.records[r].row,
        column=view.labels[share],
        severity=None if doubt is None else Severity.WARNING,
    )
