"""A change printed between a figure and its earlier value printed beside it (GROWTH013).

"性别比为98.42，与2010年…的102.21比下降3.79" and "文盲率由6.96%下降为5.62%，下降了1.34个
百分点": the sentence prints the figure, its earlier value and the change between them, so
the change is their difference, in the direction its words say. The earlier value is
named by the words before it ("比…的", "比上月", "由"), the change by a direction word
alone (下降了, 升高了), and the two values are printed alike (both percents, or both in one unit). A
change in percentage points is the difference of two percents in hundredths, or of two
bare figures in their own units (a sex ratio "下降0.43个百分点"); a change printed with a
percent sign beside two percents may be relative and is left alone, as is a growth rate
of two counts. A change GROWTH006 pairs with its earlier figure (a count or a rate, the
earlier printed after the current one) is its own; this rule takes what it leaves: bare
figures such as a sex ratio or a household size in persons, and the earlier value printed
first (由…下降为). Each figure stands for the values that round to it. The words are
`pipeline/data/stated_changes.json` (a missing or malformed file raises ConfigError).
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
from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Interval, Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.earlier_figures import changes_beside
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

DATA = Path(__file__).resolve().parents[2] / "data" / "stated_changes.json"
REACH = 30  # how many characters the words before the earlier value may run
BREAKS = "，,。；;：:"


@dataclass(frozen=True, slots=True)
class Words:
    earlier: re.Pattern[str]  # the words before an earlier value printed after the figure
    origin: re.Pattern[str]  # the words before an earlier value printed first (由, 从)
    to: re.Pattern[str]  # the words before the figure then (下降为)
    change: re.Pattern[str]  # a change's own words: a direction word among fillers
    up: tuple[str, ...]
    # the words between a name and its figure printed as the end of a change ("性别比由
    # 2010年…的104.43下降为"): what is left before them names the figure
    from_to: re.Pattern[str]


@cache
def words() -> Words:
    """The words of stated_changes.json, compiled once. Raises ConfigError."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        up, down = tuple(raw["up"]), tuple(raw["down"])
        direction = _any((*up, *down))
        fill = f"(?:{_any(raw['fillers'])})*"
        gap = f"[^{BREAKS}]{{0,{REACH}}}"
        return Words(
            earlier=re.compile(rf"^[{BREAKS}\s]*(?:{_any(raw['earlier'])}){gap}$"),
            origin=re.compile(rf"(?:{_any(raw['from'])})(?:{gap}的)?\s*$"),
            to=re.compile(rf"^\s*(?:{direction})?(?:{_any(raw['to'])})\s*$"),
            change=re.compile(rf"^{fill}({direction}){fill}$"),
            up=up,
            from_to=re.compile(
                rf"(?:{_any(raw['from'])}){gap}?\d[\d.]*\s*[%‰]?\s*(?:{direction})?"
                rf"(?:{_any(raw['to'])})\s*$"
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"{DATA}: malformed stated-change words ({exc!r})") from exc


def _any(items: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Change:
    now: Quantity  # the figure
    before: Quantity  # its earlier value
    change: Quantity  # the printed change between them
    up: bool  # the words say the figure rose


@rule(
    "GROWTH013",
    Severity.ERROR,
    "a change printed after a figure and its earlier value (为98.42，与…的102.21比下降3.79; "
    "由6.96%下降为5.62%，下降了1.34个百分点) is their difference in the direction its words say",
)
def check_stated_changes(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for index, quantities in by_paragraph(norm).items():
        text = fold_text(norm.paragraphs[index].text)
        taken = {b.change.start for b in changes_beside(quantities, text)}
        for c in stated_changes(quantities):
            if c.change.start in taken:
                continue  # a count or a rate beside its earlier figure: GROWTH006's
            yield Checked(tuple(map(quantity_span, (c.change, c.now, c.before))))
            if not any(_holds(c, r) for r in accepted):
                yield _problem(c, accepted[0])


def stated_changes(quantities: Sequence[Quantity]) -> Iterator[Change]:
    """Every run of three figures of one sentence that reads as figure, earlier value and
    change, in either order of the first two."""
    w = words()
    for a, b, c in zip(quantities, quantities[1:], quantities[2:], strict=False):
        if not a.sentence == b.sentence == c.sentence:
            continue
        direction = w.change.match(c.label.strip())
        if direction is None:
            continue
        if w.earlier.match(b.label):
            now, before = a, b
        elif w.origin.search(a.label) and w.to.match(b.label):
            now, before = b, a
        else:
            continue
        if _alike(now, before) and _measures(c, before):
            yield Change(now, before, c, direction.group(1) in w.up)


def _alike(now: Quantity, before: Quantity) -> bool:
    """Two values of one measure: both percents, or both of one unit and scale."""
    x, y = now.value, before.value
    return (
        x.percent == y.percent
        and x.scale == y.scale
        and (x.unit or "") == (y.unit or "")
        and now.kind is not QuantityKind.POINTS
    )


def _measures(change: Quantity, before: Quantity) -> bool:
    """The change is in the values' own terms: points, or their unit without a percent
    (a percent beside two percents may be relative, one beside counts is a growth rate)."""
    if change.kind is QuantityKind.POINTS:
        return not change.value.percent
    v = change.value
    return (
        not v.percent
        and v.scale == before.value.scale
        and (v.unit or "") == (before.value.unit or "")
    )


def _stated(c: Change, rounding: Rounding) -> Interval:
    """The printed change, signed as its words say, in the values' plain units: points are
    hundredths beside percents."""
    iv = interval_of(c.change.value, rounding)
    if c.change.kind is QuantityKind.POINTS and c.before.value.percent:
        iv = iv * Interval.point(Fraction(1, 100))
    return iv if c.up else Interval.point(0) - iv


def _holds(c: Change, rounding: Rounding) -> bool:
    actual = interval_of(c.now.value, rounding) - interval_of(c.before.value, rounding)
    return actual.meets(_stated(c, rounding))


def _problem(c: Change, rounding: Rounding) -> Problem:
    exact = exact_of(c.now.value) - exact_of(c.before.value)
    if c.change.kind is QuantityKind.POINTS and c.before.value.percent:
        exact *= 100
    expected = format_as(abs(exact), c.change.value, rounding)
    way = "up" if exact >= 0 else "down"
    said = "up" if c.up else "down"
    return Problem(
        message=(
            f"the text says {c.before.value.text} went {said} {c.change.value.text} to "
            f"{c.now.value.text}, but the two differ by {expected} ({way})"
        ),
        evidence=tuple(map(quantity_evidence, (c.change, c.now, c.before))),
        reported=c.change.value.text,
        expected=expected,
        explanation=(
            f"{c.now.value.text} minus {c.before.value.text} is {expected} {way}; no values "
            f"the printed figures stand for give {c.change.value.text} {said}"
        ),
    )
