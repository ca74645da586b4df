"""Shares that belong to a list of counts: by position (分别占) or as the list's sum (前三类占).

"A类198件、B类74件、C类52件，分别占商品类投诉总量的33.9%、12.7%、8.9%": each share
is the count in the same place of the run before it, over the base the words after
占 name (a printed count whose label holds those words). "前三类A、B、C共…件，占工单
总量的77%": one share after a run of counts is the run's sum over the base.

Judging: the named base reproduces the shares -> checked. It does not, and no
other printed count of the paragraph does -> error. Another count does -> warning
that names it. No base is named -> the shares are checked against every printed
count, and nothing is said when none fits (the figures stay unchecked).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from pipeline.model import (
    Checked,
    ClaimKind,
    Normalized,
    Number,
    Problem,
    Quantity,
    QuantityKind,
    Severity,
    Span,
)
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Interval, Rounding, conventions_that_hold, format_as
from pipeline.validate.explain import share_base
from pipeline.validate.facts import admissible_roundings, claim_span, rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_list_totals import OrphanList, totals_before
from pipeline.validate.rules.text_sums import FULL_STOPS, PREVIOUS_WORDS
from pipeline.validate.text_quantities import (
    Reading,
    base_words,
    by_paragraph,
    exact_count,
    holds_share,
    name_distance,
    named_bases,
    other_readings,
    own_count,
    quantity_evidence,
    quantity_span,
    series_runs,
)


@dataclass(frozen=True, slots=True)
class ListShares:
    """Shares paired with the counts they are taken of (`parts`: numerator, share)."""

    counts: tuple[tuple[Quantity, ...], ...]  # the counts behind each share
    shares: tuple[Quantity, ...]
    before: tuple[Quantity, ...]  # the paragraph's quantities printed before the shares
    words: str  # what the shares say they are taken of ("商品类投诉"), "" when unsaid

    def numerators(self) -> list[Fraction]:
        return [Fraction(sum(exact_count(c) or 0 for c in group)) for group in self.counts]


def positional_lists(norm: Normalized) -> Iterator[ListShares]:
    """Runs of shares after 分别 paired by position with the counts printed before them."""
    respectively = quantity_words().respectively
    for quantities in by_paragraph(norm).values():
        for run in series_runs(quantities):
            first = run[0]
            if first.kind is not QuantityKind.PERCENT or first.role != "share":
                continue
            if not any(w in first.label for w in respectively):
                continue
            before = tuple(q for q in quantities if q.start < first.start)
            counts = _counts_before(before, first, len(run))
            if counts is not None:
                yield ListShares(
                    tuple((c,) for c in counts), tuple(run), before, base_words(first.label)
                )


def combined_shares(norm: Normalized) -> Iterator[ListShares]:
    """A single share printed right after a run of counts, or one that says 共 after the
    counts of its sentence ("A(7042件)，…，E(3942件)，共占全市68.28%"): their sum over its base."""
    for quantities in by_paragraph(norm).values():
        for i, q in enumerate(quantities):
            if q.kind is not QuantityKind.PERCENT or q.role != "share" or q.series is not None:
                continue
            if i == 0 or q.bracketed:
                continue
            run = _run_before(quantities[:i], q)
            if len(run) < 2 or any(exact_count(c) is None for c in run):
                continue
            before = tuple(p for p in quantities if p.start < run[0].start)
            yield ListShares((tuple(run),), (q,), before, base_words(q.label))


ALL_OF_THEM = ("上述", "合计", "共计", "以上")  # "上述4类问题占…", "4类合计占比…"


def _run_before(before: Sequence[Quantity], share: Quantity) -> list[Quantity]:
    lead = before[-1].label if before[-1].kind is QuantityKind.OTHER else ""  # 上述 | 4 | 类…
    if any(w in lead + share.label for w in ALL_OF_THEM):
        # the share sums the last run of counts of its paragraph, shares printed between
        runs = [q for q in before if q.kind is QuantityKind.COUNT and q.series is not None]
        if runs and share.sentence - runs[-1].sentence <= 1:
            return [q for q in before if q.series == runs[-1].series]
    last = before[-1]
    if last.kind is not QuantityKind.COUNT or last.sentence != share.sentence:
        return []
    if last.series is not None:
        return [p for p in before if p.series == last.series]
    if not share.label.startswith("共"):
        return []
    run: list[Quantity] = []
    for p in reversed(before):
        if (
            p.sentence != share.sentence
            or exact_count(p) is None
            or p.value.unit != last.value.unit
        ):
            break
        run.insert(0, p)
    return run


def _counts_before(before: Sequence[Quantity], share: Quantity, n: int) -> list[Quantity] | None:
    """The n quantities printed last before the shares, when they are exact counts of one
    unit in the shares' sentence ("A类67件，B、C类58件，D类48件，分别占…"): item names may
    hold 、 themselves, so the counts need not form a run."""
    last = list(before[-n:])
    if len(last) < n or any(q.sentence != share.sentence for q in last):
        return None
    if any(exact_count(q) is None for q in last):
        return None
    return last if len({q.value.unit for q in last}) == 1 else None


def base_readings(norm: Normalized, listed: ListShares) -> list[Reading]:
    """The printed counts the shares' words name: in their paragraph first, else earlier
    in the document ("占受理总量的10.00%" in section 三, "受理3000件" in section 一).
    A count in another unit is no base ("委员403人，占委员总数的68%" beside "提案666件")."""
    units = {c.value.unit for group in listed.counts for c in group} - {None, ""}
    return [r for r in _named_readings(norm, listed) if _unit_fits(r, units)]


def _unit_fits(reading: Reading, units: set[str | None]) -> bool:
    q = reading.quantity
    return q is None or not units or not q.value.unit or q.value.unit in units


def _named_readings(norm: Normalized, listed: ListShares) -> list[Reading]:
    largest = max(listed.numerators())
    own = {id(c) for group in listed.counts for c in group} | _siblings(norm, listed)
    # the list's own items, a sibling item (its share is of the same base), or a count
    # smaller than one of them are no base of it: the words "受理" of "其中受理咨询8466件、
    # 投诉…" sit in the items' clause, "诉求" in the sibling "城乡建设类接到相关诉求244件，
    # 占全部诉求的12%" (but "第一类140件，占当月立案总数的3.07%" is the base of "占第一类的")
    found = [
        r
        for r in named_bases(listed.words, listed.before)
        if r.base >= largest and id(r.quantity) not in own
    ]
    # "4类合计占比…", "占比分别为…": a list's shares that name no base are of the whole
    listed_run = len(listed.counts[0]) > 1 or len(listed.shares) > 1
    if not listed.words and listed_run:
        return _headline_total(norm, listed, largest)
    if found and listed.words and not _labelled(found[0], listed.words):
        # the paragraph only holds the words inside a longer name ("网购投诉举报" for
        # "占投诉的"): a count printed earlier under exactly those words is the base
        exact = [r for r in _earlier_named(norm, listed, largest) if _labelled(r, listed.words)]
        return exact or found
    if found or not listed.words:
        return found
    named = _earlier_named(norm, listed, largest)
    if named or not listed_run or not _names_a_total(listed.shares[0].label):
        return named  # a single item's share naming no printed count is SHARE001's
    return _headline_total(norm, listed, largest)


def _siblings(norm: Normalized, listed: ListShares) -> set[int]:
    """The counts of the shares' paragraph followed by a share of their own over the base
    the listed shares name, or naming none (ids): items of the same list, not its base."""
    paragraph = listed.shares[0].paragraph
    quantities = [q for q in norm.quantities if q.paragraph == paragraph]
    found = set()
    for i, q in enumerate(quantities):
        if q.kind is QuantityKind.PERCENT and q.role == "share":
            count = own_count(quantities[:i], q)
            # a share naming no base beside those naming one is of the same list
            if count is not None and base_words(q.label) in (listed.words, ""):
                found.add(id(count))
    return found


def _earlier_named(norm: Normalized, listed: ListShares, largest: Fraction) -> list[Reading]:
    """Counts of earlier paragraphs named by the shares' words that hold every item, the
    first printed first (a total is printed before the categories that share its words)."""
    found = named_bases(listed.words, _earlier(norm, listed))
    # exactly so named first, then the first printed
    found.sort(
        key=lambda r: (not _labelled(r, listed.words), r.quantity.start if r.quantity else 0)
    )
    return [r for r in found if r.base >= largest and not _category(r)]


def _labelled(reading: Reading, words: str) -> bool:
    """The reading's count is printed under exactly the words, bar leading filler
    ("其中投诉" under "投诉"); one that holds them inside a longer name is not."""
    q = reading.quantity
    return q is not None and name_distance(words, q.label) == 0


def _names_a_total(label: str) -> bool:
    return any(w in label for w in quantity_words().total_words)


def _headline_total(norm: Normalized, listed: ListShares, largest: Fraction) -> list[Reading]:
    """A share "of the total" whose words match no printed count is taken over a total the
    document printed before it ("共受理6310件"): the one that reproduces most of the
    list's shares, the first on a tie. Such a base is presumed, so failing it is a warning."""
    first = listed.shares[0]
    accepted = admissible_roundings(norm)
    parts = [(n, s.value) for n, s in zip(listed.numerators(), listed.shares, strict=True)]
    best: tuple[int, Reading] | None = None
    for q in norm.quantities:
        if (q.paragraph, q.start) >= (first.paragraph, first.start):
            break
        n = exact_count(q)
        own = any(q is c for group in listed.counts for c in group)
        if n is None or n < largest or q.series is not None or q.bracketed or own:
            continue
        reading = Reading(n, f"{q.value.text} (a total printed before it)", q, presumed=True)
        if _category(reading) or any(w in q.label for w in PREVIOUS_WORDS):
            continue
        fits = sum(holds_share(p, n, v, accepted) for p, v in parts)
        if best is None or fits > best[0]:
            best = (fits, reading)
    # a list's total fits all its shares but the wrong one; one that fits fewer is not it
    if best is None or best[0] < len(parts) - 1:
        return []
    return [best[1]]


