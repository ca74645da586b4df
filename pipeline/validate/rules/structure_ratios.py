"""Shares of a whole that the text prints with the amounts they divide (SHARE008).

Two forms print them:
- a structure ratio, "第一产业增加值47.51亿元……第二产业增加值96.27亿元……第三产业增加值
  176.62亿元。三次产业结构为14.8:30.1:55.1": each part is its item's amount over the whole.
  The amount of an item is the last one before the ratio, in its paragraph, whose words
  name the item; failing that, the one amount the whole document prints for it; failing
  that, a 分别 list of as many amounts before the ratio, in the ratio's order.
- shares listed after 分别 that add up to 100, "分别为:493.5亿元、1704.6亿元、2187.5亿元；
  ……分别占GDP比重的:11.3%、38.8%、49.9%": adding up to 100 says the amounts listed before
  them, in the same places, make the whole.
The whole is the amounts' sum, or the total printed before the first of them ("生产总值
320.39亿元。其中，…"). Every amount stands for the values that round to it, so a share
holds when some of those values give a share that rounds to it. A ratio none of whose
items has an amount, or a run with no list of amounts before it, stays unchecked; so does
a run that another list before it would make hold.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from pipeline.model import (
    Checked,
    Evidence,
    Normalized,
    Number,
    Problem,
    Quantity,
    QuantityKind,
    Severity,
    Span,
)
from pipeline.normalize.numbers import parse_number
from pipeline.normalize.quantities import quantity_words
from pipeline.normalize.ratios import (
    Ratio,
    RatioPart,
    adds_to_100,
    part_names,
    ratio_words,
    structure_ratios,
)
from pipeline.numeric.arithmetic import Interval, Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.figures import figure_span
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_amounts import JOINS
from pipeline.validate.rules.text_points import stated_points
from pipeline.validate.text_quantities import (
    by_paragraph,
    quantity_evidence,
    quantity_span,
    series_runs,
)
from pipeline.validate.text_runs import next_stop


@dataclass(frozen=True, slots=True)
class Share:
    number: Number
    span: Span
    name: str  # the item it is the share of ("第二产业", or "part 2")


@dataclass(frozen=True, slots=True)
class Split:
    """Printed shares of one whole, the amount behind each and the total printed before."""

    shares: tuple[Share, ...]
    amounts: tuple[Quantity, ...]
    total: Quantity | None
    printed_as: str  # "the ratio 14.8:30.1:55.1" or "the shares 11.3%、38.8%、49.9%"
    # other lists of as many amounts before a run: the run may be theirs
    others: tuple[tuple[Quantity, ...], ...] = ()
    # shares that do not add up to 100: the amounts make the whole only if all shares
    # but one fit them ("分别占23.2%和74.7%" of 3.73亿元 and 12.33亿元: 23.2 fits, 74.7 not)
    presumed: bool = False


@rule(
    "SHARE008",
    Severity.ERROR,
    "shares of a whole (a structure ratio a:b:c, or 分别 shares that add up to 100) are the "
    "amounts the text prints for them over their sum",
)
def check_splits(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for split in _splits(norm):
        rounding, failed = _best_rounding(split, split.amounts, accepted)
        if failed and any(not _best_rounding(split, o, accepted)[1] for o in split.others):
            continue  # another list makes the shares hold: which one they divide is unsaid
        if split.presumed and len(failed) != 1:
            continue  # several shares miss: the amounts may be some parts of a larger whole
        yield Checked((*(s.span for s in split.shares), *map(quantity_span, split.amounts)))
        for i in failed:
            other = next((r for r in accepted if _share_holds(split, split.amounts, i, r)), None)
            yield _problem(split, i, rounding, other)


def _best_rounding(
    split: Split, amounts: Sequence[Quantity], accepted: Sequence[Rounding]
) -> tuple[Rounding, list[int]]:
    """The convention under which the fewest shares fail, and those shares: one list is
    rounded one way, so 38.8 that only truncation gives fails beside 11.3 that only
    rounding half up gives."""
    best: tuple[Rounding, list[int]] | None = None
    for r in accepted:
        failed = [i for i in range(len(split.shares)) if not _share_holds(split, amounts, i, r)]
        if best is None or len(failed) < len(best[1]):
            best = (r, failed)
    assert best is not None  # accepted is never empty
    return best


def _splits(norm: Normalized) -> Iterator[Split]:
    grouped = by_paragraph(norm)
    everywhere = [q for q in norm.quantities if q.kind is QuantityKind.AMOUNT]
    for index, paragraph in enumerate(norm.paragraphs):
        quantities = grouped.get(index, [])
        floor = 0  # a ratio divides the amounts printed after the ratio before it
        for ratio in structure_ratios(paragraph.text):
            after = [q for q in quantities if q.start >= floor]
            # the paragraph's own amounts first, named or listed in the ratio's order; only
            # then a name printed elsewhere (a page of two areas prints the other's amounts)
            amounts = (
                _ratio_amounts(ratio, after, [])
                or _respective_amounts(ratio, paragraph.text, after)
                or _ratio_amounts(ratio, after, everywhere if floor == 0 else [])
            )
            floor = ratio.end
            if amounts is None:
                continue
            doc = norm.document
            shares = tuple(
                Share(p.number, figure_span(doc, paragraph, p.number.text, p.start), p.name or "")
                for p in ratio.parts
            )
            total = _total_before(amounts[0], quantities)
            yield Split(shares, amounts, total, f"the ratio {ratio.text}")
        yield from _run_splits(paragraph.text, quantities)


def _ratio_amounts(
    ratio: Ratio, quantities: Sequence[Quantity], everywhere: Sequence[Quantity]
) -> tuple[Quantity, ...] | None:
    amounts = []
    for part in ratio.parts:
        q = None if part.name is None else _amount_of(part.name, ratio, quantities, everywhere)
        if q is None:
            return None
        amounts.append(q)
    return tuple(amounts) if _one_list(amounts) else None


def _respective_amounts(
    ratio: Ratio, text: str, quantities: Sequence[Quantity]
) -> tuple[Quantity, ...] | None:
    """ "第一、二、三产业增加值分别为196262万元、316312万元和529757万元；三次产业结构为…":
    no amount names its item, but a 分别 list of as many amounts, the last before the
    ratio in its paragraph, gives them in the ratio's order."""
    respectively = quantity_words().respectively
    lists = [
        r
        for r in _lists_before(text, quantities, ratio.start, len(ratio.parts))
        if any(w in _lead(text, quantities, r[0]) for w in respectively)
    ]
    return tuple(lists[-1]) if lists else None


