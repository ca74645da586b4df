"""One document's dataset rows, typed: the stored form the archive's checks, dataset and
report read.

Each table's row is a frozen dataclass (DocumentRow, MetricRow, ClaimRow, FindingRow, and
AliasRow, from which the departments table is gathered) whose fields are the table's columns
in schema order, every value a plain JSON value. pipeline/dataset/rows.py builds them from an
Audit; `DocumentRows.to_json` writes them into OUT/results/<sha256>.json and `from_json` reads
them back, through the one pair `row_json` / `row_from_json`. Where a row was printed is
written by `source_columns` (page, box, block index, backend) and `bbox_column` (a finding's
box) and read back by `row_source`, so a box has one writer and one reader. The columns are
documented in docs/dataset.md.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TypedDict, TypeVar

from pipeline.model import BBox, Evidence, Source, bbox_to_json, evidence_to_json

JsonValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class DocumentRow:
    document_id: str
    source: str
    format: str
    pages: int
    issuer: str | None
    district: str | None
    title: str | None
    doc_number: str | None
    period_start: str | None
    period_end: str | None
    period_text: str | None
    published: str | None
    rounding: str
    tables: int
    pipeline_version: str
    errors: int
    warnings: int
    infos: int
    numbers: int
    checked: int


@dataclass(frozen=True, slots=True)
class MetricRow:
    document_id: str
    table: str
    table_title: str
    table_index: int
    row: int
    column_index: int
    department: str | None
    department_id: str | None
    is_total: bool
    unaligned: bool
    metric: str | None
    header: str
    text: str
    value: str | None
    number: float | None
    percent: bool | None
    scale: int | None
    unit: str | None
    page: int
    x0: float | None
    top: float | None
    x1: float | None
    bottom: float | None
    block_index: str | None
    backend: str
    period_start: str | None
    period_end: str | None


@dataclass(frozen=True, slots=True)
class ClaimRow:
    document_id: str
    claim_index: int
    kind: str
    metric: str | None
    subject: str | None
    text: str | None
    value: str | None
    number: float | None
    percent: bool | None
    scale: int | None
    unit: str | None
    direction: str | None
    sentence: str
    line: int
    section: int | None
    page: int
    x0: float | None
    top: float | None
    x1: float | None
    bottom: float | None
    block_index: str | None
    backend: str
    refers_to: str
    scope: str
    names: str
    department_ids: str
    period_start: str | None
    period_end: str | None


@dataclass(frozen=True, slots=True)
class FindingRow:
    finding_id: str
    document_id: str | None  # None: a cross-document finding about several documents
    rule: str
    severity: str
    message: str
    reported: str | None
    expected: str | None
    explanation: str | None
    table: str | None
    row: int | None
    column: str | None
    department: str | None
    department_id: str | None
    page: int | None
    bbox: str | None
    evidence: str


@dataclass(frozen=True, slots=True)
class AliasRow:
    """One spelling of a department in one document (the departments table gathers them)."""

    document_id: str
    department_id: str
    name: str
    printed: str
    reason: str
    district: str | None
    period_start: str | None
    period_end: str | None


StoredRow = DocumentRow | MetricRow | ClaimRow | FindingRow | AliasRow
R = TypeVar("R", DocumentRow, MetricRow, ClaimRow, FindingRow, AliasRow)


def row_json(row: StoredRow) -> dict[str, JsonValue]:
    """The row as the stored JSON object: its columns by name, in order."""
    return {f.name: getattr(row, f.name) for f in fields(row)}


def row_from_json(kind: type[R], data: object) -> R:
    """A stored JSON object read back as a row of `kind`; ValueError when a column is missing
    (the values' types are checked against the table's schema when the dataset is written)."""
    if not isinstance(data, Mapping):
        raise ValueError(f"a stored {kind.__name__} is not an object: {data!r:.80}")
    missing = [f.name for f in fields(kind) if f.name not in data]
    if missing:
        raise ValueError(f"a stored {kind.__name__} has no column {missing[0]!r}")
    return kind(*(data[f.name] for f in fields(kind)))


def _rows_from_json(kind: type[R], data: object) -> tuple[R, ...]:
    if not isinstance(data, list):
        raise ValueError(f"stored {kind.__name__}s are not a list")
    return tuple(row_from_json(kind, d) for d in data)


@dataclass(frozen=True, slots=True)
class DocumentRows:
    """One document's rows, by table: its single documents row (its head) and the rest."""

    document: DocumentRow
    metrics: tuple[MetricRow, ...] = ()
    claims: tuple[ClaimRow, ...] = ()
    findings: tuple[FindingRow, ...] = ()
    aliases: tuple[AliasRow, ...] = ()

    def to_json(self) -> dict[str, list[dict[str, JsonValue]]]:
        """The stored form: each table's rows under its name (documents holds one row)."""
        return {
            "documents": [row_json(self.document)],
            "metrics": [row_json(r) for r in self.metrics],
            "claims": [row_json(r) for r in self.claims],
            "findings": [row_json(r) for r in self.findings],
            "aliases": [row_json(r) for r in self.aliases],
        }

    @classmethod
    def from_json(cls, data: object) -> DocumentRows:
        """The rows `to_json` stored; ValueError when they are not one document's rows."""
        if not isinstance(data, Mapping):
            raise ValueError("stored rows are not an object")
        heads = _rows_from_json(DocumentRow, data.get("documents"))
        if len(heads) != 1:
            raise ValueError("a document's rows must hold exactly one documents row")
        return cls(
            document=heads[0],
            metrics=_rows_from_json(MetricRow, data.get("metrics", [])),
            claims=_rows_from_json(ClaimRow, data.get("claims", [])),
            findings=_rows_from_json(FindingRow, data.get("findings", [])),
            aliases=_rows_from_json(AliasRow, data.get("aliases", [])),
        )


