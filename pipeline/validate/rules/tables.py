"""What the table rules share, and the rules on counts and row alignment.

A `TableView` reads one normalized table once: a label per column (the header
path joined by "/"), each record's numbers in column space, the column kinds
(count, measure, text) and the 合计/总计 rows. Total rows and rows left
unaligned are blank in `rows`, so the formulas learnt from the body are not
skewed by them. `formulas_of` infers each measure column's formula and the
total column's sum once per table; `formulas.py` and `ranks.py` report on them.

Rules here: TBL004 (a totals row is the sum of the rows it covers), TBL006 (a
count never exceeds its parent in the same row) and ALN001 (rows the extraction
re-aligned or could not align).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import wraps
from typing import TypeVar

from pipeline.model import (
    Alignment,
    Checked,
    Evidence,
    Normalized,
    NormalizedTable,
    Number,
    Problem,
    Record,
    Severity,
    Span,
    Value,
)
from pipeline.normalize.columns import NON_INPUT_METRICS, TOTAL_METRICS, column_kind
from pipeline.normalize.comparisons import period_triples
from pipeline.normalize.metrics import other_period
from pipeline.numeric.arithmetic import Rounding
from pipeline.numeric.exact_table import ExactTable
from pipeline.numeric.infer import (
    Acceptance,
    FormulaKind,
    Inference,
    indicator_inputs,
    infer_formula,
    own_inputs,
)
from pipeline.numeric.sums import infer_sum
from pipeline.validate.column_formulas import (
    defined_rate,
    prefer_defined,
    share_of_parts,
    share_of_total,
    usable,
)
from pipeline.validate.facts import (
    first_label,
    is_total_record,
    rounding_of,
    table_label,
    total_label,
)
from pipeline.validate.registry import rule

NumberRow = tuple[Number | None, ...]
# A measure column not named as a total is taken for one only when its sum holds this widely.
STRICT_SUM = Acceptance(min_support=Fraction(9, 10), min_rows=3)
PARENTS: dict[str, tuple[str, ...]] = {
    "completed_on_time": ("completed", "received"),
    "completed": ("received",),
}
DOUBT = "; the row was re-aligned by our extraction, so the doubt may be ours"


@dataclass(frozen=True, slots=True)
class TableView:
    """One table's numbers in column space, with the kinds and labels the rules need."""

    table: NormalizedTable
    rounding: Rounding
    name: str
    labels: tuple[str, ...]
    rows: tuple[NumberRow, ...]
    kinds: tuple[str, ...]
    counts: tuple[int, ...]
    measures: tuple[int, ...]
    total_rows: tuple[int, ...]

    @property
    def records(self) -> tuple[Record, ...]:
        return self.table.records

    def value(self, r: int, c: int) -> Value | None:
        values = self.records[r].values
        return values[c] if c < len(values) and not self.records[r].unaligned else None

    def spans(self, r: int, columns: Sequence[int]) -> tuple[Span, ...]:
        found = (self.value(r, c) for c in columns)
        return tuple(v.cell for v in found if v is not None and v.number is not None)

    def spans_of(self, rows: Sequence[int], c: int) -> tuple[Span, ...]:
        found = (self.value(r, c) for r in rows)
        return tuple(v.cell for v in found if v is not None and v.number is not None)

    def printed_row(self, r: int) -> NumberRow:
        """Record `r`'s numbers as printed, totals rows included (blank when unaligned)."""
        rec = self.records[r]
        if rec.unaligned or len(rec.values) != len(self.labels):
            return (None,) * len(self.labels)
        return tuple(_number(v) for v in rec.values)

    def row_text(self, r: int) -> str:
        """Record `r`'s body row and department (or 合计): row 3 (区X局)."""
        rec = self.records[r]
        if rec.department is not None:
            name: str | None = rec.department.canonical
        else:
            name = total_label(rec) or first_label(rec)
        return f"row {rec.row}" + (f" ({name})" if name else "")

    def where(self, r: int) -> str:
        return f"{self.name} {self.row_text(r)}"

    def neighbours(self, r: int, c: int) -> list[tuple[str, Number, Span]]:
        """The figures a misprint at (r, c) may have been copied from, nearest first: the
        body rows above and below in the same column and, in a period table, the same
        row's previous-period column."""
        found: list[tuple[str, Number, Span]] = []
        body = [i for i in range(len(self.records)) if i not in self.total_rows]
        if r in body:
            at = body.index(r)
            for how, i in (("the row above", at - 1), ("the row below", at + 1)):
                if 0 <= i < len(body):
                    found += self._figure(how + f" ({self.row_text(body[i])})", body[i], c)
        for triple in period_triples(self.table):
            if triple.current == c:
                found += self._figure(
                    f"the same row's previous-period column ({self.labels[triple.previous]})",
                    r,
                    triple.previous,
                )
        return found

    def _figure(self, how: str, r: int, c: int) -> list[tuple[str, Number, Span]]:
        v = self.value(r, c)
        return [(how, v.number, v.cell)] if v is not None and v.number is not None else []