def _one_list(amounts: Sequence[Quantity]) -> bool:
    """Amounts in one unit, each printed once, none of them 0 or below."""
    return (
        len({q.value.unit for q in amounts}) == 1
        and len(set(map(id, amounts))) == len(amounts)
        and all(q.value.value > 0 for q in amounts)
    )


def _amount_of(
    name: str, ratio: Ratio, quantities: Sequence[Quantity], everywhere: Sequence[Quantity]
) -> Quantity | None:
    named = [
        q
        for q in quantities
        if q.kind is QuantityKind.AMOUNT and q.end <= ratio.start and name in q.label
    ]
    if named:
        return named[-1]
    elsewhere = [q for q in everywhere if name in q.label]
    if len({q.value.value for q in elsewhere}) != 1:
        return None  # none, or two different figures: which one the ratio divides is unsaid
    return elsewhere[0]


def _run_splits(text: str, quantities: Sequence[Quantity]) -> Iterator[Split]:
    """分别 runs of shares, each with the nearest list of as many amounts before it (not a
    list of changes: "分别减少了1.7亿元、…"); a run that does not add up to 100 is judged only
    when all its shares but one fit the amounts (`Split.presumed`)."""
    words = quantity_words()
    for run in series_runs(quantities):
        lead = _lead(text, quantities, run[0])  # "分别占GDP比重的:" may end past a colon
        if (
            len(run) < 2
            or any(q.kind is not QuantityKind.PERCENT for q in run)
            or not any(w in lead for w in words.respectively)
            or not any(w in lead for w in words.share_words)
        ):
            continue
        lists = _lists_before(text, quantities, run[0].start, len(run))
        if not lists:
            continue
        amounts = tuple(lists[-1])
        shares = tuple(
            Share(q.value, quantity_span(q), f"share {i + 1}") for i, q in enumerate(run)
        )
        texts = "、".join(q.value.text for q in run)
        total = _total_before(amounts[0], quantities)
        others = tuple(tuple(r) for r in lists[:-1])
        presumed = not adds_to_100([q.value for q in run])
        yield Split(shares, amounts, total, f"the shares {texts}", others, presumed)


