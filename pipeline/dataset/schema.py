"""The dataset's tables: every column with its Table Schema type and what it means.

One declaration feeds all outputs: the Frictionless schema in datapackage.json, the Parquet
types, the SQLite columns and the Datasette column descriptions. docs/dataset.md says the same
in prose. Types are Table Schema v2 names: string, integer, number, boolean, date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.model import ClaimKind


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str
    description: str
    enum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A table: its fields in order, keys, the foreign keys that always resolve, and indexes."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    unique_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field there)
    indexes: tuple[str, ...] = ()
    label: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _s(name: str, description: str, *enum: str) -> Field:
    return Field(name, "string", description, enum)


def _i(name: str, description: str) -> Field:
    return Field(name, "integer", description)


def _n(name: str, description: str) -> Field:
    return Field(name, "number", description)


def _b(name: str, description: str) -> Field:
    return Field(name, "boolean", description)


def _d(name: str, description: str) -> Field:
    return Field(name, "date", description)


KINDS = tuple(k.value for k in ClaimKind)  # the claims table's kinds follow the model's
DOC_ID = _s("document_id", "SHA-256 of the input file's bytes; joins every table to documents")
BOX = (
    _n(
        "x0",
        "left edge of the printed text, PDF points from the page's left (empty without geometry)",
    ),
    _n("top", "top edge, PDF points from the page's top (top-left origin)"),
    _n("x1", "right edge, PDF points from the page's left"),
    _n("bottom", "bottom edge, PDF points from the page's top"),
)
WHERE = (
    _i("page", "1-based page of a PDF; for HTML, DOCX and text the block number"),
    *BOX,
    _s(
        "block_index",
        "JSON list locating the text in its block where there is no geometry: "
        "[row, column] of a table cell, [line] of a paragraph",
    ),
    _s("backend", "the reader that produced the text (pdfplumber, camelot-lattice, html, ...)"),
)
NUMBER = (
    _s(
        "value",
        "the printed digits as an exact decimal string with the printed number of "
        "decimal places (98.10 stays 98.10); read it with Decimal, not float",
    ),
    _n("number", "the same digits as a float, for plotting and quick arithmetic"),
    _b("percent", "the figure was printed with a percent sign: value is in hundredths"),
    _i("scale", "multiplier printed after the digits (10000 for 万); 1 when none"),
    _s("unit", "unit printed after the number (件, 分, 个百分点), empty when none"),
)
PERIOD = (
    _d(
        "period_start",
        "first day of the reporting period (the table's own period when it "
        "prints one, else the document's)",
    ),
    _d("period_end", "last day of the reporting period"),
)

DOCUMENTS = TableSpec(
    "documents",
    "Documents",
    "One row per bulletin read: where it came from, its metadata and a summary of its audit.",
    (
        DOC_ID,
        _s("source", "input path as given to the build"),
        _s("format", "file format read", "pdf", "html", "docx", "text"),
        _i("pages", "pages of a PDF; blocks for HTML, DOCX and text"),
        _s("issuer", "issuing office as printed"),
        _s("district", "district the bulletin covers, as resolved from its text"),
        _s("title", "title as printed"),
        _s("doc_number", "document number as printed, e.g. X政办函〔2019〕40号"),
        _d("period_start", "first day of the period the bulletin reports on"),
        _d("period_end", "last day of that period"),
        _s("period_text", "the period as printed"),
        _d("published", "date printed under the signature"),
        _s(
            "rounding",
            "rounding convention inferred for the document",
            "half_up",
            "half_even",
            "truncate",
        ),
        _i("tables", "tables read from the document"),
        _s("pipeline_version", "version of the pipeline that produced the rows"),
        _i("errors", "findings of severity error"),
        _i("warnings", "findings of severity warning"),
        _i("infos", "findings of severity info"),
        _i("numbers", "printed numbers found in the document"),
        _i("checked", "printed numbers that took part in at least one check"),
    ),
    primary_key=("document_id",),
    indexes=("district", "period_start"),
    label="title",
)

METRICS = TableSpec(
    "metrics",
    "Metrics",
    "Every numeric table cell in long form: one row per (document, table, row, column), with "
    "the row's department, the column's canonical metric, the exact printed value and where it "
    "was printed.",
    (
        DOC_ID,
        _s("table", "the table's attachment label (附件1), else its title"),
        _s("table_title", "the table's title as printed"),
        _i("table_index", "0-based position of the table in the document"),
        _i("row", "the record's body row number in the table"),
        _i("column_index", "0-based column of the cell under the table's header"),
        _s(
            "department",
            "the row's label as printed: its department, its 合计 label for a totals row, its "
            "category in a table without a department column",
        ),
        _s(
            "department_id",
            "canonical department id, <district>/<canonical name>; empty for totals and "
            "for rows of tables without a department column",
        ),
        _b("is_total", "the row is a 合计/总计 row"),
        _b(
            "unaligned",
            "the row had a different cell count and could not be placed under the "
            "columns with confidence; its metric may be wrong",
        ),
        _s(
            "metric",
            "canonical metric of the column (received, completed, rate_completed, ...); "
            "empty when the header is not recognised",
        ),
        _s("header", "the column's header path as printed, levels joined with ' / '"),
        _s("text", "the cell exactly as printed"),
        *NUMBER,
        *WHERE,
        *PERIOD,
    ),
    primary_key=("document_id", "table_index", "row", "column_index"),
    foreign_keys=(
        ("document_id", "documents", "document_id"),
        ("department_id", "departments", "department_id"),
    ),
    indexes=("document_id", "department_id", "metric", "period_start"),
)

CLAIMS = TableSpec(
    "claims",
    "Claims",
    "Figures stated in the narrative text, attached to what they measure, with the sentence "
    "and where it was printed.",
    (
        DOC_ID,
        _i("claim_index", "0-based position of the claim in the document"),
        _s("kind", "what the figure is (mention: departments named without a figure)", *KINDS),
        _s("metric", "canonical metric the figure states, empty when unknown"),
        _s("subject", "what is counted (a category, a channel, 上期), empty when the whole"),
        _s("text", "the number exactly as printed, with its unit"),
        *NUMBER,
        _s("direction", "up/down for growth and points, top/bottom for rank lists"),
        _s("sentence", "the sentence that carries the claim"),
        _i("line", "0-based index of the printed line in the document's lines"),
        _i("section", "index of the numbered section the line is in; empty before the first"),
        *WHERE,
        _s("refers_to", "JSON list of the attachments the sentence points at"),
        _s("scope", "JSON list of the channels the section covers (hotline, mailbox, ...)"),
        _s("names", "JSON list of the departments a rank list names, as printed"),
        _s("department_ids", "JSON list of the canonical ids of those names (null if unresolved)"),
        *PERIOD,
    ),
    primary_key=("document_id", "claim_index"),
    foreign_keys=(("document_id", "documents", "document_id"),),
    indexes=("document_id", "metric"),
)

FINDINGS = TableSpec(
    "findings",
    "Findings",
    "What the audit found: one row per finding of each document, plus the cross-document "
    "findings of the archive (rules ARCH..., document_id empty when they span documents).",
    (
        _s("finding_id", "stable hash of the rule and the place; unique within a document"),
        Field(
            DOC_ID.name,
            "string",
            "document the finding is about; empty for a finding that spans documents",
        ),
        _s(
            "rule",
            "rule code (RATE001, TBL004, ARCH001, ...); docs/audit.md, docs/archive-report.md",
        ),
        _s("severity", "error, warning or info", "error", "warning", "info"),
        _s("message", "what is wrong, in one sentence"),
        _s("reported", "the figure as printed"),
        _s("expected", "the figure the check computes"),
        _s("explanation", "the likely cause, when one explains the difference"),
        _s("table", "table label the finding is about"),
        _i("row", "row number in that table"),
        _s("column", "column header path, levels joined with '/'"),
        _s("department", "department the finding is about, as the rule names it"),
        _s("department_id", "canonical department id when the department resolves"),
        _i("page", "page of the first piece of evidence"),
        _s("bbox", "JSON [x0, top, x1, bottom] of the first piece of evidence, PDF points"),
        _s(
            "evidence",
            "JSON list of every piece of evidence: {page, bbox, text, backend}, and index "
            "([row, column] of a cell or [line]) in HTML, DOCX and text, confidence for OCR",
        ),
    ),
    unique_key=("document_id", "finding_id"),
    foreign_keys=(("document_id", "documents", "document_id"),),
    indexes=("document_id", "department_id", "rule", "severity"),
)

DEPARTMENTS = TableSpec(
    "departments",
    "Departments",
    "Every department seen across the archive: its canonical id and name, every spelling "
    "printed for it, and the periods it appears in.",
    (
        _s(
            "department_id",
            "<district>/<canonical name>, or the canonical name when the district is unknown",
        ),
        _s("name", "canonical name (from the district's gazetteer, else the most common spelling)"),
        _s("district", "district the department belongs to"),
        _s("aliases", "JSON list, sorted, of every spelling printed for it in any document"),
        _i("documents", "number of documents that name it"),
        _d("first_period", "start of the earliest period it appears in"),
        _d("last_period", "end of the latest period it appears in"),
    ),
    primary_key=("department_id",),
    indexes=("district",),
    label="name",
)

DATASET_DIR = "dataset"  # OUT/dataset
TABLES: tuple[TableSpec, ...] = (DOCUMENTS, METRICS, CLAIMS, FINDINGS, DEPARTMENTS)


def table_schema(spec: TableSpec) -> dict[str, Any]:
    """The Table Schema (v2) of one table."""
    fields = []
    for f in spec.fields:
        field: dict[str, Any] = {"name": f.name, "type": f.type, "description": f.description}
        if f.type == "date":
            field["format"] = "default"  # ISO 8601 YYYY-MM-DD
        if f.enum:
            field["constraints"] = {"enum": list(f.enum)}
        if f.name == "value":
            field["constraints"] = {"pattern": r"-?[0-9]+(\.[0-9]+)?"}
        fields.append(field)
    schema: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "fields": fields,
        "missingValues": [""],
    }
    if spec.primary_key:
        schema["primaryKey"] = list(spec.primary_key)
    if spec.unique_key:
        schema["uniqueKeys"] = [list(spec.unique_key)]
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [f], "reference": {"resource": res, "fields": [to]}}
            for f, res, to in spec.foreign_keys
        ]
    return schema
