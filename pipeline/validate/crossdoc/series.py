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

from pipeline.validate.crossdoc.facts import (
    Figure,
    Key,
    consensus,
    evidence_of,
    finding_row,
    months_of,
    period_label,
    words,
)
from pipeline.validate.crossdoc.rows import FindingRow

SUM_RULE = "ARCH002"
YTD_RULE = "ARCH003"
SHOWN = 5  # figures written out in a finding; the message counts them all
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


def check_sums(figs: Iterable[Figure]) -> Iterator[FindingRow]:
    """One finding per cumulative bulletin and span whose totals miss the sum of their months."""
    checked: dict[tuple[int, date, date], list[_Sum]] = {}
    for _key, periods in sorted(_periods(additive(figs)).items()):
        monthly = _monthly(periods)
        for (start, end), group in sorted(periods.items()):
            months = months_of(start, end)
            if months is None or len(months) < 2 or not all(m in monthly for m in months):
                continue
            parts = [monthly[m] for m in months]
            for total in printings(group):
                checked.setdefault((total.doc.order, start, end), []).append((total, parts))
    for span in sorted(checked):
        wrong = [(t, p) for t, p in checked[span] if t.value != _sum(p)]
        if wrong:
            yield _sum_finding(wrong, len(checked[span]))


_Sum = tuple[Figure, list[list[Figure]]]  # a printed total and each month's agreeing figures


def _sum(parts: Sequence[list[Figure]]) -> Decimal:
    return sum((p[0].value for p in parts), Decimal(0))


def _monthly(periods: dict[tuple[date, date], list[Figure]]) -> dict[Month, list[Figure]]:
    """month -> the agreeing figures printed for exactly that month."""
    out = {}
    for (start, end), group in periods.items():
        months = months_of(start, end)
        agreed = consensus(group) if months is not None and len(months) == 1 else None
        if months is not None and agreed is not None:
            out[months[0]] = agreed
    return out


def _sum_finding(wrong: Sequence[_Sum], compared: int) -> FindingRow:
    total, parts = wrong[0]
    span = period_label(total.start, total.end)
    months = months_of(total.start, total.end) or []
    names = ", ".join(f"{y}-{m:02d}" for y, m in months)
    shown = wrong[:SHOWN]
    lines = [
        f"{t.department_id} {t.metric}: {t.where} prints {t.shown}, the months add up to "
        f"{_sum(p)} ("
        + ", ".join(f"{y}-{m:02d} {q[0].shown}" for (y, m), q in zip(months, p, strict=True))
        + ")"
        for t, p in shown
    ]
    more = [f"and {len(wrong) - len(shown)} more"] if len(wrong) > len(shown) else []
    return finding_row(
        SUM_RULE,
        "error",
        at=total,
        message=(
            f"{total.doc.name} reports {total.doc.district or total.doc.scope} {span}: "
            f"{len(wrong)} of {compared} totals differ from the sum of the monthly figures "
            f"for {names}"
        ),
        explanation="; ".join([*lines, *more]),
        evidence=[e for t, p in shown for e in (evidence_of(t), *(evidence_of(q[0]) for q in p))],
        places=[total.doc.document_id, span],
        reported=total.shown,
        expected=str(_sum(parts)),
    )


# --- ARCH003 ---------------------------------------------------------------------


def check_year_to_date(figs: Iterable[Figure]) -> Iterator[FindingRow]:
    """One finding per two bulletins and two periods in which year-to-date totals fall."""
    checked: dict[tuple[int, int, date, date], list[tuple[Figure, Figure]]] = {}
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
                    pair = (agreed[0].doc.order, later.doc.order, before[1], after[1])
                    checked.setdefault(pair, []).append((agreed[0], later))
    for pair in sorted(checked):
        fallen = [(a, b) for a, b in checked[pair] if b.value < a.value]
        if fallen:
            yield _drop_finding(fallen, len(checked[pair]))


def _drop_finding(fallen: Sequence[tuple[Figure, Figure]], compared: int) -> FindingRow:
    before, after = fallen[0]
    first = period_label(before.start, before.end)
    second = period_label(after.start, after.end)
    shown = fallen[:SHOWN]
    lines = [
        f"{b.department_id} {b.metric}: {a.where} prints {a.shown}, {b.where} prints {b.shown}"
        for a, b in shown
    ]
    more = [f"and {len(fallen) - len(shown)} more"] if len(fallen) > len(shown) else []
    return finding_row(
        YTD_RULE,
        "error",
        at=after,
        message=(
            f"{before.doc.name} ({first}) and {after.doc.name} ({second}) both report "
            f"{after.doc.district or after.doc.scope}: {len(fallen)} of {compared} year-to-date "
            "totals fall"
        ),
        explanation="; ".join(
            ["a total since January 1 can only grow from one period end to the next", *lines, *more]
        ),
        evidence=[e for a, b in shown for e in (evidence_of(a), evidence_of(b))],
        places=[before.doc.document_id, after.doc.document_id, first, second],
        reported=after.shown,
        expected=f">= {before.shown}",
    )
