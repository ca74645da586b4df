"""Rates stated in the text, recomputed from the counts stated beside them.

`pipeline/data/rates.json` says which counts make each rate. A rate that no
rounding of the stated counts reproduces is an error, explained by the search
for another numerator and denominator among the document's own numbers.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from pipeline.model import (
    Checked,
    Claim,
    ClaimKind,
    Evidence,
    Normalized,
    Problem,
    Quantity,
    Severity,
)
from pipeline.normalize.rates import rate_definitions, rate_operands
from pipeline.numeric.arithmetic import Rounding, conventions_that_hold, format_as, interval_of
from pipeline.validate.explain import RatioExplanation, copied_from, explain_ratio
from pipeline.validate.facts import (
    admissible_roundings,
    as_int,
    claim_evidence,
    claim_span,
    count_totals,
    counts_in_paragraph,
    rounding_of,
)
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    exact_count,
    pairing_doubt,
    quantity_of,
    quantity_span,
    reproducing_pair,
)

PREVIOUS = "previous"  # Claim.direction of a figure of the period compared with


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a number of the explanation pool was printed or summed."""

    label: str
    evidence: Evidence


def _nearest(claims: Sequence[Claim], metric: str, rate: Claim) -> Claim | None:
    """The count of `metric` printed closest before the rate (else after it)."""
    found = [c for c in claims if c.metric == metric and as_int(c) is not None]
    before = [c for c in found if c.line <= rate.line]
    chosen = before or found
    return chosen[-1] if chosen else None


def pool(norm: Normalized) -> list[tuple[int, Origin]]:
    """The integers an explanation may use: stated counts and table column totals."""
    items: list[tuple[int, Origin]] = []
    for c in norm.claims:
        value = as_int(c) if c.kind is ClaimKind.COUNT else None
        if value is not None:
            items.append(
                (value, Origin(f"the text's {value} (p.{c.source.page})", claim_evidence(norm, c)))
            )
    for total in count_totals(norm):
        items.append((total.total, Origin(f"the total of {total.label}", total.where)))
    return items + _channel_sums(norm)


def _channel_sums(norm: Normalized) -> list[tuple[int, Origin]]:
    """Each metric's stated whole counts added over the channels the text gives them for
    (hotline completed + mailbox completed): a base an office may have used for all."""
    by_metric: dict[str, dict[str, Claim]] = {}
    for c in norm.claims:
        whole = c.kind is ClaimKind.COUNT and not c.subject and c.direction is None
        if whole and c.metric and len(c.scope) == 1 and as_int(c) is not None:
            by_metric.setdefault(c.metric, {}).setdefault(c.scope[0], c)
    items = []
    for metric, claims in by_metric.items():
        if len(claims) < 2:
            continue
        parts = list(claims.values())
        value = sum(as_int(c) or 0 for c in parts)
        said = " + ".join(f"{c.scope[0]} {as_int(c)}" for c in parts)
        label = f"the text's {metric} counts added over its channels ({said})"
        items.append((value, Origin(label, claim_evidence(norm, parts[0]))))
    return items


@rule("RATE001", Severity.ERROR, "a rate stated in the text equals its stated counts")
def check_text_rates(norm: Normalized) -> Iterator[Problem | Checked]:
    definitions = rate_definitions()
    for rate in norm.claims:
        definition = definitions.get(rate.metric or "")
        if rate.kind is not ClaimKind.RATE or rate.value is None or definition is None:
            continue
        counts = _same_scope(counts_in_paragraph(norm, rate), rate)
        numerator = _nearest(counts, definition.numerator, rate)
        # a denominator the paragraph does not repeat is the document's ("本月受理3000件"
        # in section 一, "按期办结率97.00%" in section 二)
        document = _document_counts(norm, rate)
        denominators = [
            _nearest(counts, m, rate) or _first(counts, m) or _first(document, m)
            for m in definition.denominators
        ]
        whole = _whole_of(norm, numerator, counts) if numerator is not None else None
        if whole is not None:  # "回访2258件，其中不满意22件": the text names the base
            denominators = [whole, *(d for d in denominators if d is not whole)]
        stated = [d for d in denominators if d is not None]
        if numerator is None or not stated:
            continue
        accepted = admissible_roundings(norm)
        held = _holding_pair(rate, counts, accepted)
        if held is not None:
            yield Checked((claim_span(rate), *map(claim_span, held)))
            continue
        local = reproducing_pair(norm, claim_span(rate), accepted)
        if local is not None:  # the counts printed beside it make it hold
            yield Checked((claim_span(rate), *(quantity_span(q) for q in local)))
            continue
        given = {id(c) for c in counts}  # by identity: hashing a claim walks its fields
        wider = counts + [c for c in document if id(c) not in given]
        far = _holding_pair(rate, wider, accepted)  # counts of other paragraphs
        doubt = pairing_doubt(
            norm, claim_span(rate), claim_span(numerator), *map(claim_span, stated)
        )
        if far is not None and (doubt or numerator not in counts):
            yield Checked((claim_span(rate), *map(claim_span, far)))
            continue
        if doubt:
            continue  # too weak a pairing to recompute the rate from (no error, no check)
        listed = _listed_base(norm, rate, numerator, accepted)
        if listed:  # "投诉…举报…共办结N件，办结率P%": over the items its words name
            yield Checked((claim_span(rate), claim_span(numerator), *map(quantity_span, listed)))
            continue
        yield Checked((claim_span(rate), claim_span(numerator), *map(claim_span, stated)))
        problem = _judge(norm, rate, numerator, stated)
        if problem is not None and any(d not in counts and d is not whole for d in stated):
            problem = _far(problem)
        if problem is not None and far is not None:
            problem = _held_elsewhere(norm, problem, far)
        if problem is not None:
            yield problem


