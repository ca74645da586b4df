"""Shares (占比) stated in the text, against the base their section names.

The shares of one list reproduce a range of bases (the intersection of
count/share over its items). The base the section names is the total received
over the channels it speaks of (hotline, mailbox, ...). When the shares fit
another printed total instead, that is a warning naming it; when they fit no
printed total, each share that the named base does not reproduce is an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import (
    Checked,
    Claim,
    ClaimKind,
    Evidence,
    Normalized,
    Problem,
    Severity,
    Span,
)
from pipeline.normalize.paragraphs import sentences
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import (
    Interval,
    Rounding,
    conventions_that_hold,
    format_as,
    holds,
)
from pipeline.validate.explain import share_base
from pipeline.validate.facts import as_int, claim_evidence, claim_span, paragraph_of, rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_lists import handled_spans
from pipeline.validate.rules.unnamed_shares import agreeing_shares
from pipeline.validate.text_quantities import (
    LABEL_FILLER,
    adjacent_count,
    base_words,
    exact_count,
    quantity_of,
    quantity_span,
)

BASE_METRIC = "received"


@dataclass(frozen=True, slots=True)
class Item:
    """One listed item: its count claim and its share claim."""

    count: Claim
    share: Claim

    @property
    def n(self) -> int:
        value = as_int(self.count)
        assert value is not None
        return value


@dataclass(frozen=True, slots=True)
class Base:
    """A candidate base: its value, the claims it comes from, and how to say it."""

    value: int
    claims: tuple[Claim, ...]
    words: str
    # the document's first total, taken when the list names no base of its own
    presumed: bool = False


def _items(norm: Normalized) -> dict[int | None, list[Item]]:
    """Share items grouped by the section that lists them (the parent of their own)."""
    groups: dict[int | None, list[Item]] = {}
    listed = handled_spans(norm)  # shares of a list, paired by position (SHARE003/004)
    for share in norm.claims:
        if share.kind is not ClaimKind.SHARE or share.value is None:
            continue
        if claim_span(share) in listed:
            continue
        count = _count_for(norm, share)
        if count is not None:
            groups.setdefault(_list_key(norm, share), []).append(Item(count, share))
    return groups


def _count_for(norm: Normalized, share: Claim) -> Claim | None:
    """The count of the share's own item; a share without an item names no count."""
    if not share.subject:
        return None
    para = paragraph_of(norm, share)
    for c in norm.claims:
        if (
            c.kind is ClaimKind.COUNT
            and c.subject == share.subject
            and paragraph_of(norm, c) == para
            and as_int(c) is not None
        ):
            return c
    return None


def _unnamed(norm: Normalized, share: Claim, agreeing: set[Span]) -> bool:
    """The share's words name no base ("占比28.07%") and the shares listed with it agree on
    a base of their own: SHARE006 judges them against each other, not against a total the
    section only implies."""
    q = quantity_of(norm, claim_span(share))
    return q is not None and not base_words(q.label) and quantity_span(q) in agreeing


def _paired(norm: Normalized, item: Item) -> bool:
    """The share is printed right after the count it is paired with ("A类12件，占3.5%"):
    a pairing by subject alone may be another count's (the 10 of "第一类10个部门…140件")."""
    count = adjacent_count(norm, claim_span(item.share))
    if count is None:
        return quantity_of(norm, claim_span(item.share)) is None  # no quantity to judge by
    return quantity_span(count) == claim_span(item.count)


def _over_count_before(norm: Normalized, item: Item) -> bool:
    """Whether a share whose words name no base ("占比") is its count over a larger count
    printed before it in its paragraph (a category whose own breakdown the list goes on to):
    a reading that makes it hold."""
    share = quantity_of(norm, claim_span(item.share))
    if share is None or item.share.value is None or base_words(share.label):
        return False
    for q in norm.quantities:
        whole = exact_count(q) if q.paragraph == share.paragraph and q.end <= share.start else None
        if (
            whole
            and whole > item.n
            and holds(Fraction(item.n, whole), item.share.value, rounding_of(norm))
        ):
            return True
    return False


def _list_key(norm: Normalized, share: Claim) -> int | None:
    if share.section is None:
        return None
    parent = norm.document.sections[share.section].parent
    return parent if parent is not None else share.section


