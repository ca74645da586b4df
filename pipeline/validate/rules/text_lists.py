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

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Rounding, format_as
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    Reading,
    accepted_roundings,
    base_words,
    by_paragraph,
    exact_count,
    holds_share,
    named_bases,
    other_readings,
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
                yield ListShares(tuple((c,) for c in counts), tuple(run), before)


def combined_shares(norm: Normalized) -> Iterator[ListShares]:
    """A single share printed right after a run of counts: the run's sum over its base."""
    for quantities in by_paragraph(norm).values():
        for i, q in enumerate(quantities):
            if q.kind is not QuantityKind.PERCENT or q.role != "share" or q.series is not None:
                continue
            if i == 0 or q.bracketed:
                continue
            last = quantities[i - 1]
            if last.series is None or last.kind is not QuantityKind.COUNT:
                continue
            run = [p for p in quantities[:i] if p.series == last.series]
            if len(run) < 2 or any(exact_count(c) is None for c in run):
                continue
            before = tuple(p for p in quantities if p.start < run[0].start)
            yield ListShares((tuple(run),), (q,), before)


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


def handled_spans(norm: Normalized) -> set[tuple[str, int, int | None]]:
    """The shares these rules pair, so the claim-based share rules leave them alone."""
    found = set()
    for listed in (*positional_lists(norm), *combined_shares(norm)):
        for s in listed.shares:
            found.add((s.value.text, s.source.page, s.source.index[0] if s.source.index else None))
    return found


def _judge(norm: Normalized, listed: ListShares, what: str) -> Iterator[Problem | Checked]:
    accepted = accepted_roundings(norm)
    nums = listed.numerators()
    parts = [(n, s.value) for n, s in zip(nums, listed.shares, strict=True)]
    spans = tuple(quantity_span(q) for group in listed.counts for q in group)
    spans += tuple(quantity_span(s) for s in listed.shares)
    words = base_words(listed.shares[0].label)
    named = named_bases(words, listed.before)
    for reading in named:
        if all(holds_share(p, reading.base, v, accepted) for p, v in parts):
            assert reading.quantity is not None
            yield Checked((*spans, quantity_span(reading.quantity)))
            return
    skip = named[0].base if named else None
    others = other_readings(parts, listed.before, accepted, skip=skip)
    if not named:
        if others and others[0].quantity is not None:
            yield Checked((*spans, quantity_span(others[0].quantity)))
        return
    yield Checked(spans)
    yield _problem(listed, named[0], others, what, accepted)


def _problem(
    listed: ListShares,
    named: Reading,
    others: list[Reading],
    what: str,
    accepted: Sequence[Rounding],
) -> Problem:
    nums = listed.numerators()
    wrong = [
        (n, s) for n, s in zip(nums, listed.shares, strict=True)
        if not holds_share(n, named.base, s.value, accepted)
    ]  # fmt: skip
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
    else:
        explanation = f"the base is {named.words}; no other printed count reproduces the shares"
    return Problem(
        message=message,
        evidence=tuple(dict.fromkeys(evidence)),
        reported=printed,
        expected=expected,
        explanation=explanation,
        severity=Severity.WARNING if others else None,
    )


@rule("SHARE003", Severity.ERROR, "shares listed after 分别 equal the counts in the same places")
def check_positional_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    for listed in positional_lists(norm):
        yield from _judge(norm, listed, "shares listed by position")


@rule("SHARE004", Severity.ERROR, "a share after a list of counts equals their sum over its base")
def check_combined_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    for listed in combined_shares(norm):
        yield from _judge(norm, listed, "the combined share of the listed items")
