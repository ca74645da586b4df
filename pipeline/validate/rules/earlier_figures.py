"""Changes whose earlier figure the bulletin prints: beside the change, or in a table.

GROWTH006: "投诉27723件，同比上年（25805件）上升7.43%", "求助8000件，较上季度（7500件）
增加600件", "满意率96.5%，较上季度（95.8%）提高0.7个百分点": the earlier figure is printed
right before the change with a comparison word, this period's just before it (or, when
the earlier figure's words say total, "总来电数相较1月份的6004件减少了1935件", the first
figure of the paragraph sharing a word with them). The growth, difference or points
between the two must be the printed change. A census names the earlier figure by year and
source ("与2010年第六次全国人口普查的41.20万人相比，减少了43500人"), and its counts in 万 stand
for the intervals they round from.

GROWTH007: a growth rate in the text ("投诉20616件，同比增长9.03%") whose count a period
table prints in its current column, in the one row whose label shares a word with the
count's: the row's previous-period cell is the earlier figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import (
    Checked,
    Evidence,
    Normalized,
    Problem,
    Quantity,
    QuantityKind,
    Severity,
    Span,
    Value,
)
from pipeline.normalize.comparisons import LAST_YEAR, period_triples
from pipeline.normalize.paragraphs import sentences
from pipeline.normalize.quantities import is_fall, quantity_words
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Interval, Rounding, format_as, interval_of
from pipeline.numeric.changes import change_of, printed_change
from pipeline.validate.facts import (
    admissible_roundings,
    first_label,
    is_total_record,
    rounding_of,
)
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import integer_of, view_of
from pipeline.validate.rules.text_growth import AGAINST, EARLIER_SOURCE, growth_holds
from pipeline.validate.rules.text_previous import (
    Stated,
    compared_with,
    named_count,
    stated_changes,
)
from pipeline.validate.text_quantities import (
    by_paragraph,
    exact_count,
    quantity_evidence,
    quantity_span,
)


@dataclass(frozen=True, slots=True)
class Beside:
    """ "投诉27723件，同比上年（25805件）上升7.43%": the change, the earlier figure printed
    just before it with a comparison word, and this period's figure."""

    change: Quantity
    earlier: Quantity
    current: Quantity

    @property
    def kind(self) -> str:
        if self.change.kind is QuantityKind.POINTS:
            return "points"
        return "growth" if self.change.value.percent else "difference"


def changes_beside(quantities: Sequence[Quantity], text: str) -> Iterator[Beside]:
    starts = [a for a, _ in sentences(text)]
    for i, q in enumerate(quantities):
        if q.kind not in (QuantityKind.CHANGE, QuantityKind.POINTS) or i == 0:
            continue
        k = i - 1
        while k > 0 and _span_of_years(quantities[k], text):
            k -= 1  # "的3474.65万人相比，10年增加381.56万人": past the years between
        earlier = quantities[k]
        floor = starts[earlier.sentence] if earlier.sentence < len(starts) else 0
        if earlier.sentence != q.sentence or not _names_earlier(text, floor, earlier):
            continue
        if not _comparable(earlier, q):
            continue
        current = _current_of(quantities[:k], earlier)
        if current is not None:
            yield Beside(q, earlier, current)


def _span_of_years(q: Quantity, text: str) -> bool:
    """A bare number of years (10年), printed between an earlier figure and its change."""
    return (
        q.kind is QuantityKind.OTHER
        and q.value.unit is None
        and not q.value.decimals
        and text[q.end : q.end + 3].lstrip().startswith(YEARS)
    )


YEARS = "年"
ASIDE = re.compile(r"[（(][^（()）]*[)）]")


def _names_earlier(text: str, floor: int, earlier: Quantity) -> bool:
    """The figure's words compare with an earlier period ("同比上年（", "较上月的"), or name
    the year and source it comes from ("与2010年第六次全国人口普查的")."""
    head = text[floor : earlier.start]
    if EARLIER_SOURCE.search(earlier.label) or EARLIER_SOURCE.search(ASIDE.sub("", head)):
        return True  # an aside may stand between: 与2010年(…第六次全国人口普查数据,下同)的
    return compared_with(head) is not None and AGAINST.search(earlier.label) is not None


