"""Shares of totals printed in 万 or 亿, judged within the bounds the rounding leaves.

"共接收投诉举报咨询5.77万件……举报7144件……占比12.36%": 5.77万 stands for any count from
57,650 to 57,750 (half-up), so the exact rules, which need exact counts, pass it by. Yet
the printed figures still bound each other: 7144 over any such total lies between 12.37%
and 12.39%, so 12.36% cannot be its share. SHARE007 takes a share printed after its own
count (exact or in 万; after 分别, the count in the same place of the run before it) whose
words name no other base, pairs it with the nearest total
before it in its paragraph that is printed in 万 or 亿, and checks that some counts within
the printed bounds reproduce it. The base is presumed, not named, so a share no bound
allows is a warning that says what base it would need, and a share that a total further
back in the paragraph allows is taken as that one's (two readings, neither sure).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Interval, Rounding, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    base_words,
    by_paragraph,
    is_scaled_count,
    own_count,
    quantity_evidence,
    quantity_span,
    series_runs,
)


@dataclass(frozen=True, slots=True)
class BoundShare:
    share: Quantity
    count: Quantity
    total: Quantity  # printed in 万 or 亿
    # totals printed further back: another reading, when the nearest does not fit
    others: tuple[Quantity, ...] = ()


def bound_shares(quantities: Sequence[Quantity]) -> Iterator[BoundShare]:
    pairs = []
    placed = _by_position(quantities)
    for i, q in enumerate(quantities):
        is_share = q.role == "share" or id(q) in placed  # a run's later shares say no 占
        if q.kind is not QuantityKind.PERCENT or not is_share or base_words(q.label):
            continue
        count = placed.get(id(q)) or own_count(quantities[:i], q, scaled=True)
        if count is not None:
            pairs.append((q, count))
    items = {id(count) for _, count in pairs}  # an item of the list is no total of it
    for share, count in pairs:
        totals = _scaled_totals(quantities[: quantities.index(count)], items)
        if totals and (count.value.scale != 1 or totals[0].value.scale != 1):
            yield BoundShare(share, count, totals[0], tuple(totals[1:]))


def _by_position(quantities: Sequence[Quantity]) -> dict[int, Quantity]:
    """Shares listed after 分别 ("投诉a件、举报b件、咨询c件，分别占x、y、z"), by id, with the
    count in the same place of the run before them: not the count each follows."""
    respectively = quantity_words().respectively
    placed: dict[int, Quantity] = {}
    for run in series_runs(quantities):
        first = run[0]
        if first.kind is not QuantityKind.PERCENT or first.role != "share":
            continue
        if not any(w in first.label for w in respectively) or base_words(first.label):
            continue  # "分别占投诉总量的…": over the count its words name, not the total
        last = [p for p in quantities if p.start < first.start][-len(run) :]
        if len(last) == len(run) and all(
            p.sentence == first.sentence and p.kind is QuantityKind.COUNT for p in last
        ):
            placed.update((id(share), count) for share, count in zip(run, last, strict=True))
    return placed


def _scaled_totals(before: Sequence[Quantity], items: set[int]) -> list[Quantity]:
    """The counts in 万 or 亿 before the item that are no items themselves and no list
    holds, nearest first: the first is its total, the others other readings."""
    return [
        q
        for q in reversed(before)
        if is_scaled_count(q) and q.series is None and not q.bracketed and id(q) not in items
    ]


def _span(count: Quantity, total: Quantity, rounding: Rounding) -> tuple[Fraction, Fraction]:
    """The least and greatest count/total the printed bounds allow."""
    c = interval_of(count.value, rounding, exact=count.value.scale == 1)
    t = interval_of(total.value, rounding)
    return c.lo / t.hi, c.hi / t.lo


def _allows(pair: BoundShare, rounding: Rounding) -> bool:
    lo, hi = _span(pair.count, pair.total, rounding)
    printed = interval_of(pair.share.value, rounding)
    if printed.hi < lo or hi < printed.lo:
        return False
    return Interval(lo, hi).intersect(printed) is not None


@rule("SHARE007", Severity.WARNING, "a share of a total printed in 万 fits the total's bounds")
def check_bound_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for quantities in by_paragraph(norm).values():
        for pair in bound_shares(quantities):
            spans = (
                quantity_span(pair.share),
                quantity_span(pair.count),
                quantity_span(pair.total),
            )
            yield Checked(spans)
            if any(_allows(pair, r) for r in accepted):
                continue
            # "全县常住人口48.62万人，城镇常住人口27.35万人……男性人口24.91万人，占51.23%":
            # a total further back that the share fits is a reading as good as the nearest
            other = next((o for o in pair.others if _fits(pair, o, accepted)), None)
            if other is None:
                yield _problem(pair, accepted[0] if accepted else Rounding.HALF_UP)
            else:
                yield Checked((quantity_span(pair.share), quantity_span(other)))


def _fits(pair: BoundShare, total: Quantity, accepted: Sequence[Rounding]) -> bool:
    again = BoundShare(pair.share, pair.count, total)
    return any(_allows(again, r) for r in accepted)


def _problem(pair: BoundShare, rounding: Rounding) -> Problem:
    lo, hi = _span(pair.count, pair.total, rounding)
    printed = interval_of(pair.share.value, rounding)
    count = interval_of(pair.count.value, rounding, exact=pair.count.value.scale == 1)
    total = interval_of(pair.total.value, rounding)
    need_lo, need_hi = math.ceil(count.lo / printed.hi), math.floor(count.hi / printed.lo)
    share_text, count_text = pair.share.value.text, pair.count.value.text
    return Problem(
        message=(
            f"{share_text} of {count_text} needs a base of {need_lo} to {need_hi}, but "
            f"{pair.total.value.text} stands for {math.ceil(total.lo)} to {math.floor(total.hi)}"
        ),
        evidence=tuple(quantity_evidence(q) for q in (pair.share, pair.count, pair.total)),
        reported=share_text,
        expected=f"{float(lo) * 100:.2f}% to {float(hi) * 100:.2f}%",
        explanation=(
            f"the share names no base; over the total printed before it, "
            f"{pair.total.value.text}, any count it may stand for gives "
            f"{float(lo) * 100:.2f}% to {float(hi) * 100:.2f}%"
        ),
    )
