"""Findings rows as the archive report lists them: message, place and linked evidence."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.validate.crossdoc.facts import DocInfo
from pipeline.validate.crossdoc.rows import FindingRow


@dataclass(frozen=True, slots=True)
class DocLink:
    name: str
    href: str | None


@dataclass(frozen=True, slots=True)
class EvidenceView:
    document: DocLink | None
    page: int | None
    text: str


@dataclass(frozen=True, slots=True)
class FindingView:
    finding_id: str
    rule: str
    severity: str
    message: str
    explanation: str
    department: str
    document: DocLink | None
    place: str  # "附件1 row 3 最终得分"
    evidence: tuple[EvidenceView, ...]


def finding_views(
    findings: Iterable[FindingRow], infos: dict[str, DocInfo], doc_reports: Mapping[str, str]
) -> list[FindingView]:
    return [_view(f, infos, doc_reports) for f in findings]


def _link(
    document_id: Any, infos: dict[str, DocInfo], doc_reports: Mapping[str, str]
) -> DocLink | None:
    if not document_id:
        return None
    info = infos.get(str(document_id))
    name = info.name if info else str(document_id)[:12]
    return DocLink(name, doc_reports.get(str(document_id)))


def _view(f: FindingRow, infos: dict[str, DocInfo], doc_reports: Mapping[str, str]) -> FindingView:
    place = " ".join(
        str(part)
        for part in (f.table, f"row {f.row}" if f.row is not None else None, f.column)
        if part
    )
    return FindingView(
        finding_id=f.finding_id or "",
        rule=f.rule or "",
        severity=f.severity or "",
        message=f.message or "",
        explanation=f.explanation or "",
        department=f.department_id or f.department or "",
        document=_link(f.document_id, infos, doc_reports),
        place=place,
        evidence=tuple(_evidence(f, infos, doc_reports)),
    )


def _evidence(
    f: FindingRow, infos: dict[str, DocInfo], doc_reports: Mapping[str, str]
) -> Iterable[EvidenceView]:
    """Cross-document evidence names its document; a document's own evidence is its own."""
    try:
        items = json.loads(f.evidence) if isinstance(f.evidence, str) else []
    except ValueError:
        items = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        doc = item.get("document_id") or f.document_id
        page = item.get("page")
        yield EvidenceView(
            document=_link(doc, infos, doc_reports),
            page=page if isinstance(page, int) else None,
            text=str(item.get("text") or ""),
        )
