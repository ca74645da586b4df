"""Gaps in percentage points between a rate and the rates it is compared with (GROWTH009).

"同比增长8.7%，分别高于全省（6.3%）、金华（6.7%）2.4个百分点和2.0个百分点", "全省收入下降
4.1%，比我市增幅（-5.2%）高1.1个百分点": each figure compared with is printed in brackets,
and the gap after them is the difference between the rate and it, in the direction the
words say (高于, 快于, 高 up; 低于, 慢于, 低 down). A fall (下降4.1%) is a negative rate. The
gaps pair with the bracketed figures by position; a count that differs, or no direction
word, leaves the figures unchecked. Each figure stands for the values that round to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Number, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import is_fall, quantity_words
from pipeline.numeric.arithmetic import Interval, Rounding, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

OPENERS = ("(", "（")
CLOSERS = (")", "）")
RATES = (QuantityKind.PERCENT, QuantityKind.CHANGE)


@dataclass(frozen=True, slots=True)
class Gap:
    subject: Quantity  # the rate compared ("增长8.7%")
    other: Quantity  # the bracketed figure it is compared with
    points: Quantity  # the printed gap ("2.4个百分点")
    up: bool  # the words say the subject is the higher


@rule(
    "GROWTH009",
    Severity.ERROR,
    "a gap in percentage points between a rate and the bracketed rate it is compared with "
    "equals their difference",
)
def check_point_gaps(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    paragraphs = norm.paragraphs
    for index, quantities in by_paragraph(norm).items():
        for gap in point_gaps(paragraphs[index].text, quantities):
            yield Checked(tuple(map(quantity_span, (gap.subject, gap.other, gap.points))))
            if not any(_holds(gap, r) for r in accepted):
                yield _problem(gap, accepted[0])


def point_gaps(text: str, quantities: Sequence[Quantity]) -> Iterator[Gap]:
    i = 0
    while i < len(quantities):
        run = _points_run(quantities, i)
        if not run:
            i += 1
            continue
        yield from _gaps_of(text, quantities, i, run)
        i += len(run)


def _points_run(quantities: Sequence[Quantity], i: int) -> list[Quantity]:
    """The gaps printed in a row from quantities[i] ("2.4个百分点和2.0个百分点")."""
    run: list[Quantity] = []
    for q in quantities[i:]:
        if q.kind is not QuantityKind.POINTS or (run and q.sentence != run[0].sentence):
            break
        if run and len(q.label) > 1:
            break
        run.append(q)
    return run


def _gaps_of(
    text: str, quantities: Sequence[Quantity], i: int, run: Sequence[Quantity]
) -> Iterator[Gap]:
    others: list[Quantity] = []
    k = i - 1
    while k >= 0 and _bracketed(text, quantities[k]) and len(others) < len(run):
        others.insert(0, quantities[k])
        k -= 1
    while k >= 0 and quantities[k].sentence == run[0].sentence:
        q = quantities[k]
        if q.value.percent and not _bracketed(text, q):
            break
        # "增长8.7%，增速位列第1，分别高于…": past the places and counts between, and past
        # the gaps before ("慢于全省（6.9%）1.7个百分点，快于全市（2.2%）3.0个百分点")
        k -= 1
    if k < 0 or len(others) != len(run):
        return
    subject = quantities[k]
    if (
        subject.kind not in RATES
        or not subject.value.percent
        or subject.sentence != run[0].sentence
    ):
        return
    between = text[subject.end : others[0].start]
    for other, points in zip(others, run, strict=True):
        up = _direction(between + other.label + points.label)
        if up is not None:
            yield Gap(subject, other, points, up)


def _bracketed(text: str, q: Quantity) -> bool:
    return (
        q.kind in RATES
        and q.value.percent
        and text[: q.start].rstrip().endswith(OPENERS)
        and text[q.end :].lstrip().startswith(CLOSERS)
    )


def _direction(words: str) -> bool | None:
    """Up or down by the last direction word ("比…（-5.2%）高" up, "低于" down)."""
    vocab = quantity_words()
    found = [(words.rfind(w), True) for w in vocab.above_words]
    found += [(words.rfind(w), False) for w in vocab.below_words]
    at, up = max(found)
    return up if at >= 0 else None


def _signed(q: Quantity, rounding: Rounding) -> Interval:
    iv = interval_of(q.value, rounding)
    return Interval.point(0) - iv if is_fall(q) and q.value.value > 0 else iv


def _holds(gap: Gap, rounding: Rounding) -> bool:
    actual = _signed(gap.subject, rounding) - _signed(gap.other, rounding)
    return actual.meets(stated_points(gap.points.value, rounding, up=gap.up))


def stated_points(points: Number, rounding: Rounding, *, up: bool) -> Interval:
    """A change printed in percentage points, signed as the words say, in hundredths as
    the rates it compares are."""
    iv = interval_of(points, rounding)
    if not points.percent:
        iv = iv * Interval.point(Fraction(1, 100))
    return iv if up else Interval.point(0) - iv


def _problem(gap: Gap, rounding: Rounding) -> Problem:
    s = _signed(gap.subject, rounding)
    o = _signed(gap.other, rounding)
    exact = (s.lo + s.hi) / 2 - (o.lo + o.hi) / 2
    expected = format_as(abs(exact) * 100, gap.points.value, rounding)
    side = "above" if exact >= 0 else "below"
    said = "above" if gap.up else "below"
    return Problem(
        message=(
            f"the text states {gap.subject.value.text} is {gap.points.value.text} {said} "
            f"{gap.other.value.text}, but the two differ by {expected} ({side})"
        ),
        evidence=tuple(map(quantity_evidence, (gap.points, gap.subject, gap.other))),
        reported=gap.points.value.text,
        expected=expected,
        explanation=(
            f"{gap.subject.value.text} minus {gap.other.value.text} is {expected} {side}; no "
            f"values the printed rates stand for give {gap.points.value.text}"
        ),
    )
