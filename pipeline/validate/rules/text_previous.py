"""Growth rates whose change in count the bulletin prints elsewhere, and rates printed twice.

A 12315 report often opens with an overview ("举报303件，同比下降16.8%，环比下降9.3%")
and repeats each count in its own section with the change behind it ("本月共受理举报
303件，与去年同期相比减少了61件"), sometimes sentences away from the rate. The rate
then has an earlier figure too: 303 + 61. GROWTH005 pairs a growth rate with the
count it follows, finds a change in count of that count against the same period (同比
with 同比, 环比 with 环比): printed with the very count, or with the same count printed
again (same figure, same unit, the same head word in its label), and recomputes the
rate over the earlier figure. A rate printed right after its change is GROWTH003's.

Without any change printed, two printings of one rate can still be compared: the
same count against the same period has one growth rate. Two that differ are a
warning naming both, since nothing says which is the misprint; two that agree
recompute nothing and stay unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import (
    Checked,
    Normalized,
    Problem,
    Quantity,
    QuantityKind,
    Severity,
)
from pipeline.normalize.paragraphs import sentences
from pipeline.normalize.quantities import is_fall, quantity_words
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Rounding, format_as
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_growth import AGAINST, growth_holds, growths
from pipeline.validate.text_quantities import (
    LABEL_FILLER,
    by_paragraph,
    exact_count,
    quantity_evidence,
    quantity_span,
)

HEAD = re.compile(r"([\u4e00-\u9fff]{2})$")
MIN_COUNT = 10  # a count this small may well be printed twice for two things


@dataclass(frozen=True, slots=True)
class Stated:
    """A printed change (a growth rate, or a change in count) with the count it is the
    change of and the period it compares with."""

    change: Quantity
    count: Quantity
    against: str  # "yoy" or "mom"
    past: Quantity | None = None  # a share printed between: the change may be of it


SEMICOLONS = {";", "；"}


def compared_with(head: str) -> str | None:
    """ "yoy" or "mom" by the last comparison word of `head` (the sentence up to a change:
    "同比下降12.3%，环比增长" compares with last month)."""
    found = list(AGAINST.finditer(head))
    if not found:
        return None
    return "yoy" if found[-1].group(1) else "mom"


def _count_before(quantities: Sequence[Quantity], change: Quantity) -> Quantity | None:
    """The count a change is of: the nearest count before it in its sentence (or the one
    before), past the other changes and the shares printed between. A rate printed between
    is what a percentage change is of ("回复率97.24%，较上月降低1.07%"): no count then."""
    for q in reversed([p for p in quantities if p.start < change.start]):
        if change.sentence - q.sentence > 1:
            return None
        if q.kind is QuantityKind.PERCENT and change.value.percent and q.role != "share":
            return None
        if q.kind in (QuantityKind.CHANGE, QuantityKind.POINTS, QuantityKind.PERCENT):
            continue
        return q if q.value.unit == change.value.unit or change.value.percent else None
    return None


def _share_between(
    quantities: Sequence[Quantity], count: Quantity | None, change: Quantity
) -> Quantity | None:
    if count is None:
        return None
    between = [q for q in quantities if count.start < q.start < change.start]
    return next((q for q in between if q.kind is QuantityKind.PERCENT), None)


def _own_count(quantities: Sequence[Quantity], change: Quantity) -> Quantity | None:
    """The count a change in count follows in its own sentence."""
    count = _count_before(quantities, change)
    return count if count is not None and count.sentence == change.sentence else None


def named_count(quantities: Sequence[Quantity], change: Quantity) -> Quantity | None:
    """A count of the paragraph, printed before the change, whose head word the change's
    label repeats; the first such when the label says total ("与去年同期相比，咨询业务
    总量增加了399件" is of the paragraph's opening "咨询信息2860件", not of a part)."""
    named = [
        q
        for q in quantities
        if q.start < change.start and q.kind is QuantityKind.COUNT and _shares_word(q, change)
    ]
    if not named:
        return None
    total = any(w in change.label for w in quantity_words().total_words)
    return named[0] if total else named[-1]


def stated_changes(norm: Normalized) -> tuple[list[Stated], list[Stated]]:
    """(growth rates with no change in count printed right before them, changes in count)."""
    rates: list[Stated] = []
    counts: list[Stated] = []
    paragraphs = norm.paragraphs
    for index, quantities in by_paragraph(norm).items():
        text = fold_text(paragraphs[index].text)
        starts = [a for a, _ in sentences(text)]
        paired = {g.rate.start for g in growths(quantities)}
        for q in quantities:
            floor = starts[q.sentence] if q.sentence < len(starts) else 0
            against = compared_with(text[floor : q.start])
            if q.kind is not QuantityKind.CHANGE or against is None or q.start in paired:
                continue
            past = None
            if q.value.percent:
                count = _count_before(quantities, q)
                if count is not None and SEMICOLONS & set(text[count.end : q.start]):
                    continue  # "…增长率48.3%；满意率…增长12.15%": another figure's rate
                past = _share_between(quantities, count, q)
            elif exact_count(_as_count(q)) is not None:
                count = _own_count(quantities, q) or named_count(quantities, q)
                count = count or _count_before(quantities, q)
            else:
                continue
            if count is not None and _large(count, rounded=q.value.percent):
                (rates if q.value.percent else counts).append(Stated(q, count, against, past))
    return rates, counts


def _as_count(q: Quantity) -> Quantity:
    """A change in count read as a count, so its exactness can be asked."""
    return Quantity(
        value=q.value, kind=QuantityKind.COUNT, label=q.label, paragraph=q.paragraph,
        sentence=q.sentence, clause=q.clause, start=q.start, end=q.end, source=q.source,
    )  # fmt: skip


def _shares_word(q: Quantity, change: Quantity) -> bool:
    """The count's label and the change's share a word of two characters ("咨询")."""
    label = LABEL_FILLER.sub("", q.label)
    return any(
        HEAD.fullmatch(label[i : i + 2]) and label[i : i + 2] in change.label
        for i in range(len(label) - 1)
    )


def _head(label: str) -> str | None:
    m = HEAD.search(LABEL_FILLER.sub("", label).rstrip("（("))
    return m.group(1) if m else None


def _large(count: Quantity, *, rounded: bool) -> bool:
    """A count to pair a change with: exact and not small, or, for a growth rate, one
    printed in 万 (which a table row may give exactly, GROWTH007)."""
    if (exact_count(count) or 0) >= MIN_COUNT:
        return True
    return rounded and count.kind is QuantityKind.COUNT and count.value.scale > 1


def same_count(a: Quantity, b: Quantity) -> bool:
    """One count: the very quantity, or the same figure and unit printed in another
    paragraph with one label's head word in the other's label ("举报" in "本月共受理举报")."""
    if a is b:
        return True
    if a.paragraph == b.paragraph or exact_count(a) is None or exact_count(a) != exact_count(b):
        return False
    if a.value.unit != b.value.unit:
        return False
    ha, hb = _head(a.label), _head(b.label)
    return bool((ha and ha in b.label) or (hb and hb in a.label))


def _earlier(change: Stated) -> int:
    now, delta = exact_count(change.count) or 0, abs(int(change.change.value.value))
    return now + delta if is_fall(change.change) else now - delta


@rule("GROWTH005", Severity.ERROR, "a growth rate equals the change in count printed elsewhere")
def check_repeated_growth(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    rates, counts = stated_changes(norm)
    judged: set[frozenset[tuple[int, int]]] = set()
    for s in rates:
        change = next(
            (
                c
                for c in counts
                if c.against == s.against and same_count(s.count, c.count) and _earlier(c) > 0
            ),
            None,
        )
        if change is not None:
            yield from _against_change(s, change, accepted)
            continue
        for twin in rates:
            pair = frozenset((q.paragraph, q.start) for q in (s.change, twin.change))
            if twin is s or twin.against != s.against or pair in judged:
                continue
            if same_count(s.count, twin.count) and s.count is not twin.count:
                judged.add(pair)
                yield from _against_rate(s, twin)


def _against_change(
    s: Stated, c: Stated, accepted: Sequence[Rounding]
) -> Iterator[Problem | Checked]:
    earlier = _earlier(c)
    delta = Fraction(abs(int(c.change.value.value)))
    shown = tuple(dict.fromkeys((s.change, s.count, c.change, c.count)))
    yield Checked(tuple(map(quantity_span, shown)))
    same_way = is_fall(s.change) == is_fall(c.change)
    if same_way and growth_holds(delta / earlier, s.change, accepted):
        return
    expected = format_as(delta / earlier, s.change.value)
    turned = "fall" if is_fall(c.change) else "rise"
    way = "" if same_way else f"; the change in count is a {turned}"
    yield Problem(
        message=(
            f"the text states {s.change.value.text} for {s.count.value.text}, whose change "
            f"against the same period it prints as {c.change.value.text}: {int(delta)} / "
            f"{earlier} = {expected}{way}"
        ),
        evidence=tuple(map(quantity_evidence, shown)),
        reported=s.change.value.text,
        expected=expected,
        explanation=(
            f"the earlier figure is {c.count.value.text} and {c.change.value.text}: {earlier}"
            + (
                f"; {s.change.value.text} follows the share {s.past.value.text} and may be "
                "its change"
                if s.past is not None
                else ""
            )
        ),
        severity=Severity.WARNING if s.past is not None else None,
    )


def _against_rate(s: Stated, twin: Stated) -> Iterator[Problem]:
    # two printings that agree recompute nothing: they are not counted as checked
    if s.change.value.value == twin.change.value.value and is_fall(s.change) == is_fall(
        twin.change
    ):
        return
    yield Problem(
        message=(
            f"the text gives {s.count.value.text} a change of {s.change.value.text} in one "
            f"place and {twin.change.value.text} in another, against the same period"
        ),
        evidence=tuple(map(quantity_evidence, (s.change, s.count, twin.change, twin.count))),
        reported=f"{s.change.value.text} / {twin.change.value.text}",
        expected="one growth rate",
        explanation="the same count against the same period has one growth rate; nothing "
        "printed says which of the two is right",
        severity=Severity.WARNING,
    )
