"""Rates named for a count printed before them, outside the rate vocabulary (RATE003).

"共征集提案303件，经提案委员会审查，立案196件，立案率64.48%": 立案率 is no rate of
rates.json, yet its name says what it counts: the count right before it in its sentence
whose words end with the name less 率 (立案196件). Its base is the count the sentence
opens with (征集303件), larger and in the same unit, when the sentence prints no other
count before the rate; or, when the sentence lists what became of a whole ("并案6件，
不予立案3件，立案136件，立案率…", every other count smaller than the rate's), the last
count printed before the sentence (共提出建议142件). A rate that holds over them is
checked; one that does not, and that no other two counts of its paragraph give either,
is a warning naming the pair it was read over, since the base is presumed from the order
of the words. Rates of the vocabulary are RATE001's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.numeric.arithmetic import Rounding, format_as
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    NAME_FILLERS,
    by_paragraph,
    exact_count,
    holds_share,
    quantity_evidence,
    quantity_span,
)

STEM = 2  # the characters of a rate's name a count's words must end with (立案)


@rule(
    "RATE003", Severity.WARNING, "a rate named for a count before it is that count over its whole"
)
def check_stem_rates(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    known = {(c.source, c.value.text) for c in norm.claims if c.metric is not None and c.value}
    for quantities in by_paragraph(norm).values():
        for i, rate in enumerate(quantities):
            if rate.role != "rate" or (rate.source, rate.value.text) in known:
                continue
            pair = _pair(quantities[:i], rate) or _pair_before(norm.quantities, rate)
            if pair is None:
                continue
            part, whole = pair
            spans = (quantity_span(rate), quantity_span(part), quantity_span(whole))
            if _holds(part, whole, rate, accepted):
                yield Checked(spans)
            elif not _other_pair(quantities, rate, accepted):
                yield Checked(spans)
                yield _problem(rate, part, whole, accepted[0])


def _pair(before: Sequence[Quantity], rate: Quantity) -> tuple[Quantity, Quantity] | None:
    """The count the rate is named for and the whole before it, in the rate's sentence."""
    stem = rate.label.rstrip(NAME_FILLERS).removesuffix("率")
    counts = [q for q in before if q.sentence == rate.sentence and exact_count(q) is not None]
    if len(stem) < STEM or not counts:
        return None
    part = counts[-1]  # "立案196件，立案率…": the last count before the rate, named alike
    if not part.label.rstrip(NAME_FILLERS).endswith(stem[-STEM:]):
        return None
    if len(counts) != 2:
        return None  # a sentence of many counts: which one is the whole is unsaid
    whole = counts[0]
    larger = (exact_count(whole) or 0) > (exact_count(part) or 0)
    return (part, whole) if larger and whole.value.unit == part.value.unit else None


def _pair_before(document: Sequence[Quantity], rate: Quantity) -> tuple[Quantity, Quantity] | None:
    """A rate after a list of what became of a whole (并案6件，不予立案3件，立案136件，立案率…):
    the count it is named for is the last of its sentence and the others are smaller, so
    none of them is the whole; the whole is the last count printed before the sentence, in
    its paragraph or the one before (共提出建议142件), larger and in the same unit."""
    at = document.index(rate)
    sentence = [q for q in document[:at] if _same_sentence(q, rate)]
    counts = [q for q in sentence if exact_count(q) is not None]
    stem = rate.label.rstrip(NAME_FILLERS).removesuffix("率")
    if len(stem) < STEM or len(counts) < 2:
        return None  # no list of what became of the whole
    part = counts[-1]
    if not part.label.rstrip(NAME_FILLERS).endswith(stem[-STEM:]):
        return None
    if any(not _larger(part, q) for q in counts[:-1]):
        return None  # a count of the sentence as large: it may be the whole
    before = [q for q in document[: at - len(sentence)] if q.paragraph >= rate.paragraph - 1]
    whole = next((q for q in reversed(before) if exact_count(q) is not None), None)
    if whole is None or whole.value.unit != part.value.unit or not _larger(whole, part):
        return None
    return part, whole


def _same_sentence(q: Quantity, rate: Quantity) -> bool:
    return q.paragraph == rate.paragraph and q.sentence == rate.sentence


def _larger(a: Quantity, b: Quantity) -> bool:
    return (exact_count(a) or 0) > (exact_count(b) or 0)


def _holds(part: Quantity, whole: Quantity, rate: Quantity, accepted: Sequence[Rounding]) -> bool:
    n = Fraction(exact_count(part) or 0)
    return holds_share(n, exact_count(whole) or 0, rate.value, accepted)


def _other_pair(
    quantities: Sequence[Quantity], rate: Quantity, accepted: Sequence[Rounding]
) -> bool:
    """Two other counts of the paragraph, the smaller over the larger, that give the rate."""
    counts = [q for q in quantities if exact_count(q) and q.kind is QuantityKind.COUNT]
    return any(
        _holds(a, b, rate, accepted)
        for a in counts
        for b in counts
        if (exact_count(a) or 0) < (exact_count(b) or 0)
    )


def _problem(rate: Quantity, part: Quantity, whole: Quantity, rounding: Rounding) -> Problem:
    x = Fraction(exact_count(part) or 0, exact_count(whole) or 1)
    expected = format_as(x, rate.value, rounding)
    return Problem(
        message=(
            f"{rate.value.text} is not {part.value.text} over {whole.value.text} = {expected}"
        ),
        evidence=tuple(map(quantity_evidence, (rate, part, whole))),
        reported=rate.value.text,
        expected=expected,
        explanation=(
            f"the rate is named for the count before it ({part.label[-6:]}{part.value.text}) "
            f"and read over the whole printed before it ({whole.value.text}); no two "
            "counts of the paragraph give it"
        ),
    )