def _totals(norm: Normalized) -> list[Claim]:
    """Counts of the whole (no subject), as the text states them."""
    return [c for c in norm.claims if c.kind is ClaimKind.COUNT and not c.subject and as_int(c)]


def list_total(norm: Normalized, key: int | None) -> Base | None:
    """The total the list's own section states before its items ("共受理9461件")."""
    if key is None:
        return None
    found = [
        c
        for c in _totals(norm)
        if c.section == key and c.metric == BASE_METRIC and c.direction != "previous"
    ]
    if not found:
        return None
    total = found[0]
    return Base(as_int(total) or 0, (total,), f"the list's stated total {as_int(total)}")


def named_base(
    norm: Normalized, key: int | None, scope: Sequence[str], items: Sequence[Item] = ()
) -> Base | None:
    """The base a list names: its own stated total, else the channels' totals, else (a list
    that names no channel, such as the department with the most items) the document's
    first stated total received."""
    return list_total(norm, key) or stated_base(norm, scope) or _first_total(norm, scope, items)


def _first_total(norm: Normalized, scope: Sequence[str], items: Sequence[Item]) -> Base | None:
    """The document's first total received, when it is exact (not 1.13万) and holds the
    list's items."""
    if scope:
        return None
    found = [
        c
        for c in norm.claims
        if c.kind is ClaimKind.COUNT
        and not c.subject
        and c.metric == BASE_METRIC
        and c.direction is None
    ]
    total = as_int(found[0]) if found else None
    if total is None or total < sum(i.n for i in items):
        return None
    return Base(total, (found[0],), f"the document's stated total {total}", presumed=True)


def _other_totals_received(norm: Normalized, items: Sequence[Item], named: Base) -> bool:
    """A list whose base is only the document's first total may be over another total
    received (a channel's): shares that fit one are not wrong."""
    if not named.presumed:
        return False
    return any(b.claims[0].metric == BASE_METRIC for b in _printed_bases(norm, items))


def stated_base(norm: Normalized, scope: Sequence[str]) -> Base | None:
    """The total received over the channels a list speaks of, when each is stated."""
    picked = []
    for channel in scope:
        found = [c for c in _totals(norm) if c.metric == BASE_METRIC and c.scope == (channel,)]
        if not found:
            return None
        picked.append(found[0])
    if not picked:
        return None
    words = " + ".join(f"{c.scope[0]} {c.metric} {as_int(c)}" for c in picked)
    return Base(sum(as_int(c) or 0 for c in picked), tuple(picked), words)


def lead_base(norm: Normalized, items: Sequence[Item], named: Base) -> Base | None:
    """A count printed before the list that the list's lead words name, other than the named
    base: "电话诉求中，A类…，占…" or "占来电总量的" after "其中，电话来电3824件". It names it
    when a word of two characters of its label, absent from the named base's label, stands in
    the list's sentence before its first item or in its shares' base words."""
    first = quantity_of(norm, claim_span(items[0].count))
    if first is None:
        return None
    text = norm.paragraphs[first.paragraph].text
    start = max((a for a, _ in sentences(text) if a <= first.start), default=0)
    lead = text[start : first.start] + "".join(
        base_words(q.label) for i in items if (q := quantity_of(norm, claim_span(i.share)))
    )
    own = quantity_of(norm, claim_span(named.claims[0])) if named.claims else None
    common = _pairs(own.label) if own is not None else set()
    found = None
    for c in _totals(norm):
        q = quantity_of(norm, claim_span(c))
        value = as_int(c) or 0
        if q is None or c.direction == "previous" or value in (named.value, 0):
            continue
        if (q.paragraph, q.start) >= (first.paragraph, first.start) or value < sum(
            i.n for i in items
        ):
            continue
        if any(w in lead for w in _pairs(q.label) - common):
            found = Base(value, (c,), f"the count its words name ({q.label.strip()} {value})")
    return found


def _better(norm: Normalized, items: Sequence[Item], named: Base, lead: Base | None) -> Base:
    """The count the list's words name, when it reproduces at least half of its shares and
    more than the named base does; else the named base."""
    if lead is None:
        return named
    rounding = rounding_of(norm)
    held = sum(_fits([i], lead.value, rounding) for i in items)
    return (
        lead
        if 2 * held >= len(items) and held > sum(_fits([i], named.value, rounding) for i in items)
        else named
    )


