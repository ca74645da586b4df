"""Daily averages the narrative prints, against the total beside them and the period's days.

"2月份共受理各类来电1320件，日均受理46件": February 2020 has 29 days, and 1320/29 = 45.5
prints as 46. AVG001 pairs a figure whose words mark it as a daily average with the count
printed just before it in its sentence, and divides by the days of the period the bulletin
reports (its title's, or its body's first). The count may cover another span than the
document's period (a holiday, a storm week), so a figure no rounding reproduces is a
warning that says which days were taken, never an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Period, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Interval, Rounding, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

MIN_DAYS = 7


@dataclass(frozen=True, slots=True)
class DailyAverage:
    average: Quantity
    total: Quantity


def daily_averages(quantities: Sequence[Quantity]) -> Iterator[DailyAverage]:
    words = quantity_words().daily_average
    for i, q in enumerate(quantities):
        if q.kind is not QuantityKind.COUNT or not any(w in q.label for w in words):
            continue
        total = _total_before(quantities[:i], q)
        if total is not None:
            yield DailyAverage(q, total)


def _total_before(before: Sequence[Quantity], average: Quantity) -> Quantity | None:
    """The count printed just before the average in its sentence, of its unit and larger."""
    for q in reversed(before):
        if q.sentence != average.sentence:
            return None
        if q.kind is QuantityKind.COUNT and q.value.unit == average.value.unit:
            return q if q.value.exact >= average.value.exact else None
    return None


def _days(period: Period) -> int:
    return (period.end - period.start).days + 1


def _holds(pair: DailyAverage, days: int, rounding: Rounding) -> bool:
    """Some count the printed total stands for, over the days, prints as the average."""
    total = interval_of(pair.total.value, rounding, exact=pair.total.value.scale == 1)
    printed = interval_of(pair.average.value, rounding)
    return Interval(total.lo / days, total.hi / days).intersect(printed) is not None


@rule("AVG001", Severity.WARNING, "a daily average is the total beside it over the period's days")
def check_daily_averages(norm: Normalized) -> Iterator[Problem | Checked]:
    period = norm.metadata.period
    if period is None or _days(period) < MIN_DAYS:
        return  # a period of a day or two is a misread span, no base for an average
    days = _days(period)
    accepted = admissible_roundings(norm) or [Rounding.HALF_UP]
    for quantities in by_paragraph(norm).values():
        for pair in daily_averages(quantities):
            yield Checked((quantity_span(pair.average), quantity_span(pair.total)))
            if not any(_holds(pair, days, r) for r in accepted):
                yield _problem(pair, period, days)


def _problem(pair: DailyAverage, period: Period, days: int) -> Problem:
    expected = format_as(Fraction(pair.total.value.exact) / days, pair.average.value)
    return Problem(
        message=(
            f"daily average {pair.average.value.text}: {pair.total.value.text} over the "
            f"{days} days of {period.text} is {expected}"
        ),
        evidence=(quantity_evidence(pair.average), quantity_evidence(pair.total)),
        reported=pair.average.value.text,
        expected=expected,
        explanation=(
            f"the days are those of the period the bulletin reports ({period.start} to "
            f"{period.end}); a total of another span would need other days"
        ),
    )
