"""pandas views of the model: a table as printed, its cells with provenance, findings.

pandas is imported inside each function, so importing this module costs nothing. Texts
stay strings exactly as printed; coordinates are PDF points, top-left origin (x0, top, x1,
bottom), None for formats without geometry; pages are 1-based (the block index for HTML,
DOCX and text).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pipeline.model import Finding, Table

if TYPE_CHECKING:
    import pandas


def _padded(path: tuple[str, ...], depth: int) -> tuple[str, ...]:
    return path + ("",) * (depth - len(path))


def table_columns(table: Table) -> list[tuple[str, ...]]:
    """One header path per column, padded with "" to the deepest; a body row longer than the
    header adds columns named ("#<n>", "", ...) by their 0-based position."""
    width = max([len(table.columns), *(len(row) for row in table.body_rows)])
    depth = max([1, *(len(p) for p in table.columns)])
    paths = [_padded(p, depth) for p in table.columns]
    paths += [_padded((f"#{j}",), depth) for j in range(len(paths), width)]
    return paths


def table_frame(table: Table) -> pandas.DataFrame:
    """The body rows under a MultiIndex of header paths, each cell's text as printed.

    A row with fewer cells than the columns is padded with None on the right (the audit's
    alignment is not applied: see `Normalized.tables` for that).
    """
    import pandas

    paths = table_columns(table)
    rows = [[c.text for c in row] + [None] * (len(paths) - len(row)) for row in table.body_rows]
    columns = pandas.MultiIndex.from_tuples(paths)
    return pandas.DataFrame(rows, columns=columns, dtype=object)


CELL_COLUMNS = ("row", "column", "text", "page", "bbox", "backend", "confidence")


def cells_frame(table: Table) -> pandas.DataFrame:
    """One row per body cell: its row and column (0-based, as printed), text and Source."""
    import pandas

    records: list[tuple[Any, ...]] = [
        (i, j, c.text, c.source.page, c.source.bbox, c.source.backend, c.source.confidence)
        for i, row in enumerate(table.body_rows)
        for j, c in enumerate(row)
    ]
    return pandas.DataFrame.from_records(records, columns=list(CELL_COLUMNS))


FINDING_COLUMNS = (
    "id",
    "rule",
    "severity",
    "message",
    "reported",
    "expected",
    "explanation",
    "table",
    "row",
    "column",
    "department",
    "page",
    "bbox",
    "evidence",
)


def findings_frame(findings: Sequence[Finding]) -> pandas.DataFrame:
    """One row per finding; `page` and `bbox` are its first evidence's (None without any),
    `evidence` the tuple of all of it."""
    import pandas

    records = []
    for f in findings:
        first = f.evidence[0] if f.evidence else None
        records.append(
            (
                f.id,
                f.rule,
                f.severity.value,
                f.message,
                f.reported,
                f.expected,
                f.explanation,
                f.table,
                f.row,
                f.column,
                f.department,
                first.page if first else None,
                first.bbox if first else None,
                f.evidence,
            )
        )
    frame = pandas.DataFrame.from_records(records, columns=list(FINDING_COLUMNS))
    # nullable integers: a finding without a row or evidence keeps its pages whole numbers
    return frame.astype({"row": "Int64", "page": "Int64"})