def _pairs(label: str) -> set[str]:
    """The label's words of two Chinese characters, past its opening words (其中)."""
    text = LABEL_FILLER.sub("", label).lstrip(quantity_words().clause_marks)
    for w in quantity_words().parts_lead:
        text = text.removeprefix(w)
    return {text[k : k + 2] for k in range(len(text) - 1) if _CJK.fullmatch(text[k : k + 2])}


_CJK = re.compile(r"[\u4e00-\u9fff]{2}")


def _fits(items: Sequence[Item], base: int, rounding: Rounding) -> bool:
    return all(
        holds(Fraction(i.n, base), i.share.value, rounding)
        for i in items
        if i.share.value is not None
    )


@rule("SHARE001", Severity.ERROR, "a share stated in the text equals its count over the named base")
def check_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    for key, items in _items(norm).items():
        yield Checked(tuple(s for i in items for s in (claim_span(i.count), claim_span(i.share))))
        named = named_base(norm, key, items[0].share.scope, items)
        if named is not None and not _fits(items, named.value, rounding_of(norm)):
            named = _better(norm, items, named, lead_base(norm, items, named))
        if named is not None and _fits(items, named.value, rounding_of(norm)):
            yield Checked(tuple(claim_span(c) for c in named.claims))
        if named is None or _fits(items, named.value, rounding_of(norm)):
            continue
        if _printed_bases(norm, items):
            continue  # SHARE002 reports the base the office used, or accepts it
        over_parts = _over_parts(norm, items, named)
        if over_parts is not None:
            yield over_parts
            continue
        agreeing = agreeing_shares(norm)
        for item in items:
            if _unnamed(norm, item.share, agreeing):
                continue  # no base named: SHARE006 compares the list's shares with each other
            if not _fits([item], named.value, rounding_of(norm)) and _paired(norm, item):
                if _over_count_before(norm, item):
                    continue  # "商品类800件（40%）…食品类200件，占比25%": of the heading's count
                yield _wrong_share(norm, item, named, _competing(norm, items, named))


@rule("SHARE002", Severity.WARNING, "shares are computed over the base their section names")
def check_share_bases(norm: Normalized) -> Iterator[Problem | Checked]:
    for key, items in _items(norm).items():
        named = named_base(norm, key, items[0].share.scope, items)
        if named is None or _fits(items, named.value, rounding_of(norm)):
            continue
        if _better(norm, items, named, lead_base(norm, items, named)) is not named:
            continue  # over the count its words name: SHARE001 judges them against it
        if _other_totals_received(norm, items, named):
            continue
        used = _printed_bases(norm, items)
        if used:
            yield Checked(tuple(claim_span(c) for c in used[0].claims))
            yield _other_base(norm, items, named, used[0])


def _over_parts(norm: Normalized, items: Sequence[Item], named: Base) -> Problem | None:
    """Every share of the list is its count over the sum of the listed counts, while the
    list's named base is another total: a warning that says so (two readings, either may
    be the office's)."""
    total = sum(i.n for i in items)
    if len(items) < 3 or total == named.value or not _fits(items, total, rounding_of(norm)):
        return None
    if any(exact_count(q) == total for q in norm.quantities):
        return None  # the sum is printed ("立案的提案418件"): the base the text gives them
    printed = ", ".join(i.share.value.text for i in items if i.share.value)
    evidence = [claim_evidence(norm, c) for i in items for c in (i.share, i.count)]
    return Problem(
        message=(
            f"the shares {printed} are taken over the sum of the listed counts ({total} = "
            f"{' + '.join(str(i.n) for i in items)}), not over {named.words} ({named.value})"
        ),
        evidence=tuple(dict.fromkeys(evidence)),
        reported=printed,
        expected=_recomputed(items, named.value),
        explanation=(
            f"over {named.value} they would be {_recomputed(items, named.value)}; the listed "
            f"counts add up to {total}, {named.value - total} short of it"
        ),
        severity=Severity.WARNING,
    )


def _printed_bases(norm: Normalized, items: Sequence[Item]) -> list[Base]:
    """Stated totals that reproduce every share of the list."""
    iv: Interval | None = share_base(
        [(i.n, i.share.value) for i in items if i.share.value], rounding_of(norm)
    )
    if iv is None:
        return []
    found = [c for c in _totals(norm) if iv.contains(Fraction(as_int(c) or 0))]
    return [
        Base(as_int(c) or 0, (c,), " ".join(("/".join(c.scope), c.metric or "")).strip())
        for c in found
    ]


