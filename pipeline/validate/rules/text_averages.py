"""Daily averages the narrative prints, against the total beside them and the period's days.

"2月份共受理各类来电1320件，日均受理46件": February 2020 has 29 days, and 1320/29 = 45.5
prints as 46. AVG001 pairs a figure whose words mark it as a daily average with the count
printed just before it in its sentence, and divides by the days of the period the bulletin
reports (its title's, or its body's first). The count may cover another span than the
document's period (a holiday, a storm week), so a figure no rounding reproduces is a
warning that says which days were taken, never an error.

AVG002 pairs an average per item ("退款1.22亿元，平均每起退货金额6896.72元", "总户数806924户…
户均2.8人") with the total of its unit and the count of the items it is per, printed
before it: 1.22亿元 over 17494起 is 6973.82元. The total may be of another scope than the
items (家庭户人口 over 家庭户), so a miss is a warning.

AVG003 divides a monthly average's total (月均来电3294个 after 受理市民来电39528个) by the
months of the span the paragraph prints (自2018年1月1日起，截至2018年12月3日: 337 days, 11.1
months, about 3570 a month), else of the bulletin's period; 3294 is 39528 over twelve.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from pipeline.model import Checked, Normalized, Period, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.paragraphs import sentences
from pipeline.normalize.periods import find_periods
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Interval, Rounding, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    NAME_FILLERS,
    by_paragraph,
    quantity_evidence,
    quantity_span,
)

MIN_DAYS = 7


@dataclass(frozen=True, slots=True)
class DailyAverage:
    average: Quantity
    total: Quantity


def daily_averages(quantities: Sequence[Quantity], text: str) -> Iterator[DailyAverage]:
    words = quantity_words().daily_average
    for i, q in enumerate(quantities):
        if q.kind is not QuantityKind.COUNT or not any(w in q.label for w in words):
            continue
        total = _total_before(quantities[:i], q, text)
        if total is not None:
            yield DailyAverage(q, total)


def _total_before(before: Sequence[Quantity], average: Quantity, text: str) -> Quantity | None:
    """The count printed just before the average in its sentence, of its unit and larger;
    not an item of a list ("电话3.81万件、网络2.7万件，日均9305件") nor a count inside
    brackets closed before the average ("共149497件（其中…信箱664件），日均410件")."""
    for q in reversed(before):
        if q.sentence != average.sentence:
            return None
        if q.series is not None or _closed_between(text[q.end : average.start]):
            continue
        if q.kind is QuantityKind.COUNT and q.value.unit == average.value.unit:
            return q if q.value.exact >= average.value.exact else None
    return None


def _closed_between(between: str) -> bool:
    """A bracket closes between the two that opened before the first: it sat inside it."""
    depth = 0
    for ch in between:
        depth += ch in "（("
        depth -= ch in "）)"
        if depth < 0:
            return True
    return False


def _days(period: Period) -> int:
    return (period.end - period.start).days + 1


def _holds(pair: DailyAverage, days: int, rounding: Rounding) -> bool:
    """Some count the printed total stands for, over the days, prints as the average."""
    total = interval_of(pair.total.value, rounding, exact=pair.total.value.scale == 1)
    printed = interval_of(pair.average.value, rounding)
    return Interval(total.lo / days, total.hi / days).intersect(printed) is not None


@dataclass(frozen=True, slots=True)
class Days:
    """The days an average is taken over, and what they are."""

    count: int
    said: str  # as the message names them ("the 29 days of 2月份")
    why: str  # where they come from


@rule("AVG001", Severity.WARNING, "a daily average is the total beside it over the period's days")
def check_daily_averages(norm: Normalized) -> Iterator[Problem | Checked]:
    period = norm.metadata.period
    if period is not None and _days(period) < MIN_DAYS:
        period = None  # a period of a day or two is a misread span, no base for an average
    reported = _of_period(period) if period is not None else None
    accepted = admissible_roundings(norm) or [Rounding.HALF_UP]
    for index, quantities in by_paragraph(norm).items():
        for pair in daily_averages(quantities, norm.paragraphs[index].text):
            days = _week(norm.paragraphs[index].text, pair.total) or reported
            if days is None:
                continue
            yield Checked((quantity_span(pair.average), quantity_span(pair.total)))
            if not any(_holds(pair, days.count, r) for r in accepted):
                yield _problem(pair, days)


def _of_period(period: Period) -> Days:
    days = _days(period)
    return Days(
        days,
        f"the {days} days of {period.text}",
        f"the days are those of the period the bulletin reports ({period.start} to "
        f"{period.end}); a total of another span would need other days",
    )


# Words before a total in its sentence that make it a week's ("上周…共接到来电297个").
WEEK = re.compile(r"上周|本周|该周|当周|一周")


def _week(text: str, total: Quantity) -> Days | None:
    """A week, when the total's sentence says it counts one: a weekly bulletin's period
    is often printed nowhere but as 上周."""
    start = max((a for a, _ in sentences(text) if a <= total.start), default=0)
    found = WEEK.search(text[start : total.start])
    if found is None:
        return None
    return Days(
        7,
        f"the 7 days of {found.group(0)}",
        f"the total's sentence counts a week ({found.group(0)}), whatever the bulletin's period",
    )


def _problem(pair: DailyAverage, days: Days) -> Problem:
    expected = format_as(Fraction(pair.total.value.exact) / days.count, pair.average.value)
    return Problem(
        message=(
            f"daily average {pair.average.value.text}: {pair.total.value.text} over {days.said} "
            f"is {expected}"
        ),
        evidence=(quantity_evidence(pair.average), quantity_evidence(pair.total)),
        reported=pair.average.value.text,
        expected=expected,
        explanation=days.why,
    )


# --- averages per item -----------------------------------------------------------------

CLASSIFIER = "个"
SENTENCES_BACK = 3  # how many sentences before an average its total and items may stand


@dataclass(frozen=True, slots=True)
class ItemAverage:
    """An average per item (平均每起退货金额6896.72元, 户均2.8人), the total it divides and
    the count of the items it is per."""

    average: Quantity
    total: Quantity
    items: Quantity


def per_unit(label: str) -> str | None:
    """The unit of the items an average's words say it is per: 起 of 平均每起, 户 of 户均."""
    words = quantity_words()
    for lead in words.per_item_leads:
        at = label.rfind(lead)
        if at < 0:
            continue
        # 平均每起退货金额: the unit follows the lead; 平均每个家庭户的人口: 个 is a classifier
        # and the items are what the noun after it ends with (户)
        rest = label[at + len(lead) :]
        noun = rest.removeprefix(CLASSIFIER).split("的")[0]
        if noun != rest.split("的")[0]:
            unit = next((u for u in words.count_units if noun.endswith(u)), None)
        else:
            unit = next((u for u in words.count_units if noun.startswith(u)), None)
        if unit is not None:
            return unit
    return next((unit for word, unit in words.per_item_fixed if word in label), None)


