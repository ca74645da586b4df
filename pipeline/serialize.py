"""`to_json`/`from_json` of the model: the CLI's two schemas, read back into model values.

`document_to_json` is what `bulletins extract` prints (schema bulletins.document/1),
`audit_to_json` what `bulletins audit --format json` prints (bulletins.audit/3), both as one
line of JSON. The `*_from_json` functions accept that text (or the parsed object) and raise
`ParseError` for another schema or a malformed object.

What the JSON does not carry cannot come back (docs/api.md, "Round trips"):

- a document's non-OCR backends where they differ from its text's: each Source gets its
  table's backend when the table names exactly one, else the document's `backend` (the reader
  of its text: "pdfplumber", "pdfium", "html", ...; the format for a JSON without one);
- the date line's text and place: the restored date span prints the ISO date, page 0, no bbox;
- `unreadable_pages`, `declared_pages` and `date_posted`;
- an audit's Normalized: `audit_from_json` returns an `AuditRecord` (the document's metadata,
  findings and coverage), not an `Audit`;
- the backend of evidence read from a bulletins.audit/1 JSON, which names none: it gets the
  document's format;
- the department identity of a finding read from a bulletins.audit/2 (or /1) JSON, which
  names none: its `department_id` is None.

Whatever the JSON carries comes back, so `x_to_json(x_from_json(text)) == text` for any text
the `*_to_json` functions wrote.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from pipeline.errors import ParseError
from pipeline.model import (
    AttachmentNote,
    Audit,
    AuditRecord,
    Coverage,
    Document,
    Evidence,
    Finding,
    Line,
    Metadata,
    Period,
    RawMetadata,
    Section,
    Severity,
    Source,
    Span,
    Table,
    TextLayer,
)
from pipeline.normalize import resolve_metadata
from pipeline.report.audit_json import AUDIT_SCHEMA, audit_record_json
from pipeline.report.document_json import DOCUMENT_SCHEMA, document_json

# read still: /1's evidence names no backend, /1's and /2's findings no department identity
OLDER_AUDIT_SCHEMAS = ("bulletins.audit/2", "bulletins.audit/1")
JsonInput = str | bytes | Mapping[str, Any]
UNKNOWN_PAGE = 0  # the page of a restored span whose place the JSON does not give


def dumps(data: Mapping[str, Any], indent: int | None = None) -> str:
    """JSON as the CLI prints it: one line, or indented by `indent`."""
    return json.dumps(data, ensure_ascii=False, indent=indent)


def document_to_json(doc: Document, *, indent: int | None = None) -> str:
    """The document as `bulletins extract [--indent N]` prints it (bulletins.document/1)."""
    return dumps(document_json(doc, resolve_metadata(doc)), indent)


def audit_to_json(result: Audit | AuditRecord) -> str:
    """The audit as `bulletins audit --format json` prints it (schema bulletins.audit/3)."""
    return dumps(audit_record_json(result if isinstance(result, AuditRecord) else result.record()))


def _load(data: JsonInput, schema: str, *older: str) -> Mapping[str, Any]:
    """The JSON object of `schema` (or one of the `older` versions still read)."""
    obj = json.loads(data) if isinstance(data, str | bytes) else data
    if not isinstance(obj, Mapping):
        raise ParseError(f"expected a JSON object of schema {schema}, found {type(obj).__name__}")
    found = obj.get("schema")
    if found != schema and found not in older:
        raise ParseError(f"expected schema {schema}, found {found!r}")
    return obj


def _bbox(value: Any) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    x0, top, x1, bottom = (float(v) for v in value)
    return (x0, top, x1, bottom)


def _source(obj: Mapping[str, Any], backend: str) -> Source:
    index = obj.get("index")
    return Source(
        page=int(obj["page"]),
        bbox=_bbox(obj["bbox"]),
        backend=obj.get("backend") or backend,
        index=tuple(index) if index is not None else None,
        confidence=obj.get("confidence"),
    )


def _span(obj: Mapping[str, Any] | None, backend: str) -> Span | None:
    return None if obj is None else Span(obj["text"], _source(obj, backend))


def _cells(rows: Any, backend: str) -> tuple[tuple[Span, ...], ...]:
    return tuple(tuple(Span(c["text"], _source(c, backend)) for c in row) for row in rows)


def _table(obj: Mapping[str, Any], default: str) -> Table:
    backends = obj.get("backends") or []
    backend = backends[0] if len(backends) == 1 else default
    return Table(
        title=obj["title"],
        attachment=obj["attachment"],
        pages=tuple(obj["pages"]),
        header_rows=_cells(obj["header_rows"], backend),
        columns=tuple(tuple(path) for path in obj["columns"]),
        body_rows=_cells(obj["body_rows"], backend),
        notes=tuple(obj["notes"]),
    )


def _raw_metadata(meta: Mapping[str, Any], backend: str) -> RawMetadata:
    published = meta.get("published")
    dated = None
    if published is not None:
        dated = Span(published, Source(UNKNOWN_PAGE, None, backend))
    return RawMetadata(
        issuer=_span(meta["issuer"], backend),
        doc_number=_span(meta["doc_number"], backend),
        title=_span(meta["title"], backend),
        recipients=_span(meta["recipients"], backend),
        signature=_span(meta["signature"], backend),
        date=dated,
    )


def document_from_json(data: JsonInput) -> Document:
    """A Document from schema bulletins.document/1; raises ParseError for another schema."""
    obj = _load(data, DOCUMENT_SCHEMA)
    fmt = obj["format"]
    backend = obj.get("backend") or fmt  # a JSON from before `backend` was written: the format
    return Document(
        path=obj["source"],
        sha256=obj["sha256"],
        format=fmt,
        pages=int(obj["pages"]),
        metadata=_raw_metadata(obj["metadata"], backend),
        sections=tuple(
            Section(s["number"], s["heading"], s["level"], _source(s, backend), s["parent"])
            for s in obj["sections"]
        ),
        lines=tuple(
            Line(ln["text"], _source(ln, backend), ln["section"], ln["paragraph"])
            for ln in obj["lines"]
        ),
        attachment_notes=tuple(
            AttachmentNote(n["label"], n["title"], _source(n, backend))
            for n in obj["attachment_notes"]
        ),
        tables=tuple(_table(t, backend) for t in obj["tables"]),
        warnings=tuple(obj["warnings"]),
        page_sources=tuple(obj.get("page_sources") or ()),
        text_layers=tuple(TextLayer(v) for v in obj.get("text_layers") or ()),
    )


def _period(obj: Mapping[str, Any] | None) -> Period | None:
    if obj is None:
        return None
    return Period(date.fromisoformat(obj["start"]), date.fromisoformat(obj["end"]), obj["text"])


def _metadata(meta: Mapping[str, Any], backend: str) -> Metadata:
    published = meta.get("published")
    return Metadata(
        issuer=_span(meta["issuer"], backend),
        doc_number=_span(meta["doc_number"], backend),
        title=_span(meta["title"], backend),
        recipients=_span(meta["recipients"], backend),
        signature=_span(meta["signature"], backend),
        period=_period(meta["period"]),
        period_source=None,
        published=date.fromisoformat(published) if published else None,
        published_source=None,
        district=meta["district"],
    )


def _evidence(obj: Mapping[str, Any], backend: str) -> Evidence:
    """`backend`: the one a bulletins.audit/1 piece of evidence, which names none, gets."""
    return Evidence(_source(obj, backend), obj["text"])


def _finding(obj: Mapping[str, Any], backend: str) -> Finding:
    return Finding(
        id=obj["id"],
        rule=obj["rule"],
        severity=Severity(obj["severity"]),
        message=obj["message"],
        reported=obj["reported"],
        expected=obj["expected"],
        explanation=obj["explanation"],
        evidence=tuple(_evidence(e, backend) for e in obj["evidence"]),
        table=obj["table"],
        row=obj["row"],
        column=obj["column"],
        department=obj["department"],
        department_id=obj.get("department_id"),
    )


def audit_from_json(data: JsonInput) -> AuditRecord:
    """An AuditRecord from schema bulletins.audit/3, or /2 (whose findings name no department
    identity) or /1 (nor the backend of their evidence: each piece gets the document's format);
    raises ParseError for another schema."""
    obj = _load(data, AUDIT_SCHEMA, *OLDER_AUDIT_SCHEMAS)
    doc = obj["document"]
    cov = obj["coverage"]
    fmt = doc["format"]
    pages = int(doc["pages"])
    return AuditRecord(
        source=doc["source"],
        sha256=doc["sha256"],
        format=fmt,
        pages=pages,
        metadata=_metadata(doc, fmt),
        findings=tuple(_finding(f, fmt) for f in obj["findings"]),
        coverage=Coverage(
            numbers=int(cov["numbers"]),
            checked=int(cov["checked"]),
            unchecked=tuple(_evidence(e, fmt) for e in cov["unchecked"]),
        ),
        # absent: a PDF declares the pages read (report/audit_json.declared_pages_json)
        declared_pages=doc.get("declared_pages", pages if fmt == "pdf" else None),
    )