def _category(reading: Reading) -> bool:
    """A count printed for a category ("（一）教育类：涉及诉求470件"): no total of a document."""
    q = reading.quantity
    return q is not None and CATEGORY.search(q.label) is not None


CATEGORY = re.compile(r"[\u4e00-\u9fff]类[：:，,\s]")


def _earlier(norm: Normalized, listed: ListShares) -> list[Quantity]:
    first = listed.shares[0]
    return [q for q in norm.quantities if q.paragraph < first.paragraph]


def item_shares(norm: Normalized) -> Iterator[ListShares]:
    """A share printed after its own count ("X类68件，占第一类的48.57%", "68件（6.1%）").

    A share whose words name no base takes the base the share before it in its sentence
    named ("A局(68件)占第一类的48.57%，B局(11件)占7.86%")."""
    for quantities in by_paragraph(norm).values():
        said: dict[int, str] = {}
        for i, q in enumerate(quantities):
            if q.kind is not QuantityKind.PERCENT or q.role != "share" or q.series is not None:
                continue
            words = base_words(q.label) or said.get(q.sentence, "")
            said[q.sentence] = words
            count = own_count(quantities[:i], q)
            if count is None or count.series is not None or len(_run_before(quantities[:i], q)) > 1:
                continue  # a run's share is SHARE003/004's
            before = tuple(p for p in quantities[:i] if p is not count)
            yield ListShares(((count,),), (q,), before, words)


