"""TBL009: the rows a table opens with 其中 split the row they hang from.

Statistics communiqués print a whole and its splits as rows of one column: 年末常住人口 /
其中:城镇 / 乡村 / 其中:0-14岁 / 15-59岁 / 60岁及以上, each split opened by 其中 and running
to the next 其中 or the end of the table. A split hangs from the row above the first 其中
(the table's whole) or, when it follows another split, from that split's last row (第三产业 /
其中:批发和零售业…): which one is read from the arithmetic. The rows that add up to one of
them, within the printed precision, are checked. A split may list the largest parts only
(其中:规模以上…), and a page may be cut before a split ends, so a split that adds up to
neither is judged only when it comes within 1% of the whole: a complete split with a slip,
or a split missing a small row, which the page does not say; so a warning. A whole and
parts that a definition names (地区生产总值 / 第一产业…) are SUM004's to report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Number, Problem, Record, Severity
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings, first_label
from pipeline.validate.registry import rule
from pipeline.validate.rules.named_sums import is_named_split, vocabulary
from pipeline.validate.rules.tables import TableView, evidence, view_of

OPENS = re.compile(r"^\s*其中\s*[:：]?")
NEAR = Fraction(1, 100)  # a split this close to its whole is taken as complete


@rule(
    "TBL009",
    Severity.WARNING,
    "the rows a table opens with 其中 add up to the row they split (the whole above, or the "
    "last row of the split before)",
)
def check_subrow_splits(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for view, whole, groups in split_tables(norm, accepted[0]):
        for c in _columns(view):
            yield from _judge(view, c, whole, groups, accepted)


def split_tables(
    norm: Normalized, rounding: Rounding
) -> Iterator[tuple[TableView, int, list[list[int]]]]:
    """Each table's whole row and the runs of rows its 其中 splits open (`splits`)."""
    for nt in norm.tables:
        view = view_of(nt, rounding)
        for whole, groups in _splits([row_label(rec) for rec in view.records]):
            yield view, whole, groups


def row_label(rec: Record) -> str:
    text = rec.department.printed if rec.department is not None else first_label(rec) or ""
    return fold_text(text)


def _splits(labels: Sequence[str]) -> Iterator[tuple[int, list[list[int]]]]:
    """The whole (the row above the first 其中) and the runs of rows each 其中 opens."""
    starts = [i for i, label in enumerate(labels) if OPENS.match(label)]
    if not starts or starts[0] == 0:
        return
    ends = [*starts[1:], len(labels)]
    groups = [list(range(s, e)) for s, e in zip(starts, ends, strict=True)]
    yield starts[0] - 1, groups


def _columns(view: TableView) -> list[int]:
    words = vocabulary().not_additive
    return [
        c for c, label in enumerate(view.labels) if not any(w in fold_text(label) for w in words)
    ]


def _judge(
    view: TableView,
    c: int,
    top: int,
    groups: Sequence[Sequence[int]],
    accepted: Sequence[Rounding],
) -> Iterator[Problem | Checked]:
    previous: Sequence[int] = ()
    for group in groups:
        parts = [view.rows[r][c] for r in group]
        wholes = [top, *previous[-1:]]
        previous = group
        if len(group) < 2 or any(n is None for n in parts):
            continue
        numbers = [n for n in parts if n is not None]
        held = next((w for w in wholes if adds_up(view.rows[w][c], numbers, accepted)), None)
        if held is not None:
            yield Checked(tuple(s for r in (held, *group) for s in view.spans(r, [c])))
            continue
        whole = view.rows[top][c]
        if whole is not None and _near(whole, numbers):
            spans = tuple(s for r in (top, *group) for s in view.spans(r, [c]))
            yield Checked(spans)
            if not is_named_split(view.records[top], [view.records[r] for r in group]):
                yield _problem(view, c, top, group, numbers, accepted[0])  # else SUM004's


def adds_up(whole: Number | None, parts: Sequence[Number], accepted: Sequence[Rounding]) -> bool:
    if whole is None or exact_of(whole) <= 0:
        return False
    for r in accepted:
        total = interval_of(parts[0], r)
        for n in parts[1:]:
            total = total + interval_of(n, r)
        if total.meets(interval_of(whole, r)):
            return True
    return False


def _near(whole: Number, parts: Sequence[Number]) -> bool:
    n = exact_of(whole)
    added = sum((exact_of(p) for p in parts), Fraction(0))
    return n > 0 and abs(added - n) <= NEAR * n


def _problem(
    view: TableView, c: int, top: int, group: Sequence[int], parts: Sequence[Number], r: Rounding
) -> Problem:
    whole = view.rows[top][c]
    assert whole is not None  # _judge looked at it
    added = sum((exact_of(p) for p in parts), Fraction(0))
    expected = format_as(added, whole, r)
    names = " + ".join(OPENS.sub("", row_label(view.records[i])) for i in group)
    spans = tuple(s for i in (top, *group) for s in view.spans(i, [c]))
    return Problem(
        message=(
            f"{view.where(top)} column {view.labels[c] or c + 1}: the rows under 其中 "
            f"({names}) add up to {expected} ({' + '.join(p.text for p in parts)}), not "
            f"{whole.text}"
        ),
        evidence=evidence(spans),
        reported=whole.text,
        expected=expected,
        explanation=(
            "the split comes within 1% of the whole, as a complete split with a wrong figure "
            "does; the table does not say the split is complete"
        ),
        table=view.name,
        row=view.records[top].row,
    )
