"""One audited document as flat rows: the unit the archive stores and the dataset is built from.

Each table's row is a frozen dataclass (DocumentRow, MetricRow, ClaimRow, FindingRow, and
AliasRow, from which the departments table is gathered) whose fields are the table's columns
in schema order, every value a plain JSON value (str, int, float, bool, None). They are built
from the typed Audit here; `document_rows` writes them, through `row_json` only, as the JSON
stored in `OUT/results/<sha256>.json`, which any later step reads back without the pipeline's
types. Printed numbers keep their exact decimal text (`value`) next to a float (`number`);
every metric, claim and finding keeps its page and box. The layout is documented in
docs/dataset.md; bump ROWS_VERSION whenever it changes, so a resumed build redoes old results.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from pipeline import __version__
from pipeline.model import (
    Audit,
    BBox,
    Claim,
    DepartmentName,
    Finding,
    Normalized,
    NormalizedTable,
    Number,
    Period,
    Record,
    Source,
    bbox_to_json,
    evidence_to_json,
)
from pipeline.validate.crossdoc.view import DocumentRows as DocumentRows  # the rows made here
from pipeline.validate.facts import is_total_record, table_label, total_label

ROWS_VERSION = "2"  # 2: findings.evidence names each piece's backend
# Columns that locate a row rather than measure anything: the department name and 序号.
NOT_MEASURES = frozenset({"department", "row_number"})


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
    document_id: str
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


AnyRow = DocumentRow | MetricRow | ClaimRow | FindingRow | AliasRow


def row_json(row: AnyRow) -> dict[str, Any]:
    """The row as the stored JSON object: its columns by name, in order."""
    return {f.name: getattr(row, f.name) for f in fields(row)}


def document_rows(result: Audit, *, source: str) -> DocumentRows:
    """The rows of one audited document; `source` is the input path as the user gave it."""
    norm = result.normalized
    ids = DepartmentIds(norm)
    tables: dict[str, list[Any]] = {
        "documents": [document_row(result, source)],
        "metrics": list(metric_rows(norm, ids)),
        "claims": [claim_row(norm, i, c, ids) for i, c in enumerate(norm.claims)],
        "findings": [finding_row(norm, f, ids) for f in result.findings],
        "aliases": alias_rows(norm, ids),
    }
    return {name: [row_json(r) for r in rows] for name, rows in tables.items()}


class DepartmentIds:
    """The departments one document names -> their dataset ids, from the identities normalize
    made (Normalized.department_identities): a printed spelling or a canonical name.

    Only names in a department column or in a sentence are departments: the row labels of a
    table without a department column (诉求类别 ...) are categories.
    """

    __slots__ = ("by_canonical", "by_printed", "identities")

    def __init__(self, norm: Normalized) -> None:
        self.identities = norm.department_identities
        self.by_canonical = {d.canonical: d for d in self.identities}
        self.by_printed = {s.printed: d for d in self.identities for s in d.spellings}

    def of(self, name: DepartmentName | None) -> str | None:
        if name is None:
            return None
        found = self.by_printed.get(name.printed) or self.by_canonical.get(name.canonical)
        return found.id if found is not None else None

    def lookup(self, text: str | None) -> str | None:
        """The id of a department printed in the document, or of a canonical name it became."""
        if text is None:
            return None
        found = self.by_printed.get(text) or self.by_canonical.get(text)
        return found.id if found is not None else None


# --- documents ---------------------------------------------------------------


def document_row(result: Audit, source: str) -> DocumentRow:
    norm = result.normalized
    doc, meta = norm.document, norm.metadata
    severities = [f.severity.value for f in result.findings]
    return DocumentRow(
        document_id=doc.sha256,
        source=source,
        format=doc.format,
        pages=doc.pages,
        issuer=meta.issuer.text if meta.issuer else None,
        district=meta.district,
        title=meta.title.text if meta.title else None,
        doc_number=meta.doc_number.text if meta.doc_number else None,
        **period_fields(meta.period),
        period_text=meta.period.text if meta.period else None,
        published=meta.published.isoformat() if meta.published else None,
        rounding=norm.rounding,
        tables=len(norm.tables),
        pipeline_version=__version__,
        errors=severities.count("error"),
        warnings=severities.count("warning"),
        infos=severities.count("info"),
        numbers=result.coverage.numbers,
        checked=result.coverage.checked,
    )


def period_fields(period: Period | None) -> dict[str, Any]:
    return {
        "period_start": period.start.isoformat() if period else None,
        "period_end": period.end.isoformat() if period else None,
    }


# --- provenance and numbers --------------------------------------------------


def box_fields(bbox: BBox | None) -> dict[str, float | None]:
    """x0, top, x1, bottom in PDF points (top-left origin), 2 decimals, None without geometry."""
    names = ("x0", "top", "x1", "bottom")
    box = bbox_to_json(bbox)
    return dict.fromkeys(names) if box is None else dict(zip(names, box, strict=True))


def source_fields(src: Source) -> dict[str, Any]:
    """Page, box and, for formats without geometry, the (row, column) or (line,) in the block."""
    block = json.dumps(list(src.index)) if src.index is not None else None
    return {"page": src.page, **box_fields(src.bbox), "block_index": block, "backend": src.backend}


def exact_text(n: Number) -> str:
    """The printed digits as an exact decimal with the printed places: "98.10" stays "98.10"."""
    return format(n.value, f".{n.decimals}f")


def number_fields(n: Number | None) -> dict[str, Any]:
    """value (exact string), number (float of the same digits), percent, scale, unit."""
    if n is None:
        return {"value": None, "number": None, "percent": None, "scale": None, "unit": None}
    return {
        "value": exact_text(n),
        "number": float(n.value),
        "percent": n.percent,
        "scale": n.scale,
        "unit": n.unit,
    }


# --- metrics -----------------------------------------------------------------


def metric_rows(norm: Normalized, ids: DepartmentIds) -> Iterator[MetricRow]:
    """Every numeric cell of every table in long form, with its row's department."""
    for table in norm.tables:
        period = period_fields(table.period or norm.metadata.period)
        for record in table.records:
            yield from record_rows(norm.document.sha256, table, record, period, ids)


