"""XREF004: a figure the text gives a row of a table by name is the one that row prints.

"灌云县考评得分为145.76分，赣榆区145.35分……" above a ranking table whose rows are
灌云县, 赣榆区 …: each figure follows a name the table lists, so the row of that name
prints it. The pairing needs the figure's clause segment (the text between the last
、，；： and the figure) to open with one name, that name on exactly one row (a
department's, not a topic's) of all the document's tables, and the figure's kind (a
percentage or not, the same printed decimals) in that row. A figure the row prints is
checked; when the row prints exactly one figure of that kind and it differs, the text and
the table disagree: a warning naming both, since the text may speak of another period or
measure than the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.model import Checked, Normalized, Number, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.quantities import quantity_words
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import TableView, evidence, view_of
from pipeline.validate.text_quantities import quantity_evidence, quantity_span

SEGMENT = re.compile(r"[、，,；;：:。（(）)]")
MIN_NAME = 2  # characters: a one-character label names nothing
FIGURES = (QuantityKind.COUNT, QuantityKind.PERCENT, QuantityKind.OTHER)


@dataclass(frozen=True, slots=True)
class NamedRow:
    view: TableView
    row: int


@rule("XREF004", Severity.WARNING, "a figure the text gives a table row by name is what it prints")
def check_row_figures(norm: Normalized) -> Iterator[Problem | Checked]:
    rows = _named_rows(norm)
    for q in norm.quantities:
        if q.kind not in FIGURES:
            continue
        segment = SEGMENT.split(q.label)[-1].strip()
        names = [name for name in rows if segment.startswith(name)]
        if len(names) != 1 or len(rows[names[0]]) != 1:
            continue
        yield from _check(q, names[0], rows[names[0]][0])


def _named_rows(norm: Normalized) -> dict[str, list[NamedRow]]:
    """Every body row that names a department (a unit, a county), over all tables; rows of
    topics or channels (投诉, 其他) name words the text uses for other things."""
    catch_all = quantity_words().catch_all
    found: dict[str, list[NamedRow]] = {}
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for r, rec in enumerate(view.records):
            if r in view.total_rows or rec.unaligned or rec.department is None:
                continue
            name = rec.department.printed.strip()
            if len(name) >= MIN_NAME and not any(w in name for w in catch_all):
                found.setdefault(name, []).append(NamedRow(view, r))
    return found


def _check(q: Quantity, name: str, at: NamedRow) -> Iterator[Problem | Checked]:
    view, r = at.view, at.row
    like = [c for c, n in enumerate(view.rows[r]) if n is not None and _like(n, q.value)]
    same = [c for c in like if _equal(view.rows[r][c], q.value)]
    if same:
        yield Checked((quantity_span(q), *view.spans(r, same)))
    elif len(like) == 1:
        yield Checked((quantity_span(q), *view.spans(r, like)))
        yield _problem(q, name, at, like[0])


def _like(n: Number, printed: Number) -> bool:
    return n.percent == printed.percent and n.decimals == printed.decimals and n.scale == 1


def _equal(n: Number | None, printed: Number) -> bool:
    return n is not None and n.exact == printed.exact


def _problem(q: Quantity, name: str, at: NamedRow, c: int) -> Problem:
    view, r = at.view, at.row
    cell = view.rows[r][c]
    shown = cell.text if cell is not None else "?"
    return Problem(
        message=(
            f"the text gives {name} {q.value.text}; {view.where(r)} prints {shown} under "
            f"{view.labels[c]}"
        ),
        evidence=(quantity_evidence(q), *evidence(view.spans(r, (c,)))),
        reported=q.value.text,
        expected=shown,
        explanation=(
            f"the row named {name} prints no other figure of this kind; the text may speak of "
            "another period or measure"
        ),
        table=view.name,
        row=view.records[r].row,
        column=view.labels[c],
    )
