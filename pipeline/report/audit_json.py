"""The audit contract (`bulletins audit --format json`), documented in docs/audit-json.md."""

from __future__ import annotations

from typing import Any

from pipeline.model import Audit, AuditRecord, Coverage, Finding, evidence_to_json
from pipeline.report.document_json import metadata_json

# /2: every piece of evidence names the backend that read it (and an OCR engine's confidence)
# /3: a finding about a department names its identity (`department_id`) beside its name
AUDIT_SCHEMA = "bulletins.audit/3"


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "reported": f.reported,
        "expected": f.expected,
        "explanation": f.explanation,
        "evidence": [evidence_to_json(e) for e in f.evidence],
        "table": f.table,
        "row": f.row,
        "column": f.column,
        "department": f.department,
        "department_id": f.department_id,
    }


def coverage_json(c: Coverage) -> dict[str, Any]:
    return {
        "numbers": c.numbers,
        "checked": c.checked,
        "unchecked": [evidence_to_json(e) for e in c.unchecked],
    }


def audit_json(result: Audit) -> dict[str, Any]:
    """One document's audit as the JSON object printed on one line."""
    return audit_record_json(result.record())


def declared_pages_json(record: AuditRecord) -> dict[str, int]:
    """`declared_pages` only for a PDF that declares other than the pages read: its absence
    means the pages read are the pages declared (or the file declares no usable count, as
    for a Document read back from its JSON, which does not carry it), so the JSON of every
    whole file stays as it was before the key existed."""
    declared = record.declared_pages
    if record.format != "pdf" or declared is None or declared == record.pages:
        return {}
    return {"declared_pages": declared}


def audit_record_json(record: AuditRecord) -> dict[str, Any]:
    """The audit JSON of what an audit keeps (an Audit's, or one read back from JSON)."""
    return {
        "schema": AUDIT_SCHEMA,
        "document": {
            **metadata_json(record.metadata),
            "source": record.source,
            "sha256": record.sha256,
            "format": record.format,
            "pages": record.pages,
            **declared_pages_json(record),
        },
        "findings": [finding_json(f) for f in record.findings],
        "coverage": coverage_json(record.coverage),
    }