def item_averages(quantities: Sequence[Quantity]) -> Iterator[ItemAverage]:
    for i, q in enumerate(quantities):
        if q.kind not in (QuantityKind.COUNT, QuantityKind.AMOUNT):
            continue
        if q.value.unit not in quantity_words().per_item_units:
            continue  # 平均每件办理时长3.2天: no total of days is printed for it
        per = per_unit(q.label)
        if per is None or per == q.value.unit:
            continue
        near = [x for x in quantities[:i] if 0 <= q.sentence - x.sentence <= SENTENCES_BACK]
        all_items = [x for x in near if x.kind is QuantityKind.COUNT and x.value.unit == per]
        totals = [
            x
            for x in near
            if x.kind in (QuantityKind.COUNT, QuantityKind.AMOUNT)
            and x.value.unit == q.value.unit
            and per_unit(x.label) is None  # another average is no total
        ]
        named = _noun_and_measure(q.label)
        if named is not None:  # 平均每个家庭户的人口: 家庭户 and 家庭户人口, not 集体户
            noun, measure = named
            items = _last_named(all_items, (noun,))
            total = _last_named(totals, (noun + measure, noun + "的" + measure))
        else:
            items, total = _whole(iter(all_items)), _whole(iter(totals))
        if items is not None and total is not None and items.value.value > 0:
            yield ItemAverage(q, total, items)