def handled_spans(norm: Normalized) -> set[Span]:
    """The shares these rules pair, so the claim-based share rules leave them alone: those
    of runs, and a share after its own count when its words name a printed base."""
    found: set[Span] = set()
    named = [listed for listed in item_shares(norm) if base_readings(norm, listed)]
    for listed in (*positional_lists(norm), *combined_shares(norm), *named):
        found.update(quantity_span(s) for s in listed.shares)
    return found


def _judge(norm: Normalized, listed: ListShares, what: str) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    nums = listed.numerators()
    parts = [(n, s.value) for n, s in zip(nums, listed.shares, strict=True)]
    spans = tuple(quantity_span(q) for group in listed.counts for q in group)
    spans += tuple(quantity_span(s) for s in listed.shares)
    named = base_readings(norm, listed)
    for reading in named:
        if all(holds_share(p, reading.base, v, accepted) for p, v in parts):
            assert reading.quantity is not None
            yield Checked((*spans, quantity_span(reading.quantity)))
            return
    if named and _other_rounding(parts, named[0].base):
        yield Checked((*spans, quantity_span(named[0].quantity)))  # type: ignore[arg-type]
        yield _rounding_problem(listed, named[0], what, accepted)
        return
    skip = named[0].base if named else None
    scope = listed.before
    if named and named[0].quantity not in listed.before:  # a base from an earlier paragraph:
        scope = (*_earlier(norm, listed), *listed.before)  # so are the competing ones
    others = other_readings(parts, scope, accepted, skip=skip)
    if not named:
        if others and others[0].quantity is not None:
            yield Checked((*spans, quantity_span(others[0].quantity)))
        return
    yield Checked(spans)
    problem = _problem(listed, named[0], others, what, accepted)
    if others and scope is not listed.before:
        # words matched in another paragraph, a total that fits in the document: the
        # reading the audit takes, said as information
        problem = replace(problem, severity=Severity.INFO)
    yield problem


