"""Figures a bulletin defines by name from two others (DERIVE002).

"出生率8.56‰；死亡率5.91‰；自然增长率2.65‰": the natural growth rate is the birth rate less
the death rate, each printed to its own decimals; "常住人口312.87万人。其中，城镇人口151.93万
人，城镇化率48.56%": the urbanisation rate is the one over the other. The names and which
figure is which live in `pipeline/data/named_formulas.json` (a missing or malformed file
raises ConfigError). A figure is named when the words before it end with the name (a
filler such as 为 or 是, or an aside in brackets, between them is allowed). Each result is
checked against the figures of the other names printed last before it (or, when none
is, the only one of its paragraph); a name printed twice after it leaves it alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, Severity
from pipeline.normalize.numbers import FOOTNOTE_MARK
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Interval, Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.stated_changes import words
from pipeline.validate.text_quantities import (
    NAME_FILLERS,
    by_paragraph,
    quantity_evidence,
    quantity_span,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "named_formulas.json"


@dataclass(frozen=True, slots=True)
class Formula:
    """result = first − second (a difference) or first / second (a ratio)."""

    what: str
    result: tuple[str, ...]
    first: tuple[str, ...]
    second: tuple[str, ...]
    ratio: bool
    per: int = 1  # a ratio printed without %: males per 100 females
    sentences: int = 0  # how far before the result its first figure may stand
    none_of: tuple[str, ...] = ()  # names that end like a role's but are none (乡村常住人口)

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
    per, near = int(entry.get("per", 1)), int(entry.get("sentences", 0))
    none_of = tuple(entry.get("not", ()))
    return Formula(entry["what"], *words, ratio=ratio, per=per, sentences=near, none_of=none_of)


@rule(
    "DERIVE002",
    Severity.ERROR,
    "a figure the text defines by name from two others it prints (自然增长率 = 出生率 − 死亡率, "
    "城镇化率 = 城镇人口 / 常住人口) equals them",
)
def check_named_differences(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for index, quantities in by_paragraph(norm).items():
        text = fold_text(norm.paragraphs[index].text)  # 城鎮化率 is 城镇化率, offsets kept
        for f in formulas():
            roles = (f.result, f.first, f.second, f.none_of)
            named = [_named(quantities, names, roles, text) for names in roles[:3]]
            for result in named[0]:
                first, second = (_operand(found, result) for found in named[1:])
                if first is None or second is None:
                    continue
                far = not 0 <= result.sentence - first.sentence <= f.sentences
                if f.ratio and (second.value.value <= 0 or far):
                    continue  # "城镇人口a人" of another population, sentences before the rate
                yield Checked(tuple(map(quantity_span, (result, first, second))))
                if not any(_holds(f, result, first, second, r) for r in accepted):
                    yield _problem(f, result, first, second, accepted[0])


def _named(
    quantities: Sequence[Quantity],
    names: Sequence[str],
    roles: Sequence[Sequence[str]],
    text: str,
) -> list[Quantity]:
    """The figures of the paragraph whose words end with one of `names`, and with no
    longer name of another role (城镇常住人口 is the numerator, not the 常住人口 under it)."""
    return [
        q
        for q in quantities
        if not _in_aside(q, text)
        and (
            _role_name(_words_before(q, text), roles) in names
            or _role_name(_aside_before(q, text), roles) in names
            or _role_name(_words_before_change(q, text), roles) in names
        )
    ]


def _operand(found: Sequence[Quantity], result: Quantity) -> Quantity | None:
    """The figure of a name a result is computed from: the last one printed before it
    (a paragraph of resident, then registered, population names 城镇人口 twice), else the
    only one of the paragraph; none when one printed after it stands nearer, as when a
    result opens its own figures."""
    before = [q for q in found if q.start < result.start]
    after = [q for q in found if q.start > result.end]
    if before and after and after[0].start - result.end < result.start - before[-1].end:
        return None  # "户籍人口…，城镇化率69.8%，城镇人口138.28万人": nearer after it
    if before:
        return before[-1]
    return found[0] if len(found) == 1 else None


def _words_before(q: Quantity, text: str) -> str:
    """The words printed before a figure, asides in brackets taken out ("总人口性别比(以女性
    为100,男性对女性的比例)为" -> "总人口性别比"), fillers stripped."""
    window = text[max(0, q.start - WINDOW) : q.start]
    return ASIDE.sub("", window).rstrip(NAME_FILLERS)


def _words_before_change(q: Quantity, text: str) -> str:
    """The words naming a figure printed as the end of a change from an earlier value
    ("总人口性别比(以女性为100)由2010年…的104.43下降为100.55" -> "总人口性别比"); empty when
    the figure is not printed so."""
    window = text[max(0, q.start - 2 * WINDOW) : q.start]
    found = words().from_to.search(window)
    if found is None:
        return ""
    return ASIDE.sub("", window[: found.start()]).rstrip(NAME_FILLERS)


def _aside_before(q: Quantity, text: str) -> str:
    """The words of an aside that closes right before a figure and names it ("占总人口比重
    (常住人口城镇化率)为45.71%" -> "常住人口城镇化率"); empty when there is none."""
    window = text[max(0, q.start - WINDOW) : q.start].rstrip(NAME_FILLERS)
    found = TRAILING_ASIDE.search(window)
    return found.group(1).strip() if found else ""


TRAILING_ASIDE = re.compile(r"[（(]([^（()）]*)[)）]$")


def _in_aside(q: Quantity, text: str) -> bool:
    """A figure inside brackets (以女性为100) explains a name; it is none of the three."""
    window = ASIDE.sub("", text[max(0, q.start - WINDOW) : q.start])
    return max(window.rfind("("), window.rfind("（")) > max(window.rfind(")"), window.rfind("）"))


WINDOW = 40  # how far back a figure's name is looked for
ASIDE = re.compile(rf"[（(][^（()）]*[)）]|{FOOTNOTE_MARK}")


def _role_name(words: str, roles: Sequence[Sequence[str]]) -> str | None:
    """The longest name of any role that the words end with."""
    ending = [n for names in roles for n in names if words.endswith(n)]
    return max(ending, key=len, default=None)


def _holds(f: Formula, result: Quantity, first: Quantity, second: Quantity, r: Rounding) -> bool:
    a, b = interval_of(first.value, r), interval_of(second.value, r)
    actual = a / b * Interval.point(_scale(f, result)) if f.ratio else a - b
    return actual.meets(interval_of(result.value, r))


def _scale(f: Formula, result: Quantity) -> int:
    """A ratio printed as a percent is a fraction to the arithmetic; one printed bare, per
    100, is scaled."""
    return 1 if result.value.percent else f.per


def _problem(
    f: Formula, result: Quantity, first: Quantity, second: Quantity, r: Rounding
) -> Problem:
    a, b = exact_of(first.value), exact_of(second.value)
    expected = format_as(a / b * _scale(f, result) if f.ratio else a - b, result.value, r)
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
