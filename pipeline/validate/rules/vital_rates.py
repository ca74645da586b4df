"""Birth, death and natural growth rates over the population they are of (RATE004).

"年末户籍人口318.46万人……全年出生人口2.81万人，出生率为8.84‰": a year's births over the
population, in per mille. The counts are the last ones of their names printed before the
rate in its paragraph (自然增长率 takes births less deaths), the population the last one
named as a whole population before them (总人口, 常住人口, 户籍人口; never 城镇人口), in
the paragraph or a few before it. The official base is the year's average population,
which a bulletin seldom prints, so the year-end figure may move the rate a little: the
rate is judged within a tolerance, and a miss is a warning. A rate printed with a percent
sign that only the per-mille reading gives (2.3% for 2.37‰) is named so. The words are data
(`pipeline/data/vital_rates.json`); a missing or malformed file raises ConfigError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.numeric.arithmetic import Interval, Rounding, interval_of, round_fraction
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import NAME_FILLERS, quantity_evidence, quantity_span

DATA = Path(__file__).resolve().parents[2] / "data" / "vital_rates.json"
PER_MILLE_SIGN = "‰"
THOUSAND = Interval.point(1000)
PARAGRAPHS_BACK = 8  # how many paragraphs before the rate its population may be printed


@dataclass(frozen=True, slots=True)
class VitalRate:
    names: tuple[str, ...]
    counts: tuple[tuple[int, str], ...]  # (+1 or −1, the role of a count)


@dataclass(frozen=True, slots=True)
class VitalWords:
    rates: tuple[VitalRate, ...]
    counts: dict[str, tuple[str, ...]]
    population: tuple[str, ...]
    part_qualifiers: tuple[str, ...]
    not_rates: tuple[str, ...]
    tolerance: Fraction


@cache
def vital_words() -> VitalWords:
    """The words of vital_rates.json, read once. Raises ConfigError on a bad file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        rates = tuple(
            VitalRate(
                tuple(r["names"]),
                tuple((1 if sign == "+" else -1, str(role)) for sign, role in r["counts"]),
            )
            for r in raw["rates"]
        )
        return VitalWords(
            rates=rates,
            counts={k: tuple(v) for k, v in raw["counts"].items()},
            population=tuple(raw["population"]),
            part_qualifiers=tuple(raw["part_qualifiers"]),
            not_rates=tuple(raw["not_rates"]),
            tolerance=Fraction(raw["tolerance"]),
        )
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
        raise ConfigError(f"{DATA}: malformed vital rates ({exc!r})") from exc


@dataclass(frozen=True, slots=True)
class Reading:
    """One rate with the counts and the population it is recomputed from."""

    rate: Quantity
    counts: tuple[tuple[int, Quantity], ...]
    populations: tuple[Quantity, ...]  # the bases it may be over, nearest first
    per_mille: bool  # printed with ‰ (else with %)

    @property
    def population(self) -> Quantity:
        return self.populations[0]


def _words(q: Quantity) -> str:
    return q.label.rstrip(NAME_FILLERS)


def _named(q: Quantity, names: Sequence[str]) -> bool:
    return _words(q).endswith(tuple(names))


def _is_population(q: Quantity, words: VitalWords) -> bool:
    """A count of people named as a whole population, no part of one (男性户籍人口)."""
    if q.kind is not QuantityKind.COUNT or q.value.unit != "人":
        return False
    label = _words(q)
    name = max((n for n in words.population if label.endswith(n)), key=len, default=None)
    return name is not None and not label[: -len(name)].endswith(words.part_qualifiers)


def readings(norm: Normalized) -> Iterator[Reading]:
    words = vital_words()
    quantities = norm.quantities
    for i, q in enumerate(quantities):
        rate = next((r for r in words.rates if _named(q, r.names)), None)
        if rate is None or _named(q, words.not_rates):
            continue
        text = norm.paragraphs[q.paragraph].text
        per_mille = text[q.end : q.end + 2].lstrip().startswith(PER_MILLE_SIGN)
        if not (per_mille or q.value.percent):
            continue
        found = _counts(quantities[:i], q, rate, words)
        if found is None:
            continue
        first = min(quantities.index(c) for _, c in found)
        populations = _populations(quantities[:first], q, found, words)
        if populations:
            yield Reading(q, found, populations, per_mille)


