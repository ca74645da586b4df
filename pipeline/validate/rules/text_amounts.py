"""Totals and parts printed with a rounding of their own: amounts and counts in 万 or 亿.

"实现地区生产总值3008.61亿元。分产业看，第一产业增加值571.94亿元……", "共接收5.77万件，
其中投诉2.06万件，举报7144件，咨询3.00万件": SUM001 reads only exact counts, since a
number printed to a few digits stands for a range. Here every figure stands for the
values that round to it (a count printed in full for itself), and the parts hold when the
sum of their ranges meets the total's under a rounding the document uses. The list is
found as SUM001 finds its own (rules/text_sums.py); a complete list (其他, a pair that
splits the whole) that misses is an error, a list of three or more that comes within 1%
a warning, and a shorter one nothing: it may list only the largest parts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Interval, Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_sums import (
    PREVIOUS_WORDS,
    listed_parts,
    whole_list,
    with_next_list,
)
from pipeline.validate.text_quantities import (
    by_paragraph,
    exact_count,
    quantity_evidence,
    quantity_span,
)
from pipeline.validate.text_runs import next_stop

MEASURED = (QuantityKind.COUNT, QuantityKind.AMOUNT)
NEAR = Fraction(1, 100)  # a list this close to its total is taken as complete
# A complete list further off than this is taken for another list's figures, not a slip.
WHOLE_GAP = Fraction(1, 10)


def printed_value(q: Quantity) -> Fraction | None:
    """What a count or an amount says, in plain units (3008.61亿元 -> 300861000000)."""
    if q.kind not in MEASURED or not any(ch.isdigit() for ch in q.value.text):
        return None
    return exact_of(q.value)


def _interval(q: Quantity, rounding: Rounding) -> Interval:
    return interval_of(q.value, rounding, exact=exact_count(q) is not None)


def holds_sum(total: Quantity, parts: Sequence[Quantity], rounding: Rounding) -> bool:
    """The parts meet the total for some values their printed figures stand for."""
    added = _interval(parts[0], rounding)
    for q in parts[1:]:
        added = added + _interval(q, rounding)
    return added.meets(_interval(total, rounding))


def _making_run(
    total: Quantity, parts: Sequence[Quantity], accepted: Sequence[Rounding]
) -> Sequence[Quantity] | None:
    """The shortest run of the listed parts, from the first, that makes the total: a
    sentence may go on past its list to other figures in the same unit."""
    for k in range(2, len(parts) + 1):
        if any(holds_sum(total, parts[:k], r) for r in accepted):
            return parts[:k]
    return None


def _whole_run(
    total: Quantity, parts: Sequence[Quantity], accepted: Sequence[Rounding]
) -> Sequence[Quantity] | None:
    return parts if any(holds_sum(total, parts, r) for r in accepted) else None


@rule(
    "SUM003",
    Severity.ERROR,
    "amounts and rounded counts the text lists add up to the total it states, within their "
    "printed precision",
)
def check_amount_sums(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    grouped = by_paragraph(norm)
    for index, own in grouped.items():
        text, quantities = with_next_list(norm, grouped, index)
        for total in own:
            if printed_value(total) is None or any(w in total.label for w in PREVIOUS_WORDS):
                continue
            parts = listed_parts(text, total, quantities, printed_value)
            parts = parts if len(parts) >= 2 else respectively_parts(text, total, quantities)
            if len(parts) < 2 or all(exact_count(q) is not None for q in (total, *parts)):
                continue  # exact counts throughout: SUM001's
            whole = whole_list(parts)
            # a list its catch-all closes is all of the total: judged in full, since a run
            # of it may make the total only because one of its figures is wrong
            run = (
                _whole_run(total, parts, accepted) if whole else _making_run(total, parts, accepted)
            )
            if run is not None:
                yield Checked((quantity_span(total), *map(quantity_span, run)))
                continue
            problem = _problem(total, parts, whole, accepted[0])
            if problem is not None:
                yield Checked((quantity_span(total), *map(quantity_span, parts)))
                yield problem


def respectively_parts(
    text: str, total: Quantity, quantities: Sequence[Quantity]
) -> list[Quantity]:
    """ "生产总值为151.80亿元，……其第一、二、三产业增加值分别为51.20亿元、15.70亿元、85.00
    亿元": a list of amounts joined by 、 or 和 after 分别, in the total's sentence and unit, none
    larger than it. Nothing says the list is whole, so only a near miss is said."""
    words = quantity_words()
    stop = next_stop(text, total.end)
    after = [q for q in quantities if total.end <= q.start < stop]
    run: list[Quantity] = []
    for q in after:
        if run and (q.kind is not total.kind or text[run[-1].end : q.start].strip() not in JOINS):
            break
        if run or any(w in text[total.end : q.start][-8:] for w in words.respectively):
            run.append(q)
    n = printed_value(total) or 0
    fits = all(q.kind is total.kind and q.value.unit == total.value.unit for q in run)
    if len(run) < 3 or not fits or any((printed_value(q) or 0) > n for q in run):
        return []
    return run


JOINS = ("、", "和", "及")  # what stands between the amounts of one list


def _problem(
    total: Quantity, parts: Sequence[Quantity], whole: bool, rounding: Rounding
) -> Problem | None:
    n = printed_value(total) or Fraction(0)
    added = sum((printed_value(q) or Fraction(0) for q in parts), Fraction(0))
    gap = abs(added - n)
    near = len(parts) >= 3 and n > 0 and gap <= NEAR * n
    if not (near or (whole and gap <= WHOLE_GAP * n)):
        return None  # a list of some parts only, or figures past the list
    expected = format_as(added, total.value, rounding)
    said = " + ".join(q.value.text for q in parts)
    why = (
        "the list is complete (it closes with 其他 or splits the whole)"
        if whole
        else "the list comes within 1% of its total, as a complete list with a wrong figure does"
    )
    return Problem(
        message=(
            f"the parts the text lists add up to {expected} ({said}), not to {total.value.text}"
        ),
        evidence=(quantity_evidence(total), *map(quantity_evidence, parts)),
        reported=total.value.text,
        expected=expected,
        explanation=(
            f"{why}; no values the printed figures stand for (rounded as printed) make the "
            "parts meet the total"
        ),
        severity=None if whole else Severity.WARNING,
    )
