"""Period-over-period comparisons: which period a change is measured against, and the
tables that print this period, the one compared with and the change side by side.

Words come from `pipeline/data/growth.json`; a missing or malformed file raises
ConfigError.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Column, NormalizedTable

DATA = Path(__file__).resolve().parents[1] / "data" / "growth.json"


@dataclass(frozen=True, slots=True)
class GrowthWords:
    comparisons: tuple[tuple[str, tuple[str, ...]], ...]
    current: tuple[str, ...]
    previous: tuple[tuple[str, tuple[str, ...]], ...]
    change: tuple[str, ...]
    units: tuple[str, ...]
    points: tuple[str, ...]


def _longest_first(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


@cache
def growth_words() -> GrowthWords:
    """The comparison vocabulary, read once. Raises ConfigError on a bad data file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        cols = raw["columns"]
        return GrowthWords(
            comparisons=tuple((k, _longest_first(v)) for k, v in raw["comparisons"].items()),
            current=_longest_first(cols["current"]),
            previous=tuple((k, _longest_first(v)) for k, v in cols["previous"].items()),
            change=_longest_first(cols["change"]),
            units=_longest_first(cols["units"]),
            points=_longest_first(raw["points"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{DATA}: malformed comparison vocabulary ({exc!r})") from exc


def compared_period(text: str) -> str | None:
    """The period the last comparison word of `text` names ("较上月（913件）减少" -> 上期)."""
    found: list[tuple[int, str]] = []
    for period, words in growth_words().comparisons:
        pattern = "|".join(re.escape(w) for w in words)
        found += [(m.end(), period) for m in re.finditer(pattern, text)]
    return max(found)[1] if found else None


# --- tables -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Triple:
    """One measure of a period table: this period's column, the compared one, the change."""

    measure: str
    current: int
    previous: int
    change: int | None
    compared: str


def _role(header: str) -> tuple[str, str, str] | None:
    """(role, period compared with, measure) of a header, or None for other columns."""
    words = growth_words()
    for word in words.change:
        if word in header:
            return "change", "", header.replace(word, "", 1)
    pairs = sorted(((w, p) for p, group in words.previous for w in group), key=lambda x: -len(x[0]))
    for word, period in pairs:
        if word in header:
            return "previous", period, header.replace(word, "", 1)
    for word in words.current:
        if word in header:
            return "current", "", header.replace(word, "", 1)
    return None


def _header(column: Column) -> str:
    text = unicodedata.normalize("NFKC", "".join(column.path))
    for unit in growth_words().units:
        text = text.replace(unicodedata.normalize("NFKC", unit), "")
    return "".join(text.split())


def _measure(rest: str) -> str:
    return rest.strip("较比与的（）()/ ")


def period_triples(table: NormalizedTable) -> list[Triple]:
    """The (current, previous, change) column triples of a table, one per measure.

    A measure needs a current and a previous column; its change column may be absent.
    The change column of a measure takes the period of the measure's previous column.
    """
    roles: dict[str, dict[str, tuple[int, str]]] = {}
    for i, column in enumerate(table.columns):
        if column.inserted:
            continue
        found = _role(_header(column))
        if found is not None:
            role, period, rest = found
            roles.setdefault(_measure(rest), {}).setdefault(role, (i, period))
    triples = []
    for measure, by_role in roles.items():
        if "current" in by_role and "previous" in by_role:
            change = by_role.get("change")
            previous, period = by_role["previous"]
            triples.append(
                Triple(measure, by_role["current"][0], previous, change and change[0], period)
            )
    return triples
