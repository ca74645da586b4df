"""The text against the tables it points at: totals and named rankings."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
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
    Span,
)
from pipeline.normalize.claims import text_to_channels
from pipeline.normalize.metrics import other_period
from pipeline.normalize.rates import rate_inputs
from pipeline.numeric.arithmetic import Rounding, format_as, holds, interval_of
from pipeline.numeric.infer import FormulaKind, Inference
from pipeline.validate.facts import (
    ColumnTotal,
    admissible_roundings,
    as_int,
    claim_evidence,
    claim_span,
    column_total,
    count_totals_of,
    counts_in_paragraph,
    is_total_record,
    rounding_of,
    table_label,
    tables_for,
)
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import TableView, formulas_of, view_of
from pipeline.validate.rules.text_sums import part_spans

CHANNEL_METRIC = "received"
RANKING_METRICS = ("score_total", "score", "rate_completed_on_time", "rate_completed")


def _matching_totals(table: NormalizedTable, claim: Claim) -> list[ColumnTotal]:
    """The totals of the table's printed columns measuring the claim's metric in this period.

    A table that counts by channel (热线, 信箱, 总量) answers a count of one channel with
    that channel's column, and no other; a count of no listed channel with none.
    """
    by_channel = _channel_columns_of(table)
    if by_channel and len(claim.scope) == 1 and claim.metric == CHANNEL_METRIC:
        column = by_channel.get(claim.scope[0])
        total = column_total(table, column) if column is not None else None
        return [total] if total is not None else []
    found = []
    for i, col in enumerate(table.columns):
        if col.metric == claim.metric and not col.inserted and not other_period(col.path):
            total = column_total(table, i)
            if total is not None:
                found.append(total)
    return found


def _channel_columns_of(table: NormalizedTable) -> dict[str, int]:
    """Columns that each name one channel ("受理渠道/热线" -> hotline), first of each."""
    found: dict[str, int] = {}
    for i, col in enumerate(table.columns):
        named = text_to_channels("".join(col.path)) if not col.inserted else ()
        if len(named) == 1:
            found.setdefault(named[0], i)
    return found


def _other_channels(table: NormalizedTable, claim: Claim) -> bool:
    """A table titled for channels the claim does not speak of ("市长信箱…统计表" for a
    count of the website's messages)."""
    named = text_to_channels(table.table.title)
    return bool(named and claim.scope and not set(named) & set(claim.scope))


@rule(
    "XREF001", Severity.ERROR, "counts stated in the text equal the totals of the table they cite"
)
def check_text_against_tables(norm: Normalized) -> Iterator[Problem | Checked]:
    groups: dict[int, list[tuple[Claim, ColumnTotal]]] = {}
    inline: dict[int, list[tuple[Claim, ColumnTotal]]] = {}
    channels = _channel_columns(norm)
    accepted = admissible_roundings(norm)
    parts = part_spans(norm)
    for claim in norm.claims:
        if claim.kind is not ClaimKind.COUNT or claim.metric is None or claim.subject:
            continue
        if claim.value is None or claim.direction is not None or claim.value.percent:
            continue
        if not claim.refers_to and claim_span(claim) in parts:
            continue  # "其中，电话1240件": a part of the total before it, no channel's whole
        cited = [t for t in tables_for(norm, claim.refers_to) if not _other_channels(t, claim)]
        candidates = [found for t in cited if (found := _matching_totals(t, claim))]
        if not candidates and claim.metric == CHANNEL_METRIC and len(claim.scope) == 1:
            found_channel = channels.get(claim.scope[0])
            row = _row_cell(found_channel, claim) if found_channel is not None else None
            if row is not None:  # uncited, it is one row's figure (a month's, a district's)
                yield Checked((claim_span(claim), row))
                continue
            whole = found_channel is not None and not _period_rows(found_channel)
            candidates = [[found_channel]] if whole and found_channel is not None else []
        elif not candidates and claim.metric == CHANNEL_METRIC and len(claim.scope) > 1:
            row = _channels_row_cell(channels, claim)
            if row is not None:  # "两项合计500件": one row's total over the channels' columns
                yield Checked((claim_span(claim), row))
                continue
        if not candidates and not claim.refers_to:
            anchored = _anchored_total(norm, claim)
            if anchored is not None:
                yield Checked((claim_span(claim), *anchored.cells))
                inline.setdefault(anchored.table.index, []).append((claim, anchored))
                continue
        for totals in candidates:
            agreeing = [t for t in totals if _agrees(claim, t, accepted)]
            total = (agreeing or totals)[0]
            yield Checked((claim_span(claim), *total.cells))
            groups.setdefault(total.table.index, []).append((claim, total))
    for pairs in groups.values():
        problem = _disagreement(norm, pairs, accepted)
        if problem is not None:
            yield problem
    for pairs in inline.values():
        problem = _disagreement(norm, pairs, accepted)
        if problem is not None:  # paired by a neighbour's figure, not cited: a warning
            yield replace(
                problem,
                severity=Severity.WARNING,
                explanation=f"{problem.explanation}; the text cites no table, and this one "
                "prints another count of the same paragraph as its total",
            )


def _anchored_total(norm: Normalized, claim: Claim) -> ColumnTotal | None:
    """For a count that cites no table, the printed total of the one column of its metric in
    an inline table (no attachment) whose 合计 row prints another whole count of the claim's
    paragraph, in its channels, exactly
    ("共接收5318件…办结4991件" beside a county table totalling 5318 received, 5044 completed)."""
    inline = [
        t
        for t in norm.tables  # an attachment is paired by citation; an inline table needs
        if not t.table.attachment and any(is_total_record(r) for r in t.records)  # its 合计
    ]
    if not inline:
        return None  # spares the walk over every claim below, once per count
    neighbours = {
        as_int(c)
        for c in norm.claims
        if c is not claim
        and c.source.page == claim.source.page
        and c.scope == claim.scope
        and c.kind is ClaimKind.COUNT
        and not c.subject
        and c.direction is None
        and not c.refers_to
    } - {None}
    for table in inline:
        totals = [
            t for t in count_totals_of(table) if not other_period(table.columns[t.column].path)
        ]
        own = [t for t in totals if table.columns[t.column].metric == claim.metric]
        if len(own) == 1 and any(t.total in neighbours for t in totals if t is not own[0]):
            return own[0]
    return None


MONTH_ROW = re.compile(r"^(?:(?:19|20)\d{2}年)?\d{1,2}月份?$")


def _period_rows(total: ColumnTotal) -> bool:
    """The column's table has a row per month: its total spans them all, so an uncited
    count of one channel (a month's) is no match for it."""
    labels = [
        next((v.cell.text.strip() for v in rec.values if v is not None and v.number is None), "")
        for rec in total.table.records
        if not rec.unaligned and not is_total_record(rec)
    ]
    months = sum(bool(MONTH_ROW.match(label)) for label in labels)
    return len(labels) >= 2 and 3 * months >= 2 * len(labels)


def _channels_row_cell(channels: dict[str, ColumnTotal], claim: Claim) -> Span | None:
    """For a count of several channels, a body cell printing it in the one table that has a
    column for each of them, if one does."""
    found = [channels.get(ch) for ch in claim.scope]
    tables = {t.table.index for t in found if t is not None}
    if None in found or len(tables) != 1:
        return None
    first = found[0]
    return _row_cell(first, claim) if first is not None else None


def _row_cell(total: ColumnTotal, claim: Claim) -> Span | None:
    """A body cell of the column's table that prints the claim's count, if one does: a text
    that cites no table and speaks of June may repeat the June row of a half-year table,
    in this column or another (its channel words may be the sentence's, not its own)."""
    value = as_int(claim)
    if value is None:
        return None
    for record in total.table.records:
        if record.unaligned or is_total_record(record):
            continue
        for cell in record.values:
            n = cell.number if cell is not None else None
            if cell is not None and n is not None and not n.percent and n.exact == value:
                return cell.cell
    return None


def _agrees(claim: Claim, total: ColumnTotal, accepted: Sequence[Rounding]) -> bool:
    """The stated count is the column's total (a count printed in 万 within its rounding,
    under any of the `accepted` conventions)."""
    value = as_int(claim)
    if value is not None:
        return total.supports(value)
    assert claim.value is not None
    printed = [interval_of(claim.value, r) for r in accepted]
    return any(p.contains(t) for p in printed for t in (total.total, *total.readings))


def _said(claim: Claim) -> str:
    value = as_int(claim)
    return str(value) if value is not None else (claim.value.text.strip() if claim.value else "")


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


def _disagreement(
    norm: Normalized, pairs: Sequence[tuple[Claim, ColumnTotal]], accepted: Sequence[Rounding]
) -> Problem | None:
    wrong = [(c, t) for c, t in pairs if not _agrees(c, t, accepted)]
    if not wrong:
        return None
    table = wrong[0][1].table
    said = ", ".join(f"{c.metric} {_said(c)}" for c, _ in wrong)
    summed = ", ".join(f"{t.heading} {t.total}" for _, t in wrong)
    evidence = [claim_evidence(norm, c) for c, _ in wrong] + [t.where for _, t in wrong]
    others = [r for r in Rounding if all(_agrees(c, t, (r,)) for c, t in wrong)]
    return Problem(
        message=(
            f"the text {'cites' if wrong[0][0].refers_to else 'matches'} {table_label(table)} "
            f"with {said}, but the table's columns add to {summed}"
        ),
        evidence=tuple(dict.fromkeys(evidence)),
        reported=" / ".join(_said(c) for c, _ in wrong),
        expected=" / ".join(str(t.total) for _, t in wrong),
        explanation=(
            f"{' / '.join(_said(c) for c, _ in wrong)} holds only under {others[0].value} "
            f"rounding, while the document rounds {accepted[0].value}"
            if others
            else "the text and the attachment disagree; either may be wrong"
        ),
        table=table_label(table),
        severity=Severity.WARNING if others else None,
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


# --- rates against the totals of the cited table ------------------------------------


@rule(
    "XREF003",
    Severity.ERROR,
    "a rate stated without its counts equals the rate of the totals of the table it cites",
)
def check_rates_against_tables(norm: Normalized) -> Iterator[Problem | Checked]:
    rounding = rounding_of(norm)
    for rate in norm.claims:
        if rate.kind is not ClaimKind.RATE or rate.value is None or rate.direction is not None:
            continue
        if rate.subject or rate_inputs(rate, counts_in_paragraph(norm, rate)):
            continue  # a category's rate, or one RATE001 recomputes from its stated counts
        for table in tables_for(norm, rate.refers_to):
            if _other_channels(table, rate):
                continue
            found = _table_rate(table, rate, rounding)
            if found is None:
                continue
            column, inference, values = found
            view = view_of(table, rounding)
            spans = (claim_span(rate), *_total_spans(view, inference.formula.inputs))
            yield Checked(spans)
            accepted = admissible_roundings(norm)
            if not any(holds(v, rate.value, r) for v in values for r in accepted):
                yield _rate_problem(norm, rate, view, column, values, rounding)
            break


def _table_rate(
    table: NormalizedTable, rate: Claim, rounding: Rounding
) -> tuple[int, Inference, list[Fraction]] | None:
    """The table's column of the rate's metric with a rate formula, and that formula's value
    over the table's totals (its 合计 row as printed, and the columns' sums)."""
    for column, inference in formulas_of(table, rounding).formulas:
        formula = inference.formula
        if table.columns[column].metric != rate.metric or formula.kind is not FormulaKind.RATE:
            continue
        if other_period(table.columns[column].path):
            continue
        totals = [column_total(table, i) for i in formula.inputs]
        if any(t is None for t in totals):
            continue
        values = []
        for readings in itertools.product(*((t.total, *t.readings) for t in totals if t)):
            if readings[1]:
                values.append(Fraction(readings[0], readings[1]))
        if values:
            return column, inference, values
    return None


def _totals_of(view: TableView, column: int) -> list[ColumnTotal]:
    """The totals of the count columns the rate column's formula divides."""
    formulas = dict(formulas_of(view.table, view.rounding).formulas)
    inputs = formulas[column].formula.inputs if column in formulas else ()
    return [t for i in inputs if (t := column_total(view.table, i)) is not None]


def _total_spans(view: TableView, columns: Sequence[int]) -> list[Span]:
    return [s for i in columns if (t := column_total(view.table, i)) for s in t.cells]


def _rate_problem(
    norm: Normalized,
    rate: Claim,
    view: TableView,
    column: int,
    values: Sequence[Fraction],
    rounding: Rounding,
) -> Problem:
    assert rate.value is not None
    expected = format_as(values[0], rate.value, rounding)
    others = [r for r in Rounding if r is not rounding and holds(values[0], rate.value, r)]
    header = view.labels[column]
    return Problem(
        message=(
            f"the text states {rate.value.text.strip()} for {rate.metric}, but the totals of "
            f"{view.name} give {header} {expected} ("
            + " / ".join(f"{t.heading} {t.total}" for t in _totals_of(view, column))
            + ")"
        ),
        evidence=(claim_evidence(norm, rate), *(t.where for t in _totals_of(view, column))),
        reported=rate.value.text.strip(),
        expected=expected,
        explanation=(
            f"{rate.value.text.strip()} holds only under {others[0].value} rounding"
            if others
            else "the text states no counts for this rate; the table's totals give another"
        ),
        table=view.name,
        column=header,
        severity=Severity.WARNING if others else None,
    )
