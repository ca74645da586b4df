"""Many documents' rows -> OUT/dataset/: CSV + datapackage.json, Parquet, SQLite + Datasette.

The same inputs give the same files whatever order the documents were processed in: documents
are deduplicated by id, every table is sorted by its key, and nothing time-dependent is written.
The whole directory is built beside OUT/dataset and swapped in at the end, so a killed build
leaves the previous dataset or the new one, never half of one. Tables and columns are declared
in schema.py and described in docs/dataset.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.dataset.parquet import ParquetTable
from pipeline.dataset.schema import DATASET_DIR, TABLES, TableSpec, table_schema
from pipeline.dataset.sqlite import SqliteTables, write_datasette_metadata
from pipeline.dataset.tables import Row, TableStreams
from pipeline.validate.crossdoc.rows import DocumentRows, FindingRow
from pipeline.validate.crossdoc.view import unique_documents

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def write_dataset(
    out: Path, docs: Sequence[DocumentRows], extra_findings: Sequence[FindingRow] = ()
) -> dict[str, int]:
    """Write OUT/dataset/ from the documents' rows; return the row count of each table.

    `extra_findings` are the archive's cross-document findings (their document_id may be
    None). The documents are read one at a time, once per table
    (stored.py), and each table goes to its CSV, Parquet and SQLite forms as it is read.
    Raises ValueError when a row holds a value of the wrong type or a key repeats.
    """
    streams = TableStreams(unique_documents(docs), extra_findings)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / temp_names()[0]
    tmp.mkdir()  # never an existing folder: a killed build's is for `build` to clear
    try:
        files, counts = write_tables(tmp, streams)
        write_json(tmp / "datapackage.json", datapackage(files))
        write_datasette_metadata(tmp / "metadata.json")
        publish(tmp, out / DATASET_DIR)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return counts


def temp_names() -> tuple[str, str]:
    """The folders in OUT this process builds the dataset in and sets the old one aside in."""
    return f".{DATASET_DIR}.{os.getpid()}.tmp", f".{DATASET_DIR}.{os.getpid()}.old"


@dataclass(frozen=True, slots=True)
class FileDigest:
    """A written file's size in bytes and its hash, as the package descriptor names them."""

    bytes: int
    hash: str  # "sha256:<hex>"


def write_tables(
    folder: Path, streams: TableStreams
) -> tuple[dict[str, FileDigest], dict[str, int]]:
    """Every table to CSV, Parquet and SQLite in one pass over its rows; returns each CSV
    file's size and hash, and each table's row count."""
    files: dict[str, FileDigest] = {}
    counts: dict[str, int] = {}
    with SqliteTables(folder / "bulletins.sqlite") as db:
        for spec in TABLES:
            db.create(spec)
            with (
                CsvTable(folder / f"{spec.name}.csv", spec) as csv_file,
                ParquetTable(folder / f"{spec.name}.parquet", spec) as parquet_file,
            ):
                counts[spec.name] = 0
                for rows in streams.chunks(spec):
                    csv_file.write(rows)
                    parquet_file.write(rows)
                    db.insert(spec, rows)
                    counts[spec.name] += len(rows)
            db.index(spec)
            files[spec.name] = csv_file.file
        db.commit()
    return files, counts


# --- files -------------------------------------------------------------------


class CsvTable:
    """UTF-8 without BOM (the Data Package v2 recommendation), RFC 4180 line ends.

    Null is an empty cell, booleans true/false, floats their shortest repr. Rows are written
    as they come; `file` is then the file's size and sha256 for the package descriptor.
    """

    def __init__(self, path: Path, spec: TableSpec) -> None:
        self._flags = [i for i, f in enumerate(spec.fields) if f.type == "boolean"]
        self._digest = hashlib.sha256()
        self._size = 0
        self._file = path.open("wb")
        self._write([spec.names])

    def write(self, rows: list[Row]) -> None:
        self._write(_csv_row(r, self._flags) for r in rows)

    def _write(self, rows: Iterable[Row]) -> None:
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        data = buffer.getvalue().encode("utf-8")
        self._file.write(data)
        self._digest.update(data)
        self._size += len(data)

    @property
    def file(self) -> FileDigest:
        return FileDigest(self._size, "sha256:" + self._digest.hexdigest())

    def __enter__(self) -> CsvTable:
        return self

    def __exit__(self, *_: object) -> None:
        self._file.close()


def _csv_row(row: Row, flags: list[int]) -> Row:
    if not flags:
        return row
    cells = list(row)
    for i in flags:
        if cells[i] is not None:
            cells[i] = "true" if cells[i] else "false"
    return tuple(cells)


def datapackage(files: dict[str, FileDigest]) -> dict[str, Any]:
    """The Data Package (v2) descriptor of the CSV tables."""
    return {
        "$schema": PACKAGE_PROFILE,
        "name": "bulletins",
        "title": "Hotline bulletins: figures, claims and audit findings",
        "description": (
            "Tables read from Chinese local-government 12345 hotline bulletins by the bulletins "
            "pipeline: the documents, every numeric table cell (metrics), every figure stated "
            "in the text (claims), what the audit found (findings) and the departments named. "
            "Every row keeps the page and box it was printed at. The same tables are shipped as "
            "Parquet files and as the SQLite database bulletins.sqlite. No licence is asserted "
            "for the source bulletins; see documents.source for where each came from."
        ),
        "keywords": ["12345 hotline", "government bulletins", "audit", "China"],
        "resources": [resource(spec, files[spec.name]) for spec in TABLES],
    }


def resource(spec: TableSpec, file: FileDigest) -> dict[str, Any]:
    return {
        "name": spec.name,
        "type": "table",
        "path": f"{spec.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": file.bytes,
        "hash": file.hash,
        "title": spec.title,
        "description": spec.description,
        "schema": table_schema(spec),
    }


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def publish(tmp: Path, final: Path) -> None:
    """Swap the finished directory in: old one aside, new one in place, old one removed.

    Whatever the old directory holds under a name the new one does not (a reader's notes)
    is moved into the new one first: only files the dataset writes again are replaced.
    """
    old = final.with_name(temp_names()[1])
    if final.exists():
        for entry in final.iterdir():
            if not (tmp / entry.name).exists():
                entry.rename(tmp / entry.name)
        final.rename(old)  # fails if `old` exists: nothing of someone else's is removed
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