def _counts(
    before: Sequence[Quantity], rate_q: Quantity, rate: VitalRate, words: VitalWords
) -> tuple[tuple[int, Quantity], ...] | None:
    """The last count of each of the rate's roles before it in its paragraph."""
    found = []
    for sign, role in rate.counts:
        count = next(
            (
                q
                for q in reversed(before)
                if q.paragraph == rate_q.paragraph
                and q.kind is QuantityKind.COUNT
                and q.value.unit == "人"
                and _named(q, words.counts[role])
            ),
            None,
        )
        if count is None:
            return None
        found.append((sign, count))
    return tuple(found)


def _populations(
    before: Sequence[Quantity],
    rate: Quantity,
    counts: Sequence[tuple[int, Quantity]],
    words: VitalWords,
) -> tuple[Quantity, ...]:
    """The whole populations printed before the counts in the rate's paragraph (resident and
    registered: the births may be of either), else the last one of the few paragraphs before
    it; each larger than every count, nearest first."""
    largest = max(c.value.exact for _, c in counts)
    near = [q for q in reversed(before) if rate.paragraph - q.paragraph <= PARAGRAPHS_BACK]
    found = [q for q in near if _is_population(q, words) and q.value.exact > largest]
    own = tuple(q for q in found if q.paragraph == rate.paragraph)
    return own or tuple(found[:1])


ROUND_HUNDRED = 100  # a count of people printed in round hundreds may be rounded to them


def _span(q: Quantity, rounding: Rounding) -> Interval:
    """What a count stands for: exactly itself, but a count printed in 万 or in round
    hundreds (900人) stands for the range it may be rounded from."""
    if q.value.decimals or q.value.scale != 1:
        return interval_of(q.value, rounding)
    value = Fraction(q.value.exact)
    if value and value % ROUND_HUNDRED == 0:
        half = Fraction(ROUND_HUNDRED, 2)
        return Interval(value - half, value + half)
    return Interval.point(value)


def _actual(r: Reading, population: Quantity, rounding: Rounding) -> Interval:
    """The rate in per mille over a year-end population, widened by the tolerance."""
    total = Interval.point(0)
    for sign, q in r.counts:
        iv = _span(q, rounding)
        total = total + (iv if sign > 0 else Interval(-iv.hi, -iv.lo))
    rate = total / _span(population, rounding) * THOUSAND
    slack = max(abs(rate.lo), abs(rate.hi)) * vital_words().tolerance
    return Interval(rate.lo - slack, rate.hi + slack)


def _printed(r: Reading, rounding: Rounding, *, as_per_mille: bool) -> Interval:
    """The printed rate in per mille: a ‰ figure as it stands, a % figure times ten, or,
    read as a per-mille figure given a percent sign, as it stands."""
    iv = interval_of(r.rate.value, rounding)
    if r.rate.value.percent and not as_per_mille:
        return iv * THOUSAND
    if r.rate.value.percent:
        return iv * Interval.point(100)  # interval_of made 2.3% into 0.023
    return iv


def _holds(r: Reading, accepted: Sequence[Rounding], *, as_per_mille: bool) -> bool:
    return any(
        _actual(r, p, x).meets(_printed(r, x, as_per_mille=as_per_mille))
        for x in accepted
        for p in r.populations
    )


@rule(
    "RATE004",
    Severity.WARNING,
    "a birth, death or natural growth rate is its count over the population, in per mille",
)
def check_vital_rates(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for r in readings(norm):
        spans = (r.rate, *r.populations, *(c for _, c in r.counts))
        yield Checked(tuple(map(quantity_span, spans)))
        if not _holds(r, accepted, as_per_mille=r.per_mille):
            yield _problem(r, accepted)


def _problem(r: Reading, accepted: Sequence[Rounding]) -> Problem:
    exact = Fraction(0)
    for sign, q in r.counts:
        exact += sign * Fraction(q.value.exact)
    per_mille = exact / Fraction(r.population.value.exact) * 1000
    parts = " − ".join(q.value.text for _, q in r.counts)
    digits = round_fraction(per_mille, r.rate.value.decimals, accepted[0])
    expected = f"{digits:f}‰"
    if r.rate.value.percent and _holds(r, accepted, as_per_mille=True):
        why = (
            f"{r.rate.value.text} is a per-mille rate printed with a percent sign: "
            f"{parts} over {r.population.value.text} is {expected}"
        )
    else:
        why = (
            f"over the year-end population the rate is {expected}; the average population it "
            f"is officially taken over moves it by a little, not this much"
        )
    return Problem(
        message=(
            f"the text states a rate of {r.rate.value.text}{'‰' if r.per_mille else ''} but "
            f"{parts} over {r.population.value.text} is {expected}"
        ),
        evidence=tuple(map(quantity_evidence, (r.rate, r.population, *(c for _, c in r.counts)))),
        reported=r.rate.value.text,
        expected=expected,
        explanation=why,
    )
