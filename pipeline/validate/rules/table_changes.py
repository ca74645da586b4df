"""GROWTH008: a table's change column that no header names, found by its arithmetic.

A table copied from a web page often loses the header that says which column is this
period, which the last and which their change ("10月(件) 9月(件) 环比(%)" printed across
lines, or no header line at all). GROWTH002 needs those words. Here a column of changes
(percentages, or numbers printed with ↑/↓) is matched, when no header names the table's
periods, with the pair of count columns before it whose change it reproduces in at least
three quarters of the rows (and in at least MIN_ROWS of them). The rows that break such a
pairing are warnings, errors once STRONG_ROWS rows keep it: the pairing rests on
arithmetic alone, like DERIVE001's splits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from pipeline.model import Checked, Normalized, NormalizedTable, Number, Problem, Severity, Span
from pipeline.normalize.comparisons import period_triples
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Rounding, interval_of
from pipeline.numeric.changes import change_of, table_change_holds
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.growth import row_problem
from pipeline.validate.rules.tables import doubtful

ARROWS = "↑↓▲▼"  # a number printed with one is a change, with or without its % sign
# count columns before a change column that may be its pair: tables print them beside it
NEAREST = 4
MIN_ROWS = 3  # rows that must keep a pairing before it is believed
STRONG_ROWS = 5  # rows that must keep it before a row that breaks it is an error
HOLDING_SHARE = Fraction(3, 4)


@dataclass(frozen=True, slots=True)
class Pairing:
    current: int
    previous: int
    change: int
    rows: tuple[int, ...]  # rows printing all three
    holding: tuple[int, ...]  # rows whose change cell the pair reproduces


def _number(table: NormalizedTable, r: int, c: int) -> Number | None:
    values = table.records[r].values
    v = values[c] if c < len(values) else None
    return v.number if v is not None else None


def _is_count(n: Number | None) -> bool:
    return n is not None and not n.percent and n.decimals == 0


def _columns(table: NormalizedTable, test: Callable[[Number], bool]) -> list[int]:
    """The columns whose every body cell is a number that passes `test`."""
    width = len(table.columns)
    body = [r for r, rec in enumerate(table.records) if not rec.unaligned]
    found = []
    for c in range(width):
        numbers = [_number(table, r, c) for r in body]
        if numbers and all(n is not None and test(n) for n in numbers):
            found.append(c)
    return found


def pairings(table: NormalizedTable, rounding: Rounding) -> Iterator[Pairing]:
    """For each change column, the pair of count columns before it that explains most rows."""
    if period_triples(table):
        return  # the header names the periods: GROWTH002's
    counts = _columns(table, _is_count)
    changes = _columns(
        table, lambda n: n.percent or n.decimals > 0 or n.text.lstrip()[:1] in ARROWS
    )
    for p in changes:
        if _names_a_rate(table, p):
            continue  # "不合格率%": a rate over the counts, whatever change it comes close to
        best: Pairing | None = None
        before = [c for c in counts if c < p][-NEAREST:]
        for a in before:
            for b in before:
                found = _pairing(table, a, b, p, rounding) if a != b else None
                if found is not None and (best is None or len(found.holding) > len(best.holding)):
                    best = found
        if best is not None:
            yield best


def _names_a_rate(table: NormalizedTable, c: int) -> bool:
    """The column's header names a rate or a share and no change: its figures are not the
    change between two columns, though for small rates (b - a) / a comes close to them."""
    words = quantity_words()
    header = "".join(table.columns[c].path)
    if any(w in header for w in words.change_words):
        return False
    named = any(w in header for w in words.share_words)
    return named or words.rate_word.search(header.rstrip("(%)（％） ")) is not None


def _pairing(
    table: NormalizedTable, cur: int, prev: int, change: int, rounding: Rounding
) -> Pairing | None:
    rows: list[int] = []
    holding: list[int] = []
    for r, rec in enumerate(table.records):
        if _hopeless(len(holding), len(rows) - len(holding), len(table.records) - r):
            return None
        cells = [_number(table, r, c) for c in (cur, prev, change)]
        if rec.unaligned or any(n is None for n in cells):
            continue
        a, b, d = (n for n in cells if n is not None)
        held = table_change_holds(a, b, d, rounding)
        if held is None:
            continue
        rows.append(r)
        if held:
            holding.append(r)
    if len(holding) < MIN_ROWS or len(holding) < HOLDING_SHARE * len(rows):
        return None
    return Pairing(cur, prev, change, tuple(rows), tuple(holding))


def _hopeless(holding: int, broken: int, left: int) -> bool:
    """True when a pairing cannot be kept whatever the `left` rows still to judge give: even
    if all of them hold, fewer than MIN_ROWS rows or less than HOLDING_SHARE of them would.
    Most candidate pairs break row after row; this stops them early (same pairings kept)."""
    most = holding + left
    return most < MIN_ROWS or most < HOLDING_SHARE * (most + broken)


@rule(
    "GROWTH008",
    Severity.ERROR,
    "a change column no header names equals the change between the two count columns before it",
)
def check_inferred_changes(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    rounding = accepted[0] if accepted else Rounding.HALF_UP
    for table in norm.tables:
        for pairing in pairings(table, rounding):
            columns = (pairing.current, pairing.previous, pairing.change)
            yield Checked(tuple(_spans(table, pairing.rows, columns)))
            for r in pairing.rows:
                if r not in pairing.holding:
                    yield _problem(norm, table, r, pairing, rounding, accepted)


def _spans(table: NormalizedTable, rows: Sequence[int], columns: Sequence[int]) -> Iterator[Span]:
    for r in rows:
        for c in columns:
            v = table.records[r].values[c]
            if v is not None:
                yield v.cell


def _problem(
    norm: Normalized,
    table: NormalizedTable,
    r: int,
    pairing: Pairing,
    rounding: Rounding,
    accepted: Sequence[Rounding],
) -> Problem:
    columns = (pairing.current, pairing.previous, pairing.change)
    cur, prev, change = (_number(table, r, c) for c in columns)
    assert cur is not None and prev is not None and change is not None  # a row of the pairing
    new, old = (interval_of(n, rounding, exact=True) for n in (cur, prev))
    actual = change_of(False, new, old)
    assert actual is not None
    others = [o for o in accepted[1:] if table_change_holds(cur, prev, change, o)]
    problem = row_problem(norm, table, r, columns, actual, rounding, others)
    strong = len(pairing.holding) >= STRONG_ROWS and not doubtful(table.records[r])
    why = (
        f"{problem.explanation}; the other {len(pairing.holding)} rows print this column as "
        "the change between those two, which no header names"
    )
    severity = problem.severity if strong else Severity.WARNING
    return replace(problem, explanation=why, severity=severity)