# --- where a row was printed: one writer, one reader ----------------------------------


class SourceColumns(TypedDict):
    page: int
    x0: float | None
    top: float | None
    x1: float | None
    bottom: float | None
    block_index: str | None
    backend: str


def source_columns(src: Source) -> SourceColumns:
    """Page; box in PDF points (top-left origin, 2 decimals, `bbox_to_json`), None without
    geometry; for formats without geometry the (row, column) or (line,) in the block as JSON;
    the backend that read it."""
    found = bbox_to_json(src.bbox)
    box: Sequence[float | None] = found if found is not None else (None, None, None, None)
    return SourceColumns(
        page=src.page,
        x0=box[0],
        top=box[1],
        x1=box[2],
        bottom=box[3],
        block_index=json.dumps(list(src.index)) if src.index is not None else None,
        backend=src.backend,
    )


def row_source(row: MetricRow | ClaimRow) -> Source:
    """Where a row's text was printed, as `source_columns` wrote it."""
    box = (row.x0, row.top, row.x1, row.bottom)
    bbox: BBox | None = None
    if box[0] is not None and box[1] is not None and box[2] is not None and box[3] is not None:
        bbox = (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
    return Source(
        page=int(row.page),
        bbox=bbox,
        backend=sys.intern(str(row.backend)),
        index=tuple(json.loads(row.block_index)) if row.block_index else None,
    )


def bbox_column(bbox: BBox | None) -> str | None:
    """A finding's box as its `bbox` column holds it: `bbox_to_json` as JSON text, or None."""
    box = bbox_to_json(bbox)
    return json.dumps(box) if box else None


def evidence_column(pieces: Sequence[tuple[str | None, Evidence]]) -> str:
    """A finding's evidence column: each piece as every JSON writes it (`evidence_to_json`),
    headed by the document it is in when that is named (cross-document findings)."""
    return json.dumps(
        [
            evidence_to_json(e) if doc is None else {"document_id": doc, **evidence_to_json(e)}
            for doc, e in pieces
        ],
        ensure_ascii=False,
    )
