"""The dataset's tables as one SQLite database, with the metadata file Datasette reads.

Exact decimals are TEXT (`value`) beside a REAL (`number`); booleans are 0/1; dates are ISO
TEXT. Primary keys, foreign keys (so Datasette links rows to their document and department) and
indexes on the columns people filter by come from schema.py.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.dataset.schema import TABLES, TableSpec

SQL_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "date": "TEXT",
}
DATABASE = "bulletins"
FACETS = {
    "documents": ["district", "format"],
    "metrics": ["metric", "is_total"],
    "claims": ["kind", "metric"],
    "findings": ["severity", "rule"],
    "departments": ["district"],
}


def q(name: str) -> str:
    """A quoted SQL identifier (row, column and table are keywords somewhere)."""
    return '"' + name.replace('"', '""') + '"'


def create_table(spec: TableSpec) -> str:
    references = {f: (res, to) for f, res, to in spec.foreign_keys}
    columns = []
    for f in spec.fields:
        column = f"{q(f.name)} {SQL_TYPES[f.type]}"
        if f.name in spec.primary_key:
            column += " NOT NULL"
        if f.name in references:
            res, to = references[f.name]
            column += f" REFERENCES {q(res)}({q(to)})"
        columns.append(column)
    if spec.primary_key:
        columns.append(f"PRIMARY KEY ({', '.join(map(q, spec.primary_key))})")
    if spec.unique_key:
        columns.append(f"UNIQUE ({', '.join(map(q, spec.unique_key))})")
    return f"CREATE TABLE {q(spec.name)} (\n  " + ",\n  ".join(columns) + "\n)"


def create_indexes(spec: TableSpec) -> list[str]:
    return [
        f"CREATE INDEX {q(f'{spec.name}_{column}')} ON {q(spec.name)} ({q(column)})"
        for column in spec.indexes
    ]


class SqliteTables:
    """A new database written one table at a time, each table's rows in chunks.

    For each table: `create`, `insert` its rows (in the order given) as they come, then
    `index`; `commit` once at the end. Use as a context manager: the connection is closed
    whatever happens, and an unfinished database is thrown away with the unfinished dataset.
    """

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode = OFF")  # a fresh file renamed into place when done

    def create(self, spec: TableSpec) -> None:
        self._db.execute(create_table(spec))

    def insert(self, spec: TableSpec, rows: Iterable[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in spec.fields)
        self._db.executemany(f"INSERT INTO {q(spec.name)} VALUES ({marks})", rows)

    def index(self, spec: TableSpec) -> None:
        for statement in create_indexes(spec):
            self._db.execute(statement)

    def commit(self) -> None:
        self._db.commit()

    def __enter__(self) -> SqliteTables:
        return self

    def __exit__(self, *_: object) -> None:
        self._db.close()


def datasette_metadata() -> dict[str, Any]:
    """Titles and column descriptions for `datasette bulletins.sqlite -m metadata.json`."""
    return {
        "title": "Hotline bulletins",
        "description": (
            "Figures, claims and audit findings read from Chinese local-government 12345 "
            "hotline bulletins; every row keeps the page and box it was printed at."
        ),
        "source": "the bulletins listed in the documents table (column source)",
        "databases": {
            DATABASE: {
                "description": "The archive's dataset, the same tables as the CSV and Parquet.",
                "tables": {spec.name: _table_metadata(spec) for spec in TABLES},
            }
        },
    }


def _table_metadata(spec: TableSpec) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": spec.title,
        "description": spec.description,
        "columns": {f.name: f.description for f in spec.fields},
        "facets": FACETS.get(spec.name, []),
    }
    if spec.label:
        meta["label_column"] = spec.label
    return meta


def write_datasette_metadata(path: Path) -> None:
    text = json.dumps(datasette_metadata(), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
