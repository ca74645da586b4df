"""Lists printed in a paragraph of their own, against the total printed before them.

"共接收投诉、举报、咨询共计N件。" then, in the next paragraph, "从接收渠道统计，热线a件，
网站b件……其它途径e件。": the second list is whole (it closes with 其他, or the shares
printed after its items add up to 100%), yet no total opens its paragraph. SUM001 only
pairs a total with the parts printed after it in the same paragraph; SUM002 looks back
for the total such a list breaks down: a count printed earlier in the document under a
word of the whole (共, 合计, 总…) that the parts' sum comes close to. The pairing crosses
paragraphs and rests on arithmetic, so a list that misses every such total is a warning
that names them, never an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity, Span
from pipeline.normalize.quantities import quantity_words
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_sums import PREVIOUS_WORDS
from pipeline.validate.text_quantities import (
    by_paragraph,
    exact_count,
    holds_share,
    own_count,
    quantity_evidence,
    quantity_span,
)
from pipeline.validate.text_runs import shares_whole

# How far from the parts' sum a total may lie and still be the one a whole list breaks
# down: a slip of a few items in a few hundred, not another figure of the document.
NEAR = 0.05
NEAR_UNMARKED = 0.01
WHOLE_MARKS = ("共",)


@dataclass(frozen=True, slots=True)
class OrphanList:
    """A whole list with no total in its own paragraph."""

    parts: tuple[Quantity, ...]
    why: str  # what makes it whole
    shares: tuple[Quantity, ...] = ()  # each part's share, when the list prints them
    whole: bool = True  # closed by 其他 or by its shares; else only a near total is its own

    @property
    def added(self) -> int:
        return sum(exact_count(q) or 0 for q in self.parts)


def orphan_lists(norm: Normalized) -> Iterator[OrphanList]:
    for quantities in by_paragraph(norm).values():
        counts = [q for q in quantities if exact_count(q) is not None]
        if not counts:
            continue
        bare = _bare_run(counts) if len(counts) == len(quantities) else None
        found = _closed_run(counts) or _shared_items(quantities) or bare
        if found is not None and found.parts[0] is counts[0]:
            yield found


def _closed_run(counts: Sequence[Quantity]) -> OrphanList | None:
    """Counts of one sentence and unit, three or more, the last a catch-all (其他途径5件)."""
    first = counts[0]
    run = [q for q in counts if q.sentence == first.sentence]
    catch_all = quantity_words().catch_all
    if len(run) < 3 or len({q.value.unit for q in run}) != 1:
        return None
    if any(q.kind is not QuantityKind.COUNT or _previous(q) for q in run):
        return None
    if not any(w in run[-1].label for w in catch_all):
        return None
    return OrphanList(tuple(run), f"it closes with {run[-1].label.strip('，,、 ')}")


def _shared_items(quantities: Sequence[Quantity]) -> OrphanList | None:
    """Items each followed by its share, two or more, whose shares add up to 100%; the
    counts listed inside an item ("其中PC端a件、小程序b件") are not items."""
    items: list[Quantity] = []
    shares: list[Quantity] = []
    for i, q in enumerate(quantities):
        if q.kind is QuantityKind.PERCENT and q.role == "share":
            count = own_count(quantities[:i], q)
            if count is not None and count.series is None and not _previous(count):
                items.append(count)
                shares.append(q)
    if len(items) < 2 or not shares_whole(shares):
        return None
    more = _trailing_counts(quantities, items[-1], shares[-1])
    why = "its shares add up to 100%" + (", with small items after them" if more else "")
    return OrphanList((*items, *more), why, tuple(shares))


def _trailing_counts(
    quantities: Sequence[Quantity], last: Quantity, share: Quantity
) -> list[Quantity]:
    """Counts that close the paragraph after the last item with a share, in its unit and at
    most a clause on, with no share of their own ("…81975件，占比25.2%；其他渠道278件"):
    items too small to move the shares' 100%."""
    after = [q for q in quantities if q.start > share.start]
    if any(
        q.kind is not QuantityKind.COUNT
        or q.value.unit != last.value.unit
        or q.series is not None
        or _previous(q)
        or q.sentence > last.sentence + 1
        for q in after
    ):
        return []  # another figure or a later sentence: not a run of small items
    return after


