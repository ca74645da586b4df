"""Runs of the narrative's counts: where a sentence stops, the consecutive counts that add
up to a total, and the runs of counts that each print their share ("A类125件，占7.68%；B类…")
with the count before them they are shares of. Read by the list rules (text_sums.py and
those that share its lists) and by REL001's arithmetic search (reproduced.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Quantity, QuantityKind
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Rounding
from pipeline.validate.text_quantities import exact_count, holds_share

FULL_STOPS = "。！？!?"


def next_stop(text: str, start: int) -> int:
    """Where the sentence holding `start` ends: its full stop, or the end of `text`."""
    found = [i for c in FULL_STOPS if (i := text.find(c, start)) >= 0]
    return min(found) if found else len(text)


def sum_runs(parts: Sequence[Quantity], total: int) -> list[Quantity] | None:
    """The first run of consecutive parts (two or more) that adds up to the total."""
    values = [exact_count(q) or 0 for q in parts]
    for i in range(len(values)):
        acc = values[i]
        for j in range(i + 1, len(values)):
            acc += values[j]
            if acc == total:
                return list(parts[i : j + 1])
            if acc > total:
                break
    return None


def share_items(
    quantities: Sequence[Quantity], text: str
) -> Iterator[tuple[Quantity, list[Quantity], list[Quantity]]]:
    """Runs of counts that each have a share printed after them ("A类125件，占7.68%。B类…"),
    with the total they are shares of: the nearest count before the run that has no share
    of its own. Yields (total, counts, shares)."""
    run: list[tuple[Quantity, Quantity]] = []
    for i, q in enumerate(quantities):
        share = own_share(quantities, i)
        if share is not None and exact_count(q) is not None and q.series is None:
            run.append((q, share))
            continue
        if q.kind in (QuantityKind.CHANGE, QuantityKind.POINTS, QuantityKind.PERCENT):
            continue
        if exact_count(q) is None or _lost_percent(q) or _rate_numerator(quantities, i):
            # an amount, a share that lost its % sign, or an item's own sub-count ("办结
            # 746件，办结率81.1%") keeps the list together
            continue
        if len(run) >= 2:
            yield from _with_total(quantities, run, text)
        run = []
    if len(run) >= 2:
        yield from _with_total(quantities, run, text)


def own_share(quantities: Sequence[Quantity], i: int) -> Quantity | None:
    """The share printed after a count in its sentence, past changes; also a number that
    only lost its % to extraction ("占10.81`%"), which keeps a list together."""
    q = quantities[i]
    for p in quantities[i + 1 :]:
        if p.kind in (QuantityKind.CHANGE, QuantityKind.POINTS):
            continue
        if p.sentence != q.sentence:
            return None
        if p.kind is QuantityKind.PERCENT and p.role == "share":
            return p
        return p if _lost_percent(p) else None
    return None


def _rate_numerator(quantities: Sequence[Quantity], i: int) -> bool:
    """A count whose sentence goes on to the rate it is the numerator of: a fact about
    the item before it, not an item of the list."""
    q = quantities[i]
    if exact_count(q) is None:
        return False
    for p in quantities[i + 1 :]:
        if p.sentence != q.sentence:
            return False
        if p.kind is QuantityKind.PERCENT:
            return p.role == "rate"
    return False


def _lost_percent(q: Quantity) -> bool:
    """A number with decimals printed after 占 but without its %: extraction lost it."""
    return q.kind is QuantityKind.OTHER and q.value.decimals > 0 and q.label.endswith("占")


def _with_total(
    quantities: Sequence[Quantity],
    run: Sequence[tuple[Quantity, Quantity]],
    text: str,
) -> Iterator[tuple[Quantity, list[Quantity], list[Quantity]]]:
    """The total of a run: the nearest count before it that is no item of a list of its
    own and holds every item; none when words between them say the list is partial."""
    first = run[0][0]
    parts = [c for c, _ in run]
    shares = [s for _, s in run]
    largest = max(exact_count(c) or 0 for c in parts)
    candidates = []
    for q in reversed([p for p in quantities if p.start < first.start]):
        n = exact_count(q)
        if n is None or q.kind is not QuantityKind.COUNT or q.value.unit != first.value.unit:
            continue
        if q.series is not None or q.bracketed or n < largest:
            continue
        if any(w in text[q.end : first.start] for w in quantity_words().partial):
            break
        candidates.append(q)
    if candidates:
        # "建议401件，其中会议期间提出391件…交由…23件，占2.24%；…387件，占96.51%": the
        # shares say which count before them they are of; failing that, the nearest
        fitted = [q for q in candidates if _shares_fit(run, exact_count(q) or 0)]
        yield (fitted or candidates)[0], parts, shares


def _shares_fit(run: Sequence[tuple[Quantity, Quantity]], total: int) -> bool:
    """Most of the run's shares are their counts over `total`, under some rounding."""
    held = sum(
        holds_share(Fraction(exact_count(c) or 0), total, s.value, tuple(Rounding))
        for c, s in run
        if s.kind is QuantityKind.PERCENT
    )
    return 2 * held > len(run)


def trailing(text: str, last: Quantity, quantities: Sequence[Quantity]) -> list[Quantity]:
    """Counts printed after a run's last item up to the full stop, with no share of their
    own ("…举报3618件，占27%；咨询1件。"): parts of the same list."""
    stop = next_stop(text, last.end)
    found = []
    for i, q in enumerate(quantities):
        if not last.end <= q.start < stop or q.kind is not QuantityKind.COUNT:
            continue
        if _rate_numerator(quantities, i):
            continue  # the last item's own completed count
        if q.value.unit != last.value.unit or exact_count(q) is None:
            return []
        found.append(q)
    return found


def shares_whole(shares: Sequence[Quantity]) -> bool:
    """The shares of a list add up to 100% within their rounding: the list is complete."""
    if any(s.kind is not QuantityKind.PERCENT for s in shares):
        return False
    total = sum(s.value.value for s in shares)
    slack = sum(Fraction(1, 2 * 10**s.value.decimals) for s in shares)
    return abs(Fraction(total) - 100) <= slack