def _comparable(earlier: Quantity, change: Quantity) -> bool:
    """An earlier count before a growth rate or a change in count, an earlier rate before
    a change in points."""
    if change.kind is QuantityKind.POINTS:
        return earlier.kind is QuantityKind.PERCENT
    if change.value.percent:
        return exact_count(earlier) is not None
    # "较2010年的6.30万人减少了5200人": an earlier count in 万 stands for the counts it
    # rounds from, and the difference is taken over that interval
    counted = exact_count(earlier) is not None or earlier.kind is QuantityKind.COUNT
    return counted and earlier.value.unit == change.value.unit


def _current_of(before: Sequence[Quantity], earlier: Quantity) -> Quantity | None:
    """This period's figure: the one printed just before the earlier figure in its
    sentence (past its own share or rate), or, when the earlier figure's words say total
    ("总来电数相较1月份的6004件"), the first figure of the paragraph sharing a word with them."""
    words = quantity_words()
    if any(w in earlier.label for w in words.total_words):
        found = named_count(before, earlier)
        return found if found is not None and _same_kind(found, earlier) else None
    for q in reversed(before):
        if q.sentence != earlier.sentence:
            return None
        if _same_kind(q, earlier):
            return q if q.series is None else None
        if q.kind is not QuantityKind.PERCENT:
            return None
        # "20965件，占投诉举报的55.35%，同比上年（19948件）": the count's own share
        # sits between it and the earlier figure
    return None


def _same_kind(a: Quantity, b: Quantity) -> bool:
    return a.kind is b.kind and a.value.unit == b.value.unit and a.value.percent == b.value.percent