def record_rows(
    document_id: str,
    table: NormalizedTable,
    record: Record,
    period: dict[str, Any],
    ids: DepartmentIds,
) -> Iterator[MetricRow]:
    total = is_total_record(record)
    printed = record.department.printed if record.department else None
    dep_id = ids.of(record.department)
    if total:
        printed = total_label(record)
    for column_index, value in enumerate(record.values):
        if value is None or value.number is None or column_index >= len(table.columns):
            continue
        column = table.columns[column_index]
        if column.metric in NOT_MEASURES:
            continue
        yield MetricRow(
            document_id=document_id,
            table=table_label(table),
            table_title=table.table.title,
            table_index=table.index,
            row=record.row,
            column_index=column_index,
            department=printed,
            department_id=dep_id,
            is_total=total,
            unaligned=record.unaligned,
            metric=column.metric,
            header=" / ".join(column.path),
            text=value.cell.text,
            **number_fields(value.number),
            **source_fields(value.cell.source),
            **period,
        )


# --- claims ------------------------------------------------------------------


def claim_row(norm: Normalized, index: int, claim: Claim, ids: DepartmentIds) -> ClaimRow:
    return ClaimRow(
        document_id=norm.document.sha256,
        claim_index=index,
        kind=claim.kind.value,
        metric=claim.metric,
        subject=claim.subject,
        text=claim.value.text if claim.value else None,
        **number_fields(claim.value),
        direction=claim.direction,
        sentence=claim.sentence,
        line=claim.line,
        section=claim.section,
        **source_fields(claim.source),
        refers_to=json.dumps(list(claim.refers_to), ensure_ascii=False),
        scope=json.dumps(list(claim.scope), ensure_ascii=False),
        names=json.dumps(list(claim.names), ensure_ascii=False),
        department_ids=json.dumps([ids.lookup(n) for n in claim.names], ensure_ascii=False),
        **period_fields(norm.metadata.period),
    )


# --- findings ----------------------------------------------------------------


def finding_row(norm: Normalized, f: Finding, ids: DepartmentIds) -> FindingRow:
    first = f.evidence[0] if f.evidence else None
    box = bbox_to_json(first.bbox) if first else None
    return FindingRow(
        finding_id=f.id,
        document_id=norm.document.sha256,
        rule=f.rule,
        severity=f.severity.value,
        message=f.message,
        reported=f.reported,
        expected=f.expected,
        explanation=f.explanation,
        table=f.table,
        row=f.row,
        column=f.column,
        department=f.department,
        department_id=ids.lookup(f.department),
        page=first.page if first else None,
        bbox=json.dumps(box) if box else None,
        evidence=json.dumps([evidence_to_json(e) for e in f.evidence], ensure_ascii=False),
    )


# --- aliases -----------------------------------------------------------------


def alias_rows(norm: Normalized, ids: DepartmentIds) -> list[AliasRow]:
    """Each spelling of a department printed in this document, once, with how it was resolved:
    the canonical name and district are the identity's fields, never read from its id."""
    period = period_fields(norm.metadata.period)
    rows = [
        AliasRow(
            document_id=norm.document.sha256,
            department_id=dep.id,
            name=dep.canonical,
            printed=spelling.printed,
            reason=spelling.reason,
            district=dep.district,
            **period,
        )
        for dep in ids.identities
        for spelling in dep.spellings
    ]
    return sorted(rows, key=lambda r: (r.department_id, r.printed))
