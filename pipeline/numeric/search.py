"""The best of many candidate relations, found without judging each on every row.

`infer_formula` and `infer_sum` keep the candidate with the smallest rank among those
that `Acceptance` admits; the rank starts with the failure rate. Judging every candidate
on every row costs candidates × rows, and a table prints dozens of candidates per column.
The choice here is the same, found cheaper:

- which rows a candidate applies to is known before any arithmetic (its inputs and the
  target are printed, no divisor is 0), so its admissible failures are known in advance:
  at most (1 − support) of its rows, and no more than the failure rate of the best
  candidate so far allows;
- a candidate is dropped at the row where its failures exceed that allowance;
- a first pass allows no failure at all, so a candidate that holds everywhere (the common
  case) drops every other one at its first failing row; only when none does, a second pass
  judges the candidates in the order of how far they got in the first.

Ties keep the candidate that comes first, as a full `min` over every judged candidate would.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

C = TypeVar("C")
Key = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Search(Generic[C]):
    """One search: the candidates and how to judge them.

    `rows_of(c)` is the bitmask of rows `c` applies to; `holds_at(c, r)` judges `c` on one of
    them; `rank(c, fails, applicable)` orders the admitted candidates (smallest first; a
    tuple whose first item is the failure rate); `admits(applicable)` says whether a
    candidate applying to that many rows may be kept at all; `support` is the share of its
    rows on which it must hold. `known(c)` gives a candidate's failures when they were
    counted in advance (None: judge it); `valid(c)` is a last check made only on a
    candidate about to become the best (one too costly to make on all of them).
    """

    candidates: Sequence[C]
    rows_of: Callable[[C], int]
    holds_at: Callable[[C, int], bool]
    rank: Callable[[C, int, int], Key]
    admits: Callable[[int], bool]
    support: Fraction
    known: Callable[[C], int | None] = lambda c: None
    valid: Callable[[C], bool] = lambda c: True


def rows_in(mask: int) -> Iterator[int]:
    """The row indexes set in `mask`, in increasing order."""
    r = 0
    while mask:
        if mask & 1:
            yield r
        mask >>= 1
        r += 1


KILLERS = 8  # rows remembered for having failed a candidate


def _failures(
    search: Search[C], c: C, mask: int, allowed: int, killers: list[int]
) -> tuple[int, int]:
    known = search.known(c)
    if known is not None:
        return known, mask.bit_count() - known
    return _judged_failures(search, c, mask, allowed, killers)


def _judged_failures(
    search: Search[C], c: C, mask: int, allowed: int, killers: list[int]
) -> tuple[int, int]:
    """(failures, rows judged) on the rows of `mask`, stopping once failures exceed `allowed`.

    The rows that failed earlier candidates (`killers`, most recent first, updated here) are
    judged first: wrong candidates of one column tend to fail on the same rows, and the
    count of failures does not depend on the order.
    """
    first = [r for r in killers if mask >> r & 1]
    rest = mask & ~sum(1 << r for r in first)
    fails = judged = 0
    for r in itertools.chain(first, rows_in(rest)):
        judged += 1
        if not search.holds_at(c, r):
            fails += 1
            if r in killers:
                killers.remove(r)
            killers.insert(0, r)
            del killers[KILLERS:]
            if fails > allowed:
                break
    return fails, judged


@dataclass(slots=True)
class _Best:
    key: Key | None = None
    index: int = -1
    rate: Fraction = Fraction(1)

    def offer(self, key: Key, index: int, rate: Fraction) -> None:
        if self.key is None or key < self.key:
            self.key, self.index, self.rate = key, index, rate


def best_candidate(search: Search[C]) -> tuple[int, int] | None:
    """(index of the kept candidate, its failures), or None when no candidate is admitted."""
    best = _Best()
    killers: list[int] = []
    later: list[tuple[int, int, int]] = []  # (-rows judged, index, mask) for the second pass
    for i, c in enumerate(search.candidates):
        mask = search.rows_of(c)
        applicable = mask.bit_count()
        if not search.admits(applicable):
            continue
        fails, judged = _failures(search, c, mask, 0, killers)
        if fails == 0 and search.valid(c):
            best.offer((*search.rank(c, 0, applicable), i), i, Fraction(0))
        elif best.key is None:
            later.append((-judged, i, mask))
    if best.key is not None:
        return best.index, 0
    fails_of: dict[int, int] = {}
    for _, i, mask in sorted(later):
        c = search.candidates[i]
        applicable = mask.bit_count()
        allowed = math.floor(min(1 - search.support, best.rate) * applicable)
        fails, _ = _failures(search, c, mask, allowed, killers)
        if fails <= allowed and search.valid(c):
            fails_of[i] = fails
            best.offer((*search.rank(c, fails, applicable), i), i, Fraction(fails, applicable))
    return (best.index, fails_of[best.index]) if best.key is not None else None
