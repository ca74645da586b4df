"""ARCH001: one department's figure for one period, printed differently by two bulletins.

Figures meet only when everything that makes them the same quantity matches: place (district,
city), department, metric, channel (or table label when no channel is named), the weight of a
score column, and the exact period. Two counts must be equal (error); two rounded figures must
have overlapping rounding intervals (else a warning: a rate or score may be recomputed after
publication). A figure restated in a 上月 column is held to the earlier bulletin as a warning,
since offices revise last month's counts. Two files of one bulletin (same number and title)
that differ are a warning about the files. Re-issued bulletins (same issuer and period) are
compared like any other and reported, with the explanation saying which may re-issue which.
The figures two bulletins share for one period make one finding: how many differ of how many,
an error when any differing pair is two counts that must be equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from pipeline.validate.crossdoc.facts import (
    DocInfo,
    Figure,
    Key,
    evidence_of,
    finding_row,
    period_label,
    representative,
)
from pipeline.validate.crossdoc.rows import FindingRow

RULE = "ARCH001"
SHOWN = 5  # differing figures written out in a finding; the message counts them all
CORRECTION_WORDS = ("更正", "修订", "修正", "重发", "补充")


def check_values(figs: Iterable[Figure]) -> Iterator[FindingRow]:
    """One finding per two bulletins and period in which some shared figure differs."""
    tallies: dict[tuple[int, int, date, date], _Tally] = {}
    for key, group in sorted(_quantities(figs).items()):
        docs = sorted(group.values(), key=lambda g: g[0].doc.order)
        for i, earlier in enumerate(docs):
            for later in docs[i + 1 :]:
                pair = (earlier[0].doc.order, later[0].doc.order, key[1], key[2])
                tally = tallies.setdefault(pair, _Tally([], []))
                for a, b in _pairs(earlier, later):
                    (tally.agreeing if a.agrees(b) else tally.differing).append((a, b))
    for pair in sorted(tallies):
        if tallies[pair].differing:
            yield _pair_finding(tallies[pair])


@dataclass(frozen=True, slots=True)
class _Tally:
    """The shared figures of two bulletins for one period, split by whether they agree."""

    agreeing: list[tuple[Figure, Figure]]
    differing: list[tuple[Figure, Figure]]


def _quantities(figs: Iterable[Figure]) -> dict[tuple[Key, date, date], dict[str, list[Figure]]]:
    """(key, start, end) -> document id -> that document's printings of the quantity."""
    out: dict[tuple[Key, date, date], dict[str, list[Figure]]] = {}
    for f in figs:
        out.setdefault((f.key, f.start, f.end), {}).setdefault(f.doc.document_id, []).append(f)
    return {k: v for k, v in out.items() if len(v) >= 2}


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


def _pair_finding(tally: _Tally) -> FindingRow:
    """The finding for two bulletins and one period: how many shared figures differ, the first
    few written out (counts that would be errors first)."""
    ranked = sorted(tally.differing, key=lambda p: not _is_error(*p))
    earlier, later = ranked[0]
    period = period_label(later.start, later.end)
    compared = len(tally.agreeing) + len(ranked)
    counts = sum(1 for a, b in ranked if a.exact and b.exact)
    district = later.doc.district or later.doc.scope
    shown = ranked[:SHOWN]
    return finding_row(
        RULE,
        "error" if _is_error(earlier, later) else "warning",
        at=later,
        message=(
            f"{earlier.doc.name} and {later.doc.name} both report {district} {period}: "
            f"{len(ranked)} of {compared} shared figures differ ({_kinds(counts, len(ranked))})"
        ),
        explanation=_explanation(ranked, shown),
        evidence=[e for a, b in shown for e in (evidence_of(a), evidence_of(b))],
        places=[earlier.doc.document_id, later.doc.document_id, period],
        reported=later.shown,
        expected=earlier.shown,
    )


def _kinds(counts: int, differing: int) -> str:
    if counts == differing:
        return "all counts"
    return f"{counts} of them counts" if counts else "rounded figures only"


def _is_error(earlier: Figure, later: Figure) -> bool:
    """Two counts printed for their own period by two different bulletins."""
    plain = not (earlier.restated or later.restated or same_bulletin(earlier.doc, later.doc))
    return earlier.exact and later.exact and plain


def _explanation(
    ranked: Sequence[tuple[Figure, Figure]], shown: Sequence[tuple[Figure, Figure]]
) -> str:
    counts = sum(1 for a, b in ranked if a.exact and b.exact)
    parts = []
    if counts:
        parts.append(f"{counts} counts differ, and counts are exact, so both cannot be right")
    if len(ranked) > counts:
        parts.append(
            f"{len(ranked) - counts} rounded figures differ beyond what rounding explains "
            "(their rounding intervals do not overlap)"
        )
    parts += [
        f"{b.department_id} {b.metric}: {a.where} prints {a.shown}, {b.where} prints {b.shown}"
        for a, b in shown
    ]
    if len(ranked) > len(shown):
        parts.append(f"and {len(ranked) - len(shown)} more")
    restated = [f for pair in ranked for f in pair if f.restated]
    if restated:
        r = restated[0]
        parts.append(
            f"{r.doc.name} restates this period in its {r.column_label} column; offices "
            "sometimes revise last period's figures, so either may be the later truth"
        )
    parts.extend(_relation(ranked[0][0].doc, ranked[0][1].doc))
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
