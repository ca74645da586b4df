"""Checks across the documents of an archive: rules ARCH001-ARCH004.

Each document is audited on its own (pipeline/validate); these rules read the stored rows of
many documents at once and report what no single bulletin shows: a figure printed differently
by two bulletins, a cumulative figure that is not the sum of its months, a year-to-date total
that falls, a department kept in the bottom group. ARCH001-ARCH003 give one finding per pair
of bulletins and period, counting the figures compared and differing (a large archive would
otherwise give one per cell). The findings have the findings table's columns; `document_id` is
the later document involved. The rules are registered in
pipeline/validate/crossdoc/rules.py; rules and reasoning: docs/archive-report.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Severity
from pipeline.validate.crossdoc import rules as _rules  # noqa: F401  (registers ARCH001-004)
from pipeline.validate.crossdoc.facts import DocInfo, doc_infos, document_figures
from pipeline.validate.crossdoc.place import Place
from pipeline.validate.crossdoc.ranks import document_placements
from pipeline.validate.crossdoc.rows import DocumentRows, FindingRow
from pipeline.validate.crossdoc.view import Documents, unique_documents
from pipeline.validate.registry import ArchiveRule, archive_rules


def archive_findings(
    docs: Sequence[DocumentRows], *, rules: Sequence[ArchiveRule] | None = None
) -> list[FindingRow]:
    """Cross-document findings over `docs` (duplicates of one document id count once), by
    every registered archive rule or those given.

    Deterministic: the same documents in any order give the same rows in the same order.
    Figures only ever meet within one place (scope), so the documents are read place by
    place, one at a time, and only one place's figures are held at once.
    """
    chosen = archive_rules() if rules is None else list(rules)
    unique = unique_documents(docs)
    infos = doc_infos(unique.heads)
    found: list[FindingRow] = []
    for members in _by_scope(unique, infos):
        place = _place(unique, infos, members)
        for r in chosen:
            found.extend(r.check(place))
    return sorted(found, key=_order)


def _place(unique: Documents, infos: dict[str, DocInfo], members: Sequence[int]) -> Place:
    """The figures and placements of one place's documents, read one document at a time."""
    documents = [infos[unique.heads[i].document_id] for i in members]
    figures, placements = [], []
    for i, info in zip(members, documents, strict=True):
        doc = unique[i]
        figures.extend(document_figures(doc, info))
        placements.extend(document_placements(doc, info))
    return Place(documents[0].scope, tuple(documents), tuple(figures), tuple(placements))


def _by_scope(unique: Documents, infos: dict[str, DocInfo]) -> list[list[int]]:
    """Positions of the documents of each place, places in name order, documents in id order."""
    scopes: dict[str, list[int]] = {}
    for i, head in enumerate(unique.heads):
        scopes.setdefault(infos[head.document_id].scope, []).append(i)
    return [scopes[k] for k in sorted(scopes)]


def _order(row: FindingRow) -> tuple[str, int, str, str]:
    return (row.rule, Severity(row.severity).rank, row.document_id or "", row.finding_id)
