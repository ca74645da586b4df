"""Small lookups the rules share: labels, evidence, column totals, claim context."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import (
    Claim,
    ClaimKind,
    Column,
    Document,
    Evidence,
    Normalized,
    NormalizedTable,
    Record,
    Source,
    Span,
)
from pipeline.normalize.paragraphs import line_paragraphs
from pipeline.normalize.rates import exact_count
from pipeline.normalize.tables import is_total_row
from pipeline.numeric.arithmetic import Rounding


def rounding_of(norm: Normalized) -> Rounding:
    """The rounding convention inferred for the document (see normalize/conventions.py)."""
    return Rounding(norm.rounding)


def admissible_roundings(norm: Normalized) -> tuple[Rounding, ...]:
    """The inferred convention, then every other that holds on as many of the document's
    relations: the ones its evidence cannot tell apart (all three when no relation decides).

    A figure that holds under any of them is accepted: under that convention the document
    has no relation that fails. One that holds only under a convention with less support is
    a warning; one that holds under none is an error.
    """
    inferred = rounding_of(norm)
    support = dict(norm.rounding_support)
    best = support.get(inferred.value, 0)
    tied = [r for r in Rounding if r is not inferred and support.get(r.value) == best]
    return (inferred, *tied) if support else (inferred,)


def table_label(table: NormalizedTable) -> str:
    """How a finding names a table: its attachment label, else its title (without spaces)."""
    name = table.table.attachment or table.table.title or f"table {table.index + 1}"
    return name.replace(" ", "")


def is_total_record(rec: Record) -> bool:
    """A 合计/总计 row: no department, and a text cell that starts with a totals label."""
    return rec.department is None and total_label(rec) is not None


def total_label(rec: Record) -> str | None:
    labels = (v.cell.text.strip() for v in rec.values if v is not None and v.number is None)
    return next((t for t in labels if is_total_row(t)), None)


def first_label(rec: Record) -> str | None:
    """The row's first text cell: what names a row that has no department (a topic, a channel)."""
    return next(
        (
            v.cell.text.strip()
            for v in rec.values
            if v is not None and v.number is None and v.cell.text.strip()
        ),
        None,
    )


def column_label(column: Column) -> str:
    return "/".join(column.path)


def evidence(source: Source, text: str) -> Evidence:
    return Evidence(source, text)


def claim_evidence(norm: Normalized, claim: Claim) -> Evidence:
    """The printed line that carries the claim."""
    return evidence(claim.source, norm.document.lines[claim.line].text)


def claim_span(claim: Claim) -> Span:
    """The claim's number as printed, for coverage."""
    text = claim.value.text if claim.value is not None else claim.sentence
    return Span(text, claim.source)


def paragraph_numbers(norm: Normalized) -> dict[int, int]:
    """Line index -> the number of its narrative paragraph (broken paragraphs rejoined)."""
    return _paragraph_numbers(norm.document)


def paragraph_of(norm: Normalized, claim: Claim) -> int:
    """The narrative paragraph of a claim, after paragraphs broken mid-sentence are rejoined."""
    return _paragraph_numbers(norm.document)[claim.line]


_PARAGRAPHS: dict[int, tuple[Document, dict[int, int]]] = {}


def _paragraph_numbers(doc: Document) -> dict[int, int]:
    """Line index -> the number of the (rejoined) paragraph holding it; kept for the last few
    documents, since every rule asks for the same one."""
    cached = _PARAGRAPHS.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    numbers = line_paragraphs(doc)
    if len(_PARAGRAPHS) >= 8:
        _PARAGRAPHS.clear()
    _PARAGRAPHS[id(doc)] = (doc, numbers)
    return numbers


def counts_in_paragraph(norm: Normalized, claim: Claim) -> list[Claim]:
    """The count claims printed in the same paragraph as `claim`."""
    return list(_counts_by_paragraph(norm).get(paragraph_of(norm, claim), ()))


_COUNTS: dict[int, tuple[Normalized, dict[int, list[Claim]]]] = {}


