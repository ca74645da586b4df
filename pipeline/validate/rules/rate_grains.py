"""Rates a whole number of the orders before them cannot give (RATE002).

"转办工单47条，反馈率97.37%，按期反馈率94.74%，办结率89.47%": no count of the 47 is
printed for the rates, so RATE001 cannot recompute them, yet 47 orders leave only 48
possible rates (0/47, 1/47, …), and 97.37% is none of them (46/47 is 97.87%). As in a
GRIM test, a rate over a small base must be some whole number of it over it. The rates
read are those taken over the orders themselves (办结率, 反馈率: `over_orders` in
rates.json), printed right after the count in its sentence with nothing else between.
The count must be of orders received (工单, 受理, 转办: `order_words`), not of orders
done (按期办结27件，按时办结率…: `done_words`), which is the rate's numerator, and the only
count of its sentence so far. The base is presumed from the order of the words, so a
rate no whole number gives is a warning; when every rate of the run fits one smaller
base, the warning names it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.rates import order_words
from pipeline.numeric.arithmetic import Rounding, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    NAME_FILLERS,
    by_paragraph,
    exact_count,
    quantity_evidence,
)


@rule(
    "RATE002",
    Severity.WARNING,
    "a rate over the orders printed before it is a whole number of them",
)
def check_rate_grains(norm: Normalized) -> Iterator[Problem]:
    accepted = admissible_roundings(norm)
    for quantities in by_paragraph(norm).values():
        for base, rates in _runs(quantities):
            failing = [q for q in rates if not _reachable(q, base, accepted)]
            if failing:
                smaller = _common_base(rates, base, accepted)
                yield from (_problem(q, base, smaller) for q in failing)


def _runs(quantities: Sequence[Quantity]) -> Iterator[tuple[int, list[Quantity]]]:
    """Each count followed in its sentence by rates over orders and nothing else."""
    for i, q in enumerate(quantities):
        n = exact_count(q)
        if n is None or n <= 0 or not _alone(quantities, i):
            continue
        rates = []
        for p in quantities[i + 1 :]:
            if p.sentence != q.sentence or p.kind is not QuantityKind.PERCENT:
                break
            if _rate_name(p) is None:
                break  # another figure
            rates.append(p)
        if rates:
            yield n, rates


def _alone(quantities: Sequence[Quantity], i: int) -> bool:
    """The count is of orders received (工单, 受理, 转办), not of orders done, the only one
    of its sentence up to it, and no item of a list: after
    "受理3136宗，办结2477宗，在办659宗" or "（其中办结1821件，驳回98件）" the rate's base is
    not the count nearest to it."""
    q = quantities[i]
    words = order_words()
    if q.bracketed or q.series is not None or any(w in q.label for w in words.done):
        return False  # a count of orders done (按期办结27件) is a numerator, not the base
    if not any(w in q.label for w in words.orders):
        return False
    return not any(p.sentence == q.sentence and exact_count(p) is not None for p in quantities[:i])


def _rate_name(q: Quantity) -> str | None:
    words = q.label.rstrip(NAME_FILLERS)
    return next((n for n in order_words().rates if words.endswith(n)), None)


def _reachable(q: Quantity, base: int, accepted: Sequence[Rounding]) -> bool:
    """Some whole number from 0 to `base`, over `base`, prints as the rate."""
    for r in accepted:
        printed = interval_of(q.value, r)
        lo = max(0, int(printed.lo * base) - 1)
        hi = min(base, int(printed.hi * base) + 1)
        if any(printed.contains(Fraction(k, base)) for k in range(lo, hi + 1)):
            return True
    return False


def _common_base(rates: Sequence[Quantity], base: int, accepted: Sequence[Rounding]) -> int | None:
    """The largest base below `base` that gives every rate of the run."""
    for m in range(base - 1, 0, -1):
        if all(_reachable(q, m, accepted) for q in rates):
            return m
    return None


def _problem(q: Quantity, base: int, smaller: int | None) -> Problem:
    why = (
        f"with no count of its own printed, the rate is read over the {base} orders before "
        f"it, and no whole number of them gives {q.value.text}"
    )
    if smaller is not None:
        why += (
            f"; every rate of the sentence fits a base of {smaller}, which the text does not print"
        )
    return Problem(
        message=f"{q.value.text} is no whole number of {base} over {base}",
        evidence=(quantity_evidence(q),),
        reported=q.value.text,
        expected=None,
        explanation=why,
    )
