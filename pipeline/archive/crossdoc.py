"""Checks across the documents of an archive: rules ARCH001-ARCH004.

Each document is audited on its own (pipeline/validate); these rules read the stored rows of
many documents at once and report what no single bulletin shows: a figure printed differently
by two bulletins, a cumulative figure that is not the sum of its months, a year-to-date total
that falls, a department kept in the bottom group. ARCH001-ARCH003 give one finding per pair
of bulletins and period, counting the figures compared and differing (a large archive would
otherwise give one per cell). The findings have the findings table's columns; `document_id` is
the later document involved. Rules and reasoning: docs/archive-report.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.archive.crossdoc_facts import (
    DocInfo,
    DocumentRows,
    Figure,
    doc_infos,
    document_figures,
)
from pipeline.archive.crossdoc_ranks import Placement, check_bottom_runs, document_placements
from pipeline.archive.crossdoc_series import check_sums, check_year_to_date
from pipeline.archive.crossdoc_values import check_values
from pipeline.archive.stored import Documents, unique_documents

# code -> (severity, what holds when the rule is silent). ARCH001 lowers itself to a warning
# for rounded figures, restated figures and two files of one bulletin.
RULES: dict[str, tuple[str, str]] = {
    "ARCH001": (
        "error",
        "a department's figure for a period is printed the same by every bulletin that prints it",
    ),
    "ARCH002": (
        "error",
        "a count over several months equals the sum of the same department's monthly counts",
    ),
    "ARCH003": ("error", "a year-to-date count does not fall from one period to the next"),
    "ARCH004": (
        "info",
        "no department stays in the bottom group of the ranking three periods running",
    ),
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def archive_findings(docs: Sequence[DocumentRows]) -> list[dict[str, Any]]:
    """Cross-document findings over `docs` (duplicates of one document id count once).

    Deterministic: the same documents in any order give the same rows in the same order.
    Figures only ever meet within one place (scope), so the documents are read place by
    place, one at a time, and only one place's figures are held at once.
    """
    unique = unique_documents(docs)
    infos = doc_infos(unique.heads)
    found: list[dict[str, Any]] = []
    for members in _by_scope(unique, infos):
        figs: list[Figure] = []
        placements: list[Placement] = []
        for i in members:
            doc = unique[i]
            info = infos[unique.heads[i]["document_id"]]
            figs.extend(document_figures(doc, info))
            placements.extend(document_placements(doc, info))
        found += [
            *check_values(figs),
            *check_sums(figs),
            *check_year_to_date(figs),
            *check_bottom_runs(placements),
        ]
    return sorted(found, key=_order)


def _by_scope(unique: Documents, infos: dict[str, DocInfo]) -> list[list[int]]:
    """Positions of the documents of each place, places in name order, documents in id order."""
    scopes: dict[str, list[int]] = {}
    for i, head in enumerate(unique.heads):
        scopes.setdefault(infos[head["document_id"]].scope, []).append(i)
    return [scopes[k] for k in sorted(scopes)]


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["rule"],
        SEVERITY_ORDER[row["severity"]],
        row["document_id"] or "",
        row["finding_id"],
    )
