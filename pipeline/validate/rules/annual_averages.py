"""Averages a year over a span of years: the yearly change and the yearly growth rate (GROWTH012).

"与2000年第五次全国人口普查的2542465人相比，十年共增加141709人，增长5.57%。平均每年增加
13729人，年平均增长率为0.54%": over ten years the average yearly increase is 141709 / 10 =
14171 (not 13729), and the average yearly growth rate is compound, (2684174 / 2542465)^(1/10)
− 1 = 0.54%. A span is a growth GROWTH003 pairs, or a figure printed from one value to
another (从388.08万人增加到400.05万人); its years are printed in its sentences (十年, 这5年间),
or are the ten between two censuses. Counts in 万 are carried as ranges. A span of years
printed in the text is sure; ten years read from the census words are presumed, so a miss
is then a warning, as is any miss of a yearly change (a span named by its first and last
years may count one year fewer). A rate that the simple average (the growth over the
years) gives is accepted. The words are data (`pipeline/data/annual_averages.json`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.paragraphs import sentences
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Interval, Rounding, interval_of, round_fraction
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_growth import growths, names_earlier, rounded_growths
from pipeline.validate.text_quantities import (
    NAME_FILLERS,
    by_paragraph,
    quantity_evidence,
    quantity_span,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "annual_averages.json"
PER_MILLE_SIGN = "‰"


@dataclass(frozen=True, slots=True)
class Words:
    from_words: tuple[str, ...]
    to_words: tuple[str, ...]
    census: tuple[str, ...]
    census_years: int
    yearly_change: tuple[str, ...]
    yearly_rate: tuple[str, ...]
    down: tuple[str, ...]


@cache
def words() -> Words:
    """The words of annual_averages.json, read once. Raises ConfigError on a bad file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return Words(
            from_words=tuple(raw["from"]),
            to_words=tuple(raw["to"]),
            census=tuple(raw["census"]),
            census_years=int(raw["census_years"]),
            yearly_change=tuple(raw["yearly_change"]),
            yearly_rate=tuple(raw["yearly_rate"]),
            down=tuple(raw["down"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed annual averages ({exc!r})") from exc


@dataclass(frozen=True, slots=True)
class Span:
    """Two figures of one measure some years apart, and the quantities that print them."""

    earlier: Quantity
    later: Quantity  # the later figure, or the change from the earlier one
    later_is_change: bool
    fall: bool
    sentence: int  # the last sentence of the span
    last: int  # the start of its last printed figure


def _span_figures(s: Span, rounding: Rounding) -> tuple[Interval, Interval] | None:
    """The earlier and the later figure as ranges; None when the earlier may be 0."""
    first, second = _range(s.earlier, rounding), _range(s.later, rounding)
    if s.later_is_change:
        second = first - second if s.fall else first + second
    if first.lo <= 0 or second.lo <= 0:
        return None
    return first, second


def _range(q: Quantity, rounding: Rounding) -> Interval:
    exact = q.kind in (QuantityKind.COUNT, QuantityKind.CHANGE) and not q.value.decimals
    return interval_of(q.value, rounding, exact=exact and q.value.scale == 1)


def spans(quantities: Sequence[Quantity], text: str) -> Iterator[Span]:
    for g in (*growths(quantities), *rounded_growths(quantities, text)):
        yearly = g.change.label.rstrip(NAME_FILLERS).endswith(words().yearly_change)
        if names_earlier(g.count) and not yearly:  # the earlier figure and the change from it
            fall = g.change.value.value < 0 or any(w in g.change.label for w in words().down)
            yield Span(g.count, g.change, True, fall, g.rate.sentence, g.rate.start)
    for i, q in enumerate(quantities[1:], 1):
        first = quantities[i - 1]
        label = q.label.strip()  # 增加到: 到 is the word itself, no filler
        if first.sentence != q.sentence or not label.endswith(words().to_words):
            continue
        if first.value.unit == q.value.unit and any(w in first.label for w in words().from_words):
            yield Span(first, q, False, False, q.sentence, q.start)


# A number of years: digits or numerals before 年, never a year (2010年) nor 年末, 年度
YEARS = re.compile(r"(?<![\d.])(\d{1,2}|[一二三四五六七八九十]{1,3})\s*年(?![末底初度份级\d])")
NUMERALS = {c: n for n, c in enumerate("零一二三四五六七八九", 0)}


def _numeral(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return NUMERALS.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return (NUMERALS.get(tens, 0) if tens else 1) * 10 + (NUMERALS.get(units, 0) if units else 0)


@dataclass(frozen=True, slots=True)
class Years:
    count: int
    printed: bool  # printed in the text (十年), not presumed from the census words


def _years(text: str, first: int, last: int) -> Years | None:
    """The years of a span: printed in its sentences, else ten between two censuses."""
    bounds = list(sentences(text))
    lo = bounds[first][0] if first < len(bounds) else 0
    hi = bounds[last][1] if last < len(bounds) else len(text)
    found = (_numeral(m.group(1)) for m in YEARS.finditer(text, lo, hi))
    count = next((n for n in found if n is not None and n >= 2), None)
    if count is not None:
        return Years(count, True)
    if any(w in text[lo:hi] for w in words().census):
        return Years(words().census_years, False)
    return None


@dataclass(frozen=True, slots=True)
class Average:
    """An average a year printed after a span: a change a year or a growth rate."""

    figure: Quantity
    span: Span
    years: Years
    rate: bool
    per_mille: bool


def averages(norm: Normalized) -> Iterator[Average]:
    for index, quantities in by_paragraph(norm).items():
        text = norm.paragraphs[index].text
        for s in spans(quantities, text):
            after = [q for q in quantities if q.start > s.last and q.sentence - s.sentence <= 1]
            for q in after:
                a = _average(q, s, text)
                if a is not None:
                    yield a


def _average(q: Quantity, s: Span, text: str) -> Average | None:
    label = q.label.rstrip(NAME_FILLERS)
    per_mille = text[q.end : q.end + 2].lstrip().startswith(PER_MILLE_SIGN)
    if (q.value.percent or per_mille) and label.endswith(words().yearly_rate):
        rate = True
    elif q.value.unit == s.earlier.value.unit and label.endswith(words().yearly_change):
        rate = False
    else:
        return None
    said = text[max(0, s.earlier.start - len(s.earlier.label)) : q.end]
    if rate and any(w in said for w in quantity_words().real_terms):
        return None  # 生产总值…年均增长: at comparable prices, not of the printed values
    years = _years(text, s.earlier.sentence, q.sentence)
    return Average(q, s, years, rate, per_mille) if years is not None else None


def _root(x: Fraction, n: int) -> Fraction:
    """x^(1/n), to far more digits than any printed rate."""
    with localcontext() as ctx:
        ctx.prec = 40
        d = Decimal(x.numerator) / Decimal(x.denominator)
        return Fraction((d.ln() / n).exp())


def _actual(a: Average, rounding: Rounding, years: int) -> Interval | None:
    """What the average should be, as a range (a growth rate as a fraction)."""
    figures = _span_figures(a.span, rounding)
    if figures is None:
        return None
    old, new = figures
    if not a.rate:
        change = new - old
        lo, hi = sorted((abs(change.lo), abs(change.hi)))
        if change.lo < 0 < change.hi:
            lo = Fraction(0)
        return Interval(lo / years, hi / years)
    return Interval(_root(new.lo / old.hi, years) - 1, _root(new.hi / old.lo, years) - 1)


def _simple(a: Average, rounding: Rounding, years: int) -> Interval | None:
    """The growth over the span divided by its years: an office's simple average."""
    figures = _span_figures(a.span, rounding)
    if figures is None:
        return None
    old, new = figures
    return Interval((new.lo / old.hi - 1) / years, (new.hi / old.lo - 1) / years)


def _printed(a: Average, rounding: Rounding) -> Interval:
    """The printed average as a plain value, signed: a fall printed without its sign
    (年均下降1.2%) is negative; a per-mille figure is divided by 1000."""
    iv = interval_of(a.figure.value, rounding)
    if a.per_mille:
        iv = iv * Interval.point(Fraction(1, 1000))
    down = a.rate and a.figure.value.value > 0 and _fall_word(a.figure.label)
    return Interval(-iv.hi, -iv.lo, iv.hi_closed, iv.lo_closed) if down else iv


def _fall_word(label: str) -> bool:
    return label.rstrip(NAME_FILLERS).endswith(
        tuple(w for w in words().yearly_rate if any(d in w for d in words().down))
    )


def _holds(a: Average, accepted: Sequence[Rounding], years: int) -> bool:
    for r in accepted:
        printed = _printed(a, r)
        for reading in (_actual, _simple) if a.rate else (_actual,):
            actual = reading(a, r, years)
            if actual is None or actual.meets(printed):
                return True
    return False


@rule(
    "GROWTH012",
    Severity.ERROR,
    "an average a year (年平均增长率, 平均每年增加) follows from its span's figures and years",
)
def check_annual_averages(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for a in averages(norm):
        spans_ = (a.figure, a.span.earlier, a.span.later)
        yield Checked(tuple(map(quantity_span, spans_)))
        if not _holds(a, accepted, a.years.count):
            yield _problem(a, accepted)


def _problem(a: Average, accepted: Sequence[Rounding]) -> Problem:
    r = accepted[0]
    n = a.years.count
    expected = _format(a, r, n)
    fewer = _format(a, r, n - 1) if n > 2 else None
    earlier, later = a.span.earlier.value.text, a.span.later.value.text
    what = "growth rate" if a.rate else "change"
    how = (
        f"the change {later} from {earlier}" if a.span.later_is_change else f"{earlier} to {later}"
    )
    whence = "printed in the text" if a.years.printed else "the ten between two censuses"
    other = f"; over {n - 1} years it would be {fewer}" if fewer is not None else ""
    sure = a.years.printed and a.rate and not (fewer and _holds(a, accepted, n - 1))
    return Problem(
        message=(
            f"the average yearly {what} {_text(a)} does not follow from {how} over {n} years, "
            f"which gives {expected}"
        ),
        evidence=tuple(map(quantity_evidence, (a.figure, a.span.earlier, a.span.later))),
        reported=a.figure.value.text,
        expected=expected,
        explanation=f"the {n} years are {whence}{other}",
        severity=None if sure else Severity.WARNING,
    )


def _text(a: Average) -> str:
    return a.figure.value.text + (PER_MILLE_SIGN if a.per_mille else "")


SCALES = {10_000: "万", 100_000_000: "亿"}


def _format(a: Average, r: Rounding, years: int) -> str:
    """The average the span gives, printed as the figure was (decimals, 万, %, ‰)."""
    actual = _actual(a, r, years)
    if actual is None:
        return "?"
    middle = (actual.lo + actual.hi) / 2
    value = a.figure.value
    if not a.rate:
        return f"{round_fraction(middle / value.scale, value.decimals, r):f}" + SCALES.get(
            value.scale, ""
        )
    sign, factor = (PER_MILLE_SIGN, 1000) if a.per_mille else ("%", 100)
    return f"{round_fraction(middle * factor, value.decimals, r):f}{sign}"
