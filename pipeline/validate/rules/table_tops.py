"""Rankings against tables: a table titled as the top N (RANK003), and a list the text
ranks checked against the table that prints its figures (RANK004).

RANK003: a table whose title calls its rows the top N lists them by falling count.

"商品类投诉排名前三" over a table of categories and counts: the rows are the ranking,
so the counts fall down the table. A table may print several count columns (this
year and last year): the rows follow one of them, so the check holds when any
count column falls (ties allowed) and fails only when none does. An error needs a
title that says ranked (排名前三, 前五位) and a table with a single count column;
with loose words (五大热点, 突出问题) or a choice of columns it is a warning. A row
labelled 其他 is left out: offices list it last whatever its size.

RANK004: "排前五的分别是A（7042件）……E（3942件）" and a table of every district whose
count column prints those five figures: no other row of that column may be larger than
the smallest listed (a tie may be left out). The pairing is by the figures: every
listed count is printed in the one column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Severity, Value
from pipeline.normalize.quantities import quantity_words
from pipeline.normalize.script import fold_text
from pipeline.normalize.tables import is_group_column
from pipeline.numeric.ranks import out_of_order
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import TableView, evidence, integer_of, view_of
from pipeline.validate.rules.text_ranks import RankedList, rank_words, ranked_lists
from pipeline.validate.text_quantities import exact_count, quantity_evidence, quantity_span

# "五大热点", "十大问题": in a title the size of a ranking
# from where a run of numerals starts: tried from each of its characters, a long run costs
# the square of its length
BIG_N = re.compile(r"(?<![0-9一二三四五六七八九十])[0-9一二三四五六七八九十]+大")


def _title_strength(title: str) -> bool | None:
    """True for a title that says ranked, False for one that says the main items, else None."""
    words = rank_words()
    if words.top.search(title):
        return True
    if BIG_N.search(title) or words.loose.search(title):
        return False
    return None


def _groups(view: TableView) -> list[list[int]]:
    """Body rows, without totals and without a 其他 row, by group: a table whose first
    text column names groups of rows (商品类 over its five, 服务类 over its five) ranks
    each group apart. A row's label is its first text cell outside the group column."""
    catch_all = quantity_words().catch_all
    group = _group_column(view)
    groups: dict[str, list[int]] = {}
    for r, rec in enumerate(view.records):
        if r in view.total_rows or rec.unaligned:
            continue
        texts = _texts(rec.values)
        key = texts.pop(group, "") if group is not None else ""
        label = next(iter(texts.values()), "")
        if not any(w in label for w in catch_all):
            groups.setdefault(key, []).append(r)
    return list(groups.values())


def _texts(values: Sequence[Value | None]) -> dict[int, str]:
    return {
        c: v.cell.text.strip()
        for c, v in enumerate(values)
        if v is not None and v.number is None and v.cell.text.strip()
    }


def _group_column(view: TableView) -> int | None:
    """The first text column, when it names groups of rows (normalize/tables.py)."""
    body = [rec for r, rec in enumerate(view.records) if r not in view.total_rows]
    for c, kind in enumerate(view.kinds):
        if kind == "text":
            texts = [_texts(rec.values).get(c, "") for rec in body]
            return c if is_group_column(texts) else None
    return None


def _column(view: TableView, rows: Sequence[int], c: int) -> list[int] | None:
    values = [integer_of(view.rows[r][c]) for r in rows]
    return None if any(v is None for v in values) else [v for v in values if v is not None]