def _held_elsewhere(norm: Normalized, problem: Problem, far: tuple[Claim, Claim]) -> Problem:
    """The counts beside a rate do not give it, but two counts of another paragraph do: a
    warning that names both readings (the rate may have been copied from there)."""
    num, den = (as_int(c) for c in far)
    note = f"{num} / {den}, counts printed in another paragraph, give it"
    why = f"{problem.explanation}; {note}" if problem.explanation else note
    evidence = (*problem.evidence, *(claim_evidence(norm, c) for c in far))
    return replace(
        problem, severity=Severity.WARNING, explanation=why, evidence=tuple(dict.fromkeys(evidence))
    )


def _far(problem: Problem) -> Problem:
    """A rate judged against a denominator printed in another paragraph: the pairing is
    the document's reading, not the sentence's, so it is a warning."""
    note = "its denominator is printed in another paragraph, so the pairing may be wrong"
    why = f"{problem.explanation}; {note}" if problem.explanation else note
    return replace(problem, severity=Severity.WARNING, explanation=why)


_WHOLE: dict[int, tuple[Normalized, dict[str | None, list[Claim]]]] = {}


def _whole_counts(norm: Normalized) -> dict[str | None, list[Claim]]:
    """This period's exact counts by subject, made once per document (each rate asked the
    whole claim list, which grew with the square of a long text)."""
    cached = _WHOLE.get(id(norm))
    if cached is not None and cached[0] is norm:
        return cached[1]
    groups: dict[str | None, list[Claim]] = {}
    for c in norm.claims:
        if c.kind is ClaimKind.COUNT and c.direction != PREVIOUS and as_int(c) is not None:
            groups.setdefault(c.subject, []).append(c)
    _WHOLE.clear()  # one document at a time: rules run document by document
    _WHOLE[id(norm)] = (norm, groups)
    return groups


def _document_counts(norm: Normalized, rate: Claim) -> list[Claim]:
    """This period's whole counts anywhere in the document, of the rate's scope; a rate
    whose section names no channel takes those of a document that speaks of one only."""
    found = _whole_counts(norm).get(rate.subject, [])
    if not rate.scope and len({c.scope for c in found if c.scope}) <= 1:
        return list(found)
    return _same_scope(found, rate)


def _first(counts: Sequence[Claim], metric: str) -> Claim | None:
    return next((c for c in counts if c.metric == metric), None)


def _whole_of(norm: Normalized, numerator: Claim, counts: Sequence[Claim]) -> Claim | None:
    """The count the numerator is printed as part of: the one just before it in its
    sentence, with 其中 between them ("抽查回访工单2258件，其中不满意22件")."""
    nq = quantity_of(norm, claim_span(numerator))
    if nq is None or "其中" not in nq.label:
        return None
    before = [
        q
        for q in norm.quantities
        if q.paragraph == nq.paragraph and q.sentence == nq.sentence and q.start < nq.start
    ]
    if not before or exact_count(before[-1]) is None:
        return None
    whole = before[-1]
    if (exact_count(whole) or 0) < (as_int(numerator) or 0):
        return None
    said = next((c for c in counts if claim_span(c) == quantity_span(whole)), None)
    # a whole no metric names ("抽查回访工单") is still the count the sentence gives
    return said or replace(numerator, metric=None, value=whole.value, source=whole.source)


def _same_scope(counts: Sequence[Claim], rate: Claim) -> list[Claim]:
    """Counts of the same channels and the same subject as the rate (not a category's)."""
    return [c for c in counts if c.scope == rate.scope and c.subject == rate.subject]


MAX_LISTED = 12  # counts of a paragraph's list tried as runs: real lists are short


def _listed_base(
    norm: Normalized, rate: Claim, numerator: Claim, accepted: Sequence[Rounding]
) -> list[Quantity]:
    """A run of consecutive counts printed before the numerator in its paragraph (two or
    more: 投诉 and 举报 of 投诉、举报、咨询) whose sum makes the rate hold. The rate's words
    may name such a part of the whole, so the whole is then no unambiguous base."""
    assert rate.value is not None
    num, top = as_int(numerator), quantity_of(norm, claim_span(numerator))
    if not num or top is None:
        return []
    counts = [
        q
        for q in norm.quantities
        if q.paragraph == top.paragraph and q.start < top.start and exact_count(q) is not None
    ][-MAX_LISTED:]
    for i in range(len(counts)):
        total = 0
        for j in range(i, len(counts)):
            total += exact_count(counts[j]) or 0
            ok = j > i and total >= num
            if ok and set(accepted) & set(conventions_that_hold(Fraction(num, total), rate.value)):
                return counts[i : j + 1]
    return []


