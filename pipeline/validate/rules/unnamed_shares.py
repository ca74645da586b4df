"""Shares printed after their own counts that name no base of their own (SHARE006).

"A类240件（30.0%），B类200件（25.0%）……": the words say no base ("占比", "占", or a total
no printed count is named for, "占诉求总量的"), so the shares of one list are judged
against each other: they must agree on one base, and the one that does not is named. Where
the base they agree on is the list's printed total, that share is an error; where nothing
prints it, a warning. Two more readings are named when the shares agree: they fit the sum
of their counts while a whole printed before is a little larger (a count missing from the
list, or the whole misprinted), or they fit some base nothing prints while their counts add
up to the total printed before them (that total is their base). A list is the items of one
sentence, or of one breakdown within it ("按投诉对象分…；按投诉渠道分…").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import (
    Checked,
    ClaimKind,
    Normalized,
    Problem,
    Quantity,
    Severity,
    Span,
)
from pipeline.numeric.arithmetic import Interval, Rounding, conventions_that_hold, format_as
from pipeline.validate.explain import share_base
from pipeline.validate.facts import claim_span, rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_list_totals import OrphanList, totals_before
from pipeline.validate.rules.text_lists import ListShares, base_readings, item_shares, names_a_total
from pipeline.validate.rules.text_sums import PREVIOUS_WORDS
from pipeline.validate.text_quantities import (
    exact_count,
    quantity_evidence,
    quantity_span,
)
from pipeline.validate.text_runs import FULL_STOPS


def _unnamed_groups(norm: Normalized) -> list[list[ListShares]]:
    """Shares after their own counts whose words name no base ("占比12%"), or a total that
    no printed count is named for ("占总数的25.2%", "占诉求总量的"), grouped by the full
    sentence (up to 。) that lists them, or by the breakdown that opens within it
    ("；按投诉渠道分，…": a second list of the same whole), and by the items' unit."""
    paragraphs = norm.paragraphs
    groups: dict[tuple[int, int, int, str | None], list[ListShares]] = {}
    claimed = _subject_shares(norm)
    for listed in item_shares(norm):
        # a base named in words is SHARE005's (printed) or SHARE001's, as is a share a claim
        # ties to a subject ("市政类350件，占全部诉求的16.0%": judged over the total)
        if listed.words and (
            not names_a_total(listed.shares[0].label)
            or base_readings(norm, listed)
            or quantity_span(listed.shares[0]) in claimed
        ):
            continue
        share = listed.shares[0]
        text = paragraphs[share.paragraph].text
        stop = sum(text.count(c, 0, share.start) for c in FULL_STOPS)
        views = len(BREAKDOWN.findall(text, 0, share.start))
        # "…提案325件，占90.8%；参与提案的委员共316人，占委员总数的96.3%": people are no item
        # of a list of proposals
        unit = listed.counts[0][0].value.unit
        groups.setdefault((share.paragraph, stop, views, unit), []).append(listed)
    return _parallel_paragraphs(norm, list(groups.values()))


PARALLEL_GAP = 3  # paragraphs between two items of one list printed a paragraph each


def _parallel_paragraphs(
    norm: Normalized, groups: list[list[ListShares]]
) -> list[list[ListShares]]:
    """Lists of one item each in nearby paragraphs, one after another with no other list
    between them, are one list: a report that gives each theme a paragraph of its own
    ("在经济建设方面，立案40件，占26.3%。" then the next theme) lists the items of one whole.
    Only runs of three or more items of one unit are joined, and only when the shares (all,
    or all but one) fit a count the document prints: paragraphs apart, shares that agree on
    a base nothing prints are no evidence of one list."""
    joined: list[list[ListShares]] = []
    run: list[list[ListShares]] = []

    def close() -> None:
        items = [g[0] for g in run]
        if len(items) >= 3 and _fits_printed_count(norm, items):
            joined.append(items)
        else:
            joined.extend(run)
        run.clear()

    for group in groups:
        one = len(group) == 1
        if run and not (one and _continues(norm, run[-1][0], group[0])):
            close()
        (run if one else joined).append(group)
    close()
    return joined


