"""ARCH002 and ARCH003: counts over several months against the months they cover.

ARCH002: a figure for several whole months (a quarterly bulletin, a "1-4月累计" column) must
equal the sum of the same department's monthly figures of the same metric and channel, once
every month is present. ARCH003: a year-to-date count (a period starting January 1) cannot
fall from one period end to the next. Only additive counts take part (received, completed,
...: not rates, scores or 办结最高数). A month whose bulletins disagree has no figure here:
ARCH001 reports that disagreement and the sum is not guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pipeline.archive.crossdoc_facts import (
    Figure,
    Key,
    consensus,
    evidence_of,
    finding_row,
    months_of,
    period_label,
    place,
    words,
)

SUM_RULE = "ARCH002"
YTD_RULE = "ARCH003"
Month = tuple[int, int]


def additive(figs: Iterable[Figure]) -> list[Figure]:
    """Exact counts of additive metrics, as printed for their own period (not restated)."""
    metrics = words().additive_metrics
    return [f for f in figs if f.exact and f.metric in metrics and not f.restated]


def printings(group: Iterable[Figure]) -> list[Figure]:
    """Each distinct printing of a figure: one per document and value, in archive order.

    A total is judged printing by printing, so one wrong cell of a document is found even
    when another table of the same document prints the right value.
    """
    seen: dict[tuple[str, Decimal], Figure] = {}
    for f in sorted(group, key=lambda f: (f.doc.order, f.table_index, f.row, f.column)):
        seen.setdefault((f.doc.document_id, f.value), f)
    return list(seen.values())


def _periods(figs: Iterable[Figure]) -> dict[Key, dict[tuple[date, date], list[Figure]]]:
    out: dict[Key, dict[tuple[date, date], list[Figure]]] = {}
    for f in figs:
        out.setdefault(f.key, {}).setdefault((f.start, f.end), []).append(f)
    return out


# --- ARCH002 ---------------------------------------------------------------------


def check_sums(figs: Iterable[Figure]) -> Iterator[dict[str, Any]]:
    for _key, periods in sorted(_periods(additive(figs)).items()):
        monthly = _monthly(periods)
        for (start, end), group in sorted(periods.items()):
            months = months_of(start, end)
            if months is None or len(months) < 2 or not all(m in monthly for m in months):
                continue
            parts = [monthly[m] for m in months]
            expected = sum(p[0].value for p in parts)
            for total in printings(group):
                if total.value != expected:
                    yield _sum_finding(total, months, parts)


def _monthly(periods: dict[tuple[date, date], list[Figure]]) -> dict[Month, list[Figure]]:
    """month -> the agreeing figures printed for exactly that month."""
    out = {}
    for (start, end), group in periods.items():
        months = months_of(start, end)
        agreed = consensus(group) if months is not None and len(months) == 1 else None
        if months is not None and agreed is not None:
            out[months[0]] = agreed
    return out


def _sum_finding(
    total: Figure, months: Sequence[Month], parts: Sequence[list[Figure]]
) -> dict[str, Any]:
    expected = sum(p[0].value for p in parts)
    span = period_label(total.start, total.end)
    names = ", ".join(f"{y}-{m:02d}" for y, m in months)
    terms = [
        f"{y}-{m:02d} {p[0].shown} ({p[0].where})" for (y, m), p in zip(months, parts, strict=True)
    ]
    return finding_row(
        SUM_RULE,
        "error",
        at=total,
        message=(
            f"{total.department_id} {total.metric} for {span}: {total.doc.name} prints "
            f"{total.shown}, but the monthly figures for {names} add up to {expected}"
        ),
        explanation=(
            f"{total.where} prints {total.shown} for {span}; summed months: " + "; ".join(terms)
        ),
        evidence=[evidence_of(total), *(evidence_of(p[0]) for p in parts)],
        places=[
            total.department_id,
            total.metric,
            span,
            place(total),
            *(place(p[0]) for p in parts),
        ],
        reported=total.shown,
        expected=str(expected),
    )


# --- ARCH003 ---------------------------------------------------------------------


def check_year_to_date(figs: Iterable[Figure]) -> Iterator[dict[str, Any]]:
    for _key, periods in sorted(_periods(additive(figs)).items()):
        by_year: dict[int, list[tuple[date, date]]] = {}
        for start, end in sorted(periods):
            if start == date(start.year, 1, 1) and end.year == start.year:
                by_year.setdefault(start.year, []).append((start, end))
        for ends in by_year.values():
            for before, after in itertools.pairwise(ends):
                agreed = consensus(periods[before])
                if agreed is None:
                    continue  # the earlier total is itself in doubt (ARCH001)
                for later in printings(periods[after]):
                    if later.value < agreed[0].value:
                        yield _drop_finding(agreed[0], later)


def _drop_finding(before: Figure, after: Figure) -> dict[str, Any]:
    first = period_label(before.start, before.end)
    second = period_label(after.start, after.end)
    return finding_row(
        YTD_RULE,
        "error",
        at=after,
        message=(
            f"{after.department_id} {after.metric} year to date falls from {before.shown} "
            f"({first}, {before.doc.name}) to {after.shown} ({second}, {after.doc.name})"
        ),
        explanation=(
            f"a total since January 1 can only grow: {before.where} prints {before.shown} "
            f"for {first}, {after.where} prints {after.shown} for {second}"
        ),
        evidence=[evidence_of(before), evidence_of(after)],
        places=[after.department_id, after.metric, first, second, place(before), place(after)],
        reported=after.shown,
        expected=f">= {before.shown}",
    )
