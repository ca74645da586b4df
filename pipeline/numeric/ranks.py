"""Rank order: rows listed by descending score, and the printed ranks under their convention.

Tables print ranks as 1,2,2,4 (competition), 1,2,2,3 (dense) or 1,2,3,4 with
distinct numbers for tied rows (ordinal); the convention is the one that leaves
the fewest rows wrong.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Collection, Sequence
from decimal import Decimal
from fractions import Fraction


class RankConvention(enum.StrEnum):
    COMPETITION = "competition"  # 1, 2, 2, 4
    DENSE = "dense"  # 1, 2, 2, 3
    ORDINAL = "ordinal"  # 1, 2, 3, 4: tied rows still get distinct numbers


def expected_ranks(
    values: Sequence[Fraction],
    convention: RankConvention,
    *,
    descending: bool = True,
    skip: Collection[int] = (),
) -> list[range | None]:
    """For each row, the rank numbers the convention allows it (None for `skip` rows).

    Ranks are computed among the rows not skipped; a skipped row listed earlier
    still takes up a rank number, so later ranks shift by one for each.
    """
    signed = [v if descending else -v for v in values]
    skipped = set(skip)
    ranked = sorted(v for i, v in enumerate(signed) if i not in skipped)  # ascending
    # counts by bisection over the sorted values: counting by scanning made a list of n
    # rows cost n² comparisons of Fractions
    place = {v: p for p, v in enumerate(sorted(set(ranked), reverse=True))}
    out: list[range | None] = []
    shift = 0  # skipped rows listed before this one
    for i, v in enumerate(signed):
        if i in skipped:
            out.append(None)
            shift += 1
            continue
        not_above = bisect.bisect_right(ranked, v)
        better = len(ranked) - not_above
        if convention is RankConvention.DENSE:
            first = place[v] + 1
            out.append(range(first + shift, first + shift + 1))
        elif convention is RankConvention.COMPETITION:
            out.append(range(better + 1 + shift, better + 2 + shift))
        else:
            tied = not_above - bisect.bisect_left(ranked, v)
            out.append(range(better + 1 + shift, better + tied + 1 + shift))
    return out


def out_of_order(values: Sequence[Fraction], *, descending: bool = True) -> list[int]:
    """Rows outside a longest run that is in order (non-increasing when descending)."""
    keys = [-v if descending else v for v in values]
    tails: list[Fraction] = []
    tail_rows: list[int] = []
    previous: list[int | None] = []
    for i, key in enumerate(keys):
        pos = bisect.bisect_right(tails, key)
        previous.append(tail_rows[pos - 1] if pos else None)
        if pos == len(tails):
            tails.append(key)
            tail_rows.append(i)
        else:
            tails[pos] = key
            tail_rows[pos] = i
    kept: set[int] = set()
    row: int | None = tail_rows[-1] if tail_rows else None
    while row is not None:
        kept.add(row)
        row = previous[row]
    return [r for r in range(len(values)) if r not in kept]


def _allowed_ranks(
    values: Sequence[Fraction],
    convention: RankConvention,
    displaced: Collection[int],
    descending: bool,
) -> list[set[int]]:
    """Ranks a row may carry: right for the values, or right for the order as listed."""
    by_value = expected_ranks(values, convention, descending=descending)
    as_listed = expected_ranks(values, convention, descending=descending, skip=displaced)
    return [set(a or ()) | set(b or ()) for a, b in zip(by_value, as_listed, strict=True)]


def _wrong_ranks(
    values: Sequence[Fraction],
    ranks: Sequence[int],
    convention: RankConvention,
    displaced: Collection[int],
    descending: bool,
) -> set[int]:
    allowed = _allowed_ranks(values, convention, displaced, descending)
    wrong = {i for i, (r, a) in enumerate(zip(ranks, allowed, strict=True)) if r not in a}
    if convention is RankConvention.ORDINAL:
        wrong |= _repeated(ranks, wrong)
    return wrong


def _broken_ties(values: Sequence[Fraction], ranks: Sequence[int], descending: bool) -> set[int]:
    """Rows of a printed tie ranked one after another (95.50 and 95.50 ranked 3 and 4): the
    unrounded scores behind a printed tie may differ, so their order is the office's to
    give, and the ranks are right when they fill exactly the places of the tie."""
    places = expected_ranks(values, RankConvention.ORDINAL, descending=descending)
    groups: dict[Fraction, list[int]] = {}
    for i, v in enumerate(values):
        groups.setdefault(v, []).append(i)
    found: set[int] = set()
    for rows in groups.values():
        span = places[rows[0]]
        if len(rows) > 1 and span is not None and sorted(ranks[i] for i in rows) == list(span):
            found.update(rows)
    return found


def _repeated(ranks: Sequence[int], wrong: Collection[int]) -> set[int]:
    """Rows whose rank number an earlier, rightly ranked row already carries."""
    seen: set[int] = set()
    repeated = set()
    for i, r in enumerate(ranks):
        if r in seen:
            repeated.add(i)
        if i not in wrong:
            seen.add(r)
    return repeated


def infer_rank_convention(
    values: Sequence[Fraction], ranks: Sequence[int], *, descending: bool = True
) -> RankConvention:
    """The convention under which the fewest printed ranks are wrong.

    Ties go to the convention whose wrong ranks sit nearest the ranks it allows
    (one mistyped rank next to a tie should not make the tie look wrong), then
    to the listed order.
    """
    displaced = out_of_order(values, descending=descending)

    def cost(c: RankConvention) -> tuple[int, int]:
        wrong = _wrong_ranks(values, ranks, c, displaced, descending)
        allowed = expected_ranks(values, c, descending=descending)
        return len(wrong), sum(_distance(ranks[i], allowed[i]) for i in wrong)

    return min(RankConvention, key=cost)


def _distance(rank: int, allowed: range | None) -> int:
    if not allowed:
        return 0
    return 0 if rank in allowed else min(abs(rank - allowed[0]), abs(rank - allowed[-1]))


def check_rank_order(
    values: Sequence[Fraction | Decimal],
    ranks: Sequence[int] | None,
    *,
    descending: bool = True,
) -> list[int]:
    """Rows out of order, or whose printed rank is wrong under the inferred convention.

    Out of order means outside a longest in-order run of the listed values. A
    rank is right when it fits the values, or fits the order as listed (so one
    misplaced row does not make every rank after it wrong). The convention
    (competition 1,2,2,4; dense 1,2,2,3; ordinal 1,2,3,4) is the one that leaves
    the fewest rows wrong. Raises ValueError when `ranks` and `values` differ in
    length.
    """
    exact = [Fraction(v) for v in values]
    displaced = out_of_order(exact, descending=descending)
    if ranks is None:
        return displaced
    if len(ranks) != len(exact):
        raise ValueError(f"{len(ranks)} ranks for {len(exact)} values")
    convention = infer_rank_convention(exact, ranks, descending=descending)
    broken = _broken_ties(exact, ranks, descending)
    # a printed tie ranked apart fits every convention, so judge under the one that
    # leaves the fewest rows wrong once such ties are accepted (the inferred one first)
    wrong = min(
        (
            _wrong_ranks(exact, ranks, c, displaced, descending) - broken
            for c in (convention, *RankConvention)
        ),
        key=len,
    )
    return sorted(wrong | set(displaced))
