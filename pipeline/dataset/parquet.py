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

from pipeline.dataset.schema import TableSpec

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


class ParquetTable:
    """One table's Parquet file, written as its rows arrive, in groups of ROW_GROUP rows.

    Rows become Arrow columns as they come (far more compact than tuples) and are cut into
    the same row groups as if the whole table had been written at once, so the file does not
    depend on how the rows were chunked: the same rows give the same file. A table without
    rows gets one empty row group. Use as a context manager; on an exception the rows not yet
    written are dropped (the file is thrown away with the unfinished dataset).
    """

    def __init__(self, path: Path, spec: TableSpec) -> None:
        self._spec = spec
        self._writer = pq.ParquetWriter(path, arrow_schema(spec), compression="zstd")
        self._pending: list[pa.Table] = []
        self._rows = 0  # rows pending
        self._groups = 0

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        self._pending.append(arrow_table(self._spec, rows))
        self._rows += len(rows)
        while self._rows >= ROW_GROUP:
            self._write_group(ROW_GROUP)

    def _write_group(self, size: int) -> None:
        # One contiguous table, as if the group had been built at once: the writer falls back
        # from dictionary encoding at points that depend on how its input is chunked.
        table = pa.concat_tables(self._pending).combine_chunks()
        self._writer.write_table(table.slice(0, size))
        rest = table.slice(size)
        self._pending = [rest] if rest.num_rows else []
        self._rows = rest.num_rows
        self._groups += 1

    def __enter__(self) -> ParquetTable:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None and self._rows:
                self._write_group(self._rows)
            elif kind is None and not self._groups:
                self._writer.write_table(arrow_table(self._spec, []))
        finally:
            self._writer.close()
