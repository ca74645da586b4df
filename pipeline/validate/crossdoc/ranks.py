"""ARCH004: a department in the bottom group of the ranking three or more periods running.

A bulletin's bottom group is what its text names ("排名后3位的是A、B、C"): the rank-list
claims of direction "bottom". A bulletin that names none but prints a ranking contributes the
last N of its table, by its 排名 column, else by its total score (ties kept); N is the length
of the list its text gives, else 3. Periods run when each starts the day after the previous
ends and all cover the same number of months; a missing bulletin breaks the run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from pipeline.model import Evidence, Source
from pipeline.validate.crossdoc.facts import DocInfo, finding_id, months_of, period_label
from pipeline.validate.crossdoc.rows import (
    DocumentRows,
    FindingRow,
    MetricRow,
    bbox_column,
    evidence_column,
    row_source,
)

RULE = "ARCH004"
BOTTOM_SIZE = 3  # when the bulletin's own wording gives no size
RUN_LENGTH = 3  # the bulletins' own rule: three consecutive notices need an explanation
MIN_RANKED = 4  # fewer ranked departments make no meaningful bottom group
RANK_METRIC = "rank"
SCORE_METRIC = "score_total"


@dataclass(frozen=True, slots=True)
class Placement:
    """One bulletin's bottom group entry for one department, and how it was established."""

    doc: DocInfo
    department_id: str
    department: str
    how: str
    source: Source  # the rank list's sentence or the ranked cell (facts.row_source)


def bottom_groups(doc: DocumentRows, info: DocInfo) -> list[Placement]:
    """The departments this bulletin places in its bottom group."""
    named, size = _named(doc, info)
    if named:
        return named
    return _from_table(doc, info, size)


def _named(doc: DocumentRows, info: DocInfo) -> tuple[list[Placement], int]:
    out: dict[str, Placement] = {}
    size = BOTTOM_SIZE
    for claim in doc.claims:
        if claim.kind != "rank_list" or claim.direction != "bottom":
            continue
        names = _json_list(claim.names)
        ids = _json_list(claim.department_ids)
        size = len(names) or size
        source = row_source(claim)
        for name, dep in zip(names, ids, strict=False):
            if dep:
                how = f"named in the text: {claim.sentence}"
                out.setdefault(dep, Placement(info, dep, name, how, source))
    return [out[k] for k in sorted(out)], size


def _from_table(doc: DocumentRows, info: DocInfo, size: int) -> list[Placement]:
    for metric, low_is_bottom in ((RANK_METRIC, False), (SCORE_METRIC, True)):
        table = _ranking(doc, metric)
        if table is None:
            continue
        ordered = sorted(table, key=lambda r: r[0], reverse=not low_is_bottom)
        cutoff = ordered[min(size, len(ordered)) - 1][0]
        bottom = [r for r in ordered if (r[0] <= cutoff if low_is_bottom else r[0] >= cutoff)]
        return [
            Placement(
                info,
                str(row.department_id),
                row.department or str(row.department_id),
                f"last {size} of {row.table} by {row.header} ({row.text})",
                row_source(row),
            )
            for _, row in sorted(bottom, key=lambda r: str(r[1].department_id))
        ]
    return []


def _ranking(doc: DocumentRows, metric: str) -> list[tuple[Decimal, MetricRow]] | None:
    """The (value, row) of the first table printing `metric` for enough departments."""
    tables: dict[int, dict[str, tuple[Decimal, MetricRow]]] = {}
    for row in doc.metrics:
        dep = row.department_id
        if row.metric != metric or not dep or row.is_total or row.unaligned:
            continue
        try:
            value = Decimal(str(row.value))
        except InvalidOperation:
            continue
        tables.setdefault(int(row.table_index), {}).setdefault(dep, (value, row))
    for index in sorted(tables):
        if len(tables[index]) >= MIN_RANKED:
            return list(tables[index].values())
    return None


def _json_list(text: Any) -> list[Any]:
    try:
        value = json.loads(text) if isinstance(text, str) else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


# --- runs ------------------------------------------------------------------------


Period = tuple[date, date]


def document_placements(doc: DocumentRows, info: DocInfo) -> list[Placement]:
    """A bulletin's bottom group, when its period is a run of whole months (else none)."""
    if info.start is None or info.end is None or months_of(info.start, info.end) is None:
        return []
    return bottom_groups(doc, info)


def check_bottom_runs(placements: Iterable[Placement]) -> Iterator[FindingRow]:
    """Runs of RUN_LENGTH periods or more in the placements of document_placements."""
    placed: dict[tuple[str, str], dict[Period, list[Placement]]] = {}
    for p in placements:
        start, end = p.doc.start, p.doc.end
        if start is None or end is None:
            continue
        placed.setdefault((p.doc.scope, p.department_id), {}).setdefault((start, end), []).append(p)
    for _place, periods in sorted(placed.items()):
        for run in _runs(sorted(periods)):
            yield _run_finding([sorted(periods[p], key=lambda x: x.doc.order) for p in run], run)


def _runs(periods: Sequence[Period]) -> Iterator[list[Period]]:
    """Maximal runs of at least RUN_LENGTH back-to-back periods of equal length in `periods`."""
    run: list[Period] = []
    for p in periods:
        if run and _follows(run[-1], p):
            run.append(p)
            continue
        if len(run) >= RUN_LENGTH:
            yield run
        run = [p]
    if len(run) >= RUN_LENGTH:
        yield run


def _follows(before: Period, after: Period) -> bool:
    same_length = len(months_of(*before) or []) == len(months_of(*after) or [])
    return same_length and after[0] == before[1] + timedelta(days=1)


def _run_finding(placements: Sequence[list[Placement]], run: Sequence[Period]) -> FindingRow:
    last = placements[-1][-1]
    labels = [period_label(*p) for p in run]
    lines = [
        f"{label}: {ps[0].doc.name} ({ps[0].how})"
        for label, ps in zip(labels, placements, strict=True)
    ]
    evidence = [(ps[0].doc.document_id, Evidence(ps[0].source, ps[0].how)) for ps in placements]
    return FindingRow(
        finding_id=finding_id(RULE, [last.department_id, labels, [d for d, _ in evidence]]),
        document_id=last.doc.document_id,
        rule=RULE,
        severity="info",
        message=(
            f"{last.department_id} is in the bottom group {len(run)} periods running: "
            + ", ".join(labels)
        ),
        reported=", ".join(labels),
        expected=None,
        explanation=(
            "the bulletins' own rule: three consecutive notices require an explanation; "
            + "; ".join(lines)
        ),
        table=None,
        row=None,
        column=None,
        department=last.department,
        department_id=last.department_id,
        page=last.source.page,
        bbox=bbox_column(last.source.bbox),
        evidence=evidence_column(evidence),
    )
