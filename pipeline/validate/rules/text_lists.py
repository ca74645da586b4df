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

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from pipeline.model import (
    Checked,
    Normalized,
    Number,
    Problem,
    Quantity,
    QuantityKind,
    Severity,
    Span,
)
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Rounding, conventions_that_hold, format_as
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_sums import PREVIOUS_WORDS
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
    if named or not listed_run or not names_a_total(listed.shares[0].label):
        return named  # a single item's share naming no printed count is SHARE001's
    return _headline_total(norm, listed, largest)


def _siblings(norm: Normalized, listed: ListShares) -> set[int]:
    """The counts of the shares' paragraph followed by a share of their own over the base
    the listed shares name, or naming none, and the counts of other paragraphs followed by
    a share of their own ("0-17岁人口为70775人，占总人口的8.33%" in the section before
    "18-34岁人口…，占总人口的14.18%", "汉族人口为45778人，占53.70%") (ids): items of a list,
    not its base."""
    paragraph = listed.shares[0].paragraph
    found = set()
    for quantities in by_paragraph(norm).values():
        here = quantities[0].paragraph == paragraph
        for i, q in enumerate(quantities):
            if q.kind is not QuantityKind.PERCENT or q.role != "share":
                continue
            count = own_count(quantities[:i], q)
            words = base_words(q.label)
            # a share naming no base beside those naming one is of the same list; in
            # another paragraph, a count with a share of its own is some list's item
            if count is not None and (words == listed.words or not here or not words):
                found.add(id(count))
    return found


def _earlier_named(norm: Normalized, listed: ListShares, largest: Fraction) -> list[Reading]:
    """Counts of earlier paragraphs named by the shares' words that hold every item, the
    first printed first (a total is printed before the categories that share its words);
    never an item with a share of its own, nor some kind of a total the words name."""
    items = _siblings(norm, listed)
    found = [
        r
        for r in named_bases(listed.words, _earlier(norm, listed))
        if id(r.quantity) not in items and _whole_named(r, listed)
    ]
    # exactly so named first, then the first printed
    found.sort(
        key=lambda r: (not _labelled(r, listed.words), r.quantity.start if r.quantity else 0)
    )
    return [r for r in found if r.base >= largest and not _category(r)]


def _whole_named(reading: Reading, listed: ListShares) -> bool:
    """A share of the total of something ("占总人口的") is over a count printed as a total
    (共收到…, 总…) or under exactly its name, not over one of some kind of it (家庭户人口)."""
    whole = "总" + listed.words
    if whole not in listed.shares[0].label or reading.quantity is None:
        return True
    label = reading.quantity.label
    marked = any(w in label for w in ("共", *quantity_words().total_words))
    return marked or _labelled(reading, listed.words)


def _labelled(reading: Reading, words: str) -> bool:
    """The reading's count is printed under exactly the words, bar leading filler
    ("其中投诉" under "投诉"); one that holds them inside a longer name is not."""
    q = reading.quantity
    return q is not None and name_distance(words, q.label) == 0


def names_a_total(label: str) -> bool:
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
