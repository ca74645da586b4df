"""SHARE011: a share of a whole the document prints only in 万 or 亿.

"总人口为8.52万人" and later "0-17岁人口为70775人，占总人口的8.33%": the whole the share
names is printed rounded, so it stands for a range of counts (85150 to 85250 under half-up).
The share is judged over that range: it holds when some count of the range, under some
admitted rounding, gives it; it is an error when none does (70775 over any of them is about
83%). A whole the words name as an exact count is SHARE005's; a name that two different
rounded figures carry is ambiguous and left alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.numeric.arithmetic import Interval, Rounding, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    base_words,
    by_paragraph,
    clause_text,
    exact_count,
    is_scaled_count,
    name_distance,
    own_count,
    quantity_evidence,
    quantity_span,
)

SHARE_WORD = "占"


@rule(
    "SHARE011",
    Severity.ERROR,
    "a share of a whole printed only in 万 or 亿 is its count over a count that figure stands for",
)
def check_rounded_bases(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    everything = list(norm.quantities)
    position = {id(q): i for i, q in enumerate(everything)}
    items = _items(norm)
    for quantities in by_paragraph(norm).values():
        for i, share in enumerate(quantities):
            if share.kind is not QuantityKind.PERCENT or share.role != "share":
                continue
            count = own_count(quantities[:i], share)
            words = _whole_name(share.label)
            if count is None or len(words) < 2:
                continue
            base = _rounded_whole(everything[: position[id(share)]], words, count, items)
            if base is None:
                continue
            yield Checked(tuple(quantity_span(q) for q in (count, share, base)))
            if not _fits(count, base, share, accepted):
                yield _problem(count, base, share, words, accepted[0])


def _whole_name(label: str) -> str:
    """The whole a share names as printed, 总 kept: "占总人口的" -> "总人口" (the words
    SHARE005 matches drop 总; here the name must match the rounded figure's own words)."""
    if not base_words(label):
        return ""
    after = label[label.rfind(SHARE_WORD) + 1 :] if SHARE_WORD in label else ""
    return after.strip().removesuffix("的").removesuffix("中")


def _items(norm: Normalized) -> set[int]:
    """The counts followed by a share of their own (ids): items of some list, no whole
    ("受理投诉6.15万件，占受理总量25.26%" is no base of the next item's 占受理总量)."""
    found = set()
    for quantities in by_paragraph(norm).values():
        for i, q in enumerate(quantities):
            if q.kind is QuantityKind.PERCENT and q.role == "share":
                count = own_count(quantities[:i], q, scaled=True)
                if count is not None:
                    found.add(id(count))
    return found


def _rounded_whole(
    before: Sequence[Quantity], words: str, count: Quantity, items: set[int]
) -> Quantity | None:
    """The one rounded figure the words name, of the count's unit and no list's item, when
    no exact count is named by them (the exact one is the base then)."""
    exact, rounded = [], []
    for k, q in enumerate(before):
        if q is count or id(q) in items or words not in clause_text(before, k):
            continue
        if exact_count(q) is not None:
            exact.append(q)
        elif is_scaled_count(q) and q.value.unit == count.value.unit:
            rounded.append(q)
    if exact or not rounded:
        return None
    best = min(name_distance(words, q.label) for q in rounded)
    named = [q for q in rounded if name_distance(words, q.label) == best]
    if len({q.value.exact for q in named}) != 1:
        return None
    return named[-1]


def _fits(count: Quantity, base: Quantity, share: Quantity, accepted: Sequence[Rounding]) -> bool:
    n = exact_count(count) or 0
    for rounding in accepted:
        whole = interval_of(base.value, rounding)
        if whole.lo <= 0:
            continue
        quotient = Interval.point(Fraction(n)) / whole
        if quotient.meets(interval_of(share.value, rounding)):
            return True
    return False


def _problem(
    count: Quantity, base: Quantity, share: Quantity, words: str, rounding: Rounding
) -> Problem:
    n = exact_count(count) or 0
    whole = interval_of(base.value, rounding)
    low, high = (format_as(Fraction(n) / x, share.value) for x in (whole.hi, whole.lo))
    span = low if low == high else f"{low} to {high}"
    return Problem(
        message=(
            f"{share.value.text} of {count.value.text} is not its share of {words} "
            f"{base.value.text}: over any count that figure stands for it is {span}"
        ),
        evidence=tuple(quantity_evidence(q) for q in (share, count, base)),
        reported=share.value.text,
        expected=span,
        explanation=(
            f"the share names {words}, which the document prints only as {base.value.text}: "
            f"{n} over {whole.lo} to {whole.hi} gives {span}, and no admitted rounding of "
            f"{share.value.text} reaches it"
        ),
    )
