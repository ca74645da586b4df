"""Many documents' rows -> the dataset's tables: deduplicated, type-checked, in key order.

A table's rows are tuples in the column order of its TableSpec, ready for csv, pyarrow and
sqlite3 alike. An archive of 2,000 bulletins has about a million metric rows, so a table is
never held whole: `TableStreams` yields it one document's rows at a time. Documents come in
id order and every key starts with the document id, so each document's rows sorted on their
own, one document after the other, are the whole table in key order (cross-document findings
without a document last). Only the departments, gathered from every document, are held.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter
from typing import Any

from pipeline.dataset.rows import DatasetRow, DepartmentRow
from pipeline.dataset.schema import (
    CLAIMS,
    DEPARTMENTS,
    DOCUMENTS,
    FINDINGS,
    METRICS,
    TableSpec,
)
from pipeline.model import Severity
from pipeline.validate.crossdoc.rows import AliasRow, DocumentRows, FindingRow
from pipeline.validate.crossdoc.view import Documents

Row = tuple[Any, ...]


class TableStreams:
    """Each table of the dataset as chunks of rows in key order, one document at a time.

    `docs` must hold one document per id, in id order (Documents.unique). The metrics pass
    also gathers the departments from each document's alias rows, so `chunks(METRICS)` must
    be consumed before `chunks(DEPARTMENTS)`, as TABLES orders them. Raises ValueError for a
    value of the wrong type, a repeated key, or a reference that does not resolve.
    """

    def __init__(self, docs: Documents, extra_findings: Sequence[FindingRow] = ()) -> None:
        self._docs = docs
        self._ids = {h.document_id for h in docs.heads}
        self._extra = conform(FINDINGS, extra_findings)
        self._departments = Departments()
        self._gathered = False

    def chunks(self, spec: TableSpec) -> Iterator[list[Row]]:
        if spec is DOCUMENTS:
            yield sort_rows(spec, conform(spec, self._docs.heads))
        elif spec is DEPARTMENTS:
            if not self._gathered:
                raise RuntimeError("departments are gathered by the metrics pass, not run yet")
            yield sort_rows(spec, conform(spec, self._departments.rows()))
        elif spec in (METRICS, CLAIMS, FINDINGS):
            yield from self._per_document(spec)
        else:
            raise ValueError(f"dataset: no table {spec.name}")

    def _per_document(self, spec: TableSpec) -> Iterator[list[Row]]:
        extra = self._extra_by_document() if spec is FINDINGS else {}
        seen_departments: dict[str, None] = {}
        for head, doc in zip(self._docs.heads, self._docs, strict=True):
            if spec is METRICS:
                self._departments.add(doc.aliases)
            rows = conform(spec, _table(doc, spec))
            _check_document(spec, rows, head.document_id)
            chunk = sort_rows(spec, rows + extra.pop(head.document_id, []))
            if spec is METRICS:
                seen_departments.update(dict.fromkeys(_column(spec, chunk, "department_id")))
            yield chunk
        if spec is METRICS:
            self._gathered = True
            missing = next((d for d in seen_departments if d not in self._departments), None)
            if missing is not None:
                raise ValueError(
                    f"dataset metrics.department_id: {missing!r} "
                    "is not in departments.department_id"
                )
        if spec is FINDINGS:
            yield sort_rows(spec, extra.pop(None, []))

    def _extra_by_document(self) -> dict[str | None, list[Row]]:
        """Cross-document findings by the document they point at (None: several)."""
        at = FINDINGS.names.index("document_id")
        out: dict[str | None, list[Row]] = {}
        for row in self._extra:
            out.setdefault(row[at], []).append(row)
        unknown = sorted(str(k) for k in out if k is not None and k not in self._ids)
        if unknown:
            raise ValueError(
                f"dataset findings.document_id: {unknown[0]!r} is not in documents.document_id"
            )
        return out


def _table(doc: DocumentRows, spec: TableSpec) -> Sequence[DatasetRow]:
    """A document's rows of one of the tables it stores rows for (metrics, claims, findings)."""
    if spec is METRICS:
        return doc.metrics
    if spec is CLAIMS:
        return doc.claims
    return doc.findings


def _column(spec: TableSpec, rows: Iterable[Row], name: str) -> Iterator[Any]:
    at = spec.names.index(name)
    return (r[at] for r in rows if r[at] is not None)


def _check_document(spec: TableSpec, rows: Iterable[Row], document_id: str) -> None:
    """Every row of a document names it: what keeps the tables' references resolving."""
    at = spec.names.index("document_id")
    other = next((r[at] for r in rows if r[at] != document_id), document_id)
    if other != document_id:
        raise ValueError(
            f"dataset {spec.name}.document_id: a row of document {document_id} names {other!r}"
        )


@dataclass(slots=True)
class _Gathered:
    """What the departments table says of one department, as its alias rows come in."""

    name: str
    district: str | None
    aliases: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None


class Departments:
    """One row per department id, from every document's alias rows, one document at a time."""

    def __init__(self) -> None:
        self._found: dict[str, _Gathered] = {}

    def __contains__(self, department_id: object) -> bool:
        return department_id in self._found

    def add(self, aliases: Iterable[AliasRow]) -> None:
        for a in aliases:
            if not a.department_id:
                continue
            row = self._found.get(a.department_id)
            if row is None:
                row = self._found[a.department_id] = _Gathered(a.name, a.district)
            row.aliases.add(a.printed)
            row.documents.add(a.document_id)
            start, end = a.period_start, a.period_end
            if start and (row.first is None or start < row.first):
                row.first = start
            if end and (row.last is None or end > row.last):
                row.last = end

    def rows(self) -> list[DepartmentRow]:
        return [
            DepartmentRow(
                department_id=dep,
                name=r.name,
                district=r.district,
                aliases=json.dumps(sorted(r.aliases), ensure_ascii=False),
                documents=len(r.documents),
                first_period=r.first,
                last_period=r.last,
            )
            for dep, r in self._found.items()
        ]


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


def conform(spec: TableSpec, rows: Iterable[DatasetRow]) -> list[Row]:
    """Each row as a tuple of the table's columns (the row type's fields of the same names):
    empty strings become None, numbers floats. Raises ValueError on a value of the wrong type
    (a row read back from a stored result is not type-checked until here)."""
    names = spec.names
    checks = [
        (i, f.type, ACCEPTS[f.type], f.name in spec.primary_key) for i, f in enumerate(spec.fields)
    ]
    table = []
    for row in rows:
        values = [getattr(row, n) for n in names]
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


RANKS = {s.value: s.rank for s in Severity}  # a missing severity sorts last


def _finding_key(spec: TableSpec) -> Callable[[Row], tuple[Any, ...]]:
    at = {name: i for i, name in enumerate(spec.names)}
    text = [at[n] for n in ("rule", "finding_id", "message", "department")]

    def key(r: Row) -> tuple[Any, ...]:
        doc = r[at["document_id"]]
        rank = RANKS.get(r[at["severity"]] or "", len(RANKS))
        page = r[at["page"]] or 0
        return (doc is None, doc or "", rank, page, *(r[i] or "" for i in text))

    return key
