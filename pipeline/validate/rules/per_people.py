"""Figures a census prints per 100,000 residents (RATE006).

"全市常住人口为5367003人……具有大学（指大专及以上）程度的330731人……每10万人中具有大学程度
的由3401人上升为6162人": the figure per 100,000 is the count of that level of schooling
over the whole population, times 100,000. The level is read from the figure's words (or,
printed as the end of a change, 由3401人上升为6162人, from the earlier value's, which is
another census's and left alone), the count is the one figure of that level printed
before the per-100,000 words, and the base is the first figure the document names as its whole
population (常住人口为, 总人口为). A level printed with two counts, or no base, leaves the
figure alone. The base is inferred, so a miss is a warning. The words are
`pipeline/data/per_people.json` (a missing or malformed file raises ConfigError).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, Severity
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Interval, Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.named_formulas import ASIDE
from pipeline.validate.rules.stated_changes import words as change_words
from pipeline.validate.text_quantities import (
    NAME_FILLERS,
    by_paragraph,
    quantity_evidence,
    quantity_span,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "per_people.json"
PEOPLE = "人"


@dataclass(frozen=True, slots=True)
class PerWords:
    per: dict[str, int]
    level: re.Pattern[str]
    base: tuple[str, ...]


@cache
def per_words() -> PerWords:
    """The words of per_people.json, read once. Raises ConfigError."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return PerWords(
            per={str(k): int(v) for k, v in raw["per"].items()},
            level=re.compile(raw["level"]),
            base=tuple(sorted(raw["base"], key=len, reverse=True)),
        )
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"{DATA}: malformed per-people words ({exc!r})") from exc


@dataclass(frozen=True, slots=True)
class PerPeople:
    figure: Quantity  # so many per `per` residents
    count: Quantity  # the count of that level for the whole area
    base: Quantity  # the whole population
    per: int
    level: str


@rule(
    "RATE006",
    Severity.WARNING,
    "a figure printed per 100,000 residents (每10万人中具有大学文化程度的…人) is the count of "
    "that level over the whole population",
)
def check_per_people(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for found in per_people(norm):
        yield Checked(tuple(map(quantity_span, (found.figure, found.count, found.base))))
        if not any(_holds(found, r) for r in accepted):
            yield _problem(found, accepted[0])


def per_people(norm: Normalized) -> Iterator[PerPeople]:
    groups = by_paragraph(norm)
    ordered = [q for index in sorted(groups) for q in groups[index]]
    base = _base(ordered)
    if base is None:
        return
    for index, quantities in sorted(groups.items()):
        text = fold_text(norm.paragraphs[index].text)
        per = next(((w, n) for w, n in per_words().per.items() if w in text), None)
        if per is None:
            continue
        opens = text.find(per[0]) + len(per[0])
        counts = [q for q in ordered if (q.paragraph, q.end) < (index, opens)]
        for k, q in enumerate(quantities):
            if q.start < opens or not _people(q) or _is_earlier(q):
                continue
            level = _level(q.label) or (
                _level(quantities[k - 1].label) if k and _is_end(q) else None
            )
            count = _count_of(counts, level) if level else None
            if level and count is not None:
                yield PerPeople(q, count, base, per[1], level)


def _people(q: Quantity) -> bool:
    return q.value.unit == PEOPLE and q.value.scale == 1 and not q.value.percent


def _is_end(q: Quantity) -> bool:
    """The figure ends a change from an earlier value (上升为)."""
    return bool(change_words().to.match(q.label))


def _is_earlier(q: Quantity) -> bool:
    """An earlier census's value, printed after 由 (由3401人上升为…)."""
    return bool(change_words().origin.search(q.label))


def _level(label: str) -> str | None:
    found = per_words().level.search(ASIDE.sub("", fold_text(label)))
    return found.group("level") if found else None


def _count_of(counts: Sequence[Quantity], level: str) -> Quantity | None:
    """The one count of `level` printed before: none when there are two of differing
    values (two areas, two censuses)."""
    found = {q.value.value: q for q in counts if _people(q) and _level(q.label) == level}
    return next(iter(found.values())) if len(found) == 1 else None


def _base(quantities: Sequence[Quantity]) -> Quantity | None:
    """The first figure the document names as its whole population."""
    for q in quantities:
        words = ASIDE.sub("", fold_text(q.label)).rstrip(NAME_FILLERS)
        if q.value.unit == PEOPLE and not q.value.percent and words.endswith(per_words().base):
            return q
    return None


def _holds(found: PerPeople, rounding: Rounding) -> bool:
    count = interval_of(found.count.value, rounding, exact=True)
    base = interval_of(found.base.value, rounding, exact=found.base.value.scale == 1)
    actual = count / base * Interval.point(Fraction(found.per))
    return actual.meets(interval_of(found.figure.value, rounding))


def _problem(found: PerPeople, rounding: Rounding) -> Problem:
    exact = exact_of(found.count.value) / exact_of(found.base.value) * found.per
    expected = format_as(exact, found.figure.value, rounding)
    return Problem(
        message=(
            f"{found.figure.value.text} per {found.per} residents with {found.level} schooling "
            f"is not {found.count.value.text} over {found.base.value.text} = {expected}"
        ),
        evidence=tuple(map(quantity_evidence, (found.figure, found.count, found.base))),
        reported=found.figure.value.text,
        expected=expected,
        explanation=(
            f"the count of the level over the whole population the document prints first, "
            f"times {found.per}; another base (a later count of residents) may be meant"
        ),
    )
