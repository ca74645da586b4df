"""OUT/report/index.html: the archive at a glance, by rule, by document and by department.

The page is self-contained (inline CSS, no script) apart from the department charts in
OUT/report/charts/. Every string that comes from a document goes through Jinja2 with
autoescaping on. Everything is sorted, and the page carries no time stamp, so the same rows
give the same bytes. What each section shows: docs/archive-report.md.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from pipeline.archive.crossdoc import RULES as ARCHIVE_RULES
from pipeline.archive.crossdoc_facts import DocInfo, DocumentRows, doc_infos, unique_documents
from pipeline.archive.report_departments import (
    CHART_LIMIT,
    DepartmentSeries,
    department_series,
    draw_charts,
)
from pipeline.archive.report_findings import FindingView, finding_views
from pipeline.validate.registry import RULES as DOCUMENT_RULES

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "archive.html.j2"
SEVERITIES = ("error", "warning", "info")
LISTED_PER_RULE = 200  # findings listed under each rule; the rest are in the dataset and reports
FOLD_AFTER = 12  # a department table with more bulletins starts folded (<details>)


@dataclass(frozen=True, slots=True)
class RuleRow:
    code: str
    scope: str  # "archive" (ARCH rules) or "document"
    description: str
    counts: tuple[int, int, int]  # errors, warnings, infos
    documents: int
    findings: tuple[FindingView, ...]  # the first LISTED_PER_RULE

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    info: DocInfo
    format: str
    period: str
    counts: tuple[int, int, int]
    archive: int  # cross-document findings that point at this document
    href: str | None


def write_archive_report(
    out: Path,
    docs: Sequence[DocumentRows],
    archive: Sequence[dict[str, Any]],
    doc_reports: Mapping[str, str],
    *,
    chart_limit: int = CHART_LIMIT,
) -> Path:
    """Write OUT/report/index.html and OUT/report/charts/*.svg; return the page's path.

    `doc_reports` maps a document id to its own report's href relative to OUT/report/;
    at most `chart_limit` department charts are drawn.
    The charts folder is rebuilt from scratch so that no chart of an earlier build lingers.
    """
    report_dir = out / "report"
    unique = unique_documents(docs)
    infos = doc_infos(unique)
    charts_dir = report_dir / "charts"
    report_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(charts_dir, ignore_errors=True)
    series, uncharted = draw_charts(department_series(unique, infos), charts_dir, chart_limit)
    html = render(unique, infos, archive, doc_reports, series, uncharted, chart_limit)
    target = report_dir / "index.html"
    tmp = target.with_name(f".index.html.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target


def render(
    docs: Sequence[DocumentRows],
    infos: dict[str, DocInfo],
    archive: Sequence[dict[str, Any]],
    doc_reports: Mapping[str, str],
    series: Sequence[DepartmentSeries],
    uncharted: int,
    chart_limit: int = CHART_LIMIT,
) -> str:
    """The page as a string (charts must already be drawn where `series` says)."""
    local = [f for d in docs for f in d.get("findings", [])]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(TEMPLATE).render(
        summary=summary(docs, infos, local, archive),
        rules=rule_rows(local, archive, infos, doc_reports),
        documents=document_rows(docs, infos, archive, doc_reports),
        departments=series,
        charted=sum(1 for s in series if s.chart),
        uncharted=uncharted,
        chart_limit=chart_limit,
        doc_reports=doc_reports,
        fold_after=FOLD_AFTER,
    )


def summary(
    docs: Sequence[DocumentRows],
    infos: dict[str, DocInfo],
    local: Sequence[dict[str, Any]],
    archive: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    periods = sorted({(i.start, i.end) for i in infos.values() if i.start and i.end})
    districts = Counter(i.district or "(unknown)" for i in infos.values())
    formats = Counter(str(d["documents"][0].get("format") or "?") for d in docs)
    return {
        "documents": len(docs),
        "formats": sorted(formats.items()),
        "periods": len(periods),
        "first": periods[0][0].isoformat() if periods else None,
        "last": max(p[1] for p in periods).isoformat() if periods else None,
        "undated": sum(1 for i in infos.values() if not (i.start and i.end)),
        "districts": sorted(districts.items()),
        "local": _counts(local),
        "archive": _counts(archive),
    }


def _counts(findings: Iterable[dict[str, Any]]) -> tuple[int, int, int]:
    c = Counter(f.get("severity") for f in findings)
    return c["error"], c["warning"], c["info"]


def rule_rows(
    local: Sequence[dict[str, Any]],
    archive: Sequence[dict[str, Any]],
    infos: dict[str, DocInfo],
    doc_reports: Mapping[str, str],
) -> list[RuleRow]:
    """Archive rules first (every one, even when silent), then each document rule that fired."""
    by_rule: dict[str, list[dict[str, Any]]] = {code: [] for code in ARCHIVE_RULES}
    for f in [*archive, *local]:
        by_rule.setdefault(str(f.get("rule")), []).append(f)
    rows = []
    for code in sorted(by_rule, key=lambda c: (c not in ARCHIVE_RULES, c)):
        found = sorted(by_rule[code], key=_finding_order)
        rows.append(
            RuleRow(
                code=code,
                scope="archive" if code in ARCHIVE_RULES else "document",
                description=_description(code),
                counts=_counts(found),
                documents=len({f.get("document_id") for f in found}),
                findings=tuple(finding_views(found[:LISTED_PER_RULE], infos, doc_reports)),
            )
        )
    return rows


def _description(code: str) -> str:
    if code in ARCHIVE_RULES:
        return ARCHIVE_RULES[code][1]
    rule = DOCUMENT_RULES.get(code)
    return rule.title if rule is not None else ""


def _finding_order(f: dict[str, Any]) -> tuple[Any, ...]:
    severity = SEVERITIES.index(f["severity"]) if f.get("severity") in SEVERITIES else 3
    return (severity, str(f.get("document_id") or ""), f.get("page") or 0, str(f.get("finding_id")))


def document_rows(
    docs: Sequence[DocumentRows],
    infos: dict[str, DocInfo],
    archive: Sequence[dict[str, Any]],
    doc_reports: Mapping[str, str],
) -> list[DocumentRow]:
    """One row per document, by district, period, title and id."""
    pointed = Counter(f.get("document_id") for f in archive)
    rows = []
    for doc in docs:
        row = doc["documents"][0]
        info = infos[row["document_id"]]
        rows.append(
            DocumentRow(
                info=info,
                format=str(row.get("format") or ""),
                period=str(row.get("period_text") or _period(info)),
                counts=_counts(doc.get("findings", [])),
                archive=pointed[info.document_id],
                href=doc_reports.get(info.document_id),
            )
        )
    return sorted(rows, key=_document_order)


def _period(info: DocInfo) -> str:
    if info.start and info.end:
        return f"{info.start.isoformat()}..{info.end.isoformat()}"
    return ""


def _document_order(r: DocumentRow) -> tuple[str, str, str, str]:
    i = r.info
    return (i.district or "", i.start.isoformat() if i.start else "", i.title, i.document_id)
