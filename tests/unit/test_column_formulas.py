"""Formulas a column's name defines, preferred over inferred ones (validate/column_formulas.py)."""

from __future__ import annotations

from pipeline.model import Column, Number, Source, Span
from pipeline.normalize.tables import parse_cell
from pipeline.numeric.arithmetic import Rounding
from pipeline.numeric.infer import infer_formula
from pipeline.validate.column_formulas import defined_rate, prefer_defined

COLUMNS = (
    Column(("受理件数",), "received", None, "受理件数"),
    Column(("办结情况", "件数"), "completed", None, "办结情况"),
    Column(("办结情况", "办结率"), "rate_completed", None, "办结情况"),
)
# A held-out bulletin's attachment: two units completed nothing, and one of them prints a
# wrong 2%. 受理 / 办结 cannot be computed on those rows, so it fails on none.
ROWS = [("15", "15", "100%"), ("5", "5", "100%"), ("1", "1", "100%"), ("1", "0", "2%")]
ROWS += [("1", "1", "100%"), ("1", "0", "0%"), ("1", "1", "100%")]


def numbers() -> list[list[Number | None]]:
    src = Source(1, None, "test")
    return [[parse_cell(Span(t, src)).number for t in row] for row in ROWS]


def test_column_formulas_defined_rate_wins_when_it_holds_on_more_rows() -> None:
    rows = numbers()
    inferred = infer_formula(rows, 2, inputs=(0, 1), rounding=Rounding.TRUNCATE)
    defined = defined_rate(COLUMNS, rows, 2, (0, 1), Rounding.TRUNCATE)
    assert inferred is not None and defined is not None
    assert inferred.formula.inputs == (0, 1) and inferred.failing == ()
    assert (len(defined.holding), defined.failing) == (6, (3,))
    chosen = prefer_defined(inferred, defined)
    assert chosen is defined and chosen.formula.inputs == (1, 0)
