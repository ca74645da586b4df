"""DERIVE001: a count column equals the columns beside it that split it, row by row.

Mailbox and hotline tables print a whole and its parts side by side: 承办件数 | 办结数 |
在办数 | 超时未办数, 总件数 | 处理中 | 已办结, 村(居)数 | 优 | 良 | 及格 | 不及格. Which
columns split which is inferred from the rows, not from the words: the run of count
columns right after a count column (or, failing that, right before it: 投诉 | 举报 | 咨询
| 小计) whose sum equals it in at least three quarters of the rows (and in at least
MIN_ROWS of them). The rows where it holds are checked; a
row that breaks a split every other row keeps is an error when enough rows keep it,
else a warning, since the split is inferred from arithmetic alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Severity
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import (
    DOUBT,
    TableView,
    department,
    doubtful,
    evidence,
    integer_of,
    view_of,
)

MIN_ROWS = 3  # rows that must keep a split before it is believed
STRONG_ROWS = 5  # rows that must keep it before a row that breaks it is an error
HOLDING_SHARE = Fraction(3, 4)


@dataclass(frozen=True, slots=True)
class Split:
    whole: int  # the column of the whole
    parts: tuple[int, ...]  # the run of columns after it that add up to it
    rows: tuple[int, ...]  # body rows printing all of them
    holding: tuple[int, ...]  # rows where the parts add up to the whole


def _values(view: TableView, r: int, columns: Sequence[int]) -> list[int] | None:
    found = [integer_of(view.rows[r][c]) for c in columns]
    return None if any(v is None for v in found) else [v for v in found if v is not None]


def splits(view: TableView) -> Iterator[Split]:
    """For each count column, the longest run of count columns right after it that splits
    it; failing that, the longest run right before it (投诉 | 举报 | 咨询 | 小计)."""
    counts = list(view.counts)
    body = [r for r in range(len(view.rows)) if r not in view.total_rows]
    for k, whole in enumerate(counts):
        best = _best(view, body, whole, _runs_after(counts, k))
        best = best or _best(view, body, whole, _runs_before(counts, k))
        if best is not None:
            yield best


def _runs_after(counts: Sequence[int], k: int) -> Iterator[tuple[int, ...]]:
    """Runs of two or more count columns that sit right after column counts[k], shortest
    first, with nothing between them."""
    whole = counts[k]
    for end in range(k + 3, len(counts) + 1):
        parts = tuple(counts[k + 1 : end])
        if parts != tuple(range(whole + 1, whole + 1 + len(parts))):
            return
        yield parts


def _runs_before(counts: Sequence[int], k: int) -> Iterator[tuple[int, ...]]:
    """Runs of two or more count columns that end right before column counts[k]."""
    whole = counts[k]
    for start in range(k - 2, -1, -1):
        parts = tuple(counts[start:k])
        if parts != tuple(range(whole - len(parts), whole)):
            return
        yield parts


def _best(
    view: TableView, body: Sequence[int], whole: int, runs: Iterator[tuple[int, ...]]
) -> Split | None:
    """The longest of the runs that splits the whole."""
    best: Split | None = None
    for parts in runs:
        found = _split(view, body, whole, parts)
        if found is not None:
            best = found
    return best


def _split(
    view: TableView, body: Sequence[int], whole: int, parts: tuple[int, ...]
) -> Split | None:
    rows, holding = [], []
    for r in body:
        values = _values(view, r, (whole, *parts))
        if values is None:
            continue
        rows.append(r)
        if values[0] == sum(values[1:]):
            holding.append(r)
    nonzero = [r for r in holding if integer_of(view.rows[r][whole])]
    if len(nonzero) < MIN_ROWS or len(holding) < HOLDING_SHARE * len(rows):
        return None
    return Split(whole, parts, tuple(rows), tuple(holding))


@rule("DERIVE001", Severity.ERROR, "a count column equals the columns beside it that split it")
def check_table_splits(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for split in splits(view):
            columns = (split.whole, *split.parts)
            yield Checked(tuple(s for r in split.holding for s in view.spans(r, columns)))
            for r in split.rows:
                if r not in split.holding:
                    yield _problem(view, split, r)


def _problem(view: TableView, split: Split, r: int) -> Problem:
    values = _values(view, r, (split.whole, *split.parts)) or []
    names = " + ".join(view.labels[c] for c in split.parts)
    added = sum(values[1:])
    strong = len(split.holding) >= STRONG_ROWS and not doubtful(view.records[r])
    whole = view.rows[r][split.whole]
    return Problem(
        message=(
            f"{view.where(r)}: {names} add up to {added} "
            f"({' + '.join(map(str, values[1:]))}), but {view.labels[split.whole]} prints "
            f"{values[0]}" + ("" if strong else DOUBT if doubtful(view.records[r]) else "")
        ),
        evidence=evidence(view.spans(r, (split.whole, *split.parts))),
        reported=whole.text if whole is not None else str(values[0]),
        expected=str(added),
        explanation=(
            f"the other {len(split.holding)} rows print {view.labels[split.whole]} as the sum "
            f"of {names}"
        ),
        table=view.name,
        row=view.records[r].row,
        column=view.labels[split.whole],
        department=department(view.records[r]),
        severity=None if strong else Severity.WARNING,
    )