@rule("RANK003", Severity.ERROR, "a table titled as the top N lists its rows by falling count")
def check_table_tops(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        strict = _title_strength(fold_text(nt.table.title))
        if strict is None:
            continue
        view = view_of(nt, rounding_of(norm))
        for rows in _groups(view):
            yield from _check_group(view, rows, strict)


def _check_group(view: TableView, rows: Sequence[int], strict: bool) -> Iterator[Problem | Checked]:
    columns = [(c, v) for c in view.counts if (v := _column(view, rows, c)) is not None]
    if len(rows) < 2 or not columns:
        return
    yield Checked(tuple(s for c, _ in columns for s in view.spans_of(rows, c)))
    if all(out_of_order([Fraction(x) for x in v]) for _, v in columns):
        yield _problem(view, rows, columns[0], strict and len(columns) == 1)


def _problem(
    view: TableView, rows: Sequence[int], column: tuple[int, list[int]], strong: bool
) -> Problem:
    c, values = column
    suspects = [
        k
        for k in range(len(values))
        if not out_of_order([Fraction(x) for x in values[:k] + values[k + 1 :]])
    ] or out_of_order([Fraction(x) for x in values])
    k = suspects[0]
    text = " or ".join(_printed(view, rows[j], c, values[j]) for j in suspects)
    return Problem(
        message=(
            f"{view.where(rows[k])}: the title ranks the rows ({view.table.table.title}), "
            f"but {view.labels[c]} {text} breaks the falling order "
            f"({'、'.join(map(str, values))})"
        ),
        evidence=evidence(view.spans(rows[k], (c,))),
        reported=text,
        expected=None,
        explanation=(
            "no count column of the table falls down its rows"
            if strong
            else "the title may only name the main items, or the rows follow another column"
        ),
        table=view.name,
        column=view.labels[c],
        severity=None if strong else Severity.WARNING,
    )


def _printed(view: TableView, r: int, c: int, value: int) -> str:
    n = view.rows[r][c]
    return n.text if n is not None else str(value)


@rule(
    "RANK004",
    Severity.ERROR,
    "a list the text ranks as the top N holds the N largest of the table column printing it",
)
def check_tops_in_tables(norm: Normalized) -> Iterator[Problem | Checked]:
    for lst in ranked_lists(norm):
        values = [exact_count(q) for q in lst.items]
        if lst.direction != "top" or not lst.strict or any(v is None for v in values):
            continue
        listed = Counter(v for v in values if v is not None)
        for nt in norm.tables:
            view = view_of(nt, rounding_of(norm))
            found = _column_printing(view, listed)
            if found is None:
                continue
            c, rows = found
            yield Checked((*map(quantity_span, lst.items), *view.spans_of(rows, c)))
            yield from _left_out(view, lst, c, rows, listed)
            break


def _column_printing(view: TableView, listed: Counter[int]) -> tuple[int, list[int]] | None:
    """The first count column whose body rows print every listed figure, with those rows."""
    rows = [r for group in _groups(view) for r in group]
    for c in view.counts:
        printed = Counter(v for r in rows if (v := integer_of(view.rows[r][c])) is not None)
        if not listed - printed:
            return c, rows
    return None


def _left_out(
    view: TableView, lst: RankedList, c: int, rows: Sequence[int], listed: Counter[int]
) -> Iterator[Problem]:
    """A row larger than the smallest listed figure that the list leaves out."""
    smallest = min(listed)
    spare = Counter(listed)
    for r in rows:
        v = integer_of(view.rows[r][c])
        if v is None:
            continue
        if spare[v]:
            spare[v] -= 1
            continue
        if v > smallest:
            last = min(lst.items, key=lambda q: q.value.value)
            yield Problem(
                message=(
                    f"the text ranks {'、'.join(q.value.text for q in lst.items)} as the top "
                    f"({lst.words}), but {view.where(r)} prints {v} in the same column "
                    f"({view.labels[c]}), more than {last.value.text}"
                ),
                evidence=(quantity_evidence(last), *evidence(view.spans(r, (c,)))),
                reported=last.value.text,
                expected=f"{v} ({view.row_text(r)}) in the list",
                explanation="the list leaves out a larger row of the table that prints its figures",
                table=view.name,
                column=view.labels[c],
            )
            return
