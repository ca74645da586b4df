"""OUT/report/index.html: the archive at a glance, by rule, by document and by department.

The page is self-contained: inline CSS, a CJK font subset to its text (the charts' labels
included), the department charts as inline SVG (also written to OUT/report/charts/ for use
on their own), no script. Every string that comes from a document goes through Jinja2 with
autoescaping on. Everything is sorted, and the page carries no time
stamp, so the same rows give the same bytes. What each section shows: docs/archive-report.md.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from pipeline.report.archive.departments import CHART_LIMIT, DepartmentSeries, draw_charts
from pipeline.report.archive.findings import FindingView, finding_views
from pipeline.report.archive.tally import (
    Counts,
    ReportFacts,
    RuleTally,
    gather,
    severity_counts,
)
from pipeline.report.fonts import FAMILY, embed_font
from pipeline.validate.crossdoc.facts import DocInfo, doc_infos
from pipeline.validate.crossdoc.rows import DocumentRows, FindingRow
from pipeline.validate.crossdoc.view import Head, unique_documents
from pipeline.validate.registry import RULES, ArchiveRule

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE = "archive.html.j2"
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
    archive: Sequence[FindingRow],
    doc_reports: Mapping[str, str],
    *,
    chart_limit: int = CHART_LIMIT,
    previous_charts: Iterable[str] = (),
) -> Path:
    """Write OUT/report/index.html and OUT/report/charts/*.svg; return the page's path.

    `doc_reports` maps a document id to its own report's href relative to OUT/report/;
    at most `chart_limit` department charts are drawn. The documents are read once, one at
    a time (tally.py). `previous_charts` are the file names in the charts folder an
    earlier build drew: they are removed first so that none lingers; nothing else there is.
    """
    report_dir = out / "report"
    unique = unique_documents(docs)
    infos = doc_infos(unique.heads)
    facts = gather(unique, infos, archive, sorted(archive_codes()))
    charts_dir = report_dir / "charts"
    report_dir.mkdir(parents=True, exist_ok=True)
    for name in previous_charts:
        (charts_dir / Path(name).name).unlink(missing_ok=True)
    series, uncharted = draw_charts(facts.series, charts_dir, chart_limit)
    html = render(unique.heads, infos, facts, archive, doc_reports, series, uncharted, chart_limit)
    target = report_dir / "index.html"
    tmp = target.with_name(f".index.html.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target


def render(
    heads: Sequence[Head],
    infos: dict[str, DocInfo],
    facts: ReportFacts,
    archive: Sequence[FindingRow],
    doc_reports: Mapping[str, str],
    series: Sequence[DepartmentSeries],
    uncharted: int,
    chart_limit: int = CHART_LIMIT,
) -> str:
    """The page as a string (charts must already be drawn where `series` says)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = env.get_template(TEMPLATE).render(
        font_family=FAMILY,
        summary=summary(heads, infos, facts.local, archive),
        rules=rule_rows(facts.rules, infos, doc_reports),
        documents=document_rows(heads, facts.counts, infos, archive, doc_reports),
        departments=series,
        charted=sum(1 for s in series if s.chart),
        uncharted=uncharted,
        chart_limit=chart_limit,
        doc_reports=doc_reports,
        fold_after=FOLD_AFTER,
    )
    return embed_font(page)  # issue 14: Chinese renders without the reader's fonts


def summary(
    heads: Sequence[Head],
    infos: dict[str, DocInfo],
    local: Counts,
    archive: Sequence[FindingRow],
) -> dict[str, Any]:
    periods = sorted({(i.start, i.end) for i in infos.values() if i.start and i.end})
    districts = Counter(i.district or "(unknown)" for i in infos.values())
    formats = Counter(h.format or "?" for h in heads)
    return {
        "documents": len(heads),
        "formats": sorted(formats.items()),
        "periods": len(periods),
        "first": periods[0][0].isoformat() if periods else None,
        "last": max(p[1] for p in periods).isoformat() if periods else None,
        "undated": sum(1 for i in infos.values() if not (i.start and i.end)),
        "districts": sorted(districts.items()),
        "local": local,
        "archive": severity_counts(archive),
    }


def rule_rows(
    tallies: Mapping[str, RuleTally], infos: dict[str, DocInfo], doc_reports: Mapping[str, str]
) -> list[RuleRow]:
    """Archive rules first (every one, even when silent), then each document rule that fired."""
    rows = []
    archive_rules = archive_codes()
    for code in sorted(tallies, key=lambda c: (c not in archive_rules, c)):
        tally = tallies[code]
        rows.append(
            RuleRow(
                code=code,
                scope="archive" if code in archive_rules else "document",
                description=_description(code),
                counts=tally.counts,
                documents=len(tally.documents),
                findings=tuple(finding_views(tally.first(), infos, doc_reports)),
            )
        )
    return rows


def archive_codes() -> frozenset[str]:
    """The codes of the registry's cross-document rules (ARCH...)."""
    return frozenset(code for code, r in RULES.items() if isinstance(r, ArchiveRule))


def _description(code: str) -> str:
    rule = RULES.get(code)
    return rule.title if rule is not None else ""


def document_rows(
    heads: Sequence[Head],
    counts: Mapping[str, Counts],
    infos: dict[str, DocInfo],
    archive: Sequence[FindingRow],
    doc_reports: Mapping[str, str],
) -> list[DocumentRow]:
    """One row per document, by district, period, title and id."""
    pointed = Counter(f.document_id for f in archive)
    rows = []
    for row in heads:
        info = infos[row.document_id]
        rows.append(
            DocumentRow(
                info=info,
                format=row.format or "",
                period=row.period_text or _period(info),
                counts=counts[info.document_id],
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