@dataclass(frozen=True, slots=True)
class TableFormulas:
    """Each measure column's inferred formula, the ones none explains, and the total's sum."""

    formulas: tuple[tuple[int, Inference], ...]
    unexplained: tuple[int, ...]
    total: tuple[int, Inference] | None


def doubtful(rec: Record) -> bool:
    return rec.alignment is not None or rec.unaligned


T = TypeVar("T")
CACHED_TABLES = 64


def per_table(
    fn: Callable[[NormalizedTable, Rounding], T],
) -> Callable[[NormalizedTable, Rounding], T]:
    """`fn` cached for the last CACHED_TABLES (table, rounding) pairs: every rule of a run
    reads the same tables. Keyed by the table object, not its value: hashing a frozen table
    walks every cell (0.1-0.2 ms a table, for each of some sixty look-ups an audit makes).
    Each entry holds its table, so no other object can take its id while the entry lives."""
    cache: dict[tuple[int, Rounding], tuple[NormalizedTable, T]] = {}

    @wraps(fn)
    def cached(nt: NormalizedTable, rounding: Rounding) -> T:
        key = (id(nt), rounding)
        if key not in cache:
            if len(cache) >= CACHED_TABLES:
                del cache[next(iter(cache))]  # the oldest
            cache[key] = (nt, fn(nt, rounding))
        return cache[key][1]

    return cached


@per_table
def view_of(nt: NormalizedTable, rounding: Rounding) -> TableView:
    """The table read for the rules (cached: every rule of a run reads the same tables)."""
    width = len(nt.columns)
    totals = tuple(i for i, rec in enumerate(nt.records) if is_total_record(rec))
    if not totals:
        totals = _summing_end_row(nt)
    rows: list[NumberRow] = []
    for i, rec in enumerate(nt.records):
        blank = i in totals or rec.unaligned or len(rec.values) != width
        rows.append((None,) * width if blank else tuple(_number(v) for v in rec.values))
    body = [r for i, r in enumerate(nt.records) if i not in totals and not r.unaligned]
    kinds = tuple(
        column_kind([r.values[c] if c < len(r.values) else None for r in body], nt.columns[c])
        for c in range(width)
    )
    inputs = [c for c, col in enumerate(nt.columns) if col.metric not in NON_INPUT_METRICS]
    return TableView(
        table=nt,
        rounding=rounding,
        name=table_label(nt),
        labels=tuple("/".join(col.path) for col in nt.columns),
        rows=ExactTable(rows),  # exact values computed once for every formula searched
        kinds=kinds,
        counts=tuple(c for c in inputs if kinds[c] == "count"),
        measures=tuple(c for c in inputs if kinds[c] == "measure"),
        total_rows=totals,
    )


def integer_of(n: Number | None) -> int | None:
    """A printed number's exact integer, or None when it has a fraction."""
    if n is None or n.exact != n.exact.to_integral_value():
        return None
    return int(n.exact)


def _number(v: Value | None) -> Number | None:
    return v.number if v is not None else None


