"""Many documents' rows -> the dataset's tables: deduplicated, type-checked, sorted by key.

A table is a list of tuples in the column order of its TableSpec: compact (an archive of 2,000
bulletins has about a million metric rows) and ready for csv, pyarrow and sqlite3 alike.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter
from typing import Any

from pipeline.archive.dataset_schema import FINDINGS, TABLES, TableSpec
from pipeline.archive.rows import DocumentRows

Row = tuple[Any, ...]
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def dataset_tables(
    docs: Sequence[DocumentRows], extra_findings: Sequence[dict[str, Any]] = ()
) -> dict[str, list[Row]]:
    """Every table's rows as tuples, typed against its schema and sorted by its key.

    Raises ValueError when a value does not fit its column's type or a key column is empty.
    """
    unique = unique_documents(docs)

    def gathered(name: str) -> Iterable[dict[str, Any]]:
        return (row for doc in unique for row in doc.get(name, []))

    sources: dict[str, Iterable[dict[str, Any]]] = {
        "documents": gathered("documents"),
        "metrics": gathered("metrics"),
        "claims": gathered("claims"),
        "findings": [*gathered("findings"), *extra_findings],
        "departments": departments(gathered("aliases")),
    }
    tables = {spec.name: sort_rows(spec, conform(spec, sources[spec.name])) for spec in TABLES}
    check_foreign_keys(tables)
    return tables


def unique_documents(docs: Sequence[DocumentRows]) -> list[DocumentRows]:
    """One DocumentRows per document id; of duplicates, the one with the smallest source."""
    chosen: dict[str, DocumentRows] = {}
    for doc in sorted(docs, key=_doc_key):
        chosen.setdefault(_doc_key(doc)[0], doc)
    return [chosen[k] for k in sorted(chosen)]


def _doc_key(doc: DocumentRows) -> tuple[str, str]:
    (row,) = doc["documents"]
    return str(row["document_id"]), str(row.get("source") or "")


def departments(aliases: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per department id from every document's alias rows."""
    found: dict[str, dict[str, Any]] = {}
    for a in aliases:
        dep = a.get("department_id")
        if not dep:
            continue
        row = found.setdefault(dep, _new_department(dep, a))
        row["aliases"].add(a["printed"])
        row["documents"].add(a["document_id"])
        if a.get("period_start"):
            row["first"].append(a["period_start"])
        if a.get("period_end"):
            row["last"].append(a["period_end"])
    return [
        {
            "department_id": dep,
            "name": r["name"],
            "district": r["district"],
            "aliases": json.dumps(sorted(r["aliases"]), ensure_ascii=False),
            "documents": len(r["documents"]),
            "first_period": min(r["first"], default=None),
            "last_period": max(r["last"], default=None),
        }
        for dep, r in found.items()
    ]


def _new_department(dep: str, alias: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": alias.get("name") or dep.rpartition("/")[2],
        "district": alias.get("district"),
        "aliases": set(),
        "documents": set(),
        "first": [],
        "last": [],
    }


# --- types ---------------------------------------------------------------------


@lru_cache(maxsize=8192)
def is_iso_date(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


# The Python types each Table Schema type accepts (bool is not an integer here).
ACCEPTS: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "integer": frozenset({int}),
    "number": frozenset({int, float}),
    "boolean": frozenset({bool}),
    "date": frozenset({str}),
}


def conform(spec: TableSpec, rows: Iterable[dict[str, Any]]) -> list[Row]:
    """Each row as a tuple of the table's columns: missing keys and empty strings become None,
    numbers floats; extra keys are ignored. Raises ValueError on a value of the wrong type."""
    names = spec.names
    checks = [
        (i, f.type, ACCEPTS[f.type], f.name in spec.primary_key) for i, f in enumerate(spec.fields)
    ]
    table = []
    for row in rows:
        values = list(map(row.get, names))
        for i, kind, accepts, key in checks:
            v = values[i]
            if v is None or v == "":
                if key:
                    raise ValueError(f"dataset {spec.name}.{names[i]}: key column empty in {row}")
                values[i] = None
            elif type(v) not in accepts or (kind == "date" and not is_iso_date(v)):
                raise ValueError(f"dataset {spec.name}.{names[i]}: expected {kind}, found {v!r}")
            elif kind == "number":
                if not math.isfinite(v):
                    raise ValueError(f"dataset {spec.name}.{names[i]}: {v!r} is not finite")
                values[i] = float(v)
        table.append(tuple(values))
    return table


def check_foreign_keys(tables: dict[str, list[Row]]) -> None:
    """Every declared foreign key resolves (null excepted), so the package says no more than
    holds; ValueError names the first value that does not."""
    specs = {spec.name: spec for spec in TABLES}
    for spec in TABLES:
        for field, resource, target in spec.foreign_keys:
            at = specs[resource].names.index(target)
            known = {row[at] for row in tables[resource]}
            i = spec.names.index(field)
            missing = next(
                (r[i] for r in tables[spec.name] if r[i] is not None and r[i] not in known), None
            )
            if missing is not None:
                raise ValueError(
                    f"dataset {spec.name}.{field}: {missing!r} is not in {resource}.{target}"
                )


# --- order ---------------------------------------------------------------------


def sort_rows(spec: TableSpec, rows: list[Row]) -> list[Row]:
    """Rows in key order (cross-document findings last); ValueError on a repeated key."""
    if spec is FINDINGS:
        return sorted(rows, key=_finding_key(spec))
    key = itemgetter(*(spec.names.index(k) for k in spec.primary_key))
    ordered = sorted(rows, key=key)
    for before, after in pairwise(ordered):
        if key(before) == key(after):
            raise ValueError(f"dataset {spec.name}: key {key(after)} appears twice")
    return ordered


def _finding_key(spec: TableSpec) -> Callable[[Row], tuple[Any, ...]]:
    at = {name: i for i, name in enumerate(spec.names)}
    text = [at[n] for n in ("rule", "finding_id", "message", "department")]

    def key(r: Row) -> tuple[Any, ...]:
        doc = r[at["document_id"]]
        rank = SEVERITY_RANK.get(r[at["severity"]] or "", 3)
        page = r[at["page"]] or 0
        return (doc is None, doc or "", rank, page, *(r[i] or "" for i in text))

    return key
