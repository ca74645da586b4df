"""The public JSON of an extracted document (`bulletins extract`), schema in docs/."""

from __future__ import annotations

from typing import Any

from pipeline.model import (
    AttachmentNote,
    Document,
    Line,
    Metadata,
    Section,
    Source,
    Span,
    Table,
    bbox_to_json,
)

DOCUMENT_SCHEMA = "bulletins.document/1"


def where(source: Source) -> dict[str, Any]:
    """Page and bbox (PDF points, top-left origin, 2 decimals) of a source.

    Formats without geometry add `index`: (row, column) of a cell or (line,) in its block.
    Text read by OCR adds `backend` ("ocr-rapidocr") and the engine's `confidence`.
    """
    found: dict[str, Any] = {"page": source.page, "bbox": bbox_to_json(source.bbox)}
    if source.index is not None:
        found["index"] = list(source.index)
    if source.backend.startswith("ocr"):
        found["backend"] = source.backend
        found["confidence"] = source.confidence
    return found


def span_json(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"text": span.text, **where(span.source)}


def metadata_json(meta: Metadata) -> dict[str, Any]:
    period = meta.period
    return {
        "issuer": span_json(meta.issuer),
        "doc_number": span_json(meta.doc_number),
        "title": span_json(meta.title),
        "recipients": span_json(meta.recipients),
        "signature": span_json(meta.signature),
        "district": meta.district,
        "period": None
        if period is None
        else {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "text": period.text,
        },
        "published": meta.published.isoformat() if meta.published else None,
    }


def section_json(section: Section) -> dict[str, Any]:
    return {
        "number": section.number,
        "heading": section.heading,
        "level": section.level,
        "parent": section.parent,
        **where(section.source),
    }


def line_json(line: Line) -> dict[str, Any]:
    return {
        "text": line.text,
        **where(line.source),
        "section": line.section,
        "paragraph": line.paragraph,
    }


def note_json(note: AttachmentNote) -> dict[str, Any]:
    return {"label": note.label, "title": note.title, **where(note.source)}


def table_json(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "attachment": table.attachment,
        "pages": list(table.pages),
        "backends": sorted({c.source.backend for row in table.body_rows for c in row}),
        "header_rows": [[span_json(c) for c in row] for row in table.header_rows],
        "columns": [list(path) for path in table.columns],
        "body_rows": [[span_json(c) for c in row] for row in table.body_rows],
        "notes": list(table.notes),
    }


def document_json(doc: Document, meta: Metadata) -> dict[str, Any]:
    """The whole document as printed, with resolved metadata."""
    return {
        "schema": DOCUMENT_SCHEMA,
        "source": doc.path,
        "sha256": doc.sha256,
        "format": doc.format,
        "backend": doc.text_backend,
        "pages": doc.pages,
        "page_sources": list(doc.page_sources),
        "text_layers": [str(layer) for layer in doc.text_layers],
        "metadata": metadata_json(meta),
        "sections": [section_json(s) for s in doc.sections],
        "lines": [line_json(ln) for ln in doc.lines],
        "attachment_notes": [note_json(n) for n in doc.attachment_notes],
        "tables": [table_json(t) for t in doc.tables],
        "warnings": list(doc.warnings),
    }
