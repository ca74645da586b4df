"""REL001: the arithmetic search behind coverage. A percentage that some printed count of
its paragraph over another reproduces, and a count that a run of the counts after it adds
up to, took part in a check: they count as recomputed. It finds no errors: such a pairing
rests on arithmetic alone, not on words.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.numeric.arithmetic import Rounding, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import by_paragraph, exact_count, quantity_span
from pipeline.validate.text_runs import sum_runs


@rule("REL001", Severity.INFO, "figures that other printed figures of the paragraph reproduce")
def check_reproduced(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for quantities in by_paragraph(norm).values():
        counts = [(q, n) for q in quantities if (n := exact_count(q)) is not None and n > 0]
        for q in quantities:
            if q.kind is QuantityKind.PERCENT:
                pair = _ratio_pair(q, counts, accepted)
                if pair is not None:
                    yield Checked((quantity_span(q), *map(quantity_span, pair)))
        yield from _sums(counts)


def _ratio_pair(
    q: Quantity, counts: Sequence[tuple[Quantity, int]], accepted: Sequence[Rounding]
) -> tuple[Quantity, Quantity] | None:
    intervals = [interval_of(q.value, r) for r in accepted]
    for den, d in counts:
        for num, n in counts:
            if num is den or n > d:
                continue
            x = Fraction(n, d)
            if any(iv.contains(x) for iv in intervals):
                return num, den
    return None


def _sums(counts: Sequence[tuple[Quantity, int]]) -> Iterator[Checked]:
    for k, (total, n) in enumerate(counts):
        rest = [q for q, _ in counts[k + 1 :] if q.value.unit == total.value.unit]
        run = sum_runs(rest, n)
        if run is not None:
            yield Checked((quantity_span(total), *map(quantity_span, run)))
