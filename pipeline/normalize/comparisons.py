"""Period-over-period comparisons: which period a change is measured against, and the
tables that print this period, the one compared with and the change side by side.

It lives in normalize because the rounding convention is inferred from these tables too
(`conventions.py`); the audit's growth rules import it from here.

Words come from `pipeline/data/growth.json`; a missing or malformed file raises
ConfigError.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Claim, ClaimKind, Column, NormalizedTable
from pipeline.normalize.rates import exact_count
from pipeline.numeric.arithmetic import Interval, Rounding, interval_of
from pipeline.numeric.changes import change_of, printed_change

DATA = Path(__file__).resolve().parents[1] / "data" / "growth.json"
PREVIOUS = "previous"


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
    return triples or _year_triples(table)


YEAR = re.compile(r"(?:去年|上年)?((?:19|20)\d{2})年")
LAST_YEAR = "去年同期"


def _year_triples(table: NormalizedTable) -> list[Triple]:
    """Columns headed by years instead of 本期/去年同期 ("2025年第一季度投诉量(件)" beside
    "2024年第一季度投诉量(件)", or "2021年(件)" beside "去年2020年(件)"): a measure's column
    of one year is this period, the one of the year before (or one headed 去年同时期) the
    period compared with; the table's change column, when it has only one, is their change."""
    years: dict[str, list[tuple[int, int]]] = {}
    previous: list[int] = []
    changes: list[int] = []
    for i, column in enumerate(table.columns):
        if column.inserted:
            continue
        header = _header(column)
        role = _role(header)
        m = YEAR.search(header)
        if m is not None:
            years.setdefault(_measure(YEAR.sub("", header)), []).append((int(m.group(1)), i))
        elif role is not None and role[0] == "previous" and role[1] == LAST_YEAR:
            previous.append(i)
        elif role is not None and role[0] == "change":
            changes.append(i)
    change = changes[0] if len(changes) == 1 else None
    triples = []
    for measure, columns in years.items():
        pair = sorted(columns, reverse=True)
        if len(pair) == 2 and pair[0][0] - pair[1][0] == 1:
            triples.append(Triple(measure, pair[0][1], pair[1][1], change, LAST_YEAR))
        elif len(pair) == 1 and len(years) == 1 and len(previous) == 1:
            triples.append(Triple(measure, pair[0][1], previous[0], change, LAST_YEAR))
    return triples


# --- changes stated in the text -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextChange:
    """A change stated in the text with the figures it compares: this period's (`new`) and
    the compared period's (`old`, None when the text prints none)."""

    change: Claim
    compared: str
    new: Claim
    old: Claim | None


def text_changes(claims: Sequence[Claim], paragraphs: Mapping[int, int]) -> list[TextChange]:
    """Every growth or change in points with a metric, the period it compares with and this
    period's figure; `paragraphs` maps a line index to its (rejoined) paragraph."""
    found = []
    for i, change in enumerate(claims):
        if change.kind not in (ClaimKind.GROWTH, ClaimKind.POINTS) or change.value is None:
            continue
        if change.metric is None:
            continue
        compared = compared_period(_clause_before(change))
        new = _new_claim(claims, change, i, paragraphs)
        if compared is None or new is None:
            continue
        old = _old_claim(claims, change, compared, paragraphs)
        found.append(TextChange(change, compared, new, old))
    return found


def is_difference(change: Claim) -> bool:
    """A change in points, or a growth stated as a count ("增加50件"), is new − old."""
    return change.kind is ClaimKind.POINTS or (
        change.value is not None and not change.value.percent
    )


def claim_interval(claim: Claim, rounding: Rounding) -> Interval | None:
    """A figure's true values: a point for an exact count, else its printed interval."""
    if claim.value is None:
        return None
    n = exact_count(claim) if claim.kind is ClaimKind.COUNT else None
    return Interval.point(n) if n is not None else interval_of(claim.value, rounding)


def text_change_holds(found: TextChange, rounding: Rounding) -> bool | None:
    """Whether the stated change is the change between its two figures under `rounding`;
    None when the old figure is not printed or may be 0."""
    change = found.change
    if found.old is None or change.value is None:
        return None
    new, old = claim_interval(found.new, rounding), claim_interval(found.old, rounding)
    if new is None or old is None:
        return None
    actual = change_of(is_difference(change), new, old)
    if actual is None:
        return None
    points = change.kind is ClaimKind.POINTS
    return actual.meets(printed_change(change.value, change.direction, rounding, points=points))


def _measures(kind: ClaimKind) -> ClaimKind:
    return ClaimKind.RATE if kind is ClaimKind.POINTS else ClaimKind.COUNT


def _new_claim(
    claims: Sequence[Claim], change: Claim, index: int, paragraphs: Mapping[int, int]
) -> Claim | None:
    """This period's figure the change is about: the nearest before it in its paragraph
    with the same metric, channels and subject."""
    para = paragraphs[change.line]
    for c in reversed(claims[:index]):
        if paragraphs[c.line] != para:
            break
        if (
            c.kind is _measures(change.kind)
            and c.direction is None
            and c.metric == change.metric
            and c.scope == change.scope
            and c.subject == change.subject
            and c.value is not None
        ):
            return c
    return None


def _old_claim(
    claims: Sequence[Claim], change: Claim, compared: str, paragraphs: Mapping[int, int]
) -> Claim | None:
    """The compared period's figure stated in the text: in the change's sentence, else its
    paragraph, else anywhere (same metric and channels)."""
    found = [
        c
        for c in claims
        if c.direction == PREVIOUS
        and c.kind is _measures(change.kind)
        and c.subject == compared
        and c.metric == change.metric
        and c.scope == change.scope
        and c.value is not None
    ]
    same_sentence = [
        c for c in found if c.sentence == change.sentence and c.line - change.line in (-1, 0, 1)
    ]
    para = paragraphs[change.line]
    same_paragraph = [c for c in found if paragraphs[c.line] == para]
    if change.subject is not None:  # a category's change: only its own sentence names its base
        return same_sentence[0] if same_sentence else None
    chosen = same_sentence or same_paragraph or found
    return chosen[0] if chosen else None


def _position(change: Claim) -> int:
    """Where the change's figure stands in its sentence (points: the one before 百分点)."""
    assert change.value is not None
    text, value = change.sentence, change.value.text.strip()
    spots = [i for i in range(len(text)) if text.startswith(value, i)]
    if change.kind is ClaimKind.POINTS:
        marked = [
            i for i in spots if text[i + len(value) :].lstrip().startswith(growth_words().points)
        ]
        spots = marked or spots
    return spots[0] if spots else len(text)


def _clause_before(change: Claim) -> str:
    text = change.sentence[: _position(change)]
    cut = max(text.rfind(mark) for mark in "，,；;。")
    return text[cut + 1 :]