def _recomputed(items: Sequence[Item], base: int) -> str:
    return ", ".join(format_as(Fraction(i.n, base), i.share.value) for i in items if i.share.value)


def _other_base(norm: Normalized, items: Sequence[Item], named: Base, used: Base) -> Problem:
    printed = ", ".join(i.share.value.text for i in items if i.share.value)
    evidence: list[Evidence] = [claim_evidence(norm, i.share) for i in items]
    evidence += [claim_evidence(norm, c) for c in (*used.claims, *named.claims)]
    return Problem(
        message=(
            f"the shares {printed} are computed over {used.value} ({used.words}), "
            + (
                f"while the list counts items from {' and '.join(items[0].share.scope)} "
                f"({named.words} = {named.value})"
                if items[0].share.scope
                else f"while their base is {named.words}"
            )
        ),
        evidence=tuple(dict.fromkeys(evidence)),
        reported=printed,
        expected=_recomputed(items, named.value),
        explanation=(
            f"every share is its count over {used.value}; over {named.value} they would be "
            f"{_recomputed(items, named.value)}"
        ),
    )


def _competing(norm: Normalized, items: Sequence[Item], named: Base) -> list[Claim]:
    """Other totals a presumed base competes with: the document's counts of the whole that
    could hold the list (登记交办14691 beside 受理56644), one per value, first printed first.
    A base the list's own words or section name competes with nothing."""
    if not named.presumed:
        return []
    largest = max(i.n for i in items)
    seen = {named.value}
    found = []
    for c in _totals(norm):
        value = as_int(c) or 0
        if value >= largest and value not in seen and c.direction != "previous":
            seen.add(value)
            found.append(c)
    return found


def _printed_words(norm: Normalized, total: Claim) -> str:
    """What a total is printed as, its last few words ("登记交办"), else its metric."""
    q = quantity_of(norm, claim_span(total))
    words = LABEL_FILLER.sub("", q.label).strip(" ，,；;") if q is not None else ""
    return words[-8:] or total.metric or "a total"


def _implied_base(norm: Normalized, items: Sequence[Item]) -> str:
    """The base every share of the list fits, said when the text prints no such total."""
    iv = share_base([(i.n, i.share.value) for i in items if i.share.value], rounding_of(norm))
    if iv is None or len(items) < 2:
        return ""
    lo, hi = math.ceil(iv.lo), math.floor(iv.hi)
    if lo > hi:
        return ""
    span = f"{lo}" if lo == hi else f"{lo} to {hi}"
    return f"; the list's shares all fit one base of {span}, which the text does not print"


def _wrong_share(
    norm: Normalized, item: Item, named: Base, competing: Sequence[Claim] = ()
) -> Problem:
    """A share its base does not reproduce. When no words name the base, the explanation
    gives what the other totals make of it; if the list's shares then agree on one base
    the text does not print, they may be over an unprinted sub-total: a warning."""
    assert item.share.value is not None
    expected = format_as(Fraction(item.n, named.value), item.share.value)
    others = conventions_that_hold(Fraction(item.n, named.value), item.share.value)
    explanation = f"the base is {named.words}"
    if others:  # right under a rounding the document does not use elsewhere: a warning
        explanation += (
            f"; {item.share.value.text} holds only under {others[0].value} rounding, while "
            f"the document rounds {rounding_of(norm).value}"
        )
    implied = ""
    if competing:  # no words name the base: each total is a reading, none makes it hold
        readings = ", ".join(
            f"over {as_int(c)} ({_printed_words(norm, c)}) "
            f"{format_as(Fraction(item.n, as_int(c) or 1), item.share.value)}"
            for c in competing
        )
        explanation += f"; no words name it, and the other totals give {readings}"
        implied = _implied_base(norm, _items(norm).get(_list_key(norm, item.share), []))
        explanation += implied
    return Problem(
        message=(
            f"{item.share.subject or 'an item'}: the text states {item.share.value.text} "
            f"but {item.n} / {named.value} = {expected}"
        ),
        evidence=(
            claim_evidence(norm, item.share),
            *(claim_evidence(norm, c) for c in named.claims),
        ),
        reported=item.share.value.text,
        expected=expected,
        explanation=explanation,
        # shares that agree on a base of their own may be over a sub-total left unprinted
        severity=Severity.WARNING if others or implied else None,
    )
