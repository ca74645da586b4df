"""合计/总计 rows: which rows they are, and which count columns they sum.

A totals row names no department; its counts are the sums of the body rows. The
alignment of short rows (`columns.py`) uses that as one more relation: the
placement under which more count columns add up to the printed totals is the
better one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Number, Value

DATA = Path(__file__).resolve().parents[1] / "data" / "total_rows.json"


@cache
def _vocabulary() -> tuple[tuple[str, ...], frozenset[str]]:
    """(labels a totals row starts with, whole-area labels), read once. Raises ConfigError."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return tuple(map(str, raw["labels"])), frozenset(map(str, raw["whole_areas"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: {exc}") from exc


def is_total_row(label: str) -> bool:
    """A 合计/总计 row sums the rows above it; it names no department. So does the row of the
    whole area (全市) in a table of its parts, when that word is all the label prints."""
    compact = label.replace(" ", "").replace("\u3000", "")
    starts, areas = _vocabulary()
    return compact in areas or any(compact.startswith(t) for t in starts)


def prints_total(row: Sequence[Value | None]) -> bool:
    """A row with a totals label in any text cell (the name column or the 序号 column)."""
    return any(v is not None and v.number is None and is_total_row(v.cell.text) for v in row)


def _count(n: Number | None) -> Fraction | None:
    if n is None or n.percent or n.decimals or n.scale != 1:
        return None
    return Fraction(n.exact)


def sums_holding(
    body: Sequence[Sequence[Number | None]], total: Sequence[Number | None], counts: Sequence[int]
) -> int:
    """How many of the count columns `counts` add up over `body` to the totals row."""
    held = 0
    for c in counts:
        printed = _count(total[c])
        if printed is None:
            continue
        parts = [_count(row[c]) for row in body]
        held += sum((p for p in parts if p is not None), Fraction(0)) == printed
    return held