@rule(
    "GROWTH006",
    Severity.ERROR,
    "a change equals the difference from the earlier figure printed beside it",
)
def check_change_beside(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    paragraphs = norm.paragraphs
    for index, quantities in by_paragraph(norm).items():
        for b in changes_beside(quantities, fold_text(paragraphs[index].text)):
            held = [_holds_beside(b, r) for r in accepted]
            if any(h is None for h in held):
                continue  # an earlier figure of 0: no growth rate
            yield Checked(tuple(map(quantity_span, (b.change, b.earlier, b.current))))
            if not any(held):
                yield _beside_problem(b, accepted[0])


def _holds_beside(b: Beside, rounding: Rounding) -> bool | None:
    actual = _actual(b, rounding)
    if actual is None:
        return None
    direction = "down" if is_fall(b.change) else "up"
    stated = printed_change(b.change.value, direction, rounding, points=b.kind == "points")
    return actual.meets(stated)


def _actual(b: Beside, rounding: Rounding) -> Interval | None:
    new, old = (_interval(q, rounding) for q in (b.current, b.earlier))
    return change_of(b.kind != "growth", new, old)


def _interval(q: Quantity, rounding: Rounding) -> Interval:
    return interval_of(q.value, rounding, exact=exact_count(q) is not None)


def _beside_problem(b: Beside, rounding: Rounding) -> Problem:
    actual = _actual(b, rounding)
    assert actual is not None
    mid = (actual.lo + actual.hi) / 2
    size = abs(mid) * 100 if b.kind == "points" and not b.change.value.percent else abs(mid)
    expected = f"{'down' if mid < 0 else 'up'} {format_as(size, b.change.value, rounding)}"
    how = "(new − old) / old" if b.kind == "growth" else "new − old"
    return Problem(
        message=(
            f"the text states a change of {b.change.value.text} from {b.earlier.value.text} to "
            f"{b.current.value.text}, but {how} = {expected}"
        ),
        evidence=tuple(map(quantity_evidence, (b.change, b.earlier, b.current))),
        reported=b.change.value.text,
        expected=expected,
        explanation=(
            f"the earlier figure {b.earlier.value.text} is printed beside the change, this "
            f"period's {b.current.value.text} just before it"
        ),
    )


# --- GROWTH007: the earlier figure in a table row ---------------------------------------


@dataclass(frozen=True, slots=True)
class RowFigures:
    """A table row that prints a text rate's count this period and the period compared."""

    where: str
    current: Span
    previous: Span
    now: int
    then: int
    why: str = "the earlier figure is the table row's; the text's count is its current cell"


def _table_rows(norm: Normalized, s: Stated) -> Iterator[RowFigures]:
    """Rows of a period table whose current cell prints the rate's count (or a count its
    万 figure rounds from) and whose label shares a word with the count's ("投诉" for
    "其中投诉20616件")."""
    n, rounding = exact_count(s.count), rounding_of(norm)
    # a count in 万 ("2.06万件") stands for every count it rounds from
    printed = interval_of(s.count.value, rounding)
    for nt in norm.tables:
        view = view_of(nt, rounding)
        for triple in period_triples(nt):
            if (triple.compared == LAST_YEAR) != (s.against == "yoy"):
                continue
            for r, rec in enumerate(view.records):
                cur, prev = (view.value(r, c) for c in (triple.current, triple.previous))
                if cur is None or prev is None or cur.number is None or prev.number is None:
                    continue
                now, then = integer_of(cur.number), integer_of(prev.number)
                label = first_label(rec) or ""
                if now is None or then is None or not _in_label(label, s.count):
                    continue
                if now != n and not (n is None and printed.contains(now)):
                    continue
                yield RowFigures(view.where(r), cur.cell, prev.cell, now, then)


SUM_PRECISION = Fraction(1, 50)  # a total in 万 narrower than 2% of itself names one sum


def _column_sums(norm: Normalized, s: Stated) -> Iterator[RowFigures]:
    """A total in 万 ("共接收5.77万件，同比上升7.09%") that no row prints, whose period table
    lists its parts with no totals row: the current column adds up to a count the total
    rounds from, and the previous column's sum is the earlier figure."""
    if exact_count(s.count) is not None:
        return
    rounding = rounding_of(norm)
    printed = interval_of(s.count.value, rounding)
    if printed.lo <= 0 or printed.hi - printed.lo > SUM_PRECISION * printed.lo:
        return  # "0万件" stands for too many sums to pick one
    for nt in norm.tables:
        view = view_of(nt, rounding)
        records = range(len(view.records))
        if any(is_total_record(view.records[r]) for r in records):
            continue  # a totals row prints the total: _table_rows finds it
        for triple in period_triples(nt):
            if (triple.compared == LAST_YEAR) != (s.against == "yoy"):
                continue
            current = [_integer(view.value(r, triple.current)) for r in records]
            previous = [_integer(view.value(r, triple.previous)) for r in records]
            if len(current) < 2 or None in current or None in previous:
                continue
            now = sum(n for n in current if n is not None)
            then = sum(n for n in previous if n is not None)
            cell = view.value(0, triple.previous)
            if printed.contains(now) and cell is not None:
                why = (
                    f"the table prints no total, but its rows add up to {now}, which "
                    f"{s.count.value.text} rounds from; their earlier figures add up to {then}"
                )
                where = f"{view.name}, its rows added up,"
                yield RowFigures(where, cell.cell, cell.cell, now, then, why)


def _integer(value: Value | None) -> int | None:
    return integer_of(value.number) if value is not None and value.number is not None else None


def _in_label(row_label: str, count: Quantity) -> bool:
    label = "".join(row_label.split())
    return any(label[i : i + 2] in count.label for i in range(len(label) - 1))


@rule(
    "GROWTH007",
    Severity.ERROR,
    "a growth rate in the text equals the change its count shows in a period table",
)
def check_growth_from_tables(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    rates, _ = stated_changes(norm)
    for s in rates:
        rows = list(_table_rows(norm, s)) or list(_column_sums(norm, s))
        if len(rows) != 1 or rows[0].then <= 0:
            continue  # no row, or rows that disagree on which is the count's
        row = rows[0]
        x = Fraction(row.now - row.then, row.then)
        yield Checked((quantity_span(s.change), quantity_span(s.count), row.previous))
        if growth_holds(x, s.change, accepted) and is_fall(s.change) == (x < 0):
            continue
        expected = f"{'down' if x < 0 else 'up'} {format_as(abs(x), s.change.value)}"
        yield Problem(
            message=(
                f"the text states a change of {s.change.value.text} for {s.count.value.text}; "
                f"{row.where} prints {row.then} for the period compared: "
                f"({row.now} − {row.then}) / {row.then} = {expected}"
            ),
            evidence=(
                quantity_evidence(s.change),
                quantity_evidence(s.count),
                Evidence(row.previous.source, row.previous.text),
            ),
            reported=s.change.value.text,
            expected=expected,
            explanation=row.why,
            severity=Severity.WARNING if s.past is not None else None,
        )