# a first or last row is the whole of the others when its counts sum at least this many rows
SUMMED_MIN_ROWS = 3


def _summing_end_row(nt: NormalizedTable) -> tuple[int, ...]:
    """The first or last row when it prints, in every column of whole counts, exactly the sum
    of the other rows: the whole area's row of a table of its towns, named by the area
    (宜州区 over its 16 towns) rather than by a totals word. Nothing when no column of
    counts runs through every row, or when either end could be it."""
    records = [r for r in nt.records if not r.unaligned and len(r.values) == len(nt.columns)]
    if len(records) <= SUMMED_MIN_ROWS or len(records) != len(nt.records):
        return ()
    found = [i for i in (0, len(records) - 1) if _sums_others(records, i, len(nt.columns))]
    return tuple(found) if len(found) == 1 else ()


def _sums_others(records: Sequence[Record], t: int, width: int) -> bool:
    summed = 0
    for c in range(width):
        column = [_number(r.values[c]) for r in records]
        if any(n is None or n.percent or n.decimals or n.scale != 1 for n in column):
            continue
        parts = [Fraction(n.exact) for i, n in enumerate(column) if i != t and n is not None]
        whole = column[t]
        if whole is None or sum(parts, Fraction(0)) != Fraction(whole.exact):
            return False
        summed += 1
    return summed > 0


@per_table
def formulas_of(nt: NormalizedTable, rounding: Rounding) -> TableFormulas:
    """Formulas of the measure columns over the count columns, and the total column's sum."""
    view = view_of(nt, rounding)
    named = [c for c in view.measures if nt.columns[c].metric in TOTAL_METRICS]
    found: list[tuple[int, Inference]] = []
    unexplained: list[int] = []
    for c in view.measures:
        if c in named:
            continue
        inference = _column_formula(view, c)
        if inference is None:
            unexplained.append(c)
        else:
            found.append((c, inference))
    total = _total_sum(view, named, found, unexplained)
    if total is not None and total[0] in unexplained:
        unexplained.remove(total[0])
    return TableFormulas(tuple(found), tuple(unexplained), total)


def _column_formula(view: TableView, c: int) -> Inference | None:
    """The inferred formula, the one the column's metric defines if it does at least as well,
    else, for a share column, each count over the column's total; None when none fits.

    A defined formula that holds on most rows is kept even when those rows all print one
    value (every department completed all it received: 100%): the header names the rate,
    so the rows that differ are misprints of it, not departures from a constant."""
    nt = view.table
    inferred = infer_formula(
        view.rows,
        c,
        inputs=view.counts,
        weight=nt.columns[c].weight,
        labels=view.labels,
        rounding=view.rounding,
        indicators=indicator_inputs(nt.columns, c, view.counts),
        own=own_inputs(nt.columns, c, view.counts),
    )
    defined = defined_rate(nt.columns, view.rows, c, view.counts, view.rounding)
    inference = prefer_defined(inferred, defined)
    if inference is not None and inference is defined and usable(defined):
        return inference
    if inference is not None and not _degenerate(view, c, inference):
        return inference
    totals = [view.printed_row(t) for t in view.total_rows]
    share = share_of_total(nt.columns, view.rows, c, view.counts, totals, view.rounding)
    if usable(share):
        return share
    part = share_of_parts(nt.columns, view.rows, c, view.counts, view.rounding)
    if usable(part):
        return part
    return None if inference is None or _degenerate(view, c, inference) else inference


def _degenerate(view: TableView, c: int, inference: Inference) -> bool:
    """A formula that fails somewhere yet, where it holds, only ever gives one value.

    "Full marks" or "100%" on most rows is what most departments score, not a
    formula: the rows that differ are not errors of it.
    """
    if not inference.failing:
        return False
    held = {n.value for r in inference.holding if (n := view.rows[r][c]) is not None}
    return len(held) < 2