def _fits_printed_count(norm: Normalized, items: Sequence[ListShares]) -> bool:
    rounding = rounding_of(norm)
    subsets = [items, *([g for g in items if g is not odd] for odd in items)]
    bases = [b for sub in subsets if (b := _common_base(sub, rounding)) is not None]
    return any(_printed_anywhere(norm, b) for b in bases)


def _continues(norm: Normalized, before: ListShares, after: ListShares) -> bool:
    """The next item of a list printed a paragraph each: near, of the same unit, in a
    paragraph that opens the way the one before does (the same two characters, or both an
    enumeration mark): a ranking sentence before the themes is no theme."""
    p, q = before.shares[0].paragraph, after.shares[0].paragraph
    same_unit = before.counts[0][0].value.unit == after.counts[0][0].value.unit
    texts = norm.paragraphs[p].text, norm.paragraphs[q].text
    return 0 < q - p <= PARALLEL_GAP and same_unit and _opening(texts[0]) == _opening(texts[1])


# an enumeration mark opening a paragraph: （一）, 一、, 1., or a bare 1 a list's markup left
ENUMERATION = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}(?:[.、．]|(?=[\u4e00-\u9fff])))"
)


def _opening(text: str) -> str:
    opening = text.lstrip()[:4]  # a mark is a few characters: no search runs past them
    return "enumerated" if ENUMERATION.match(opening) else opening[:2]


# A clause that opens a breakdown by some dimension ("按投诉类别分，", "从渠道看，").
BREAKDOWN = re.compile(r"[；;，,。：:](?:分|从|按)[^，,；;。:：\d]{1,6}(?:看|来看|分)[，,:：]")


def _subject_shares(norm: Normalized) -> set[Span]:
    """The shares the narrative's claims tie to a subject: SHARE001's to judge."""
    return {
        claim_span(c) for c in norm.claims if c.kind is ClaimKind.SHARE and c.subject and c.value
    }


def _common_base(group: Sequence[ListShares], rounding: Rounding) -> Interval | None:
    parts = [(exact_count(g.counts[0][0]) or 0, g.shares[0].value) for g in group]
    iv = share_base(parts, rounding)
    return iv if iv is not None and _holds_integer(iv) else None


def _holds_integer(iv: Interval) -> bool:
    return any(iv.contains(n) for n in (math.ceil(iv.lo), math.floor(iv.hi)))


def agreeing_shares(norm: Normalized) -> set[Span]:
    """The shares naming no base whose list agrees on one base (all, or all but one)."""
    rounding = rounding_of(norm)
    found: set[Span] = set()
    for group in _unnamed_groups(norm):
        if len(group) < 3:
            continue
        if _common_base(group, rounding) is not None or any(
            _common_base([g for g in group if g is not odd], rounding) is not None for odd in group
        ):
            found.update(quantity_span(g.shares[0]) for g in group)
    return found


@rule(
    "SHARE006",
    Severity.WARNING,
    "shares that name no base agree on the base the others share (an error when it is the "
    "list's printed total)",
)
def check_unnamed_bases(norm: Normalized) -> Iterator[Problem | Checked]:
    rounding = rounding_of(norm)
    for group in _unnamed_groups(norm):
        if len(group) < 2:
            continue
        spans = [
            s for g in group for s in (quantity_span(g.counts[0][0]), quantity_span(g.shares[0]))
        ]
        total = _list_total(group)
        common = _common_base(group, rounding)
        if common is not None and len(group) >= 3:
            yield Checked(tuple(spans))
            if not _printed_base(norm, group, common):  # "立案799件": the base they fit
                yield from _agreeing_problems(norm, group, common)
            continue
        printed, odd = _odd_whole(norm, group) if common is None else (None, None)
        if odd is not None and printed is not None:
            yield Checked((*spans, quantity_span(printed)))
            if _over_item_before(group, odd):
                continue  # "商品类1420件（45.63%）…食品类575件，占比40.49%": a breakdown of it
            n = exact_count(printed) or 0
            yield _odd_share(odd, Interval(Fraction(n), Fraction(n)), printed)
            continue
        made = _whole_made(norm, group) if common is None and len(group) >= 3 else None
        if made is not None:  # several shares off the whole their counts make up
            yield Checked((*spans, quantity_span(made)))
            yield from _off_made(group, made, agreeing=False)
            continue
        if len(group) < 3:
            continue
        for k, odd in enumerate(group):
            rest = [g for i, g in enumerate(group) if i != k]
            base = _common_base(rest, rounding)
            if base is not None:
                yield Checked(tuple(spans))
                held = (
                    total if total is not None and base.contains(exact_count(total) or 0) else None
                )
                yield _odd_share(odd, base, held)
                break


