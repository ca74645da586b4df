"""Rows with one cell too many or too few, placed where their arithmetic holds.

The rows that fit the header teach the table's relations: each measure column's
formula over the count columns, the total as a sum of measures, count columns
that always agree. A row with an extra cell is tried with that cell at each
position (a missing cell likewise); the position under which most relations
hold across the run of such rows wins, and the extra cell becomes a column with
no printed header.

A row one cell short may instead print one value across two columns (a merged
cell: two equal counts printed once), whose value goes to both columns. Where
cells have boxes, they say which (`row_boxes`: a cell centred between two
columns, else the column no cell sits in); without boxes, reading a cell for
both its columns is one more hypothesis, kept only when more relations hold
under it (the column totals among them) than under any missing cell.

Nothing is guessed silently: every record keeps its `Alignment` with the number
of relations that confirmed it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Alignment, Column, Number, Record, Value
from pipeline.normalize.row_boxes import blank_position, column_centres, merged_position
from pipeline.normalize.totals import prints_total, sums_holding
from pipeline.numeric.arithmetic import Rounding, holds
from pipeline.numeric.exact_table import ExactTable
from pipeline.numeric.infer import (
    Formula,
    FormulaKind,
    indicator_inputs,
    infer_formula,
    own_inputs,
)
from pipeline.numeric.sums import infer_sum, judge_sum

NO_HEADER = "(no header)"
NON_INPUT_METRICS = frozenset({"row_number", "rank", "department"})
TOTAL_METRICS = frozenset({"score_total"})
MEASURE_METRICS = ("score", "rate_", "share")

Matrix = Sequence[Sequence[Number | None]]
Row = Sequence[Value]


@dataclass(frozen=True, slots=True)
class Relations:
    """What the well-formed rows say about the table, over header column indexes."""

    formulas: tuple[tuple[int, Formula], ...]
    total: tuple[int, Formula] | None
    equal_pairs: tuple[tuple[int, int], ...]
    kinds: tuple[str, ...]

    def count_holding(self, row: Sequence[Number | None]) -> int:
        held = sum(_formula_holds(f, row, t) for t, f in self.formulas)
        held += sum(_equal(row, i, j) for i, j in self.equal_pairs)
        if self.total is not None:
            held += _total_holds(self, row)
        return held

    def type_mismatches(self, row: Sequence[Value | None]) -> int:
        return sum(
            _kind_of(v) not in ("empty", kind) for v, kind in zip(row, self.kinds, strict=True)
        )


def numbers(row: Sequence[Value | None]) -> list[Number | None]:
    return [v.number if v is not None else None for v in row]


def column_kind(values: Sequence[Value | None], column: Column | None = None) -> str:
    """The kind of a column: text, count (integers), measure (decimals, percents) or empty.

    A column whose header names a score, rate or share is a measure even when the
    office prints it without decimals ("85").
    """
    kinds = Counter(_kind_of(v) for v in values)
    kinds.pop("empty", None)
    if not kinds:
        return "empty"
    if kinds["text"] > sum(kinds.values()) / 2:
        return "text"
    named = column is not None and (column.metric or "").startswith(MEASURE_METRICS)
    return "measure" if kinds["measure"] or named else "count"


def _kind_of(v: Value | None) -> str:
    if v is None or not v.cell.text.strip():
        return "empty"
    n = v.number
    if n is None:
        return "text"
    return "measure" if n.percent or n.decimals > 0 else "count"


def learn_relations(
    columns: Sequence[Column], regular: Sequence[Sequence[Value | None]]
) -> Relations:
    """Formulas, a total and equal count columns from the rows that fit the header."""
    matrix = ExactTable([numbers(r) for r in regular])
    kinds = tuple(column_kind([r[i] for r in regular], columns[i]) for i in range(len(columns)))
    counts = [
        i
        for i, k in enumerate(kinds)
        if k == "count" and columns[i].metric not in NON_INPUT_METRICS
    ]
    measures = [i for i, k in enumerate(kinds) if k == "measure"]
    formulas = []
    for t in measures:
        if columns[t].metric in TOTAL_METRICS:
            continue
        indicators = indicator_inputs(columns, t, counts)
        found = infer_formula(
            matrix,
            t,
            inputs=counts,
            weight=columns[t].weight,
            indicators=indicators,
            own=own_inputs(columns, t, counts),
        )
        if found is not None and found.formula.kind is not FormulaKind.CONSTANT:
            formulas.append((t, found.formula))
    return Relations(
        formulas=tuple(formulas),
        total=_learn_total(columns, matrix, measures, formulas, counts),
        equal_pairs=tuple(_equal_pairs(matrix, counts)),
        kinds=kinds,
    )


def _learn_total(
    columns: Sequence[Column],
    matrix: Matrix,
    measures: Sequence[int],
    formulas: Sequence[tuple[int, Formula]],
    counts: Sequence[int],
) -> tuple[int, Formula] | None:
    totals = [i for i in measures if columns[i].metric in TOTAL_METRICS]
    if not totals:
        return None
    target = totals[0]
    unrounded = {t: [f.evaluate(row) for row in matrix] for t, f in formulas}
    parts = [i for i in measures if i != target]
    found = infer_sum(matrix, target, parts, unrounded=unrounded, counts=counts)
    return (target, found.formula) if found is not None else None


def _equal_pairs(matrix: Matrix, counts: Sequence[int]) -> list[tuple[int, int]]:
    """Count columns equal in every row, where the values vary (zeros prove nothing)."""
    pairs = []
    for a, i in enumerate(counts):
        for j in counts[a + 1 :]:
            col_i = [r[i] for r in matrix]
            if len({n.value for n in col_i if n is not None}) < 2:
                continue
            if all(_equal(r, i, j) for r in matrix):
                pairs.append((i, j))
    return pairs


def _equal(row: Sequence[Number | None], i: int, j: int) -> bool:
    a, b = row[i], row[j]
    return a is not None and b is not None and a.value == b.value


def _formula_holds(f: Formula, row: Sequence[Number | None], target: int) -> bool:
    value = f.evaluate(row)
    printed = row[target]
    return value is not None and printed is not None and holds(value, printed, Rounding.HALF_UP)


def _total_holds(rel: Relations, row: Sequence[Number | None]) -> bool:
    assert rel.total is not None
    target, formula = rel.total
    unrounded: dict[int, list[Fraction | None]] = {t: [f.evaluate(row)] for t, f in rel.formulas}
    verdict = judge_sum([list(row)], target, formula.inputs, unrounded=unrounded)
    return verdict[0].value == "holds"


# --- placing odd rows -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gap:
    """Where a row's extra or missing cell goes; `merged`: the cell before `position` spans
    two columns and fills both (nothing is missing)."""

    position: int
    merged: bool = False


def _candidates(
    row: Sequence[Value | None], n: int, *, merged: bool = True
) -> list[tuple[Gap, list[Value | None]]]:
    """(gap, row in header space) for each place the extra or missing cell can take; a short
    row is also tried with each cell read for its column and the next (a merged cell),
    unless `merged` is False (the cells' boxes already said no cell spans two columns)."""
    if len(row) == n + 1:
        return [(Gap(p), [*row[:p], *row[p + 1 :]]) for p in range(len(row))]
    missing = [(Gap(p), [*row[:p], None, *row[p:]]) for p in range(n)]
    spread = [(Gap(k + 1, True), _spread(row, k)) for k in range(n - 1)] if merged else []
    return missing + spread


def _spread(row: Sequence[Value | None], k: int) -> list[Value | None]:
    """A short row in header space with its cell `k` read for columns k and k+1."""
    return [*row[: k + 1], row[k], *row[k + 1 :]]


def _score(rel: Relations, candidate: Sequence[Value | None]) -> int:
    return rel.count_holding(numbers(candidate)) - 2 * rel.type_mismatches(candidate)


def _best_gap(
    rel: Relations,
    rows: Sequence[Sequence[Value | None]],
    n: int,
    sums: _Sums | None = None,
    *,
    merged: bool = True,
) -> tuple[Gap, int]:
    """The gap with the highest score summed over the run, and how many count columns then
    add up to the totals row (short rows, `sums`). On a tie a missing cell rather than a
    merged one (which adds a value), then the leftmost."""
    totals: Counter[Gap] = Counter()
    placed: dict[Gap, list[list[Value | None]]] = {}
    for row in rows:
        for gap, cand in _candidates(row, n, merged=merged):
            totals[gap] += _score(rel, cand)
            placed.setdefault(gap, []).append(cand)
    added: Counter[Gap] = Counter()
    if sums is not None:
        for gap, cands in placed.items():
            body = [*sums.regular, *(numbers(c) for c in cands)]
            added[gap] = sums_holding(body, sums.total, sums.counts)
    best = max(totals, key=lambda g: (totals[g] + added[g], not g.merged, -g.position))
    return best, added[best]


@dataclass(frozen=True, slots=True)
class _Sums:
    """The regular body rows and the one totals row, for the column-sum relation."""

    regular: tuple[list[Number | None], ...]
    total: list[Number | None]
    counts: tuple[int, ...]


def _sums(
    columns: Sequence[Column], rel: Relations, rows: Sequence[Sequence[Value]], short: list[Row]
) -> _Sums | None:
    """The column-sum relation of a table whose body is regular and short rows under one
    totals row; None for any other shape."""
    n = len(columns)
    totals = [r for r in rows if prints_total(r)]
    if len(totals) != 1 or len(totals[0]) != n:
        return None
    body = [r for r in rows if r is not totals[0]]
    if any(len(r) != n and not any(r is s for s in short) for r in body):
        return None
    counts = tuple(
        i
        for i, k in enumerate(rel.kinds)
        if k == "count" and columns[i].metric not in NON_INPUT_METRICS
    )
    regular = tuple(numbers(r) for r in body if len(r) == n)
    return _Sums(regular, numbers(totals[0]), counts)


def align_rows(
    columns: tuple[Column, ...], rows: Sequence[Sequence[Value]], dept: int | None
) -> tuple[tuple[Column, ...], list[Record]]:
    """Columns (with an inserted unheaded column if rows carry one) and aligned records."""
    n = len(columns)
    regular = [r for r in rows if len(r) == n]
    extra = [r for r in rows if len(r) == n + 1]
    centres = column_centres(regular, n) if any(len(r) == n - 1 for r in rows) else None
    by_box = _gaps_by_box(rows, centres)
    short = [r for i, r in enumerate(rows) if len(r) == n - 1 and i not in by_box]
    rel = learn_relations(columns, regular) if regular and (extra or short or by_box) else None
    extra_at = _best_gap(rel, extra, n)[0].position if rel and extra else None
    short_gap, summed = None, 0
    if rel is not None and short:
        sums = _sums(columns, rel, rows, short)
        short_gap, summed = _best_gap(rel, short, n, sums, merged=centres is None)
    out_columns = _with_inserted(columns, extra_at, rows)
    records = []
    for i, row in enumerate(rows):
        boxed = i in by_box
        gap = by_box[i] if boxed else short_gap
        also = 0 if boxed or len(row) != n - 1 else summed
        records.append(
            _place(i, row, n, rel, extra_at, gap, boxed=boxed, also=also, spread=centres is None)
        )
    return out_columns, records


def _gaps_by_box(rows: Sequence[Sequence[Value]], centres: list[float] | None) -> dict[int, Gap]:
    """Row index -> the gap of a short row as its cells' boxes place it: a merged cell, else
    the column no cell sits in."""
    found = {}
    for i, row in enumerate(rows):
        if centres is None or len(row) != len(centres) - 1:
            continue
        if (k := merged_position(row, centres)) is not None:
            found[i] = Gap(k + 1, True)
        elif (p := blank_position(row, centres)) is not None:
            found[i] = Gap(p)
    return found


def _with_inserted(
    columns: tuple[Column, ...], at: int | None, rows: Sequence[Sequence[Value]]
) -> tuple[Column, ...]:
    if at is None:
        return columns
    neighbour = columns[at] if at < len(columns) else columns[-1]
    inserted = Column(
        path=(*neighbour.path[:-1], NO_HEADER) if len(neighbour.path) > 1 else (NO_HEADER,),
        metric=None,
        weight=None,
        group=neighbour.group,
        inserted=True,
    )
    return (*columns[:at], inserted, *columns[at:])


def _place(
    i: int,
    row: Sequence[Value],
    n: int,
    rel: Relations | None,
    extra_at: int | None,
    short_gap: Gap | None,
    *,
    boxed: bool = False,
    also: int = 0,
    spread: bool = True,
) -> Record:
    """The record of row `i`; `also` counts relations of the whole run that confirmed its
    placement (column totals), besides the row's own; `spread`: merged cells were tried."""
    width = len(row)
    if width == n:
        values: list[Value | None] = list(row)
        if extra_at is not None:
            values.insert(extra_at, None)
        return Record(row=i + 1, department=None, values=tuple(values))
    gap = Gap(extra_at) if width == n + 1 and extra_at is not None else None
    gap = short_gap if width == n - 1 else gap
    if gap is None or (rel is None and not boxed):
        return Record(row=i + 1, department=None, values=tuple(row), unaligned=True)
    options = _candidates(row, n, merged=spread or gap.merged)
    header_space = dict(options)[gap]
    confirmed = also + (rel.count_holding(numbers(header_space)) if rel is not None else 0)
    values = list(row) if width == n + 1 else header_space
    if width == n - 1 and extra_at is not None:
        values.insert(extra_at, None)
    alignment = Alignment(
        printed=width,
        expected=n,
        position=gap.position,
        confirmed=confirmed,
        tried=1 if boxed else len(options),
        description=_description(gap, width > n, boxed),
        merged=gap.merged,
    )
    return Record(row=i + 1, department=None, values=tuple(values), alignment=alignment)


def _description(gap: Gap, extra: bool, boxed: bool) -> str:
    if not gap.merged:
        where = " (where the cells' boxes leave a gap)" if boxed else ""
        return f"{'an extra' if extra else 'a missing'} cell at position {gap.position + 1}{where}"
    how = "its box spans both" if boxed else "the relations hold so"
    return (
        f"one cell printed across columns {gap.position} and {gap.position + 1} "
        f"(a merged cell; {how}), read for both"
    )
