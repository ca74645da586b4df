"""SHARE010: a share whose words print its base: "共受理120件，占全区总量500件的24.0%".

The share's words open with 占, name a whole and print its count, and the share follows
that count with only 的 or 中的 between: the count is the base, and the count printed just
before 占, in the same sentence and unit, is the part. The words pair them, so a share
neither rounding of part over base gives is an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import format_as
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    by_paragraph,
    exact_count,
    holds_share,
    quantity_evidence,
    quantity_span,
)

SHARE_WORD = "占"


@rule("SHARE010", Severity.ERROR, "a share whose words print its base is its count over it")
def check_inline_bases(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for quantities in by_paragraph(norm).values():
        for part, base, share in _triples(quantities):
            n, whole = exact_count(part), exact_count(base)
            assert n is not None and whole is not None  # _triples chose counts
            yield Checked(tuple(quantity_span(q) for q in (part, base, share)))
            if not holds_share(Fraction(n), whole, share.value, accepted):
                yield _problem(part, base, share)


def _triples(quantities: Sequence[Quantity]) -> Iterator[tuple[Quantity, Quantity, Quantity]]:
    """(part, base, share): a percentage whose words are only a join after a count whose
    words open with 占, and the count before it, of one sentence and unit."""
    joins = quantity_words().inline_base_joins
    for i in range(2, len(quantities)):
        part, base, share = quantities[i - 2 : i + 1]
        if share.kind is not QuantityKind.PERCENT or share.label.strip() not in joins:
            continue
        if not base.label.strip().startswith(SHARE_WORD):
            continue
        if len({part.sentence, base.sentence, share.sentence}) != 1:
            continue
        n, whole = exact_count(part), exact_count(base)
        if n is None or whole is None or n > whole or part.value.unit != base.value.unit:
            continue
        yield part, base, share


def _problem(part: Quantity, base: Quantity, share: Quantity) -> Problem:
    n, whole = exact_count(part) or 0, exact_count(base) or 0
    expected = format_as(Fraction(n, whole), share.value)
    return Problem(
        message=(
            f"{share.value.text} of {base.value.text}: {part.value.text} over it is {expected}"
        ),
        evidence=tuple(quantity_evidence(q) for q in (share, part, base)),
        reported=share.value.text,
        expected=expected,
        explanation=(
            f"the share's words print its base ({base.label.strip()}{base.value.text}); "
            f"{n}/{whole} gives {expected} under every rounding the document admits"
        ),
    )