def _lists_before(
    text: str, quantities: Sequence[Quantity], end: int, size: int
) -> list[list[Quantity]]:
    """The lists of `size` amounts in one unit printed before `end`, not lists of changes
    ("减少了1.7亿元、…" lists changes; "增加值分别为:…" does not)."""
    change_words = quantity_words().change_words
    return [
        r
        for r in _amount_lists(text, quantities)
        if r[-1].end <= end
        and len(r) == size
        and not any(w in _lead(text, quantities, r[0])[-4:] for w in change_words)
        and _one_list(r)
    ]


def _amount_lists(text: str, quantities: Sequence[Quantity]) -> list[list[Quantity]]:
    """Runs of amounts joined by 、 or 和 ("493.5亿元、1704.6亿元、2187.5亿元")."""
    lists: list[list[Quantity]] = []
    previous: Quantity | None = None
    for q in quantities:
        if q.kind is not QuantityKind.AMOUNT:
            previous = None
            continue
        if previous is not None and text[previous.end : q.start].strip() in JOINS:
            lists[-1].append(q)
        else:
            lists.append([q])
        previous = q
    return [r for r in lists if len(r) >= 2]


def _lead(text: str, quantities: Sequence[Quantity], first: Quantity) -> str:
    """The words between the figure before `first` and `first`."""
    before = [q.end for q in quantities if q.end <= first.start]
    return text[max(before, default=0) : first.start]


def _total_before(first: Quantity, quantities: Sequence[Quantity]) -> Quantity | None:
    """ "生产总值320.39亿元。其中，第一产业…": the last amount before the first item whose words
    say it is the whole, in the same paragraph and unit."""
    totals = ratio_words().totals
    before = [
        q
        for q in quantities
        if q.end <= first.start
        and q.kind is QuantityKind.AMOUNT
        and q.value.unit == first.value.unit
        and q.value.value > 0
        and any(w in q.label for w in totals)
    ]
    return before[-1] if before else None


def _share_holds(split: Split, amounts: Sequence[Quantity], i: int, rounding: Rounding) -> bool:
    printed = interval_of(split.shares[i].number, rounding)
    ranges = [interval_of(q.value, rounding) for q in amounts]
    mine = ranges[i]
    rest = ranges[:i] + ranges[i + 1 :]
    others = rest[0]
    for iv in rest[1:]:
        others = others + iv
    # the share grows with its own amount and falls with the others': its extremes lie at
    # opposite ends of the two ranges
    if Interval(mine.lo / (mine.lo + others.hi), mine.hi / (mine.hi + others.lo)).meets(printed):
        return True
    if split.total is None or amounts is not split.amounts:
        return False
    return (mine / interval_of(split.total.value, rounding)).meets(printed)


def _problem(split: Split, i: int, rounding: Rounding, other: Rounding | None) -> Problem:
    """An error, or a warning when the share holds under another rounding than the rest of
    its list (a list rounded two ways is odd, but each figure alone is a fair print)."""
    share = split.shares[i]
    values = [exact_of(q.value) for q in split.amounts]
    whole = sum(values, Fraction(0))
    expected = format_as(values[i] / whole, share.number, rounding)
    again = [
        format_as(v / whole, s.number, rounding) for v, s in zip(values, split.shares, strict=True)
    ]
    total = (
        f"; over the total printed before them, {split.total.value.text}, it does not hold either"
        if split.total is not None
        else ""
    )
    return Problem(
        message=(
            f"in {split.printed_as}, {share.name} is {share.number.text}, but its amount "
            f"{split.amounts[i].value.text} over the sum of "
            f"{' + '.join(q.value.text for q in split.amounts)} is {expected}"
        ),
        evidence=(
            Evidence(share.span.source, share.number.text),
            *(Evidence(q.source, q.value.text) for q in split.amounts),
        ),
        reported=share.number.text,
        expected=expected,
        explanation=(
            f"the amounts give {'、'.join(again)}; rounded one way for the whole list "
            f"({rounding.value}, the way most of its shares hold), no values the printed "
            f"amounts stand for give {share.number.text}{total}{_forced(split, again)}"
            + (f"; {share.number.text} alone holds under {other.value}" if other else "")
        ),
        severity=Severity.WARNING if other is not None else None,
    )