def _total_sum(
    view: TableView,
    named: Sequence[int],
    found: Sequence[tuple[int, Inference]],
    unexplained: Sequence[int],
) -> tuple[int, Inference] | None:
    """The sum behind a column named as a total, else behind the last unexplained measure."""
    target = named[0] if named else (view.measures[-1] if view.measures else None)
    if target is None or (not named and target not in unexplained):
        return None
    # a column that prints its full weight on every row is a rounded figure, not a formula:
    # 30 may be 30 × 2045 / 2069 from counts the table does not print
    unrounded = {
        c: [inf.formula.evaluate(row) for row in view.rows]
        for c, inf in found
        if inf.formula.kind is not FormulaKind.CONSTANT
    }
    parts = [c for c in view.measures if c != target]
    inference = infer_sum(
        view.rows,
        target,
        parts,
        unrounded=unrounded,
        counts=view.counts,
        labels=view.labels,
        rounding=view.rounding,
        acceptance=Acceptance() if named else STRICT_SUM,
    )
    return (target, inference) if inference is not None else None


def evidence(spans: Sequence[Span]) -> tuple[Evidence, ...]:
    return tuple(Evidence(s.source, s.text) for s in spans)


def department(rec: Record) -> str | None:
    return rec.department.canonical if rec.department else None


# --- TBL006: parent counts --------------------------------------------------------


def parent_pairs(view: TableView) -> list[tuple[int, int]]:
    """(child, parent) count columns: on time ≤ completed ≤ received, same group first."""
    columns = view.table.columns
    pairs = []
    current = [c for c in view.counts if not other_period(columns[c].path)]
    for c in current:
        for metric in PARENTS.get(columns[c].metric or "", ()):
            found = [p for p in current if columns[p].metric == metric]
            same = [p for p in found if columns[p].group == columns[c].group]
            if found:
                pairs.append((c, min(same or found, key=lambda p: abs(p - c))))
                break
    return pairs


