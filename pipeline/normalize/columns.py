"""Rows with one cell too many or too few, placed where their arithmetic holds.

The rows that fit the header teach the table's relations: each measure column's
formula over the count columns, the total as a sum of measures, count columns
that always agree. A row with an extra cell is tried with that cell at each
position (a missing cell likewise); the position under which most relations
hold across the run of such rows wins, and the extra cell becomes a column with
no printed header. Nothing is guessed silently: every record keeps its
`Alignment` with the number of relations that confirmed it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Alignment, Column, Number, Record, Value
from pipeline.numeric.arithmetic import Rounding, holds
from pipeline.numeric.infer import Formula, FormulaKind, infer_formula, infer_sum, judge_sum

NO_HEADER = "(no header)"
NON_INPUT_METRICS = frozenset({"row_number", "rank", "department"})
TOTAL_METRICS = frozenset({"score_total"})
MEASURE_METRICS = ("score", "rate_", "share")
MEASURE_METRICS = ("score", "rate_", "share")

Matrix = list[list[Number | None]]


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
    matrix: Matrix = [numbers(r) for r in regular]
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
        found = infer_formula(matrix, t, inputs=counts, weight=columns[t].weight)
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


def _candidates(row: Sequence[Value | None], n: int) -> list[tuple[int, list[Value | None]]]:
    """(position, row in header space) for each place the extra or missing cell can take."""
    if len(row) == n + 1:
        return [(p, [*row[:p], *row[p + 1 :]]) for p in range(len(row))]
    return [(p, [*row[:p], None, *row[p:]]) for p in range(n)]


def _score(rel: Relations, candidate: Sequence[Value | None]) -> int:
    return rel.count_holding(numbers(candidate)) - 2 * rel.type_mismatches(candidate)


def _best_position(
    rel: Relations, rows: Sequence[Sequence[Value | None]], n: int
) -> tuple[int, int]:
    """The position with the highest score summed over the run, and how many were tried."""
    totals: Counter[int] = Counter()
    tried = 0
    for row in rows:
        options = _candidates(row, n)
        tried = len(options)
        for p, cand in options:
            totals[p] += _score(rel, cand)
    best = max(totals, key=lambda p: (totals[p], -p))
    return best, tried


def align_rows(
    columns: tuple[Column, ...], rows: Sequence[Sequence[Value]], dept: int | None
) -> tuple[tuple[Column, ...], list[Record]]:
    """Columns (with an inserted unheaded column if rows carry one) and aligned records."""
    n = len(columns)
    regular = [r for r in rows if len(r) == n]
    extra = [r for r in rows if len(r) == n + 1]
    short = [r for r in rows if len(r) == n - 1]
    rel = learn_relations(columns, regular) if regular and (extra or short) else None
    extra_at = _best_position(rel, extra, n)[0] if rel and extra else None
    short_at = _best_position(rel, short, n)[0] if rel and short else None
    out_columns = _with_inserted(columns, extra_at, rows)
    records = [_place(i, r, n, rel, extra_at, short_at) for i, r in enumerate(rows)]
    return out_columns, records


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
    short_at: int | None,
) -> Record:
    width = len(row)
    if width == n:
        values: list[Value | None] = list(row)
        if extra_at is not None:
            values.insert(extra_at, None)
        return Record(row=i + 1, department=None, values=tuple(values))
    at = extra_at if width == n + 1 else short_at if width == n - 1 else None
    if rel is None or at is None:
        return Record(row=i + 1, department=None, values=tuple(row), unaligned=True)
    header_space = _candidates(row, n)[at][1]
    confirmed = rel.count_holding(numbers(header_space))
    values = list(row) if width == n + 1 else header_space
    if width == n - 1 and extra_at is not None:
        values.insert(extra_at, None)
    how = "an extra cell" if width == n + 1 else "a missing cell"
    alignment = Alignment(
        printed=width,
        expected=n,
        position=at,
        confirmed=confirmed,
        tried=len(_candidates(row, n)),
        description=f"{how} at position {at + 1}",
    )
    return Record(row=i + 1, department=None, values=tuple(values), alignment=alignment)
