"""What the archive report needs of the documents, gathered in one pass, one document at a time.

The page counts every finding but lists only the first LISTED_PER_RULE of each rule, so a
rule's tally keeps counts, the documents it fired in and the first findings in page order;
each department keeps its score and rank points. Nothing else of a document outlives its turn.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.report.archive.departments import DepartmentSeries, SeriesBuilder
from pipeline.validate.crossdoc.facts import DocInfo
from pipeline.validate.crossdoc.view import Documents

SEVERITIES = ("error", "warning", "info")
LISTED_PER_RULE = 200  # findings listed under each rule; the rest are in the dataset and reports

Counts = tuple[int, int, int]  # errors, warnings, infos


def severity_counts(findings: Iterable[Mapping[str, Any]]) -> Counts:
    c = Counter(f.get("severity") for f in findings)
    return c["error"], c["warning"], c["info"]


def finding_order(f: Mapping[str, Any]) -> tuple[Any, ...]:
    """How a rule's findings are listed: by severity, document, page, id."""
    severity = SEVERITIES.index(f["severity"]) if f.get("severity") in SEVERITIES else 3
    return (severity, str(f.get("document_id") or ""), f.get("page") or 0, str(f.get("finding_id")))


class RuleTally:
    """One rule's findings: counted all, the first `listed` (in finding_order) kept."""

    def __init__(self, listed: int = LISTED_PER_RULE) -> None:
        self.severities: Counter[Any] = Counter()
        self.documents: set[Any] = set()
        self._listed = listed
        self._kept: list[dict[str, Any]] = []

    def add(self, f: dict[str, Any]) -> None:
        self.severities[f.get("severity")] += 1
        self.documents.add(f.get("document_id"))
        self._kept.append(f)
        if len(self._kept) >= 2 * self._listed + 64:
            self._kept = self.first()

    def first(self) -> list[dict[str, Any]]:
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
    archive: Iterable[dict[str, Any]],
    rule_codes: Iterable[str],
) -> ReportFacts:
    """One pass over `unique` (one document per id, see stored.py); `rule_codes` always appear."""
    rules = {code: RuleTally() for code in rule_codes}
    for f in archive:
        rules.setdefault(str(f.get("rule")), RuleTally()).add(f)
    counts: dict[str, Counts] = {}
    local = Counter[str]()
    series = SeriesBuilder()
    for head, doc in zip(unique.heads, unique, strict=True):
        findings = doc.get("findings", [])
        counts[head["document_id"]] = own = severity_counts(findings)
        local.update(dict(zip(SEVERITIES, own, strict=True)))
        for f in findings:
            rules.setdefault(str(f.get("rule")), RuleTally()).add(f)
        series.add(doc, infos[head["document_id"]])
    return ReportFacts(
        documents=len(unique),
        counts=counts,
        local=(local["error"], local["warning"], local["info"]),
        rules=rules,
        series=series.series(),
    )
