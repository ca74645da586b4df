"""SUM005: the parts a text lists within a total do not exceed it.

"全年肉类总产量6.3万吨，增长17.4%。其中，猪肉产量4.9万吨……；禽肉产量10.8万吨": the list
names only some of the parts, so SUM001 and SUM003 cannot ask it to make the total, and
they leave a part larger than the total alone, since a count of something else may follow
a list. What every list of parts must do is stay within its whole. Here the parts are
known to measure what the total measures: the total's words name it as a total of a
measure (总产量, 总金额) and each part's words end with that measure and name one of its kind
(猪肉产量 of 肉类: a character of the two before 总 that is no generic 类, 品, 业), in the same
unit, in the list that 其中 opens (in the total's sentence, or opening the next one),
up to the end of its sentence or a nested 其中 (which lists a part's own parts); clauses
between semicolons that each list two or more parts are splits of their own (城乡; 性别). Every
figure stands for the values that round to it: the parts exceed the total when their
smallest values add up to more than its largest.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import quantity_words
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_sums import (
    PREVIOUS_WORDS,
    SEMICOLON,
    with_next_list,
)
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span
from pipeline.validate.text_runs import next_stop

UNMEASURED = (QuantityKind.PERCENT, QuantityKind.CHANGE, QuantityKind.POINTS)
FILLERS = "为是达约共计：: ，,；;"
TOTAL_MARK = "总"
MIN_MEASURE = 2  # 产量, 金额: a one-character measure (量) names too little
KIND_CHARS = 2  # the characters before 总 that name what is totalled (肉类, 粮食)
GENERIC = frozenset("类品业产总")  # characters that name no kind of their own


@rule(
    "SUM005",
    Severity.ERROR,
    "the parts a text lists within a total of a measure (总产量 … 其中 猪肉产量, 禽肉产量) do not "
    "add up to more than it",
)
def check_parts_within_total(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    grouped = by_paragraph(norm)
    for index, own in grouped.items():
        text, quantities = with_next_list(norm, grouped, index)
        for total in own:
            named = _total_measure(total)
            if named is None:
                continue
            parts = _parts(text, total, quantities, *named)
            for split in breakdowns(text, parts):
                yield Checked((quantity_span(total), *map(quantity_span, split)))
                if all(_exceeds(total, split, r) for r in accepted):
                    yield _problem(total, split, accepted[0])


def _words(label: str) -> str:
    words = fold_text(label).strip(FILLERS)
    for lead in quantity_words().parts_lead:
        words = words.removeprefix(lead)
    return words.strip(FILLERS)


def _total_measure(q: Quantity) -> tuple[str, frozenset[str]] | None:
    """What a total measures when its words name it a total of one, and the characters its
    kind is named by: 肉类总产量 -> 产量, {肉}."""
    words = _words(q.label)
    if not _measured(q) or any(w in words for w in PREVIOUS_WORDS):
        return None
    at = words.rfind(TOTAL_MARK)
    measure = words[at + 1 :] if at >= 0 else ""
    kind = frozenset(words[max(0, at - KIND_CHARS) : at]) - GENERIC
    return (measure, kind) if len(measure) >= MIN_MEASURE and kind else None


def _measured(q: Quantity) -> bool:
    """A figure of an amount: printed in digits, not a percentage or a change."""
    return q.kind not in UNMEASURED and any(ch.isdigit() for ch in q.value.text)


def _opening(text: str, after: int) -> int | None:
    """Where 其中 opens the total's list: later in its sentence, or opening the next one."""
    stop = next_stop(text, after)
    for lead in quantity_words().parts_lead:
        at = text.find(lead, after, stop)
        if at >= 0:
            return at + len(lead)
    following = text[stop + 1 :].lstrip()
    opener = next((w for w in quantity_words().parts_lead if following.startswith(w)), None)
    return len(text) - len(following) + len(opener) if opener else None


def _parts(
    text: str, total: Quantity, quantities: Sequence[Quantity], measure: str, kind: frozenset[str]
) -> list[Quantity]:
    """The figures the 其中 after the total lists, when each is one of its kind (猪肉 and 禽肉
    of 肉类: a list that goes on to 烤烟 and 蔬菜 after 稻谷 is no split of 粮食)."""
    start = _opening(text, total.end)
    if start is None:
        return []
    end = next_stop(text, start)
    nested = [i for w in quantity_words().parts_lead if (i := text.find(w, start, end)) >= 0]
    end = min([end, *nested])
    unit = _unit(text, total)
    found = [
        q
        for q in quantities
        if start <= q.start < end
        and _measured(q)
        and _words(q.label).endswith(measure)
        and TOTAL_MARK not in _words(q.label)
        and not any(w in q.label for w in PREVIOUS_WORDS)
        and _unit(text, q) == unit
    ]
    if not all(kind & set(_words(q.label).removesuffix(measure)) for q in found):
        return []
    return found


def breakdowns(text: str, parts: Sequence[Quantity]) -> list[list[Quantity]]:
    """The splits of one total a list holds: one per clause between semicolons when each
    lists two or more parts ("城镇a人，乡村b人；男性c人，女性d人"), else the whole list."""
    if not parts:
        return []
    groups: list[list[Quantity]] = [[parts[0]]]
    for before, q in itertools.pairwise(parts):
        if SEMICOLON.search(text, before.end, q.start):
            groups.append([])
        groups[-1].append(q)
    return groups if all(len(g) >= 2 for g in groups) else [list(parts)]


def _unit(text: str, q: Quantity) -> str:
    """The unit a figure is printed in: its own (元), else the character after it (吨)."""
    return q.value.unit or text[q.end : q.end + 1]


def _exceeds(total: Quantity, parts: Sequence[Quantity], r: Rounding) -> bool:
    smallest = sum((interval_of(q.value, r).lo for q in parts), Fraction(0))
    return smallest > interval_of(total.value, r).hi


def _problem(total: Quantity, parts: Sequence[Quantity], r: Rounding) -> Problem:
    added = sum((exact_of(q.value) for q in parts), Fraction(0))
    expected = format_as(added, total.value, r)
    said = " + ".join(q.value.text for q in parts)
    return Problem(
        message=(
            f"the parts the text lists within {total.value.text} add up to {expected} "
            f"({said}), more than the total"
        ),
        evidence=(quantity_evidence(total), *map(quantity_evidence, parts)),
        reported=total.value.text,
        expected=expected,
        explanation=(
            "parts of a whole cannot exceed it; the total or one of the parts is misprinted "
            "(or a part belongs to another list)"
        ),
    )