@rule("TBL006", Severity.ERROR, "a count does not exceed its parent count in the same row")
def check_parent_counts(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for c, p in parent_pairs(view):
            found = [x for r in range(len(view.records)) for x in _check_parent(view, r, c, p)]
            problems = [x for x in found if isinstance(x, Problem)]
            checked = len(found) - len(problems)
            if len(problems) >= SYSTEMATIC_ROWS and 2 * len(problems) >= checked:
                # most rows break it: the headers are misread, not every row wrong
                yield from (x for x in found if isinstance(x, Checked))
                yield _systematic(view, c, p, problems, checked)
            else:
                yield from found


# a child column over its parent in this many rows, and in at least half of them, says
# more about how the headers were read than about the rows
SYSTEMATIC_ROWS = 3


def _systematic(
    view: TableView, c: int, p: int, problems: Sequence[Problem], checked: int
) -> Problem:
    cells = ", ".join(x.reported or "" for x in problems[:5])
    return Problem(
        message=(
            f"{view.labels[c]} exceeds {view.labels[p]} in {len(problems)} of {checked} rows "
            f"({cells}{', …' if len(problems) > 5 else ''}): the columns may not be what "
            "their headers were read as"
        ),
        evidence=tuple(e for x in problems[:5] for e in x.evidence),
        reported=problems[0].reported,
        expected=problems[0].expected,
        explanation=(
            f"{view.labels[c]} should count part of {view.labels[p]}; a break in most rows "
            "points at the header reading, so no row is called wrong"
        ),
        table=view.name,
        column=view.labels[c],
        severity=Severity.WARNING,
    )


def _check_parent(view: TableView, r: int, c: int, p: int) -> Iterator[Problem | Checked]:
    child, parent = view.value(r, c), view.value(r, p)
    if child is None or parent is None or child.number is None or parent.number is None:
        return
    yield Checked((child.cell, parent.cell))
    if child.number.exact <= parent.number.exact:
        return
    suspect = doubtful(view.records[r])
    yield Problem(
        message=(
            f"{view.where(r)} {view.labels[c]}: expected at most {parent.cell.text} "
            f"({view.labels[p]}), found {child.cell.text}" + (DOUBT if suspect else "")
        ),
        evidence=evidence((child.cell, parent.cell)),
        reported=child.cell.text,
        expected=f"≤ {parent.cell.text}",
        explanation=f"{view.labels[c]} counts part of {view.labels[p]}",
        table=view.name,
        row=view.records[r].row,
        column=view.labels[c],
        department=department(view.records[r]),
        severity=Severity.WARNING if suspect else None,
    )


# --- ALN001: re-aligned rows ------------------------------------------------------


def _run_key(rec: Record) -> tuple[object, ...] | None:
    if rec.unaligned:
        return ("unaligned", len(rec.values))
    a = rec.alignment
    return None if a is None else ("aligned", a.printed, a.expected, a.position)


def alignment_runs(records: Sequence[Record]) -> list[list[int]]:
    """Runs of consecutive records read the same way (re-aligned alike, or left unaligned)."""
    runs: list[list[int]] = []
    previous: tuple[object, ...] | None = None
    for i, rec in enumerate(records):
        key = _run_key(rec)
        if key is not None and key == previous:
            runs[-1].append(i)
        elif key is not None:
            runs.append([i])
        previous = key
    return runs


def _rows_text(view: TableView, run: Sequence[int]) -> str:
    first, last = view.records[run[0]].row, view.records[run[-1]].row
    return f"body row {first}" if first == last else f"body rows {first}–{last}"


@rule(
    "ALN001", Severity.INFO, "rows whose cell count differs from the header, and how they were read"
)
def check_alignment(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        for run in alignment_runs(nt.records):
            if nt.records[run[0]].unaligned:
                yield _unaligned_problem(view, run)
            else:
                yield _aligned_problem(view, run)


def _placement(view: TableView, a: Alignment, extra: bool) -> str:
    header = [c for c, col in enumerate(view.table.columns) if not col.inserted]
    position = a.position
    if a.merged and 0 < position < len(header):
        left, right = view.labels[header[position - 1]], view.labels[header[position]]
        return f"one cell printed across {left} and {right}, read for both"
    if extra:
        after = position + 1
        where = f"before {view.labels[after]}" if after < len(view.labels) else "at the end"
        return f"an unheaded column at position {position + 1} ({where})"
    column = view.labels[header[position]] if position < len(header) else "the last column"
    return f"a missing cell at position {position + 1} (under {column})"


def _aligned_problem(view: TableView, run: Sequence[int]) -> Problem:
    alignments = [a for a in (view.records[i].alignment for i in run) if a is not None]
    a = alignments[0]
    confirmed = sorted({x.confirmed for x in alignments})
    by = f"{confirmed[0]}" if len(confirmed) == 1 else f"{confirmed[0]}–{confirmed[-1]}"
    extra = a.printed > a.expected
    cells = [_cell_at(view.records[i], a.position if extra else 0) for i in run]
    return Problem(
        message=(
            f"{view.name} {_rows_text(view, run)} print {a.printed} cells where the header has "
            f"{a.expected} columns; read with {_placement(view, a, extra)}, "
            f"confirmed by {by} relations per row"
        ),
        evidence=evidence([c for c in cells if c is not None]),
        explanation=f"{a.tried} placements tried per row; the one where most relations hold won",
        table=view.name,
        row=view.records[run[0]].row,
    )


def _unaligned_problem(view: TableView, run: Sequence[int]) -> Problem:
    rec = view.records[run[0]]
    expected = sum(not col.inserted for col in view.table.columns)
    cells = [_cell_at(view.records[i], 0) for i in run]
    return Problem(
        message=(
            f"{view.name} {_rows_text(view, run)} print {len(rec.values)} cells where the header "
            f"has {expected} columns and no placement fits; left out of the table checks"
        ),
        evidence=evidence([c for c in cells if c is not None]),
        table=view.name,
        row=rec.row,
        severity=Severity.WARNING,
    )


def _cell_at(rec: Record, i: int) -> Span | None:
    value = rec.values[i] if i < len(rec.values) else None
    return value.cell if value is not None else None
