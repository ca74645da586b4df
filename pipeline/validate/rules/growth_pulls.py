"""GROWTH011: what the three sectors add to a growth rate adds up to it.

A communiqué says how much each sector pulled the economy's growth and what share of the
growth it contributed: "全县地区生产总值…比上年增长3.9%……三次产业对经济增长的贡献率分别为
29.2%、35.8%和35%，依次拉动经济增长1.1个百分点、1.4个百分点和1.4个百分点". The pulls
are the growth split by sector, so they add up to it (a fall, 下降4.1%, is negative; so is
a pull printed -5.64), and the contributions add up to 100%. Both hold only when every
sector is listed, so its sentence must name the three sectors before the pull or
contribution word (`pulls` in `pipeline/data/named_sums.json`) and exactly three figures joined by
、 or 和 must follow it. Every figure stands for the values that round to it; offices round
each sector's figure from unrounded data, so a miss is a warning.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import is_fall
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Interval, Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.named_sums import named_as, vocabulary
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

SECTORS = 3
JOIN = re.compile(r"^[、和及与,，\s]*$")
AVERAGED = ("平均", "年均")
WHOLE_GAP = Fraction(1, 10)  # 两年平均增长2.5%: not this year's growth


@dataclass(frozen=True, slots=True)
class Split:
    """Three figures that split a whole: the growth (in points) or, with no growth, 100%."""

    figures: tuple[Quantity, ...]
    growth: Quantity | None


@rule(
    "GROWTH011",
    Severity.WARNING,
    "the points the three sectors pull growth by add up to the growth, and their "
    "contributions to 100%",
)
def check_sector_pulls(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for index, quantities in by_paragraph(norm).items():
        text = fold_text(norm.paragraphs[index].text)
        for split in _splits(text, quantities):
            whole = () if split.growth is None else (split.growth,)
            if not _near(split):
                continue  # the split of another whole (民营经济's contributions)
            yield Checked(tuple(map(quantity_span, (*whole, *split.figures))))
            if not any(_holds(split, r) for r in accepted):
                yield _problem(split)


def _splits(text: str, quantities: Sequence[Quantity]) -> Iterator[Split]:
    words = vocabulary().pulls
    marks = [(w, True) for w in words.pull_words] + [(w, False) for w in words.contribution_words]
    for word, pull in marks:
        for at in (m.end() for m in re.finditer(re.escape(word), text)):
            opening = max(text.rfind(stop, 0, at) for stop in "。；;！？")
            if not any(s in text[opening + 1 : at] for s in words.sectors):
                continue  # the three sectors are named in the sentence before the word
            figures = _run_after(text, quantities, at)
            if figures is None:
                continue
            growth = _growth(quantities, at) if pull else None
            if pull and growth is not None and not any(q.value.percent for q in figures):
                yield Split(figures, growth)
            elif not pull and all(q.value.percent for q in figures):
                yield Split(figures, None)


def _growth(quantities: Sequence[Quantity], at: int) -> Quantity | None:
    """The growth of the whole printed last before `at` (生产总值…增长3.9%): the first change
    after it in its sentence. A paragraph may print a district's, then its core area's."""
    names = vocabulary().pulls.growth_of
    found = None
    for k, q in enumerate(quantities):
        if q.start >= at:
            break
        if q.kind is not QuantityKind.AMOUNT or not any(n in fold_text(q.label) for n in names):
            continue
        if not named_as(q.label, names, "", vocabulary()):
            if not any(w in q.label for w in vocabulary().not_additive):  # 人均: per head
                found = None  # another area's whole (区本级地区生产总值): which grew is unsaid
            continue
        change = next(
            (
                a
                for a in quantities[k + 1 :]
                if a.kind is QuantityKind.CHANGE or a.sentence != q.sentence
            ),
            None,
        )
        if change is not None and change.kind is QuantityKind.CHANGE and change.value.percent:
            found = None if any(w in change.label for w in AVERAGED) else change
    return found


def _run_after(text: str, quantities: Sequence[Quantity], at: int) -> tuple[Quantity, ...] | None:
    """The three figures right after `at`, joined by 、 or 和, and no fourth."""
    after = [q for q in quantities if q.start >= at]
    if len(after) < SECTORS or not JOIN.match(_gap(text, at, after[0])):
        return None
    run = after[:SECTORS]
    joined = all(JOIN.match(text[a.end : b.start]) for a, b in itertools.pairwise(run))
    fourth = len(after) > SECTORS and JOIN.match(text[run[-1].end : after[SECTORS].start])
    digits = all(any(ch.isdigit() for ch in q.value.text) for q in run)
    return tuple(run) if joined and digits and not fourth else None


def _gap(text: str, at: int, q: Quantity) -> str:
    """What stands between the pull word and the first figure, less its own words
    (拉动经济增长, 分别为, 依次为), one after another (拉动GDP增长分别为)."""
    gap = text[at : q.start]
    while (word := GAP_WORD.match(gap)) is not None:  # one at a time: no nested repeat
        gap = gap[word.end() :]
    return gap


GAP_WORD = re.compile(r"[^\d\-−]{0,40}?(?:增长|分别为|依次为|分别是|为)")  # a few words, bounded


def _near(split: Split) -> bool:
    """Whether the figures come within a tenth of the whole: further off, they split
    another whole than the one taken."""
    added = sum((_exact(q) for q in split.figures), Fraction(0))
    whole = Fraction(1) if split.growth is None else _exact(split.growth) * 100
    return abs(added - whole) <= WHOLE_GAP * abs(whole)


def _exact(q: Quantity) -> Fraction:
    value = exact_of(q.value)
    return -value if value >= 0 and is_fall(q) else value


def _signed(q: Quantity, r: Rounding) -> Interval:
    iv = interval_of(q.value, r)
    if q.value.value >= 0 and is_fall(q):
        return Interval(-iv.hi, -iv.lo, iv.hi_closed, iv.lo_closed)
    return iv


def _holds(split: Split, r: Rounding) -> bool:
    total = _signed(split.figures[0], r)
    for q in split.figures[1:]:
        total = total + _signed(q, r)
    if split.growth is None:
        return total.meets(Interval.point(1))
    growth = _signed(split.growth, r)
    points = Interval(growth.lo * 100, growth.hi * 100, growth.lo_closed, growth.hi_closed)
    return total.meets(points)


def _problem(split: Split) -> Problem:
    added = sum((exact_of(q.value) for q in split.figures), Fraction(0))
    said = " + ".join(q.value.text for q in split.figures)
    if split.growth is None:
        what, whole, expected = "contributions", "100%", f"{float(added * 100):.1f}%"
        reported = split.figures[-1].value.text
    else:
        sign = "-" if is_fall(split.growth) and split.growth.value.value >= 0 else ""
        what, whole = "pulls", sign + split.growth.value.text
        expected = format_as(added / 100, split.growth.value)
        reported = split.growth.value.text
    figures = split.figures if split.growth is None else (split.growth, *split.figures)
    return Problem(
        message=f"the three sectors' {what} add up to {expected} ({said}), not {whole}",
        evidence=tuple(map(quantity_evidence, figures)),
        reported=reported,
        expected=expected,
        explanation=(
            "the three sectors split the growth; no values the printed figures stand for "
            "add up to it (each sector is rounded on its own, so this may be rounding)"
        ),
    )