def _bare_run(counts: Sequence[Quantity]) -> OrphanList | None:
    """A paragraph that holds nothing but a list of counts of one unit in one sentence
    ("二、案件来源情况" then "采集员上报a件，热线投诉b件，转来c件。"): nothing says it is
    whole, so only a total it comes within 1% of is taken for it, and two parts only
    when they add up to it."""
    if len(counts) < 2 or len({q.sentence for q in counts}) != 1:
        return None
    if len({q.value.unit for q in counts}) != 1:
        return None
    if any(
        q.kind is not QuantityKind.COUNT or q.series is not None or _previous(q) for q in counts
    ):
        return None
    return OrphanList(tuple(counts), "", whole=False)


def _previous(q: Quantity) -> bool:
    return any(w in q.label for w in PREVIOUS_WORDS)


def totals_before(norm: Normalized, listed: OrphanList) -> list[Quantity]:
    """Counts printed before the list under a word of the whole (or the document's first
        count, its headline), near the parts' sum, nearest first; for a whole list, also an
        unmarked count within 1% of it ("提案591件" before four outcomes adding to 588), after
    the marked ones. A list
        nothing marks as whole takes only a marked total within 1%, as SUM001 does."""
    first = listed.parts[0]
    marks = (*WHOLE_MARKS, *quantity_words().total_words)
    added = listed.added
    near = NEAR if listed.whole else NEAR_UNMARKED
    found: list[tuple[bool, Quantity]] = []
    headline = True
    for q in norm.quantities:
        if (q.paragraph, q.start) >= (first.paragraph, first.start):
            break
        n = exact_count(q)
        if n is None or q.series is not None or q.bracketed or _previous(q):
            continue
        named = any(m in q.label for m in marks) or headline
        headline = False
        # a whole list may also break down a count no word marks, when it comes within 1%
        close = near if named else NEAR_UNMARKED if listed.whole else -1
        if q.value.unit == first.value.unit and abs(n - added) <= close * n:
            found.append((named, q))
    marked = [q for named, q in reversed(found) if named]
    return marked + [q for named, q in reversed(found) if not named]


@rule("SUM002", Severity.WARNING, "a whole list printed on its own adds up to the total before it")
def check_orphan_lists(norm: Normalized) -> Iterator[Problem | Checked]:
    for listed in orphan_lists(norm):
        totals = totals_before(norm, listed)
        if not totals:
            continue
        spans = tuple(quantity_span(q) for q in listed.parts)
        exact = [t for t in totals if exact_count(t) == listed.added]
        if exact:
            yield Checked((quantity_span(exact[0]), *spans, *_holding(norm, listed)))
            continue
        if listed.whole or len(listed.parts) >= 3:
            yield Checked((quantity_span(totals[0]), *spans))
            yield _problem(listed, totals)


def _holding(norm: Normalized, listed: OrphanList) -> list[Span]:
    """The list's shares that its parts over their sum reproduce."""
    accepted = admissible_roundings(norm)
    added = listed.added
    return [
        quantity_span(s)
        for part, s in zip(listed.parts, listed.shares, strict=False)
        if holds_share(Fraction(exact_count(part) or 0), added, s.value, accepted)
    ]


def _problem(listed: OrphanList, totals: Sequence[Quantity]) -> Problem:
    total = totals[0]
    said = " + ".join(str(exact_count(q)) for q in listed.parts)
    gap = (exact_count(total) or 0) - listed.added
    side = f"{abs(gap)} {'short of' if gap > 0 else 'more than'} it"
    others = ", ".join(q.value.text for q in totals[1:])
    whole = f"the list is whole ({listed.why})" if listed.whole else "the list fills its paragraph"
    explanation = (
        f"{whole} and prints no total of its own; the nearest total printed before it is "
        f"{total.value.text}, and the parts come to {side}"
    )
    if others:
        explanation += f"; other totals near the sum: {others}"
    return Problem(
        message=(
            f"the list adds up to {listed.added} ({said}), not to {total.value.text} "
            "printed before it"
        ),
        evidence=(quantity_evidence(total), *map(quantity_evidence, listed.parts)),
        reported=total.value.text,
        expected=str(listed.added),
        explanation=explanation,
    )
