"""Growth rates the narrative prints beside the change in count they come from.

"受理举报303件，与去年同期相比减少了61件，同比下降16.8%": the earlier figure is 303 + 61 =
364, and 61/364 = 16.76% prints as 16.8%. GROWTH003 pairs a growth rate with the change
in count printed just before it (its sentence) and with the count that change is of (the
nearest count before it, in that sentence or the one before), and recomputes the rate
over the earlier figure. When that count is printed with a comparison word ("比去年同期
113721件减少16703件，下降14.69%") it is the earlier figure itself. The usual slip, the
change over the current figure, is named.

A change printed with a rounding of its own ("户籍人口522.31万人，比上年末增加1.51万人，
增长2.89%", "收入52.4亿元，增加3.1亿元，增长6.3%") is judged the same way over the ranges its
figures stand for: the rate must meet (1.505..1.515) / (520.79..520.81). A rate that only
the change in per mille (‰) gives (0.29% printed as 2.89%) is named so.

GROWTH004: a fall of more than 100% is impossible for a count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import is_fall, quantity_words
from pipeline.numeric.arithmetic import (
    Interval,
    Rounding,
    conventions_that_hold,
    format_as,
    holds_interval,
    interval_of,
)
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    by_paragraph,
    exact_count,
    quantity_evidence,
    quantity_span,
)

# the period a change compares with, by the last of these words before it in its sentence
AGAINST = re.compile(r"(同比|去年|同期|上年|[比较]\d{4}年)|(环比|上月|上周|上季度|[比较]\d{1,2}月)")
# what may follow the comparison words before the earlier figure itself ("较上年同期的")
AGAINST_TAIL = re.compile(r"(?:相比|相较|比较)?[的为是(（:：\s]*$")


# a year compared with and the source of its figure ("与2010年第六次全国人口普查的")
# ("同第五次全国人口普查2000年11月1日零时的"): a comparison word, a year, 的 at the end
EARLIER_SOURCE = re.compile(
    r"[与同比较](?=[^，,；;。！？!?]*\d{4}\s*年)[^，,；;。！？!?]{0,30}的\s*$"
)


def names_earlier(q: Quantity) -> bool:
    """The count is printed as the earlier figure: its words end in a comparison
    ("比去年同期113721件", "较上月的", "与2010年第六次全国人口普查的"), not merely hold one."""
    if EARLIER_SOURCE.search(q.label):
        return True
    found = list(AGAINST.finditer(q.label))
    return bool(found) and AGAINST_TAIL.fullmatch(q.label[found[-1].end() :]) is not None


@dataclass(frozen=True, slots=True)
class Growth:
    rate: Quantity  # the printed growth rate
    change: Quantity  # the printed change in count
    count: Quantity  # the count the change is of: this period's, or the earlier one

    @property
    def delta(self) -> int:
        """The change as a signed count: negative for a fall."""
        size = abs(int(self.change.value.value))
        return -size if is_fall(self.change) else size

    @property
    def earlier(self) -> int:
        printed = exact_count(self.count) or 0
        return printed if names_earlier(self.count) else printed - self.delta

    @property
    def now(self) -> int:
        return self.earlier + self.delta


def growths(quantities: Sequence[Quantity]) -> Iterator[Growth]:
    for i, q in enumerate(quantities):
        if q.kind is not QuantityKind.CHANGE or not q.value.percent:
            continue
        change = _change_before(quantities[:i], q)
        if change is None:
            continue
        count = _current_before(quantities[: quantities.index(change)], change)
        if count is not None:
            yield Growth(q, change, count)


def _change_before(before: Sequence[Quantity], rate: Quantity) -> Quantity | None:
    """The change in count just before the rate, in its sentence, nothing between but words."""
    if not before:
        return None
    q = before[-1]
    ok = q.kind is QuantityKind.CHANGE and not q.value.percent and q.sentence == rate.sentence
    return q if ok and q.value.decimals == 0 and q.value.scale == 1 else None


def _current_before(before: Sequence[Quantity], change: Quantity) -> Quantity | None:
    """The nearest count before the change, in its sentence or the one before; when the
    change names what it is of ("汉族人口增加69860人") and the nearest count's words do
    not, the nearest one of the paragraph whose words do (汉族人口为588273人, printed
    before 壮族人口…)."""
    counts = [q for q in reversed(before) if q.kind is QuantityKind.COUNT]
    near = [q for q in counts if change.sentence - q.sentence <= 1]
    subject = _subject(change)
    named = [q for q in counts if subject and subject in q.label]
    if named and not (near and subject in near[0].label):
        q = named[0]
    elif near:
        q = near[0]
    else:
        return None
    same = q.value.unit == change.value.unit
    return q if same and exact_count(q) is not None else None


def _subject(change: Quantity) -> str:
    """What a change in count says it is of: its words less the change word at their end
    ("汉族人口增加" -> "汉族人口"); empty when that leaves fewer than two characters."""
    words = quantity_words()
    label = change.label.rstrip("了")  # "汉族人口增长了22740人"
    for w in words.change_words:
        if label.endswith(w):
            label = label[: -len(w)]
            break
    label = AGAINST.sub("", label.rstrip("了共计净"))  # "同比增加": no subject, a comparison
    return label if len(label) >= 2 else ""


def growth_holds(x: Fraction, rate: Quantity, accepted: Sequence[Rounding]) -> bool:
    """`x` (a size of change) prints as the rate, whose sign may be printed ("-16.07%")."""
    signed = -abs(x) if rate.value.value < 0 else abs(x)
    return bool(set(accepted) & set(conventions_that_hold(signed, rate.value)))


@rule(
    "GROWTH003", Severity.ERROR, "a growth rate equals the change beside it over the earlier figure"
)
def check_text_growth(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for index, quantities in by_paragraph(norm).items():
        text = norm.paragraphs[index].text
        yield from _check_rounded(rounded_growths(quantities, text), accepted)
        for g in growths(quantities):
            earlier = g.earlier
            if earlier <= 0:
                continue
            spans = (quantity_span(g.rate), quantity_span(g.change), quantity_span(g.count))
            delta = Fraction(abs(int(g.change.value.value)))
            yield Checked(spans)
            if not growth_holds(delta / earlier, g.rate, accepted):
                yield _problem(g, delta, earlier, accepted)


def _problem(g: Growth, delta: Fraction, earlier: int, accepted: Sequence[Rounding]) -> Problem:
    now = g.now
    expected = format_as(delta / earlier, g.rate.value)
    if now > 0 and growth_holds(delta / now, g.rate, accepted):
        why = f"{g.rate.value.text} is {int(delta)}/{now}: the change over this period's figure"
    else:
        why = "no reading of the printed figures reproduces it"
    how = (
        f"the earlier figure printed as {g.count.value.text}"
        if names_earlier(g.count)
        else f"the earlier figure is {now} {'+' if is_fall(g.change) else '−'} {int(delta)}"
    )
    return Problem(
        message=(
            f"the text states a change of {g.rate.value.text} but {int(delta)} / {earlier} = "
            f"{expected} ({how})"
        ),
        evidence=tuple(map(quantity_evidence, (g.rate, g.change, g.count))),
        reported=g.rate.value.text,
        expected=expected,
        explanation=why,
    )


# --- changes printed with a rounding of their own (万人, 亿元) or as amounts -------------

PER_MILLE = Fraction(10)  # a per-mille figure given a percent sign reads ten times too large


def rounded_growths(quantities: Sequence[Quantity], text: str) -> Iterator[Growth]:
    """Growth rates after a change that is no exact count: one in 万 or with decimals
    (增加1.51万人), an amount (增加3.1亿元) or a measure (增加615吨), with the figure of
    the same unit before it. `text` is the paragraph's, where a measure's unit is read."""
    for i, q in enumerate(quantities):
        if q.kind is not QuantityKind.CHANGE or not q.value.percent or i < 2:
            continue
        count, change = quantities[i - 2 : i]
        if _share(count) and i >= 3:  # "982.66亿元，占全省的3.82%，比上年增加41.4亿元"
            count = quantities[i - 3]
        if not change.sentence == count.sentence == q.sentence or not _rounded_change(change):
            continue
        if count.kind in (QuantityKind.CHANGE, QuantityKind.PERCENT) or count.value.percent:
            continue  # an earlier change or rate between them breaks the pairing
        if _real_terms(text[max(0, count.start - len(count.label)) : q.end]):
            continue  # "地区生产总值…增加41.4亿元，按可比价格计算，增长4.4%": not nominal
        unit = _unit(change, text)
        if unit is not None and _unit(count, text) == unit and count.value.value > 0:
            yield Growth(q, change, count)


def _real_terms(words: str) -> bool:
    """The figure's words or its growth's mark a growth at comparable prices or on a
    comparable basis, which the printed values do not give."""
    return any(w in words for w in quantity_words().real_terms)


def _share(q: Quantity) -> bool:
    """A share of the figure before it, printed between the figure and its change."""
    return q.kind is QuantityKind.PERCENT and q.role == "share"


def _rounded_change(q: Quantity) -> bool:
    """A change in count printed rounded, or a change in an amount or a measure (its words
    end with a change word, as a count's do for QuantityKind.CHANGE)."""
    if q.value.percent or q.value.value == 0:
        return False
    if q.kind is QuantityKind.CHANGE:
        return bool(q.value.decimals) or q.value.scale != 1
    label = q.label.rstrip("了")
    measured = q.kind in (QuantityKind.AMOUNT, QuantityKind.OTHER)
    return measured and label.endswith(quantity_words().change_words)


def _unit(q: Quantity, text: str) -> str | None:
    """The unit a figure is in: its own, else a unit of measure printed right after it
    (121064吨); None for a bare number."""
    if q.value.unit is not None:
        return q.value.unit
    after = text[q.end : q.end + 4].lstrip()
    return next((u for u in quantity_words().measure_units if after.startswith(u)), None)


def _span(q: Quantity, rounding: Rounding) -> Interval:
    """What a count or an amount stands for: a whole count exactly, anything else as the
    range its rounding allows."""
    exact = q.kind is QuantityKind.COUNT and not q.value.decimals and q.value.scale == 1
    return interval_of(q.value, rounding, exact=exact)


def _rounded_ratio(g: Growth, rounding: Rounding) -> Interval | None:
    """The size of change over the earlier figure, as the range the printed figures allow;
    None when the earlier figure may be 0 or less."""
    delta = _span(g.change, rounding)  # a size of change: "-1.51万人" is a fall of 1.51万
    delta = (
        Interval(-delta.hi, -delta.lo, delta.hi_closed, delta.lo_closed) if delta.hi < 0 else delta
    )
    if delta.lo <= 0:
        return None
    printed = _span(g.count, rounding)
    if names_earlier(g.count):
        earlier = printed
    else:
        earlier = printed + delta if is_fall(g.change) else printed - delta
    if earlier.lo <= 0:
        return None
    return delta / earlier


def _rounded_holds(g: Growth, accepted: Sequence[Rounding], scale: Fraction) -> bool:
    for r in accepted:
        ratio = _rounded_ratio(g, r)
        if ratio is None:
            return True  # nothing can be said
        if g.rate.value.value < 0:
            ratio = Interval(-ratio.hi, -ratio.lo, ratio.hi_closed, ratio.lo_closed)
        if holds_interval(ratio * Interval.point(scale), g.rate.value, r):
            return True
    return False


def _check_rounded(
    found: Iterator[Growth], accepted: Sequence[Rounding]
) -> Iterator[Problem | Checked]:
    for g in found:
        yield Checked((quantity_span(g.rate), quantity_span(g.change), quantity_span(g.count)))
        if not _rounded_holds(g, accepted, Fraction(1)):
            yield _rounded_problem(g, accepted)


def _rounded_problem(g: Growth, accepted: Sequence[Rounding]) -> Problem:
    rounding = accepted[0]
    ratio = _rounded_ratio(g, rounding)
    assert ratio is not None  # a failing growth had a range to fail
    middle = (ratio.lo + ratio.hi) / 2
    expected = format_as(middle, g.rate.value, rounding)
    change, count = g.change.value.text, g.count.value.text
    if names_earlier(g.count):
        earlier = f"the earlier figure {count}"
    else:
        earlier = f"the earlier figure ({count} {'+' if is_fall(g.change) else '−'} {change})"
    if _rounded_holds(g, accepted, PER_MILLE):
        why = f"{g.rate.value.text} is the change in per mille (‰) printed with a percent sign"
    else:
        why = f"no value within the rounding of {change} and {count} reproduces it"
    return Problem(
        message=(
            f"the text states a change of {g.rate.value.text} but {change} over {earlier} "
            f"is {expected}"
        ),
        evidence=tuple(map(quantity_evidence, (g.rate, g.change, g.count))),
        reported=g.rate.value.text,
        expected=expected,
        explanation=why,
    )


@rule("GROWTH004", Severity.ERROR, "a count does not fall by more than 100%")
def check_impossible_fall(norm: Normalized) -> Iterator[Problem | Checked]:
    for q in norm.quantities:
        fall = q.kind is QuantityKind.CHANGE and q.value.percent and is_fall(q)
        if not fall or abs(q.value.value) <= 100:
            continue
        yield Checked((quantity_span(q),))
        yield Problem(
            message=f"the text states a fall of {q.value.text}, more than the whole",
            evidence=(quantity_evidence(q),),
            reported=q.value.text,
            expected="at most 100%",
            explanation="a count that falls by more than 100% would be negative",
        )
