"""The dataset's tables as Parquet: one file per table, typed from the table's schema.

Exact decimals stay strings (`value`) beside their float (`number`); dates are date32; each
column carries its description in the field metadata. Rows go out in fixed-size row groups, so
the same rows give the same file.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.archive.dataset_schema import TableSpec

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
ROW_GROUP = 100_000


def arrow_schema(spec: TableSpec) -> pa.Schema:
    fields = [
        pa.field(f.name, ARROW_TYPES[f.type], metadata={"description": f.description})
        for f in spec.fields
    ]
    return pa.schema(fields, metadata={"table": spec.name, "description": spec.description})


@lru_cache(maxsize=8192)
def _date(text: str) -> date:
    return date.fromisoformat(text)


def arrow_table(spec: TableSpec, rows: list[tuple[Any, ...]]) -> pa.Table:
    """Rows (tuples in the spec's column order, already type-checked) as an Arrow table."""
    schema = arrow_schema(spec)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in spec.fields]
    arrays = [
        pa.array(
            [None if v is None else _date(v) for v in values] if f.type == "date" else values,
            type=ARROW_TYPES[f.type],
        )
        for f, values in zip(spec.fields, columns, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(path: Path, spec: TableSpec, rows: list[tuple[Any, ...]]) -> None:
    with pq.ParquetWriter(path, arrow_schema(spec), compression="zstd") as writer:
        for start in range(0, max(len(rows), 1), ROW_GROUP):
            writer.write_table(arrow_table(spec, rows[start : start + ROW_GROUP]))
