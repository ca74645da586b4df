"""The text against the tables it points at: totals and named rankings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import (
    Checked,
    Claim,
    ClaimKind,
    Column,
    Normalized,
    NormalizedTable,
    Problem,
    Record,
    Severity,
)
from pipeline.normalize.claims import text_to_channels
from pipeline.normalize.metrics import other_period
from pipeline.validate.facts import (
    ColumnTotal,
    as_int,
    claim_evidence,
    claim_span,
    column_total,
    table_label,
    tables_for,
)
from pipeline.validate.registry import rule

CHANNEL_METRIC = "received"
RANKING_METRICS = ("score_total", "score", "rate_completed_on_time", "rate_completed")


def _matching_total(table: NormalizedTable, metric: str) -> ColumnTotal | None:
    """The total of the table's first printed column measuring `metric`."""
    for i, col in enumerate(table.columns):
        if col.metric == metric and not col.inserted and not other_period(col.path):
            found = column_total(table, i)
            if found is not None:
                return found
    return None


@rule(
    "XREF001", Severity.ERROR, "counts stated in the text equal the totals of the table they cite"
)
def check_text_against_tables(norm: Normalized) -> Iterator[Problem | Checked]:
    groups: dict[int, list[tuple[Claim, ColumnTotal]]] = {}
    channels = _channel_columns(norm)
    for claim in norm.claims:
        if claim.kind is not ClaimKind.COUNT or claim.metric is None or claim.subject:
            continue
        if as_int(claim) is None:
            continue
        totals = [_matching_total(t, claim.metric) for t in tables_for(norm, claim.refers_to)]
        if not claim.refers_to and claim.metric == CHANNEL_METRIC and len(claim.scope) == 1:
            totals = [channels.get(claim.scope[0])]
        for total in totals:
            if total is None:
                continue
            yield Checked((claim_span(claim), *total.cells))
            groups.setdefault(total.table.index, []).append((claim, total))
    for pairs in groups.values():
        problem = _disagreement(norm, pairs)
        if problem is not None:
            yield problem


def _channel_columns(norm: Normalized) -> dict[str, ColumnTotal]:
    """Columns that count one channel ("书记市长信箱", "12345热线"), when only one column does.

    A table of items by department and channel totals each channel; the text's
    count for that channel should be that total, even without a citation.
    """
    found: dict[str, list[ColumnTotal]] = {}
    for table in norm.tables:
        for i, col in enumerate(table.columns):
            named = text_to_channels("".join(col.path)) if col.metric is None else ()
            total = column_total(table, i) if len(named) == 1 else None
            if total is not None:
                found.setdefault(named[0], []).append(total)
    return {channel: totals[0] for channel, totals in found.items() if len(totals) == 1}


def _disagreement(norm: Normalized, pairs: Sequence[tuple[Claim, ColumnTotal]]) -> Problem | None:
    wrong = [(c, t) for c, t in pairs if as_int(c) != t.total]
    if not wrong:
        return None
    table = wrong[0][1].table
    said = ", ".join(f"{c.metric} {as_int(c)}" for c, _ in wrong)
    summed = ", ".join(f"{t.heading} {t.total}" for _, t in wrong)
    evidence = [claim_evidence(norm, c) for c, _ in wrong] + [t.where for _, t in wrong]
    return Problem(
        message=(
            f"the text {'cites' if wrong[0][0].refers_to else 'matches'} {table_label(table)} "
            f"with {said}, but the table's columns add to {summed}"
        ),
        evidence=tuple(dict.fromkeys(evidence)),
        reported=" / ".join(str(as_int(c)) for c, _ in wrong),
        expected=" / ".join(str(t.total) for _, t in wrong),
        explanation="the text and the attachment disagree; either may be wrong",
        table=table_label(table),
    )


# --- rank lists -------------------------------------------------------------------


def _ranking_column(table: NormalizedTable) -> int | None:
    for metric in RANKING_METRICS:
        for i, col in enumerate(table.columns):
            if col.metric == metric and not col.inserted:
                return i
    return None


def _value(record: Record, column: int) -> Fraction | None:
    v = record.values[column] if column < len(record.values) else None
    return Fraction(v.number.exact) if v is not None and v.number is not None else None


def _canonical(norm: Normalized, printed: str) -> str:
    for d in norm.departments:
        if d.printed == printed:
            return d.canonical
    return printed


def _group_for(table: NormalizedTable, names: set[str], column: int, top: bool) -> set[str] | None:
    """The departments that rank at least as high (or low) as the listed ones, ties kept."""
    scored = [
        (value, r.department.canonical)
        for r in table.records
        if r.department is not None and (value := _value(r, column)) is not None
    ]
    if not names <= {name for _, name in scored}:
        return None
    scored.sort(key=lambda p: p[0], reverse=top)
    cutoff = scored[len(names) - 1][0]
    keep = [n for v, n in scored if (v >= cutoff if top else v <= cutoff)]
    return set(keep)


@rule("XREF002", Severity.WARNING, "departments named as top or bottom rank so in the table")
def check_rank_lists(norm: Normalized) -> Iterator[Problem]:
    for claim in norm.claims:
        if claim.kind is not ClaimKind.RANK_LIST or not claim.names:
            continue
        names = {_canonical(norm, n) for n in claim.names}
        top = claim.direction == "top"
        candidates = tables_for(norm, claim.refers_to) or list(norm.tables)
        for table in candidates:
            column = _ranking_column(table)
            group = _group_for(table, names, column, top) if column is not None else None
            if column is None or group is None:
                continue
            if names - group:
                yield _misplaced(norm, claim, sorted(names - group), table, column, group)
            break


def _misplaced(
    norm: Normalized,
    claim: Claim,
    misplaced: Sequence[str],
    table: NormalizedTable,
    column: int,
    group: set[str],
) -> Problem:
    where = "top" if claim.direction == "top" else "bottom"
    col: Column = table.columns[column]
    return Problem(
        message=(
            f"the text names {'、'.join(misplaced)} among the {where} {len(claim.names)}, "
            f"but by {'/'.join(col.path)} in {table_label(table)} they are not"
        ),
        evidence=(claim_evidence(norm, claim),),
        reported="、".join(claim.names),
        expected="、".join(sorted(group)),
        table=table_label(table),
        column="/".join(col.path),
    )