def _forced(split: Split, again: Sequence[str]) -> str:
    """Printed shares that add to exactly 100 where the recomputed ones do not: one of them
    was likely moved to close the sum."""
    printed = sum((s.number.value for s in split.shares), Decimal(0))
    # the recomputed texts print like the shares, a full-width ％ or digits included
    recomputed = sum((parse_number(t).value for t in again), Decimal(0))
    if printed != 100 or recomputed == 100:
        return ""
    return (
        "; the printed shares add to exactly 100 where the recomputed ones do not, as when "
        "one of them is moved to close the sum"
    )


# --- GROWTH010: a share's change in points between the two ratios -----------------------


@dataclass(frozen=True, slots=True)
class ShareChange:
    """ "三次产业结构由上年的21.2:44.7:34.1调整为25.4:34.9:39.7，第二产业比重下降了9.8个百分点"."""

    points: Quantity
    before: RatioPart
    now: RatioPart
    up: bool


@rule(
    "GROWTH010",
    Severity.ERROR,
    "a change in points of an item's share between the earlier and the current structure "
    "ratio a paragraph prints equals their difference",
)
def check_share_changes(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    grouped = by_paragraph(norm)
    for index, paragraph in enumerate(norm.paragraphs):
        for c in share_changes(paragraph.text, grouped.get(index, [])):
            spans = [
                figure_span(norm.document, paragraph, p.number.text, p.start)
                for p in (c.before, c.now)
            ]
            yield Checked((quantity_span(c.points), *spans))
            if not any(_change_holds(c, r) for r in accepted):
                yield _change_problem(c, spans, accepted[0])


def share_changes(text: str, quantities: Sequence[Quantity]) -> Iterator[ShareChange]:
    ratios = structure_ratios(text, earlier=True)
    for before, now in itertools.pairwise(ratios):
        if not before.earlier or now.earlier or len(before.parts) != len(now.parts):
            continue
        names = [p.name for p in now.parts]
        stop = next_stop(text, next_stop(text, now.end) + 1)  # this and the next
        for q in quantities:
            if q.kind is not QuantityKind.POINTS or not now.end <= q.start < stop:
                continue
            named = [
                i for i, n in enumerate(names) if n and any(a in q.label for a in part_names(n))
            ]
            up = _way(q.label)
            if len(named) == 1 and up is not None:
                i = named[0]
                yield ShareChange(q, before.parts[i], now.parts[i], up)


def _way(label: str) -> bool | None:
    """Up or down by the words of a change ("比重下降了" down, "提高了" up)."""
    vocab = quantity_words()
    if any(w in label for w in vocab.down_words):
        return False
    return True if any(w in label for w in vocab.up_words) else None


def _change_holds(c: ShareChange, rounding: Rounding) -> bool:
    actual = interval_of(c.now.number, rounding) - interval_of(c.before.number, rounding)
    return actual.meets(stated_points(c.points.value, rounding, up=c.up))


def _change_problem(c: ShareChange, spans: Sequence[Span], rounding: Rounding) -> Problem:
    diff = exact_of(c.now.number) - exact_of(c.before.number)
    expected = (
        f"{'up' if diff >= 0 else 'down'} {format_as(abs(diff) * 100, c.points.value, rounding)}"
    )
    return Problem(
        message=(
            f"{c.now.name}'s share went from {c.before.number.text} to {c.now.number.text}, "
            f"{expected}, not {'up' if c.up else 'down'} {c.points.value.text}"
        ),
        evidence=(
            quantity_evidence(c.points),
            *(Evidence(s.source, s.text) for s in spans),
        ),
        reported=c.points.value.text,
        expected=expected,
        explanation=(
            "the change is the current ratio's part less the earlier ratio's, as printed; no "
            "values the printed parts stand for give it"
        ),
    )
