"""Totals whose own words name their parts, against the counts printed for those parts.

"全市共收到投诉、举报、咨询962件。其中，投诉132件，办结121件……举报47件……咨询783件":
the total lists its parts by name (joined by 、 or printed one after another, 投诉举报咨询)
and the text then gives each part a count of its own, often with other facts about that
part between them, so SUM001, which reads the run of counts right after 其中, does not see
the list. Here the pairing rests on words: each named part takes the first count after
the total whose label ends in its name, in the total's paragraph (or the next one when it
opens with 其中). Every name of the list must find a count: a list that covers the
total's words is whole, so the parts must add up to it within their printed precision
(5.77万 stands for a range). When another count with the same name would make it hold,
the finding is a warning that names that reading; otherwise it is an error.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Rounding, format_as
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_amounts import holds_sum, printed_value
from pipeline.validate.rules.text_sums import PREVIOUS_WORDS, listed_parts, with_next_list
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

SHORTEST, LONGEST = 2, 8  # the length of a part's name
# At most this many readings are tried when a name has more than one count.
READINGS = 16
# A part may pass a total printed in 万 by its rounding, never by more than this.
SLACK = Fraction(101, 100)


@dataclass(frozen=True, slots=True)
class NamedList:
    """A total, the names its words list, and for each name the counts that carry it."""

    total: Quantity
    names: tuple[str, ...]
    counts: tuple[tuple[Quantity, ...], ...]  # per name, first the nearest after the total

    @property
    def parts(self) -> tuple[Quantity, ...]:
        return tuple(found[0] for found in self.counts)


@rule(
    "SUM006",
    Severity.ERROR,
    "a total whose words name its parts equals the counts printed for those parts",
)
def check_named_parts(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    grouped = by_paragraph(norm)
    for index, own in grouped.items():
        text, scope = with_next_list(norm, grouped, index)
        for total in own:
            named = named_list(total, scope)
            if named is None or _judged_by_sum001(text, named, scope, accepted):
                continue
            if _other_part(named, scope):
                continue  # "…咨询0.85万件，其他2348件": the names are not the whole
            yield from _judge(named, accepted)


def named_list(total: Quantity, scope: Sequence[Quantity]) -> NamedList | None:
    """The total's named parts with their counts, when every name has one."""
    if printed_value(total) is None or any(w in total.label for w in PREVIOUS_WORDS):
        return None
    region = _item_region(total.label)
    after = [q for q in scope if q.start > total.end and _candidate(q, total)]
    leads = quantity_words().named_total_lead
    by_name: dict[str, list[Quantity]] = {}
    for q in after:
        name = _name_in(q.label, region)
        if name is not None and name not in leads:  # 受理 is what was done, not a part
            by_name.setdefault(name, []).append(q)
    names = _tiling(region, tuple(by_name))
    if names is None:
        return None
    return NamedList(total, names, tuple(tuple(by_name[n]) for n in names))


def _item_region(label: str) -> str:
    """The total's label from its last clause mark, less the words of a whole at its end
    ("…共收到投诉、举报、咨询共计" -> "…共收到投诉、举报、咨询")."""
    words = quantity_words()
    cut = max(label.rfind(m) for m in words.clause_marks)
    region = label[cut + 1 :].strip()
    stripped = True
    while stripped:
        stripped = False
        for w in words.named_total_tail:
            if region.endswith(w) and len(region) > len(w):
                region, stripped = region[: -len(w)], True
    return region


def _candidate(q: Quantity, total: Quantity) -> bool:
    if q.kind not in (QuantityKind.COUNT, QuantityKind.AMOUNT) or printed_value(q) is None:
        return False
    if q.value.unit != total.value.unit or any(w in q.label for w in PREVIOUS_WORDS):
        return False
    # a count above the total is no part of it (the same names of a larger total)
    return (printed_value(q) or 0) <= (printed_value(total) or 0) * SLACK


def _name_in(label: str, region: str) -> str | None:
    """The longest end of a part's label that the total's words also print; none when it
    opens with a particle (经济建设方面的提案 under 立案的提案) or the label negates it
    (不予立案22件 is no part of 立案)."""
    words = quantity_words()
    tail = label.rstrip("：:，, ")
    for n in range(min(LONGEST, len(tail)), SHORTEST - 1, -1):
        end = tail[-n:]
        if all("\u4e00" <= ch <= "\u9fff" for ch in end) and end in region:
            if end[0] in words.name_particles or tail[:-n].endswith(words.negations):
                return None
            return end
    return None


