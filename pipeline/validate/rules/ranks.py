"""TBL005: a ranked table lists its rows by descending score, with consistent ranks.

A table counts as ranked when it has a score column (named as a total, the sum
found behind a total, or a lone score column) and a 排名 or 序号 column, and most
adjacent rows are already in descending order of the score; a table sorted by
something else is left alone. Ranks are judged under the convention (1,2,2,4;
1,2,2,3; 1,2,3,4) that leaves the fewest rows wrong.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Checked, Normalized, NormalizedTable, Problem, Severity
from pipeline.normalize.columns import TOTAL_METRICS
from pipeline.numeric.arithmetic import Rounding
from pipeline.numeric.ranks import (
    check_rank_order,
    expected_ranks,
    infer_rank_convention,
    out_of_order,
)
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import (
    DOUBT,
    TableView,
    department,
    doubtful,
    evidence,
    formulas_of,
    view_of,
)

RANK_METRICS = ("rank", "row_number")
FRAGMENT_START = 2
SCORE_METRIC = "score"
# share of adjacent pairs already in descending order for a table to count as ranked
RANKED_SHARE = Fraction(3, 4)
MIN_RANKED_ROWS = 3


def score_column(nt: NormalizedTable, rounding: Rounding) -> int | None:
    """The column a table ranks by: its total, else the sum found behind one, else a lone score."""
    view = view_of(nt, rounding)
    columns = nt.columns
    named = [c for c in view.measures if columns[c].metric in TOTAL_METRICS]
    total = formulas_of(nt, rounding).total
    scores = [c for c in view.measures if columns[c].metric == SCORE_METRIC]
    if named:
        return named[0]
    if total is not None:
        return total[0]
    return scores[0] if len(scores) == 1 else None


def rank_column(nt: NormalizedTable) -> int | None:
    for metric in RANK_METRICS:
        for c, col in enumerate(nt.columns):
            if col.metric == metric:
                return c
    return None


def ranked_rows(view: TableView, score: int, rank: int) -> list[tuple[int, Fraction, int]]:
    """(record index, score, printed rank) for the body rows printing both."""
    out = []
    for r, row in enumerate(view.rows):
        value, printed = row[score], row[rank]
        if value is None or printed is None or printed.decimals or printed.percent:
            continue
        out.append((r, Fraction(value.exact), int(printed.value)))
    return out


def clearly_ranked(values: Sequence[Fraction]) -> bool:
    pairs = list(itertools.pairwise(values))
    ordered = sum(a >= b for a, b in pairs)
    return len(values) >= MIN_RANKED_ROWS and ordered >= RANKED_SHARE * len(pairs)


@rule("TBL005", Severity.ERROR, "a ranked table lists rows by descending score with right ranks")
def check_rank_order_rule(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        rank = rank_column(nt)
        if rank is None:
            continue
        view = view_of(nt, rounding_of(norm))
        score = score_column(nt, rounding_of(norm))
        if score is not None:
            found = _named_ranking(view, score, rank)
        elif nt.columns[rank].metric == RANK_METRICS[0]:  # 序号 numbers rows: it ranks by nothing
            found = _followed_ranking(view, rank)
        else:
            found = None
        if found is None:
            continue
        ranking, rows = found
        yield Checked(tuple(s for r, _, _ in rows for s in view.spans(r, ranking.columns)))
        yield from _rank_problems(view, rows, ranking)


@dataclass(frozen=True, slots=True)
class Ranking:
    """What a table's ranks follow: `columns` (score, rank), the direction (a lower figure
    ranks first when not `descending`: complaints per 10k people, days taken) and whether
    the pairing is sure enough for an error (a named score column, or the one column the
    ranks follow)."""

    columns: tuple[int, int]
    descending: bool = True
    sure: bool = True


RankedRows = list[tuple[int, Fraction, int]]


def _named_ranking(view: TableView, score: int, rank: int) -> tuple[Ranking, RankedRows] | None:
    """The score column the headers name, when the rows are listed by it."""
    rows = ranked_rows(view, score, rank)
    if not clearly_ranked([v for _, v, _ in rows]):
        return None
    return Ranking((score, rank)), rows


def _followed_ranking(view: TableView, rank: int) -> tuple[Ranking, RankedRows] | None:
    """The column the printed ranks follow when no header names the score: among the
    number columns, those by which the rows are listed in order, one way or the other.
    A column whose ranks all fit wins (nothing to report); else the candidates headed as a
    score are preferred, then those listed wholly in order, and the one left is judged, its
    findings warnings unless it is headed as a score. Two left: no check."""
    candidates: list[tuple[Ranking, RankedRows]] = []
    for c in (*view.measures, *view.counts):
        if c == rank:
            continue
        rows = ranked_rows(view, c, rank)
        if not _ranks_rise(rows):
            continue
        for descending in (True, False):
            signed = [(r, v if descending else -v, k) for r, v, k in rows]
            if clearly_ranked([v for _, v, _ in signed]):
                sure = SCORE_METRIC in (view.table.columns[c].metric or "")
                candidates.append((Ranking((c, rank), descending, sure), signed))
    for ranking, rows in candidates:
        if not list(_rank_problems(view, rows, ranking)):
            return ranking, rows
    pool = candidates
    for preferred in (lambda c: c[0].sure, lambda c: not out_of_order([v for _, v, _ in c[1]])):
        pool = [c for c in pool if preferred(c)] or pool
    return pool[0] if len(pool) == 1 else None


def _ranks_rise(rows: RankedRows) -> bool:
    """The printed ranks mostly run upward down the table, from the top: the rows are listed
    in rank order (a wrong rank or two aside)."""
    ranks = [Fraction(-k) for _, _, k in rows]
    return bool(ranks) and -ranks[0] <= FRAGMENT_START and clearly_ranked(ranks)


def _rank_problems(
    view: TableView, rows: Sequence[tuple[int, Fraction, int]], ranking: Ranking
) -> Iterator[Problem]:
    values = [v for _, v, _ in rows]
    # A table that opens past rank 2 is the rest of a longer ranking: judge its ranks from there.
    offset = rows[0][2] - 1 if rows and rows[0][2] > FRAGMENT_START else 0
    ranks = [k - offset for _, _, k in rows]
    displaced = set(out_of_order(values))
    wrong = set(check_rank_order(values, ranks)) - displaced
    for i in sorted(displaced):
        yield _order_problem(view, rows, i, ranking)
    if wrong:
        convention = infer_rank_convention(values, ranks)
        allowed = expected_ranks(values, convention)
        for i in sorted(wrong):
            printed = view.rows[rows[i][0]][ranking.columns[1]]
            # a place printed in words (第十名) is reported as printed, digits as the rank
            place = str(ranks[i] + offset)
            if printed is not None and not printed.text.strip().isdigit():
                place = printed.text
            span = allowed[i] or range(0)
            ends = (str(span[0] + offset), str(span[-1] + offset))
            expected = "–".join(dict.fromkeys(ends)) if span else "?"
            yield _problem(
                view,
                rows[i][0],
                ranking,
                f"printed rank {ranks[i] + offset} does not fit its score under "
                f"{convention} ranking{'' if ranking.descending else ', lowest first'}, "
                f"expected {expected}",
                (place, expected),
            )


def _order_problem(
    view: TableView, rows: Sequence[tuple[int, Fraction, int]], i: int, ranking: Ranking
) -> Problem:
    score = ranking.columns[0]
    direction = "descending" if ranking.descending else "ascending"

    def text(j: int) -> str:
        n = view.rows[rows[j][0]][score]
        return n.text if n is not None else "?"

    above = text(i - 1) if i > 0 else None
    below = text(i + 1) if i + 1 < len(rows) else None
    bounds = " and ".join(b for b in (below, above) if b is not None)
    return _problem(
        view,
        rows[i][0],
        ranking,
        f"{view.labels[score]} {text(i)} breaks the {direction} order, expected a score between "
        f"{bounds}",
        (text(i), f"between {bounds}"),
    )


def _problem(
    view: TableView, r: int, ranking: Ranking, what: str, found: tuple[str, str]
) -> Problem:
    rec = view.records[r]
    suspect = doubtful(rec)
    columns = ranking.columns
    return Problem(
        message=f"{view.where(r)}: {what}" + (DOUBT if suspect else ""),
        evidence=evidence(view.spans(r, columns)),
        reported=found[0],
        expected=found[1],
        table=view.name,
        row=rec.row,
        column=view.labels[columns[0]],
        department=department(rec),
        severity=Severity.WARNING if suspect or not ranking.sure else None,
    )
