"""CELL001: a cell of a numeric column prints what software prints where it could not compute a
figure (NaN, inf, #DIV/0!). Such a cell is not a number, so every relation over its row or
column leaves it out; without this rule the gap would be silent."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from pipeline.model import Normalized, Problem, Severity, Value
from pipeline.normalize.numbers import DATA_DIR, read_word_list
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import TableView, department, evidence, view_of


@lru_cache(maxsize=1)
def non_numbers() -> frozenset[str]:
    return frozenset(read_word_list(DATA_DIR / "non_numbers.txt"))


def is_non_number(text: str) -> bool:
    return "".join(text.split()).removesuffix("%").removesuffix("％").lower() in non_numbers()


@rule("CELL001", Severity.WARNING, "a numeric column prints no NaN, inf or #DIV/0! cell")
def check_non_numbers(norm: Normalized) -> Iterator[Problem]:
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for c, label in enumerate(view.labels):
            if not any(v is not None and v.number is not None for v in _column(view, c)):
                continue  # a text column: any word may stand there
            for r, value in enumerate(_column(view, c)):
                if value is None or value.number is not None or not is_non_number(value.cell.text):
                    continue
                record = view.records[r]
                yield Problem(
                    message=f"{view.name} row {record.row} {label}: prints {value.cell.text!r}, "
                    "a figure that was never computed; nothing checks it",
                    evidence=evidence([value.cell]),
                    reported=value.cell.text,
                    expected="a number",
                    table=view.name,
                    row=record.row,
                    column=label,
                    department=department(record),
                )


def _column(view: TableView, c: int) -> list[Value | None]:
    return [view.value(r, c) for r in range(len(view.records))]
