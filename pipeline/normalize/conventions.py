"""The document's rounding convention, inferred from the relations that hold.

Offices round half-up most often, but truncation occurs. For each convention,
every measure column's best formula over the count columns is inferred, and the
rows on which it holds are counted; the convention under which most relations
hold is the document's; rates stated in the text count too, when the counts
they are made of are stated beside them, and so do changes against an earlier period:
the change cells of period tables (本期 / 上期 / 增幅) and growth rates or points the text
states beside both figures. A table of growth rates is often a document's only rounded
relation. Ties go to half-up, the usual convention.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.model import Claim, ClaimKind, Document, NormalizedTable, Number, Record
from pipeline.normalize.columns import NON_INPUT_METRICS, TOTAL_METRICS, column_kind
from pipeline.normalize.comparisons import period_triples, text_change_holds, text_changes
from pipeline.normalize.paragraphs import line_paragraphs
from pipeline.normalize.rates import exact_count, rate_pairs, ratio
from pipeline.numeric.arithmetic import Rounding, holds
from pipeline.numeric.changes import table_change_holds
from pipeline.numeric.exact_table import ExactTable
from pipeline.numeric.infer import indicator_inputs, infer_formula, own_inputs

ORDER = (Rounding.HALF_UP, Rounding.TRUNCATE, Rounding.HALF_EVEN)


def infer_rounding(
    tables: Sequence[NormalizedTable], claims: Sequence[Claim], doc: Document
) -> tuple[Rounding, tuple[tuple[str, int], ...]]:
    """The convention under which most relations hold (table formulas and changes, stated
    rates and shares)."""
    paragraphs = line_paragraphs(doc)
    rates = _text_rates(claims, paragraphs) + _text_shares(claims, paragraphs)
    changes = [row for t in tables for row in _change_rows(t)]
    stated = [c for c in text_changes(claims, paragraphs) if c.old is not None]
    held = [_holding(t) for t in tables]
    support = {
        r: sum(h[r] for h in held)
        + _text_holding(rates, r)
        + sum(table_change_holds(*row, r) is True for row in changes)
        + sum(text_change_holds(c, r) is True for c in stated)
        for r in ORDER
    }
    best = max(ORDER, key=lambda r: (support[r], -ORDER.index(r)))
    return best, tuple((r.value, support[r]) for r in ORDER)


Stated = list[tuple[Number, list[tuple[int, int]]]]


def _text_rates(claims: Sequence[Claim], paragraphs: dict[int, int]) -> Stated:
    """Each stated rate with the count pairs stated in its paragraph that could make it."""
    by_paragraph: dict[int, list[Claim]] = {}
    for c in claims:
        if c.kind is ClaimKind.COUNT:
            by_paragraph.setdefault(paragraphs[c.line], []).append(c)
    found = []
    for rate in claims:
        counts = by_paragraph.get(paragraphs[rate.line], [])
        pairs = rate_pairs(rate, counts)
        if pairs and rate.value is not None:
            found.append((rate.value, pairs))
    return found


def _text_shares(claims: Sequence[Claim], paragraphs: dict[int, int]) -> Stated:
    """Each stated share with its item's count over every total the text states.

    A list's shares rounded one way hold over its base under that convention only; the
    wrong totals among the candidates hold under none, so they do not tip the balance.
    """
    totals = [
        n
        for c in claims
        if c.kind is ClaimKind.COUNT and not c.subject and c.direction is None
        if (n := exact_count(c))
    ]
    found = []
    for share in claims:
        if share.kind is not ClaimKind.SHARE or share.value is None or not share.subject:
            continue
        counts = [
            n
            for c in claims
            if c.kind is ClaimKind.COUNT
            and c.subject == share.subject
            and paragraphs[c.line] == paragraphs[share.line]
            if (n := exact_count(c))
        ]
        if counts:
            found.append((share.value, [(counts[0], t) for t in dict.fromkeys(totals)]))
    return found


def _text_holding(rates: Stated, r: Rounding) -> int:
    return sum(any(holds(ratio(p), printed, r) for p in pairs) for printed, pairs in rates)


def _rows(records: Sequence[Record], width: int) -> list[list[Number | None]]:
    return [
        [v.number if v is not None else None for v in rec.values]
        for rec in records
        if not rec.unaligned and len(rec.values) == width
    ]


def _holding(table: NormalizedTable) -> Counter[Rounding]:
    """On how many rows each measure column's best formula holds, under each convention.

    The exact values, the column kinds and each column's inputs do not depend on the
    convention: they are read once, and the searches of every convention share them."""
    width = len(table.columns)
    body = [r for r in table.records if r.department is not None]
    rows = ExactTable(_rows(body, width))  # exact values computed once for every column
    held: Counter[Rounding] = Counter()
    if len(rows) < 2:
        return held
    kinds = [
        column_kind([rec.values[c] for rec in body if c < len(rec.values)], table.columns[c])
        for c in range(width)
    ]
    inputs = [
        c
        for c, col in enumerate(table.columns)
        if kinds[c] == "count" and col.metric not in NON_INPUT_METRICS
    ]
    for c, col in enumerate(table.columns):
        if kinds[c] != "measure" or col.metric in TOTAL_METRICS:
            continue
        own = own_inputs(table.columns, c, inputs)
        # W when a count is 0, W − k × count: read only from the counts the score's header
        # names, as the rules read them (indicator_inputs); any mostly-0 column fits by chance
        indicators = indicator_inputs(table.columns, c, inputs)
        for rounding in ORDER:
            found = infer_formula(
                rows,
                c,
                inputs=inputs,
                weight=col.weight,
                rounding=rounding,
                indicators=indicators,
                own=own,
            )
            held[rounding] += len(found.holding) if found is not None else 0
    return held


ChangeRow = tuple[Number, Number, Number]


def _change_rows(table: NormalizedTable) -> list[ChangeRow]:
    """(this period, the period compared with, the change) of every row of a period table
    that prints all three, the 合计 row included."""
    found = []
    for triple in period_triples(table):
        if triple.change is None:
            continue
        columns = (triple.current, triple.previous, triple.change)
        for rec in table.records:
            if rec.unaligned:
                continue
            cells = [rec.values[c] if c < len(rec.values) else None for c in columns]
            numbers = [v.number for v in cells if v is not None and v.number is not None]
            if len(numbers) == 3:
                found.append((numbers[0], numbers[1], numbers[2]))
    return found
