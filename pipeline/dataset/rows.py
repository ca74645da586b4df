"""One audited document as flat rows: the unit the archive stores and the dataset is built from.

The row types, one frozen dataclass per table with its columns in schema order, are the
archive's stored form (pipeline/validate/crossdoc/rows.py, which the cross-document checks
read too); they are built from the typed Audit here. Printed numbers keep their exact decimal
text (`value`) next to a float (`number`); every metric, claim and finding keeps its page and
box, written by `source_columns` / `bbox_column` only. The layout is documented in
docs/dataset.md; bump ROWS_VERSION whenever it changes, so a resumed build redoes old results.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypedDict

from pipeline import __version__
from pipeline.model import (
    Audit,
    Claim,
    DepartmentName,
    Finding,
    Normalized,
    NormalizedTable,
    Number,
    Period,
    Record,
)
from pipeline.validate.crossdoc.rows import (
    AliasRow,
    ClaimRow,
    DocumentRow,
    DocumentRows,
    FindingRow,
    MetricRow,
    bbox_column,
    evidence_column,
    source_columns,
)
from pipeline.validate.facts import is_total_record, table_label, total_label

ROWS_VERSION = "2"  # 2: findings.evidence names each piece's backend
# Columns that locate a row rather than measure anything: the department name and 序号.
NOT_MEASURES = frozenset({"department", "row_number"})


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    """One department of the archive, gathered from every document's alias rows."""

    department_id: str
    name: str
    district: str | None
    aliases: str
    documents: int
    first_period: str | None
    last_period: str | None


DatasetRow = DocumentRow | MetricRow | ClaimRow | FindingRow | DepartmentRow


def document_rows(result: Audit, *, source: str) -> DocumentRows:
    """The rows of one audited document; `source` is the input path as the user gave it."""
    norm = result.normalized
    ids = DepartmentIds(norm)
    return DocumentRows(
        document=document_row(result, source),
        metrics=tuple(metric_rows(norm, ids)),
        claims=tuple(claim_row(norm, i, c, ids) for i, c in enumerate(norm.claims)),
        findings=tuple(finding_row(norm, f) for f in result.findings),
        aliases=tuple(alias_rows(norm, ids)),
    )


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
        """A table row's department: the identity of its canonical name (the identity's key)."""
        found = self.by_canonical.get(name.canonical) if name is not None else None
        return found.id if found is not None else None

    def lookup(self, text: str) -> str | None:
        """The id of a department a sentence prints, or of a canonical name it became."""
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


class PeriodColumns(TypedDict):
    period_start: str | None
    period_end: str | None


def period_fields(period: Period | None) -> PeriodColumns:
    return PeriodColumns(
        period_start=period.start.isoformat() if period else None,
        period_end=period.end.isoformat() if period else None,
    )


# --- provenance and numbers --------------------------------------------------


def exact_text(n: Number) -> str:
    """The printed digits as an exact decimal with the printed places: "98.10" stays "98.10"."""
    return format(n.value, f".{n.decimals}f")


class NumberColumns(TypedDict):
    value: str | None
    number: float | None
    percent: bool | None
    scale: int | None
    unit: str | None


def number_fields(n: Number | None) -> NumberColumns:
    """value (exact string), number (float of the same digits), percent, scale, unit."""
    if n is None:
        return NumberColumns(value=None, number=None, percent=None, scale=None, unit=None)
    return NumberColumns(
        value=exact_text(n), number=float(n.value), percent=n.percent, scale=n.scale, unit=n.unit
    )


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
    period: PeriodColumns,
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
            **source_columns(value.cell.source),
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
        **source_columns(claim.source),
        refers_to=json.dumps(list(claim.refers_to), ensure_ascii=False),
        scope=json.dumps(list(claim.scope), ensure_ascii=False),
        names=json.dumps(list(claim.names), ensure_ascii=False),
        department_ids=json.dumps([ids.lookup(n) for n in claim.names], ensure_ascii=False),
        **period_fields(norm.metadata.period),
    )


# --- findings ----------------------------------------------------------------


def finding_row(norm: Normalized, f: Finding) -> FindingRow:
    """The finding's row; its department id is the one the audit gave it (Finding.department_id),
    not looked up again from its name."""
    first = f.evidence[0] if f.evidence else None
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
        department_id=f.department_id,
        page=first.page if first else None,
        bbox=bbox_column(first.bbox) if first else None,
        evidence=evidence_column([(None, e) for e in f.evidence]),
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