def _agreeing_problems(
    norm: Normalized, group: Sequence[ListShares], common: Interval
) -> Iterator[Problem | Checked]:
    """Shares that agree on a base nothing prints: over the listed counts while a whole
    a little larger is printed, over some base while the counts make the printed whole, or
    over a base larger than the whole printed before them."""
    near = _near_total(norm, group, common)
    made = _made_total(norm, group, common)
    if near is not None:
        yield _over_listed(group, near)
    elif made is not None:
        yield from _off_made(group, made)
    else:
        whole = _printed_total(norm, group)
        larger = whole is not None and common.lo > (exact_count(whole) or 0)
        if whole is not None and larger and not _printed_anywhere(norm, common):
            yield Checked((quantity_span(whole),))  # not "共受理26898件" sections before
            yield _over_larger(group, common, whole)


def _printed_anywhere(norm: Normalized, common: Interval) -> bool:
    return any(common.contains(n) for q in norm.quantities if (n := exact_count(q)))


def _over_larger(group: Sequence[ListShares], common: Interval, whole: Quantity) -> Problem:
    """ "受理工单2557件…A类371件，占比13.9%…": every share fits one base larger than the
    whole printed before the list (2665 to 2672), which nothing prints."""
    n = exact_count(whole) or 0
    lo, hi = math.ceil(common.lo), math.floor(common.hi)
    over = ", ".join(
        format_as(Fraction(exact_count(g.counts[0][0]) or 0, n), g.shares[0].value) for g in group
    )
    printed = ", ".join(g.shares[0].value.text for g in group)
    each = ", ".join(
        f"{format_as(Fraction(exact_count(g.counts[0][0]) or 0, n), g.shares[0].value)} "
        f"({g.counts[0][0].value.text})"
        for g in group
    )
    return Problem(
        message=(
            f"the shares {printed} all fit one base of {lo}"
            + (f" to {hi}" if hi != lo else "")
            + f", larger than the whole {whole.value.text} printed before them, which nothing "
            "prints"
        ),
        evidence=(
            *(quantity_evidence(g.shares[0]) for g in group),
            *(quantity_evidence(g.counts[0][0]) for g in group),
            quantity_evidence(whole),
        ),
        reported=printed,
        expected=over,
        explanation=(
            f"over {whole.value.text} they would be {each}; the shares may be over a larger "
            "total the text does not give, or the whole or the shares are misprinted"
        ),
        severity=Severity.WARNING,
    )


NEAR_TOTAL = Fraction(21, 20)  # a total at most 5% above the listed counts' sum


def _scope_before(norm: Normalized, group: Sequence[ListShares]) -> list[Quantity]:
    """The quantities printed before the list: its paragraph's, after the paragraph before."""
    first = group[0].counts[0][0]
    earlier = [q for q in norm.quantities if q.paragraph == first.paragraph - 1]
    return [*earlier, *group[0].before]


def _wholes_before(norm: Normalized, group: Sequence[ListShares]) -> Iterator[tuple[Quantity, int]]:
    """Counts printed before the list, nearest first, that may be its whole: exact, in the
    items' unit, of no list of their own and of this period."""
    unit = group[0].counts[0][0].value.unit
    for q in reversed(_scope_before(norm, group)):
        n = exact_count(q)
        if n is None or q.series is not None or q.bracketed or q.value.unit != unit:
            continue
        if not any(w in q.label for w in PREVIOUS_WORDS):
            yield q, n


def _listed_sum(group: Sequence[ListShares]) -> int:
    return sum(exact_count(g.counts[0][0]) or 0 for g in group)


def _printed_total(norm: Normalized, group: Sequence[ListShares]) -> Quantity | None:
    """The nearest count printed before the list (its paragraph, else the one before) in
    the items' unit that can hold them all (no less than their sum): their whole."""
    added = _listed_sum(group)
    return next((q for q, n in _wholes_before(norm, group) if n >= added), None)