def _failing(
    listed: ListShares, base: int, accepted: Sequence[Rounding]
) -> list[tuple[Fraction, Quantity]]:
    """(numerator, share) for each share of the list that the base does not reproduce."""
    return [
        (n, s)
        for n, s in zip(listed.numerators(), listed.shares, strict=True)
        if not holds_share(n, base, s.value, accepted)
    ]


def _other_rounding(parts: Sequence[tuple[Fraction, Number]], base: int) -> bool:
    """Every share holds over the base under some rounding (the document's own or not)."""
    return all(conventions_that_hold(p / base, v) for p, v in parts)


def _rounding_problem(
    listed: ListShares, named: Reading, what: str, accepted: Sequence[Rounding]
) -> Problem:
    """Shares right over their named base only under a rounding the document does not use."""
    off = _failing(listed, named.base, accepted)
    printed = ", ".join(s.value.text for _, s in off)
    ways = sorted({r.value for n, s in off for r in conventions_that_hold(n / named.base, s.value)})
    return Problem(
        message=(
            f"{what}: {printed} over {named.words} holds only under {' or '.join(ways)} rounding"
        ),
        evidence=tuple(quantity_evidence(s) for _, s in off),
        reported=printed,
        expected=", ".join(format_as(n / named.base, s.value) for n, s in off),
        explanation=f"the document rounds {accepted[0].value if accepted else 'half_up'} elsewhere",
        severity=Severity.WARNING,
    )


def _problem(
    listed: ListShares,
    named: Reading,
    others: list[Reading],
    what: str,
    accepted: Sequence[Rounding],
) -> Problem:
    wrong = _failing(listed, named.base, accepted)
    printed = ", ".join(s.value.text for _, s in wrong)
    expected = ", ".join(format_as(n / named.base, s.value) for n, s in wrong)
    said = ", ".join(f"{int(n)}/{named.base}" for n, _ in wrong)
    message = f"{what}: the text states {printed} but {said} = {expected}"
    evidence = [quantity_evidence(s) for _, s in wrong]
    evidence += [quantity_evidence(c) for group in listed.counts for c in group]
    if named.quantity is not None:
        evidence.append(quantity_evidence(named.quantity))
    if others:
        explanation = (
            f"the shares fit {others[0].words} instead; the words name {named.words}, "
            "so either the base or the shares are wrong"
        )
    elif named.presumed:
        explanation = (
            f"no words name the base; over {named.words} they fail, and no other printed "
            "count reproduces them"
        )
    else:
        explanation = f"the base is {named.words}; no other printed count reproduces the shares"
    return Problem(
        message=message,
        evidence=tuple(dict.fromkeys(evidence)),
        reported=printed,
        expected=expected,
        explanation=explanation,
        severity=Severity.WARNING if others or named.presumed else None,
    )