def _holding_pair(
    rate: Claim, counts: Sequence[Claim], accepted: Sequence[Rounding]
) -> tuple[Claim, Claim] | None:
    """Any stated numerator and denominator of the right metrics that reproduce the rate.

    A paragraph may state several counts of one metric (this month's and the
    total's); the rate is right when one pair of them gives it.
    """
    assert rate.value is not None
    tops, bases = rate_operands(rate, counts)
    if not tops or not bases:
        return None
    # numerators sorted by value: each base needs only those its rate interval admits, so a
    # document of many counts is not tried pair by pair (that grew with the cube of its length)
    order = sorted(range(len(tops)), key=lambda i: as_int(tops[i]) or 0)
    values = [as_int(tops[i]) or 0 for i in order]
    best: tuple[int, int] | None = None
    for j, den in enumerate(bases):
        d = as_int(den) or 1
        for r in accepted:
            iv = interval_of(rate.value, r)
            lo = bisect_left(values, math.floor(iv.lo * d))
            hi = bisect_right(values, math.ceil(iv.hi * d))
            for k in range(lo, hi):
                i, num = order[k], tops[order[k]]
                if num is den or (best is not None and (i, j) >= best):
                    continue
                if set(accepted) & set(conventions_that_hold(Fraction(values[k], d), rate.value)):
                    best = (i, j)  # the first pair in reading order, as trying each gave
    return (tops[best[0]], bases[best[1]]) if best is not None else None


def _judge(
    norm: Normalized, rate: Claim, numerator: Claim, denominators: Sequence[Claim]
) -> Problem | None:
    assert rate.value is not None
    num = as_int(numerator)
    assert num is not None
    rounding = rounding_of(norm)
    accepted = set(admissible_roundings(norm))
    for den_claim in denominators:
        den = as_int(den_claim)
        if den and accepted & set(conventions_that_hold(Fraction(num, den), rate.value)):
            return None
    den_claim = denominators[0]
    den = as_int(den_claim) or 0
    if den == 0:
        return None
    value = Fraction(num, den)
    others = conventions_that_hold(value, rate.value)
    evidence = (
        claim_evidence(norm, rate),
        claim_evidence(norm, numerator),
        claim_evidence(norm, den_claim),
    )
    found = explain_ratio(
        rate.value, numerator=num, denominator=den, pool=pool(norm), rounding=rounding
    )
    explanation, extra = _explanation(rate, found)
    copy = _copied_from_earlier(norm, rate)
    if copy is not None:
        explanation = f"{copy[0]}; {explanation}" if explanation else copy[0]
        extra = (*extra, copy[1])
    expected = format_as(value, rate.value, rounding)
    return Problem(
        message=f"the text states {rate.value.text} but {num} / {den} = {expected}",
        evidence=tuple(dict.fromkeys((*evidence, *extra))),
        reported=rate.value.text,
        expected=expected,
        explanation=explanation
        if not others
        else (
            f"{rate.value.text} holds only under {others[0].value} rounding, "
            f"while the document rounds {rounding.value}"
        ),
        severity=Severity.WARNING if others else None,
    )


def _copied_from_earlier(norm: Normalized, rate: Claim) -> tuple[str, Evidence] | None:
    """The same rate the text gives for an earlier period ("上月98.85%"), printed identically:
    the earlier period's figure copied in place of this one's."""
    assert rate.value is not None
    earlier = [
        (c.subject or "an earlier period", c.value, c)
        for c in norm.claims
        if c.direction == PREVIOUS and c.metric == rate.metric and c.value is not None
    ]
    copies = copied_from(rate.value, earlier)
    if not copies:
        return None
    return (
        f"{rate.value.text} is the text's figure for {copies[0].how}: "
        "the earlier period's value copied in place of this one's",
        claim_evidence(norm, copies[0].tag),
    )


def _explanation(
    rate: Claim, found: Sequence[RatioExplanation[Origin]]
) -> tuple[str | None, tuple[Evidence, ...]]:
    if not found:
        return "no other numerator or denominator in the document reproduces it", ()
    best = found[0]
    assert rate.value is not None
    text = f"{rate.value.text} is what {best.numerator}/{best.denominator} gives"
    sources = [*best.numerator_tags[:1], *best.denominator_tags[:1]]
    parts = []
    if best.numerator_tags:
        parts.append(f"{best.numerator} is {best.numerator_tags[0].label}")
    if best.denominator_tags:
        parts.append(f"{best.denominator} is {best.denominator_tags[0].label}")
    if parts:
        text += "; " + " and ".join(parts)
    return text, tuple(o.evidence for o in sources)
