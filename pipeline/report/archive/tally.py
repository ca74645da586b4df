"""What the archive report needs of the documents, gathered in one pass, one document at a time.

The page counts every finding but lists only the first LISTED_PER_RULE of each rule, so a
rule's tally keeps counts, the documents it fired in and the first findings in page order;
each department keeps its score and rank points. Nothing else of a document outlives its turn.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.model import Severity
from pipeline.report.archive.departments import DepartmentSeries, SeriesBuilder
from pipeline.validate.crossdoc.facts import DocInfo
from pipeline.validate.crossdoc.rows import FindingRow
from pipeline.validate.crossdoc.view import Documents

SEVERITIES = tuple(s.value for s in Severity)  # in Severity's order: error, warning, info
LISTED_PER_RULE = 200  # findings listed under each rule; the rest are in the dataset and reports

Counts = tuple[int, int, int]  # errors, warnings, infos


def severity_counts(findings: Iterable[FindingRow]) -> Counts:
    c = Counter(f.severity for f in findings)
    return c["error"], c["warning"], c["info"]


def finding_order(f: FindingRow) -> tuple[int, str, int, str]:
    """How a rule's findings are listed: by severity, document, page, id."""
    severity = SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 3
    return (severity, f.document_id or "", f.page or 0, f.finding_id)


class RuleTally:
    """One rule's findings: counted all, the first `listed` (in finding_order) kept."""

    def __init__(self, listed: int = LISTED_PER_RULE) -> None:
        self.severities: Counter[str] = Counter()
        self.documents: set[str | None] = set()
        self._listed = listed
        self._kept: list[FindingRow] = []

    def add(self, f: FindingRow) -> None:
        self.severities[f.severity] += 1
        self.documents.add(f.document_id)
        self._kept.append(f)
        if len(self._kept) >= 2 * self._listed + 64:
            self._kept = self.first()

    def first(self) -> list[FindingRow]:
        """sorted(all findings added, key=finding_order)[:listed]: nsmallest is that, stably,
        and a kept prefix still precedes every later finding that ties with it."""
        return heapq.nsmallest(self._listed, self._kept, key=finding_order)

    @property
    def counts(self) -> Counts:
        return self.severities["error"], self.severities["warning"], self.severities["info"]


@dataclass(frozen=True, slots=True)
class ReportFacts:
    documents: int
    counts: dict[str, Counts]  # document id -> its own findings by severity
    local: Counts  # every document's own findings by severity
    rules: dict[str, RuleTally]  # rule code -> tally, cross-document findings first
    series: list[DepartmentSeries]


def gather(
    unique: Documents,
    infos: dict[str, DocInfo],
    archive: Iterable[FindingRow],
    rule_codes: Iterable[str],
) -> ReportFacts:
    """One pass over `unique` (one document per id, see stored.py); `rule_codes` always appear."""
    rules = {code: RuleTally() for code in rule_codes}
    for f in archive:
        rules.setdefault(f.rule, RuleTally()).add(f)
    counts: dict[str, Counts] = {}
    local = Counter[str]()
    series = SeriesBuilder()
    for head, doc in zip(unique.heads, unique, strict=True):
        counts[head.document_id] = own = severity_counts(doc.findings)
        local.update(dict(zip(SEVERITIES, own, strict=True)))
        for f in doc.findings:
            rules.setdefault(f.rule, RuleTally()).add(f)
        series.add(doc, infos[head.document_id])
    return ReportFacts(
        documents=len(unique),
        counts=counts,
        local=(local["error"], local["warning"], local["info"]),
        rules=rules,
        series=series.series(),
    )