def _odd_whole(
    norm: Normalized, group: Sequence[ListShares]
) -> tuple[Quantity | None, ListShares | None]:
    """The list's whole and the one share off it: the nearest count before the list that
    can hold its items (`_printed_total`), or a nearer one smaller than their sum over
    which every share but one holds ("立案893件" over "670件，占75.03%，233件，占24.97%":
    223 was meant, so the items overrun it)."""
    added = _listed_sum(group)
    for q, n in _wholes_before(norm, group):
        if n <= 0:
            continue  # "0件": no whole of anything
        odd = _odd_against(group, q)
        if n >= added:
            return q, odd
        if odd is not None:
            return q, odd
    return None, None


def _over_item_before(group: Sequence[ListShares], odd: ListShares) -> bool:
    """Whether the odd share is its count over the count of an item listed before it: the
    list goes on into that item's own breakdown."""
    n = exact_count(odd.counts[0][0]) or 0
    for g in group[: group.index(odd)]:
        whole = exact_count(g.counts[0][0]) or 0
        if whole > n and conventions_that_hold(Fraction(n, whole), odd.shares[0].value):
            return True
    return False


def _odd_against(group: Sequence[ListShares], total: Quantity) -> ListShares | None:
    """The one share of the list that its printed whole reproduces under no rounding while
    every other share holds over it (under some rounding)."""
    n = exact_count(total) or 0
    failing = [
        g
        for g in group
        if not conventions_that_hold(
            Fraction(exact_count(g.counts[0][0]) or 0, n), g.shares[0].value
        )
    ]
    return failing[0] if len(failing) == 1 and len(group) >= 2 else None


def _near_total(norm: Normalized, group: Sequence[ListShares], common: Interval) -> Quantity | None:
    """The shares all fit the sum of their listed counts, yet a whole printed before the
    list (in its paragraph, else the paragraph before) is a little more than that sum:
    the shares were taken over the listed counts, not over the stated whole."""
    added = _listed_sum(group)
    if not common.contains(added):
        return None
    near = (q for q, n in _wholes_before(norm, group) if added < n <= NEAR_TOTAL * added)
    found = next(near, None)
    if found is not None:
        return found
    # else a whole further back, under a word of the whole, as SUM002 finds for a list
    # printed in a paragraph of its own ("共接收37894件" sections before the channels)
    listed = OrphanList(tuple(g.counts[0][0] for g in group), "", tuple(g.shares[0] for g in group))
    return next((q for q in totals_before(norm, listed) if (exact_count(q) or 0) > added), None)


def _over_listed(group: Sequence[ListShares], total: Quantity) -> Problem:
    n = exact_count(total) or 0
    counts = [exact_count(g.counts[0][0]) or 0 for g in group]
    wrong = [
        (c, g.shares[0])
        for c, g in zip(counts, group, strict=True)
        if not conventions_that_hold(Fraction(c, n), g.shares[0].value)
    ]
    printed = ", ".join(s.value.text for _, s in wrong) or group[0].shares[0].value.text
    evidence = [quantity_evidence(s) for _, s in wrong]
    evidence += [quantity_evidence(g.counts[0][0]) for g in group] + [quantity_evidence(total)]
    over = ", ".join(format_as(Fraction(c, n), s.value) for c, s in wrong)
    return Problem(
        message=(
            f"the shares are taken over the sum of the listed counts ({sum(counts)} = "
            f"{' + '.join(map(str, counts))}), not over {total.value.text} printed before them"
        ),
        evidence=tuple(dict.fromkeys(evidence)),
        reported=printed,
        expected=over,
        explanation=(
            f"over {n} they would be {over}; "
            f"the listed counts add up to {sum(counts)}, {n - sum(counts)} short of it, so a "
            "count is missing from the list or the whole is misprinted"
        ),
        severity=Severity.WARNING,
    )


def _printed_base(norm: Normalized, group: Sequence[ListShares], common: Interval) -> bool:
    """A count printed before the list is the base its shares agree on."""
    return any(common.contains(n) for q in _scope_before(norm, group) if (n := exact_count(q)))


