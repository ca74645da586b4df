"""Search a small space of causes for a figure that does not add up.

Each search returns candidates ranked by plausibility, best first, and an empty
list when nothing in its space explains the figure; callers say so in that case.
Candidates built from numbers printed elsewhere in the document carry the tags
the caller attached to those numbers (where they were printed).
"""

from __future__ import annotations

import enum
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

from pipeline.model import Number
from pipeline.numeric.arithmetic import Interval, Rounding, integers_in, interval_of

T = TypeVar("T")

_MAX_DENOMINATOR_OFFSET = 3


# --- ratios ----------------------------------------------------------------------


class RatioKind(enum.StrEnum):
    """Where a candidate numerator/denominator pair comes from, most plausible first."""

    BOTH_PRINTED = "both_printed"
    DENOMINATOR_PRINTED = "denominator_printed"
    NEAR_DENOMINATOR = "near_denominator"
    NUMERATOR_OFF_BY_ONE = "numerator_off_by_one"


_RATIO_KIND_ORDER = {kind: i for i, kind in enumerate(RatioKind)}


@dataclass(frozen=True, slots=True)
class RatioExplanation(Generic[T]):
    """A pair num/den that reproduces a printed rate.

    The tags say where each number was printed in the document (empty when it
    was not printed there).
    """

    numerator: int
    denominator: int
    kind: RatioKind
    numerator_tags: tuple[T, ...] = ()
    denominator_tags: tuple[T, ...] = ()

    @property
    def value(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def description(self) -> str:
        sides = (("numerator", self.numerator_tags), ("denominator", self.denominator_tags))
        printed = [name for name, tags in sides if tags]
        origin = f" ({' and '.join(printed)} printed in the document)" if printed else ""
        return f"{self.numerator}/{self.denominator} [{self.kind}]{origin}"


def explain_ratio(
    printed: Number,
    *,
    numerator: int | None,
    denominator: int | None,
    pool: Sequence[tuple[int, T]],
    rounding: Rounding = Rounding.HALF_UP,
    limit: int | None = 10,
) -> list[RatioExplanation[T]]:
    """Pairs num/den that reproduce the printed rate, most plausible first.

    Searched in this order: both numbers from `pool` (the document's own printed
    integers, each with a tag); a denominator from the pool with the integer
    numerator nearest the stated one; the stated denominator ±1..3; the stated
    numerator ±1. Within a kind, pairs closer (relatively) to the stated
    denominator, then numerator, come first. The stated pair itself is never
    returned. At most `limit` candidates (all when None).
    """
    target = interval_of(printed, rounding)
    tags = _tags_by_value(pool)
    found: dict[tuple[int, int], RatioKind] = {}
    for num, den, kind in _ratio_candidates(target, numerator, denominator, tags):
        if (num, den) != (numerator, denominator):
            found.setdefault((num, den), kind)
    ranked = sorted(
        found.items(),
        key=lambda item: (
            _RATIO_KIND_ORDER[item[1]],
            _closeness(item[0][1], denominator),
            _closeness(item[0][0], numerator),
            item[0][1],
            item[0][0],
        ),
    )
    explanations = [
        RatioExplanation(num, den, kind, tags.get(num, ()), tags.get(den, ()))
        for (num, den), kind in ranked
    ]
    return explanations if limit is None else explanations[:limit]


def _tags_by_value(pool: Sequence[tuple[int, T]]) -> dict[int, tuple[T, ...]]:
    tags: dict[int, tuple[T, ...]] = {}
    for value, tag in pool:
        tags[value] = (*tags.get(value, ()), tag)
    return tags


def _closeness(value: int, stated: int | None) -> Fraction:
    if not stated:
        return Fraction(0)
    return Fraction(abs(value - stated), abs(stated))


def _ratio_candidates(
    target: Interval,
    numerator: int | None,
    denominator: int | None,
    tags: dict[int, tuple[T, ...]],
) -> Iterator[tuple[int, int, RatioKind]]:
    yield from _printed_candidates(target, numerator, tags)
    if denominator is not None:
        yield from _stated_candidates(target, numerator, denominator)


def _printed_candidates(
    target: Interval, numerator: int | None, tags: dict[int, tuple[T, ...]]
) -> Iterator[tuple[int, int, RatioKind]]:
    dens = sorted(d for d in tags if d > 0)
    printed = sorted(tags)
    for den in dens:
        # The printed numbers inside the range, not the range's numbers one by one: a
        # denominator of 12-15 digits makes a range of billions (linear in the pool).
        numerators = _numerators(target, den)
        for num in printed:
            if num in numerators:
                yield num, den, RatioKind.BOTH_PRINTED
    for den in dens:
        nearest = _nearest_numerator(target, den, numerator)
        if nearest is not None:
            yield nearest, den, RatioKind.DENOMINATOR_PRINTED


def _stated_candidates(
    target: Interval, numerator: int | None, denominator: int
) -> Iterator[tuple[int, int, RatioKind]]:
    for offset in range(1, _MAX_DENOMINATOR_OFFSET + 1):
        for den in (denominator - offset, denominator + offset):
            nearest = _nearest_numerator(target, den, numerator) if den > 0 else None
            if nearest is not None:
                yield nearest, den, RatioKind.NEAR_DENOMINATOR
    if numerator is not None and denominator > 0:
        for num in (numerator - 1, numerator + 1):
            if target.contains(Fraction(num, denominator)):
                yield num, denominator, RatioKind.NUMERATOR_OFF_BY_ONE


def _numerators(target: Interval, den: int) -> range:
    """The integers n with n/den inside `target` (den > 0)."""
    return integers_in(target * Interval.point(den))


def _nearest_numerator(target: Interval, den: int, numerator: int | None) -> int | None:
    candidates = _numerators(target, den)
    if not candidates:
        return None
    wanted = Fraction(numerator) if numerator is not None else (target.lo + target.hi) / 2 * den
    return min(max(round(wanted), candidates[0]), candidates[-1])


# --- digit slips and sums --------------------------------------------------------


class SlipKind(enum.StrEnum):
    """Why a sum fails to hold, most telling first."""

    TRANSPOSITION = "transposition"
    DIGIT = "digit"
    OMITTED_PART = "omitted_part"
    OFF_BY_ONE = "off_by_one"


_SLIP_KIND_ORDER = {kind: i for i, kind in enumerate(SlipKind)}


@dataclass(frozen=True, slots=True)
class SumExplanation:
    """One figure of a sum that, changed to `corrected`, makes the sum hold.

    `part` indexes the parts; None means the printed total. For OMITTED_PART the
    corrected value is 0 (the total leaves that part out); for OFF_BY_ONE the
    figure is the total, though any one part may be the one off.
    """

    kind: SlipKind
    part: int | None
    printed: int
    corrected: int

    @property
    def description(self) -> str:
        where = "the total" if self.part is None else f"part {self.part + 1}"
        if self.kind is SlipKind.OMITTED_PART:
            return f"the total leaves out {where} ({self.printed})"
        if self.kind is SlipKind.OFF_BY_ONE:
            return f"the total {self.printed} is off by one from the parts' sum {self.corrected}"
        return f"{where} printed {self.printed}, {self.kind} of {self.corrected}"


def digit_slips(n: int) -> set[int]:
    """Integers one changed digit or one swap of adjacent digits away from `n`.

    No result gains a leading zero; the sign is kept; `n` itself is excluded.
    """
    sign = -1 if n < 0 else 1
    return {sign * int(s) for s in _changed_digits(str(abs(n))) | _swapped_digits(str(abs(n)))}


def _changed_digits(s: str) -> set[str]:
    out: set[str] = set()
    for i, old in enumerate(s):
        for new in string.digits:
            if new != old and not (i == 0 and new == "0" and len(s) > 1):
                out.add(s[:i] + new + s[i + 1 :])
    return out


def _swapped_digits(s: str) -> set[str]:
    return {
        s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        for i in range(len(s) - 1)
        if s[i] != s[i + 1] and not (i == 0 and s[1] == "0")
    }


def _slip_kind(printed: int, corrected: int) -> SlipKind | None:
    a, b = str(abs(printed)), str(abs(corrected))
    if (printed < 0) != (corrected < 0) or len(a) != len(b):
        return None
    if b in _swapped_digits(a):
        return SlipKind.TRANSPOSITION
    if b in _changed_digits(a):
        return SlipKind.DIGIT
    return None


def explain_sum(printed_total: int, parts: Sequence[int]) -> list[SumExplanation]:
    """Single-figure slips that reconcile `parts` with `printed_total`, best first.

    Tried: the total or one part misprinted by a transposition or one changed
    digit; a part left out of the total; a difference of exactly one. Empty when
    the sum holds or nothing here explains it.
    """
    actual = sum(parts)
    if actual == printed_total:
        return []
    found = list(_sum_slips(printed_total, parts, actual))
    if abs(actual - printed_total) == 1:
        found.append(SumExplanation(SlipKind.OFF_BY_ONE, None, printed_total, actual))
    return sorted(found, key=lambda e: (_SLIP_KIND_ORDER[e.kind], -1 if e.part is None else e.part))


def _sum_slips(total: int, parts: Sequence[int], actual: int) -> Iterator[SumExplanation]:
    kind = _slip_kind(total, actual)
    if kind is not None:
        yield SumExplanation(kind, None, total, actual)
    for i, part in enumerate(parts):
        needed = total - (actual - part)
        if needed == 0 and part != 0:
            yield SumExplanation(SlipKind.OMITTED_PART, i, part, 0)
        kind = _slip_kind(part, needed)
        if kind is not None:
            yield SumExplanation(kind, i, part, needed)


# --- shares over a common base ---------------------------------------------------


def share_base(
    parts: Sequence[tuple[int, Number]], rounding: Rounding = Rounding.HALF_UP
) -> Interval | None:
    """The bases B for which every count/B prints as its share.

    Each part is (count, printed share); the result is the intersection over the
    parts of count / interval(share). Parts whose count is not positive or whose
    share interval reaches 0 bound nothing and are skipped. None when the shares
    admit no common base or no part bounds it.
    """
    base: Interval | None = None
    for count, share in parts:
        bases = _bases_for(count, share, rounding)
        if bases is None:
            continue
        base = bases if base is None else base.intersect(bases)
        if base is None:
            return None
    return base


def _bases_for(count: int, share: Number, rounding: Rounding) -> Interval | None:
    shares = interval_of(share, rounding)
    if count <= 0 or shares.lo <= 0:
        return None
    return Interval.point(count) / shares


def integer_bases(
    parts: Sequence[tuple[int, Number]], rounding: Rounding = Rounding.HALF_UP
) -> range:
    """The integer bases that reproduce every share (see `share_base`); may be empty."""
    base = share_base(parts, rounding)
    return range(0) if base is None else integers_in(base)


# --- values copied from a neighbour ----------------------------------------------


@dataclass(frozen=True, slots=True)
class CopiedValue(Generic[T]):
    """A neighbouring figure that prints the same value as a wrong one.

    `how` says where it stands relative to the wrong figure ("the row above", "the
    previous period's column"); the tag says where it was printed.
    """

    how: str
    printed: Number
    tag: T


def copied_from(wrong: Number, neighbours: Sequence[tuple[str, Number, T]]) -> list[CopiedValue[T]]:
    """The neighbours (how, number, tag) that print exactly the wrong figure's value, in the
    order given (nearest first).

    Equal means the same exact value, decimals and units: a copy keeps the printed digits.
    """
    return [
        CopiedValue(how, n, tag)
        for how, n, tag in neighbours
        if n.exact == wrong.exact and n.decimals == wrong.decimals and n.percent == wrong.percent
    ]
