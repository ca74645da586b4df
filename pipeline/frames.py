"""pandas views of the model: a table as printed, its cells with provenance, findings.

pandas is imported inside each function, so importing this module costs nothing. Texts
stay strings exactly as printed unless numbers are asked for (`Table.frame(numbers=True)`);
coordinates are PDF points, top-left origin (x0, top, x1, bottom), None for formats without
geometry; pages are 1-based (the block index for HTML, DOCX and text).
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


def table_frame(table: Table, *, numbers: bool = False) -> pandas.DataFrame:
    """The body rows under a MultiIndex of header paths, each cell's text as printed.

    A row with fewer cells than the columns is padded with None on the right (the audit's
    alignment is not applied: see `Normalized.tables` for that). With `numbers`, each cell
    that is one printed number becomes a float through the audit's parser
    (`pipeline.normalize.numbers.parse_number`): its plain quantity, so "12.5%" is 0.125
    and "3.2万" 32000.0; other cells keep their text, a column of numbers only becomes
    float64 (empty cells NaN), and the printed frame stays in `attrs["printed"]`.
    """
    import pandas

    paths = table_columns(table)
    rows = [[c.text for c in row] + [None] * (len(paths) - len(row)) for row in table.body_rows]
    columns = pandas.MultiIndex.from_tuples(paths)
    printed = pandas.DataFrame(rows, columns=columns, dtype=object)
    if not numbers:
        return printed
    parsed = [[_number_or_text(text) for text in row] for row in rows]
    frame = pandas.DataFrame(parsed, columns=columns, dtype=object).infer_objects()
    frame.attrs["printed"] = printed
    return frame


def _number_or_text(text: str | None) -> float | str | None:
    """A cell's quantity when it prints one number, else its text (None when empty)."""
    from pipeline.errors import ParseError
    from pipeline.normalize.numbers import parse_number

    if text is None or not text.strip():
        return None
    try:
        # the one float conversion of the package: a DataFrame view for the user, never
        # compared by the audit, which keeps Decimals
        return float(parse_number(text).exact)
    except ParseError:
        return text


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