def _counts_by_paragraph(norm: Normalized) -> dict[int, list[Claim]]:
    """Count claims by paragraph, in claim order; kept for the last few documents, since a
    rule asks once per rate (asking the whole list each time grew with the square of it)."""
    cached = _COUNTS.get(id(norm))
    if cached is not None and cached[0] is norm:
        return cached[1]
    groups: dict[int, list[Claim]] = {}
    for c in norm.claims:
        if c.kind is ClaimKind.COUNT and c.value is not None:
            groups.setdefault(paragraph_of(norm, c), []).append(c)
    if len(_COUNTS) >= 8:
        _COUNTS.clear()
    _COUNTS[id(norm)] = (norm, groups)
    return groups


def as_int(claim: Claim) -> int | None:
    """A count claim's exact integer; "1.13万" is a rounded count, not 11300 exactly."""
    return exact_count(claim)


@dataclass(frozen=True, slots=True)
class ColumnTotal:
    """The total of a count column: its 合计 row, else the sum of its department rows.

    `readings` are the other totals the column supports: the sum of its rows when a
    合计 row is printed.
    """

    table: NormalizedTable
    column: int
    total: int
    cells: tuple[Span, ...]
    readings: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return f"{table_label(self.table)} {column_label(self.table.columns[self.column])}"

    @property
    def heading(self) -> str:
        """The column's lowest header text, or its 1-based position when it has none."""
        path = self.table.columns[self.column].path
        return path[-1] if path else f"column {self.column + 1}"

    def supports(self, value: int) -> bool:
        return value == self.total or value in self.readings

    @property
    def where(self) -> Evidence:
        """The column's header cell when it can be found, else the first summed cell."""
        name = self.heading
        for row in self.table.table.header_rows:
            for cell in row:
                if cell.text == name:
                    return evidence(cell.source, f"{name}: column total {self.total}")
        return evidence(self.cells[0].source, f"{name}: column total {self.total}")


def column_total(table: NormalizedTable, column: int) -> ColumnTotal | None:
    """The table's own total of an integer column: its 合计 row, else the sum of its rows.

    Where the table prints a 合计 row, that is the figure the text should repeat;
    whether the rows add up to it is TBL004's question.
    """
    summed = _summed(table, column)
    printed = _printed_total(table, column)
    if printed is None:
        return summed
    if summed is None:
        return printed
    readings = tuple(dict.fromkeys((summed.total, *summed.readings)))
    return ColumnTotal(table, column, printed.total, printed.cells, readings)


def _summed(table: NormalizedTable, column: int) -> ColumnTotal | None:
    total = Fraction(0)
    cells: list[Span] = []
    for record in table.records:
        if record.unaligned or column >= len(record.values) or is_total_record(record):
            continue
        value = record.values[column]
        if value is None or value.number is None:
            continue
        n = value.number
        if n.percent or n.decimals:
            return None
        total += Fraction(n.exact)
        cells.append(value.cell)
    if not cells:
        return None
    return ColumnTotal(table, column, int(total), tuple(cells))


def _printed_total(table: NormalizedTable, column: int) -> ColumnTotal | None:
    totals = [r for r in table.records if not r.unaligned and is_total_record(r)]
    if len(totals) != 1 or column >= len(totals[0].values):
        return None
    value = totals[0].values[column]
    n = value.number if value is not None else None
    if value is None or n is None or n.percent or n.decimals or n.scale != 1:
        return None
    return ColumnTotal(table, column, int(n.exact), (value.cell,))


def count_totals(norm: Normalized) -> Iterator[ColumnTotal]:
    """The total of every count column of every table (not the row numbers)."""
    for table in norm.tables:
        yield from count_totals_of(table)


def count_totals_of(table: NormalizedTable) -> Iterator[ColumnTotal]:
    """The total of every count column of one table."""
    for i, col in enumerate(table.columns):
        if col.metric in ("row_number", "rank", "department", "completed_max"):
            continue
        found = column_total(table, i)
        if found is not None:
            yield found


def tables_for(norm: Normalized, labels: tuple[str, ...]) -> list[NormalizedTable]:
    """The tables of the attachments a claim refers to ("附件１" is "附件 1")."""
    wanted = {_label_key(label) for label in labels}
    return [
        t for t in norm.tables if t.table.attachment and _label_key(t.table.attachment) in wanted
    ]


def _label_key(label: str) -> str:
    return "".join(unicodedata.normalize("NFKC", label).split())