def _noun_and_measure(label: str) -> tuple[str, str] | None:
    """What an average after a classifier is per and of: (家庭户, 人口) of 平均每个家庭户的人口."""
    for lead in quantity_words().per_item_leads:
        at = label.rfind(lead)
        rest = label[at + len(lead) :] if at >= 0 else ""
        if not rest.startswith(CLASSIFIER) or "的" not in rest:
            continue
        noun, _, measure = rest.removeprefix(CLASSIFIER).partition("的")
        measure = measure.strip(NAME_FILLERS)
        if len(noun) >= 2 and len(measure) >= 2:
            return noun, measure
    return None


def _last_named(found: Sequence[Quantity], names: tuple[str, ...]) -> Quantity | None:
    """The last figure whose words end with one of the names."""
    return next((x for x in reversed(found) if x.label.rstrip(NAME_FILLERS).endswith(names)), None)


def _whole(found: Iterator[Quantity]) -> Quantity | None:
    """Of the figures that may be a whole, the last one its words mark as a total (总户数),
    else the only one; several unmarked ones (城镇…户，乡村…户) name no whole."""
    candidates = list(found)
    marks = quantity_words().total_words
    marked = [x for x in candidates if any(w in x.label for w in marks)]
    if marked:
        return marked[-1]
    return candidates[0] if len(candidates) == 1 else None


def _span(q: Quantity, rounding: Rounding) -> Interval:
    exact = q.kind is QuantityKind.COUNT and not q.value.decimals and q.value.scale == 1
    return interval_of(q.value, rounding, exact=exact)


def _item_holds(pair: ItemAverage, rounding: Rounding) -> bool:
    actual = _span(pair.total, rounding) / _span(pair.items, rounding)
    return actual.meets(interval_of(pair.average.value, rounding))


@rule(
    "AVG002",
    Severity.WARNING,
    "an average per item (平均每起, 户均) is the total before it over the count of the items",
)
def check_item_averages(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm) or [Rounding.HALF_UP]
    for quantities in by_paragraph(norm).values():
        for pair in item_averages(quantities):
            spans = (pair.average, pair.total, pair.items)
            yield Checked(tuple(map(quantity_span, spans)))
            if not any(_item_holds(pair, r) for r in accepted):
                yield _item_problem(pair)


def _item_problem(pair: ItemAverage) -> Problem:
    exact = Fraction(pair.total.value.exact) / Fraction(pair.items.value.exact)
    expected = format_as(exact, pair.average.value)
    total, items, average = (q.value.text for q in (pair.total, pair.items, pair.average))
    return Problem(
        message=f"the average {average} is not {total} over {items}, which is {expected}",
        evidence=tuple(map(quantity_evidence, (pair.average, pair.total, pair.items))),
        reported=average,
        expected=expected,
        explanation=(
            f"the average's words make it one per {pair.items.value.unit}; no values the printed "
            f"total and count stand for give {average}. A total of another scope (家庭户人口 "
            f"rather than the whole population) would need its own figures"
        ),
    )


# --- monthly averages ----------------------------------------------------------------

DAYS_A_MONTH = Fraction(3652425, 120000)  # 365.2425 / 12: a month of a span of odd days
MIN_SPAN_DAYS = 28
MONTHLY_SLACK = Fraction(3, 100)  # a span of odd days may be counted in months a little apart


@dataclass(frozen=True, slots=True)
class Months:
    """The months of the span a total covers: whole (Jan 1 to Dec 31 is 12) or not."""

    count: Fraction
    whole: bool
    period: Period


def _months(period: Period) -> Months:
    start, end = period.start, period.end
    next_day = end.toordinal() + 1
    ends_month = date.fromordinal(next_day).day == 1
    if start.day == 1 and ends_month:
        count = (end.year - start.year) * 12 + end.month - start.month + 1
        return Months(Fraction(count), True, period)
    return Months(Fraction(_days(period)) / DAYS_A_MONTH, False, period)


