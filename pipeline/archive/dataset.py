"""Many documents' rows -> OUT/dataset/: CSV + datapackage.json, Parquet, SQLite + Datasette.

The same inputs give the same files whatever order the documents were processed in: documents
are deduplicated by id, every table is sorted by its key, and nothing time-dependent is written.
The whole directory is built beside OUT/dataset and swapped in at the end, so a killed build
leaves the previous dataset or the new one, never half of one. Tables and columns are declared
in dataset_schema.py and described in docs/dataset.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.archive.dataset_parquet import write_parquet
from pipeline.archive.dataset_schema import TABLES, TableSpec, table_schema
from pipeline.archive.dataset_sqlite import write_datasette_metadata, write_sqlite
from pipeline.archive.dataset_tables import Row, dataset_tables
from pipeline.archive.rows import DocumentRows

DATASET_DIR = "dataset"
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
CSV_CHUNK = 20_000  # rows encoded at a time


def write_dataset(
    out: Path, docs: Sequence[DocumentRows], extra_findings: Sequence[dict[str, Any]] = ()
) -> dict[str, int]:
    """Write OUT/dataset/ from the documents' rows; return the row count of each table.

    `extra_findings` are the archive's cross-document findings (findings columns; their
    document_id may be None). Raises ValueError when a row holds a value of the wrong type.
    """
    tables = dataset_tables(docs, extra_findings)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f".{DATASET_DIR}.*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{DATASET_DIR}.", suffix=".tmp", dir=out))
    tmp.chmod(0o755)  # mkdtemp makes it private; the published dataset is for everyone
    try:
        files = {
            spec.name: write_csv(tmp / f"{spec.name}.csv", spec, tables[spec.name])
            for spec in TABLES
        }
        write_json(tmp / "datapackage.json", datapackage(files))
        for spec in TABLES:
            write_parquet(tmp / f"{spec.name}.parquet", spec, tables[spec.name])
        write_sqlite(tmp / "bulletins.sqlite", tables)
        write_datasette_metadata(tmp / "metadata.json")
        publish(tmp, out / DATASET_DIR)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {name: len(rows) for name, rows in tables.items()}


# --- files -------------------------------------------------------------------


def write_csv(path: Path, spec: TableSpec, rows: list[Row]) -> dict[str, Any]:
    """UTF-8 without BOM (the Data Package v2 recommendation), RFC 4180 line ends.

    Null is an empty cell, booleans true/false, floats their shortest repr; written in chunks
    so a million rows never sit in memory twice. Returns the file's size and sha256.
    """
    flags = [i for i, f in enumerate(spec.fields) if f.type == "boolean"]
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as f:
        for start in range(0, len(rows) + 1, CSV_CHUNK):
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, lineterminator="\r\n")
            if start == 0:
                writer.writerow(spec.names)
            writer.writerows(_csv_row(r, flags) for r in rows[start : start + CSV_CHUNK])
            data = buffer.getvalue().encode("utf-8")
            f.write(data)
            digest.update(data)
            size += len(data)
    return {"bytes": size, "hash": "sha256:" + digest.hexdigest()}


def _csv_row(row: Row, flags: list[int]) -> Row:
    if not flags:
        return row
    cells = list(row)
    for i in flags:
        if cells[i] is not None:
            cells[i] = "true" if cells[i] else "false"
    return tuple(cells)


def datapackage(files: dict[str, dict[str, Any]]) -> dict[str, Any]:
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


def resource(spec: TableSpec, file: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": spec.name,
        "type": "table",
        "path": f"{spec.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": file["bytes"],
        "hash": file["hash"],
        "title": spec.title,
        "description": spec.description,
        "schema": table_schema(spec),
    }


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def publish(tmp: Path, final: Path) -> None:
    """Swap the finished directory in: old one aside, new one in place, old one removed."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
