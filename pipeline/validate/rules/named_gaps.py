"""Gaps in percentage points against a rate the text names rather than prints beside them
(GROWTH014).

"规上工业增加值127.16亿元，同比增长3.9%。…增加值同比分别增长27.5%、16.0%、13.9%，增速分别比
规上工业快23.6、12.1、10.0个百分点": the rate compared with is named (规上工业, 生产总值, GDP)
and printed earlier with the growth of the figure so named. The gaps are paired by
position with the rates printed right before them (one gap: the last rate), and the named
rate is the growth printed after a figure whose words hold the name, in the document
before them; when the name stands for more than one printed rate (two periods, two
places) the gaps are left alone. A miss is an error when the named rate is printed in the
gaps' paragraph, a warning otherwise (the name may mean a rate of another period). The
words are `pipeline/data/named_gaps.json` (a missing or malformed file raises ConfigError).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import is_fall
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Interval, Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_points import stated_points
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

DATA = Path(__file__).resolve().parents[2] / "data" / "named_gaps.json"
NAME_REACH = 3  # how many figures before a growth rate its figure's words may stand
LONGEST_NAME = 15


@dataclass(frozen=True, slots=True)
class GapWords:
    before: dict[str, bool]  # 快于 NAME: up
    than: tuple[str, ...]  # 比 NAME 快
    than_not_after: tuple[str, ...]  # 相 of 相比: a comparison of periods, no name after it
    after: dict[str, bool]
    rate: tuple[str, ...]
    several: tuple[str, ...]
    run: tuple[str, ...]


@cache
def gap_words() -> GapWords:
    """The words of named_gaps.json, read once. Raises ConfigError."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return GapWords(
            before={str(k): bool(v) for k, v in raw["before"].items()},
            than=tuple(raw["than"]),
            than_not_after=tuple(raw["than_not_after"]),
            after={str(k): bool(v) for k, v in raw["after"].items()},
            rate=tuple(sorted(raw["rate"], key=len, reverse=True)),
            several=tuple(raw["several"]),
            run=tuple(raw["run"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{DATA}: malformed named-gap words ({exc!r})") from exc


@dataclass(frozen=True, slots=True)
class NamedGap:
    subject: Quantity  # the rate compared
    named: Quantity  # the rate the name stands for
    points: Quantity  # the printed gap
    up: bool
    near: bool  # the named rate is printed in the gap's paragraph
    fall: bool  # the subject is a fall: its run's words say so (分别下降a、b)


@rule(
    "GROWTH014",
    Severity.ERROR,
    "a gap in percentage points against a rate the text names (比规上工业快23.6个百分点, 快于"
    "生产总值增速0.7个百分点) is the rate minus the growth printed for that name",
)
def check_named_gaps(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for gap in named_gaps(norm):
        yield Checked(tuple(map(quantity_span, (gap.points, gap.subject, gap.named))))
        if not any(_holds(gap, r) for r in accepted):
            yield _problem(gap, accepted[0])


def named_gaps(norm: Normalized) -> Iterator[NamedGap]:
    growths: list[tuple[str, Quantity]] = []  # (the words naming it, the rate), so far
    for index, quantities in by_paragraph(norm).items():
        text = fold_text(norm.paragraphs[index].text)
        for i, q in enumerate(quantities):
            if _is_growth(q):
                growths.append((_naming_words(quantities, i), q))
            if q.kind is not QuantityKind.POINTS or q.value.percent:
                continue
            gaps = _run_back(quantities, i, text, _bare)
            said = _name(fold_text(gaps[0].label).replace("分别", ""))
            if said is None:
                continue
            name, up = said
            k = i - len(gaps) + 1
            subjects = _run_back(quantities, k - 1, text, _rate) if k > 0 else []
            if len(subjects) != len(gaps) or subjects[0].sentence != gaps[0].sentence:
                continue
            found = {g.value.value: g for words, g in growths if name in words}
            found = {v: g for v, g in found.items() if g not in subjects}
            if len(found) != 1:
                continue  # not printed, or printed for two periods or places
            named = next(iter(found.values()))
            fall = is_fall(subjects[0])
            near = named.paragraph == index
            for subject, points in zip(subjects, gaps, strict=True):
                yield NamedGap(subject, named, points, up, near, fall or is_fall(subject))


def _is_growth(q: Quantity) -> bool:
    return q.kind is QuantityKind.CHANGE and q.value.percent


def _naming_words(quantities: Sequence[Quantity], i: int) -> str:
    """A growth rate's words and those of the figures just before it in its sentence
    ("规上工业增加值127.16亿元，同比增长3.9%"), back to another rate."""
    words = [quantities[i].label]
    for q in reversed(quantities[max(0, i - NAME_REACH) : i]):
        if q.sentence != quantities[i].sentence or _is_growth(q):
            break
        words.insert(0, q.label)
    return fold_text("".join(words))


def _bare(q: Quantity) -> bool:
    return not q.value.percent and q.kind in (QuantityKind.POINTS, QuantityKind.OTHER)


def _rate(q: Quantity) -> bool:
    return q.value.percent and q.kind in (QuantityKind.CHANGE, QuantityKind.PERCENT)


def _run_back(
    quantities: Sequence[Quantity], i: int, text: str, like: Callable[[Quantity], bool]
) -> list[Quantity]:
    """The figures printed in a run ending at quantities[i] (a、b和c), all `like`."""
    if not like(quantities[i]):
        return []
    run = [quantities[i]]
    for q in reversed(quantities[:i]):
        between = text[q.end : run[0].start].strip()
        if not like(q) or q.sentence != run[0].sentence or between not in gap_words().run:
            break
        run.insert(0, q)
    return run


def _name(label: str) -> tuple[str, bool] | None:
    """(name, up) of a gap's words: 快于NAME增速 or 比NAME快; None when they name none, or
    more than one figure (全国和全省)."""
    w = gap_words()
    label = label.strip()
    for verb, up in w.after.items():
        if label.endswith(verb):
            for than in w.than:
                at = label.rfind(than, 0, len(label) - len(verb))
                # 相比, 同比, 环比 compare periods: the 比 of such a word opens no name
                if at >= 0 and label[max(at - 1, 0) : at] not in w.than_not_after:
                    return _clean(label[at + len(than) : len(label) - len(verb)], up)
    for verb, up in w.before.items():
        at = label.rfind(verb)
        if at >= 0:
            return _clean(label[at + len(verb) :], up)
    return None


def _clean(name: str, up: bool) -> tuple[str, bool] | None:
    w = gap_words()
    for word in w.rate:
        if name.endswith(word):
            name = name[: -len(word)]
    # one character (降 of 相比降低) is a word of the change, not a name
    if len(name) < 2 or len(name) > LONGEST_NAME or any(s in name for s in w.several):
        return None
    return name, up


def _signed(q: Quantity, rounding: Rounding, fall: bool) -> Interval:
    iv = interval_of(q.value, rounding)
    return Interval.point(0) - iv if fall and q.value.value > 0 else iv


def _holds(gap: NamedGap, rounding: Rounding) -> bool:
    actual = _signed(gap.subject, rounding, gap.fall) - _signed(
        gap.named, rounding, is_fall(gap.named)
    )
    return actual.meets(stated_points(gap.points.value, rounding, up=gap.up))


def _problem(gap: NamedGap, rounding: Rounding) -> Problem:
    s, n = exact_of(gap.subject.value), exact_of(gap.named.value)
    if gap.fall and s > 0:
        s = -s
    if is_fall(gap.named) and n > 0:
        n = -n
    expected = format_as(abs(s - n) * 100, gap.points.value, rounding)
    side = "above" if s >= n else "below"
    said = "above" if gap.up else "below"
    return Problem(
        message=(
            f"the text states {gap.subject.value.text} is {gap.points.value.text} points "
            f"{said} the named rate {gap.named.value.text}, but they differ by {expected} "
            f"({side})"
        ),
        evidence=tuple(map(quantity_evidence, (gap.points, gap.subject, gap.named))),
        reported=gap.points.value.text,
        expected=expected,
        explanation=(
            f"{gap.subject.value.text} minus {gap.named.value.text} is {expected} {side}; no "
            f"values the printed rates stand for give {gap.points.value.text}"
        ),
        severity=None if gap.near else Severity.WARNING,
    )