def _tiling(region: str, names: Sequence[str]) -> tuple[str, ...] | None:
    """The names, two or more, that print the end of the region one after another (joins
    between them allowed), after a word that opens such a list; the longest such run."""
    found = _runs(region, len(region), tuple(names), ())
    return max(found, key=len, default=None)


def _runs(
    region: str, end: int, names: tuple[str, ...], used: tuple[str, ...]
) -> Iterator[tuple[str, ...]]:
    """Every run of distinct names that ends at `end` and opens the list there."""
    leads = quantity_words().named_total_lead
    if len(used) >= 2 and _opens(region[:end], leads):
        yield used
    for name in names:
        if name in used or not region[:end].endswith(name):
            continue
        start = end - len(name)
        if start > 0 and region[start - 1] in quantity_words().list_joins:
            start -= 1
        yield from _runs(region, start, names, (name, *used))


def _opens(before: str, leads: Sequence[str]) -> bool:
    """What precedes a list of names: nothing, no Chinese word, or a verb or qualifier
    that opens one (受理, 各类, 的): a list cut off after another name is not whole."""
    if not before or not ("\u4e00" <= before[-1] <= "\u9fff"):
        return True
    return any(before.endswith(w) for w in leads)


def _other_part(named: NamedList, scope: Sequence[Quantity]) -> bool:
    """A count of a catch-all (其他) among the parts, up to the last part's sentence: the
    total holds more than the parts its words name."""
    last = max(q.sentence for q in named.parts)
    catch_all = quantity_words().catch_all
    return any(
        q.start > named.total.end
        and q.sentence <= last
        and q.kind is named.total.kind
        and any(w in q.label for w in catch_all)
        for q in scope
    )


def _judged_by_sum001(
    text: str, named: NamedList, scope: Sequence[Quantity], accepted: Sequence[Rounding]
) -> bool:
    """SUM001 and SUM003 judge the same list when it is the run right after the total and
    it adds up: nothing to add here."""
    listed = listed_parts(text, named.total, scope, printed_value)
    same = {q.start for q in listed} == {q.start for q in named.parts}
    return same and any(holds_sum(named.total, named.parts, r) for r in accepted)


def _judge(named: NamedList, accepted: Sequence[Rounding]) -> Iterator[Problem | Checked]:
    total, parts = named.total, named.parts
    yield Checked((quantity_span(total), *map(quantity_span, parts)))
    if not any(holds_sum(total, parts, r) for r in accepted):
        yield _problem(named, _other_reading(named, accepted), accepted[0])


def _other_reading(named: NamedList, accepted: Sequence[Rounding]) -> tuple[Quantity, ...] | None:
    """Another choice among the counts of the same names that makes the total."""
    readings = itertools.islice(itertools.product(*named.counts), READINGS)
    for reading in readings:
        if reading != named.parts and any(holds_sum(named.total, reading, r) for r in accepted):
            return reading
    return None


def _problem(named: NamedList, other: tuple[Quantity, ...] | None, rounding: Rounding) -> Problem:
    total, parts = named.total, named.parts
    added = sum((printed_value(q) or Fraction(0) for q in parts), Fraction(0))
    expected = format_as(added, total.value, rounding)
    said = " + ".join(f"{n} {q.value.text}" for n, q in zip(named.names, parts, strict=True))
    why = (
        f"the total's words name {len(named.names)} parts ({'、'.join(named.names)}) and the "
        "text gives each its count, nearest first; no values the printed figures stand for "
        "make them meet the total"
    )
    if other is not None:
        alt = " + ".join(q.value.text for q in other)
        why += f"; the other counts of the same names, {alt}, would make it: two readings"
    return Problem(
        message=(
            f"the parts the total names add up to {expected} ({said}), not to {total.value.text}"
        ),
        evidence=(quantity_evidence(total), *map(quantity_evidence, parts)),
        reported=total.value.text,
        expected=expected,
        explanation=why,
        severity=Severity.WARNING if other is not None else None,
    )
