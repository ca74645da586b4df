"""Figures a bulletin defines by name from two others (DERIVE002).

"出生率8.56‰；死亡率5.91‰；自然增长率2.65‰": the natural growth rate is the birth rate less
the death rate, each printed to its own decimals; "常住人口312.87万人。其中，城镇人口151.93万
人，城镇化率48.56%": the urbanisation rate is the one over the other; "男性人口128000人……女性
人口122000人，性别比为104.9": a sex ratio is males per 100 females. The names and which
figure is which live in `pipeline/data/named_formulas.json` (a missing or malformed file
raises ConfigError). A figure is named when the words before it, in its clause, end with
the name (a filler such as 为 or 是 between them is allowed); a paragraph that names each of
the three once is checked, and one with two figures of a name is left alone, since which is
meant is unsaid.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, Severity
from pipeline.numeric.arithmetic import Interval, Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

DATA = Path(__file__).resolve().parents[2] / "data" / "named_formulas.json"
FILLERS = " 为是达约：:"  # between a name and its figure ("自然增长率为2.65‰")


@dataclass(frozen=True, slots=True)
class Formula:
    """result = first − second (a difference) or first / second (a ratio)."""

    what: str
    result: tuple[str, ...]
    first: tuple[str, ...]
    second: tuple[str, ...]
    ratio: bool
    per: int = 1  # a ratio printed per 100 (性别比 112.9: 112.9 males per 100 females)
    same_sentence: bool = True  # a ratio's numerator is printed in the result's sentence

    @property
    def sign(self) -> str:
        return "/" if self.ratio else "−"


@cache
def formulas() -> tuple[Formula, ...]:
    """The formulas of named_formulas.json, read once. Raises ConfigError."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return (
            *(_formula(d, "minuend", "subtrahend", ratio=False) for d in raw["differences"]),
            *(_formula(d, "numerator", "denominator", ratio=True) for d in raw["ratios"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed named formulas ({exc!r})") from exc


def _formula(entry: dict[str, Any], first: str, second: str, *, ratio: bool) -> Formula:
    words = (tuple(entry["result"]), tuple(entry[first]), tuple(entry[second]))
    per, same = int(entry.get("per", 1)), bool(entry.get("same_sentence", True))
    return Formula(entry["what"], *words, ratio=ratio, per=per, same_sentence=same)


@rule(
    "DERIVE002",
    Severity.ERROR,
    "a figure the text defines by name from two others it prints (自然增长率 = 出生率 − 死亡率, "
    "城镇化率 = 城镇人口 / 常住人口) equals them",
)
def check_named_differences(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for quantities in by_paragraph(norm).values():
        for f in formulas():
            found = [_named(quantities, names) for names in (f.result, f.first, f.second)]
            if any(q is None for q in found):
                continue
            result, first, second = (q for q in found if q is not None)
            if f.ratio and second.value.value <= 0:
                continue
            if f.ratio and f.same_sentence and first.sentence != result.sentence:
                continue  # "城镇人口a人" of another population, sentences before the rate
            yield Checked(tuple(map(quantity_span, (result, first, second))))
            if not any(_holds(f, result, first, second, r) for r in accepted):
                yield _problem(f, result, first, second, accepted[0])


def _named(quantities: Sequence[Quantity], names: Sequence[str]) -> Quantity | None:
    """The one figure of the paragraph whose words end with one of `names`."""
    found = [q for q in quantities if q.label.rstrip(FILLERS).endswith(tuple(names))]
    return found[0] if len(found) == 1 else None


def _holds(f: Formula, result: Quantity, first: Quantity, second: Quantity, r: Rounding) -> bool:
    a, b = interval_of(first.value, r), interval_of(second.value, r)
    actual = a / b if f.ratio else a - b
    printed = interval_of(result.value, r)
    if f.per != 1:
        scale = Fraction(1, f.per)
        printed = Interval(
            printed.lo * scale, printed.hi * scale, printed.lo_closed, printed.hi_closed
        )
    return actual.meets(printed)


def _problem(
    f: Formula, result: Quantity, first: Quantity, second: Quantity, r: Rounding
) -> Problem:
    a, b = exact_of(first.value), exact_of(second.value)
    expected = format_as(a / b * f.per if f.ratio else a - b, result.value, r)
    return Problem(
        message=(
            f"the {f.what} {result.value.text} is not {first.value.text} {f.sign} "
            f"{second.value.text} = {expected}"
        ),
        evidence=tuple(map(quantity_evidence, (result, first, second))),
        reported=result.value.text,
        expected=expected,
        explanation=(
            f"{f.result[0]} = {f.first[0]} {f.sign} {f.second[0]}; no values the printed figures "
            f"stand for give {result.value.text}"
        ),
    )