@dataclass(frozen=True, slots=True)
class MonthlyAverage:
    average: Quantity
    total: Quantity
    months: Months


def monthly_averages(
    quantities: Sequence[Quantity], text: str, reported: Period | None
) -> Iterator[MonthlyAverage]:
    words = quantity_words().monthly_average
    for i, q in enumerate(quantities):
        if q.kind is not QuantityKind.COUNT or not any(w in q.label for w in words):
            continue
        total = _named_total(quantities[:i], q, words) or _total_before(quantities[:i], q, text)
        if total is None:
            continue
        period = _span_before(text, total.start) or reported
        if period is not None and _days(period) >= MIN_SPAN_DAYS:
            yield MonthlyAverage(q, total, _months(period))


def _named_total(
    before: Sequence[Quantity], average: Quantity, words: Sequence[str]
) -> Quantity | None:
    """The last count of the paragraph whose words end with what the average is of
    (月均来电 -> 受理市民来电39528个), in its unit and larger."""
    label = average.label
    at = max(label.rfind(w) + len(w) for w in words if w in label)
    name = label[at:].strip(NAME_FILLERS)
    if len(name) < 2:
        return None
    for q in reversed(before):
        named = q.label.rstrip(NAME_FILLERS).endswith(name)
        if named and q.kind is QuantityKind.COUNT and q.value.unit == average.value.unit:
            return q if q.value.exact > average.value.exact else None
    return None


def _span_before(text: str, at: int) -> Period | None:
    """The last span of days the paragraph prints before the total (自1月1日起，截至12月3日)."""
    spans = [p for p, start, _ in find_periods(text[:at], default_year=None) if p.end > p.start]
    return spans[-1] if spans else None


def _monthly_holds(pair: MonthlyAverage, accepted: Sequence[Rounding]) -> bool:
    months = pair.months.count
    exact = pair.total.value.scale == 1 and not pair.total.value.decimals
    for r in accepted:
        total = interval_of(pair.total.value, r, exact=exact)
        actual = Interval(total.lo / months, total.hi / months)
        if not pair.months.whole:  # odd days: a month of them is a little uncertain
            slack = actual.hi * MONTHLY_SLACK
            actual = Interval(actual.lo - slack, actual.hi + slack)
        if actual.meets(interval_of(pair.average.value, r)):
            return True
    return False


@rule(
    "AVG003",
    Severity.WARNING,
    "a monthly average (月均) is its total over the months of the span the total covers",
)
def check_monthly_averages(norm: Normalized) -> Iterator[Problem | Checked]:
    reported = norm.metadata.period
    accepted = admissible_roundings(norm) or [Rounding.HALF_UP]
    for index, quantities in by_paragraph(norm).items():
        text = norm.paragraphs[index].text
        for pair in monthly_averages(quantities, text, reported):
            yield Checked((quantity_span(pair.average), quantity_span(pair.total)))
            if not _monthly_holds(pair, accepted):
                yield _monthly_problem(pair)


def _monthly_problem(pair: MonthlyAverage) -> Problem:
    m, total = pair.months, Fraction(pair.total.value.exact)
    expected = format_as(total / m.count, pair.average.value)
    span = f"{m.period.start} to {m.period.end}"
    months = f"{m.count}" if m.whole else f"{_days(m.period)} days, {float(m.count):.1f}"
    calendar = (
        m.period.end.month
        - m.period.start.month
        + 1
        + 12 * (m.period.end.year - m.period.start.year)
    )
    if not m.whole and format_as(total / calendar, pair.average.value) == pair.average.value.text:
        why = f"it is the total over {calendar} whole months, though the span is shorter"
    else:
        why = "no count the printed total stands for gives it over those months"
    return Problem(
        message=(
            f"monthly average {pair.average.value.text}: {pair.total.value.text} over the "
            f"{months} months of {span} is {expected}"
        ),
        evidence=(quantity_evidence(pair.average), quantity_evidence(pair.total)),
        reported=pair.average.value.text,
        expected=expected,
        explanation=why,
    )