@rule("SHARE003", Severity.ERROR, "shares listed after 分别 equal the counts in the same places")
def check_positional_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    for listed in positional_lists(norm):
        yield from _judge(norm, listed, "shares listed by position")


@rule("SHARE004", Severity.ERROR, "a share after a list of counts equals their sum over its base")
def check_combined_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    for listed in combined_shares(norm):
        yield from _judge(norm, listed, "the combined share of the listed items")


@rule(
    "SHARE005",
    Severity.ERROR,
    "a share printed after its count is that count over the base it names",
)
def check_item_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    for listed in item_shares(norm):
        yield from _judge(norm, listed, listed.shares[0].label or "a share")


def _unnamed_groups(norm: Normalized) -> list[list[ListShares]]:
    """Shares after their own counts whose words name no base ("占比12%"), or a total that
    no printed count is named for ("占总数的25.2%", "占诉求总量的"), grouped by the full
    sentence (up to 。) that lists them, or by the breakdown that opens within it
    ("；按投诉渠道分，…": a second list of the same whole)."""
    paragraphs = norm.paragraphs
    groups: dict[tuple[int, int, int], list[ListShares]] = {}
    claimed = _subject_shares(norm)
    for listed in item_shares(norm):
        named = listed.words and not _names_a_total(listed.shares[0].label)
        if named or (listed.words and base_readings(norm, listed)):
            continue  # a base named in words is SHARE005's (printed) or SHARE001's
        if listed.words and quantity_span(listed.shares[0]) in claimed:
            continue  # "市政类350件，占全部诉求的16.0%": SHARE001 judges it over the total
        share = listed.shares[0]
        text = paragraphs[share.paragraph].text
        stop = sum(text.count(c, 0, share.start) for c in FULL_STOPS)
        views = len(BREAKDOWN.findall(text, 0, share.start))
        groups.setdefault((share.paragraph, stop, views), []).append(listed)
    return list(groups.values())


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
            near = _near_total(norm, group, common)
            made = _made_total(norm, group, common) if near is None else None
            if near is not None:
                yield _over_listed(group, near)
            elif made is not None:
                yield from _off_made(group, made)
            continue
        printed = _printed_total(norm, group) if common is None else None
        odd = _odd_against(group, printed) if printed is not None else None
        if odd is not None and printed is not None:
            yield Checked((*spans, quantity_span(printed)))
            n = exact_count(printed) or 0
            yield _odd_share(odd, Interval(Fraction(n), Fraction(n)), printed)
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
    if any(common.contains(n) for q in _scope_before(norm, group) if (n := exact_count(q))):
        return None  # a printed count is the base they fit ("立案799件")
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


def _made_total(norm: Normalized, group: Sequence[ListShares], common: Interval) -> Quantity | None:
    """The whole printed before the list that its counts add up to exactly, when the
    shares agree on some other base: "受理31件…A类7件、占23%，B类24件、占80%" fit 30."""
    added = _listed_sum(group)
    if common.contains(added):
        return None
    return next((q for q, n in _wholes_before(norm, group) if n == added), None)


def _off_made(group: Sequence[ListShares], total: Quantity) -> Iterator[Problem]:
    """Each share its count over the list's own total does not reproduce: the counts add
    up to that total, so it is the base, whatever other base the shares happen to fit."""
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
                "their base; the shares fit another base that nothing prints"
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
    over = exact_count(total) if total is not None else lo
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
            f"over {lo}, {n} would be {expected}; the list prints no base of its own, so the "
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
