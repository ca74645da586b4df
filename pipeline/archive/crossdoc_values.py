"""ARCH001: one department's figure for one period, printed differently by two bulletins.

Figures meet only when everything that makes them the same quantity matches: place (district,
city), department, metric, channel (or table label when no channel is named), the weight of a
score column, and the exact period. Two counts must be equal (error); two rounded figures must
have overlapping rounding intervals (else a warning: a rate or score may be recomputed after
publication). A figure restated in a 上月 column is held to the earlier bulletin as a warning,
since offices revise last month's counts. Two files of one bulletin (same number and title)
that differ are a warning about the files. Re-issued bulletins (same issuer and period) are
compared like any other and reported, with the explanation saying which may re-issue which.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from pipeline.archive.crossdoc_facts import (
    DocInfo,
    Figure,
    Key,
    evidence_of,
    finding_row,
    period_label,
    place,
    representative,
)

RULE = "ARCH001"
CORRECTION_WORDS = ("更正", "修订", "修正", "重发", "补充")


def check_values(figs: Iterable[Figure]) -> Iterator[dict[str, Any]]:
    groups: dict[tuple[Key, date, date], list[Figure]] = {}
    for f in figs:
        groups.setdefault((f.key, f.start, f.end), []).append(f)
    for key in sorted(groups):
        per_doc: dict[str, list[Figure]] = {}
        for f in groups[key]:
            per_doc.setdefault(f.doc.document_id, []).append(f)
        if len(per_doc) < 2:
            continue
        docs = sorted(per_doc.values(), key=lambda g: g[0].doc.order)
        for i, earlier in enumerate(docs):
            for later in docs[i + 1 :]:
                yield from (_conflict(a, b) for a, b in _pairs(earlier, later) if not a.agrees(b))


def _pairs(earlier: Sequence[Figure], later: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    """The printings of two documents that should agree.

    Two bulletins of one layout (a re-issue) print the quantity in the same table and column:
    those cells are paired one to one. Otherwise each document's single figure is compared,
    provided its own printings agree; a document that prints two different values for the
    quantity is ambiguous, and its own rules report that.
    """
    by_place: dict[tuple[str, str], Figure] = {}
    for f in sorted(earlier, key=lambda f: (f.table_index, f.row, f.column)):
        by_place.setdefault((f.table, f.header), f)
    same_place = [
        (by_place[(f.table, f.header)], f) for f in later if (f.table, f.header) in by_place
    ]
    if same_place:
        return sorted(same_place, key=lambda p: (p[1].table_index, p[1].row, p[1].column))
    a, b = representative(earlier), representative(later)
    return [(a, b)] if a is not None and b is not None else []


def _conflict(earlier: Figure, later: Figure) -> dict[str, Any]:
    counts = earlier.exact and later.exact
    plain = not (earlier.restated or later.restated or same_bulletin(earlier.doc, later.doc))
    severity = "error" if counts and plain else "warning"
    period = period_label(later.start, later.end)
    kind = "count" if counts else "rounded figure"
    return finding_row(
        RULE,
        severity,
        at=later,
        message=(
            f"{later.department_id} {later.metric} for {period}: {earlier.doc.name} prints "
            f"{earlier.shown}, {later.doc.name} prints {later.shown} ({kind}s that should agree)"
        ),
        explanation=_explanation(earlier, later, counts),
        evidence=[evidence_of(earlier), evidence_of(later)],
        places=[later.department_id, later.metric, period, place(earlier), place(later)],
        reported=later.shown,
        expected=earlier.shown,
    )


def _explanation(earlier: Figure, later: Figure, counts: bool) -> str:
    parts = [
        f"{earlier.where} prints {earlier.shown}; {later.where} prints {later.shown}",
        "counts are exact, so they cannot both be right"
        if counts
        else "their rounding intervals do not overlap, so rounding does not explain it",
    ]
    restated = [f for f in (earlier, later) if f.restated]
    if restated:
        r = restated[0]
        parts.append(
            f"{r.doc.name} restates this period in its {r.column_label} column; offices "
            "sometimes revise last period's figures, so either may be the later truth"
        )
    parts.extend(_relation(earlier.doc, later.doc))
    return "; ".join(parts)


def same_bulletin(a: DocInfo, b: DocInfo) -> bool:
    """Two files of one bulletin (a PDF and its HTML page): same number and title."""
    return (
        bool(a.doc_number)
        and _bare(a.doc_number) == _bare(b.doc_number)
        and _bare(a.title) == _bare(b.title)
    )


def _bare(text: str) -> str:
    """Text without spaces: a PDF and its HTML page space a number differently."""
    return "".join(text.split())


def _relation(a: DocInfo, b: DocInfo) -> list[str]:
    """What links the two bulletins: the same file content in two formats, or a re-issue."""
    if same_bulletin(a, b):
        return [
            "both files carry the same bulletin (same number and title): the difference is in "
            "one of the files or in how it was read"
        ]
    same_period = a.start == b.start and a.end == b.end and a.start is not None
    if a.issuer and a.issuer == b.issuer and same_period:
        corrected = any(w in b.title for w in CORRECTION_WORDS)
        note = " and its title says it corrects" if corrected else ""
        return [
            f"both come from {a.issuer} for the same period: {b.name} may re-issue "
            f"{a.name}{note}; check which figure stands"
        ]
    return []