def _made_total(norm: Normalized, group: Sequence[ListShares], common: Interval) -> Quantity | None:
    """The whole printed before the list that its counts add up to exactly, when the
    shares agree on some other base: "受理31件…A类7件、占23%，B类24件、占80%" fit 30."""
    added = _listed_sum(group)
    if common.contains(added):
        return None
    return next((q for q, n in _wholes_before(norm, group) if n == added), None)


def _whole_made(norm: Normalized, group: Sequence[ListShares]) -> Quantity | None:
    """The nearest whole printed before the list that its counts add up to exactly."""
    added = _listed_sum(group)
    return next((q for q, n in _wholes_before(norm, group) if n == added), None)


def _off_made(
    group: Sequence[ListShares], total: Quantity, *, agreeing: bool = True
) -> Iterator[Problem]:
    """Each share its count over the list's own total does not reproduce: the counts add
    up to that total, so it is the base, whatever other base the shares happen to fit
    (`agreeing`: they all fit one) or however they scatter."""
    n = exact_count(total) or 0
    for g in group:
        count, share = g.counts[0][0], g.shares[0]
        c = exact_count(count) or 0
        if conventions_that_hold(Fraction(c, n), share.value):
            continue
        expected = format_as(Fraction(c, n), share.value)
        yield Problem(
            message=(
                f"{share.value.text} of {count.value.text} is not its share of {total.value.text}: "
                f"{c}/{n} = {expected}"
            ),
            evidence=(quantity_evidence(share), quantity_evidence(count), quantity_evidence(total)),
            reported=share.value.text,
            expected=expected,
            explanation=(
                f"the listed counts add up to {n}, the total printed before them, so that is "
                "their base; "
                + (
                    "the shares fit another base that nothing prints"
                    if agreeing
                    else "several shares do not fit it, and no one base fits them all"
                )
            ),
        )


def _list_total(group: Sequence[ListShares]) -> Quantity | None:
    """The count printed before a list that holds all its items and belongs to no list of
    its own ("共受理诉求800件。其中，A类240件（30.0%）…"): the total the shares are of."""
    first = group[0].counts[0][0]
    largest = max(exact_count(g.counts[0][0]) or 0 for g in group)
    for q in reversed(group[0].before):
        n = exact_count(q)
        if q.start >= first.start or n is None or q.series is not None or q.bracketed:
            continue
        return q if n >= largest and q.value.unit == first.value.unit else None
    return None


def _odd_share(odd: ListShares, base: Interval, total: Quantity | None) -> Problem:
    """One share off the base the others agree on: an error when that base is the list's
    own printed total, else a warning (the base is printed nowhere)."""
    count, share = odd.counts[0][0], odd.shares[0]
    n = exact_count(count) or 0
    lo, hi = math.ceil(base.lo), math.floor(base.hi)
    over = exact_count(total) if total is not None else (lo + hi) // 2  # the middle base
    assert over is not None
    expected = format_as(Fraction(n, over), share.value)
    if total is not None:
        message = (
            f"{share.value.text} of {count.value.text} is not its share of the list's total "
            f"{total.value.text}: {n}/{over} = {expected}, and every other share of the list "
            "is over that total"
        )
        why = (
            f"the other shares of the list all fit {total.value.text}, the total printed before it"
        )
    else:
        message = (
            f"{share.value.text} of {count.value.text} disagrees with the other shares of its "
            f"list, which all fit one base of {lo}" + (f" to {hi}" if hi != lo else "")
        )
        why = (
            f"over {over}, {n} would be {expected}; the list prints no base of its own, so the "
            "share, its count or the others may be wrong"
        )
    evidence = [quantity_evidence(share), quantity_evidence(count)]
    if total is not None:
        evidence.append(quantity_evidence(total))
    others = conventions_that_hold(Fraction(n, over), share.value) if total is not None else []
    if others:  # right under a rounding the rest of the list does not use: a warning
        why += f"; {share.value.text} holds over it only under {others[0].value} rounding"
    return Problem(
        message=message,
        evidence=tuple(evidence),
        reported=share.value.text,
        expected=expected,
        explanation=why,
        severity=Severity.ERROR if total is not None and not others else None,
    )
