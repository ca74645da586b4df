"""Structure ratios: the shares of a whole printed as a run of numbers joined by colons (∶, ︰).

"三次产业结构为9.2:37.6:53.2" prints three shares of one whole. A run counts as a ratio
only when a structure word (结构, 比重, ...) stands before it in its clause and its parts
add up to 100 within their printed precision; clock times and plain proportions (1:2)
never do. A run in brackets, or followed by 调整为 ("由…的19.2:34.4:46.4调整为…"), is an
earlier year's: left out, or marked `earlier` when asked for. When the ratio's words
name a series the data file knows (三次产业: 第一产业, 第二产业, 第三产业), each part
carries its name.

The words live in `pipeline/data/ratios.json`; a missing or malformed file raises
ConfigError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Number
from pipeline.normalize.numbers import SCAN_FOLD
from pipeline.normalize.script import fold_text

DATA = Path(__file__).resolve().parents[1] / "data" / "ratios.json"
PART = r"\d{1,3}(?:\.\d{1,3})?"
# a run may follow a colon of words ("结构比例为：15.5:24.7:59.8"), never one of its own
RUN = re.compile(rf"(?<![\d.])(?<!\d[:：∶︰]){PART}(?:\s*[:：∶︰]\s*{PART}){{2,}}(?![\d.:：∶︰])")
CLAUSE_END = re.compile(r"[，,；;。！？!?\n]")
OPENERS = "(（[［"
LEAD = 40  # how far before a ratio its structure word may stand


@dataclass(frozen=True, slots=True)
class Series:
    words: tuple[str, ...]
    names: tuple[str, ...]
    # other names of each item, in order (一产, 服务业 for 第三产业)
    aliases: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class RatioWords:
    words: tuple[str, ...]
    earlier_after: tuple[str, ...]
    totals: tuple[str, ...]
    series: tuple[Series, ...]
    # words that may stand between an earlier ratio and its earlier_after (，进一步优化为)
    earlier_lead: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RatioPart:
    number: Number  # a percent: "9.2" of "9.2:37.6:53.2" is 9.2%
    start: int
    end: int
    name: str | None  # the series item it stands for ("第一产业"), when the words say


@dataclass(frozen=True, slots=True)
class Ratio:
    text: str
    start: int
    end: int
    parts: tuple[RatioPart, ...]
    earlier: bool = False  # the year before's, followed by 调整为 or in brackets


@cache
def ratio_words() -> RatioWords:
    """The words of ratios.json, read once. Raises ConfigError on a bad data file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return RatioWords(
            words=tuple(raw["words"]),
            earlier_after=tuple(raw["earlier_after"]),
            totals=tuple(raw["totals"]),
            series=tuple(
                Series(
                    tuple(s["words"]),
                    tuple(s["names"]),
                    tuple(tuple(a) for a in s.get("aliases", ())),
                )
                for s in raw["series"]
            ),
            earlier_lead=tuple(raw.get("earlier_lead", ())),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed ratio words ({exc!r})") from exc


def structure_ratios(text: str, *, earlier: bool = False) -> list[Ratio]:
    """The structure ratios of a paragraph, in order (its text folded to simplified
    characters and ASCII digits, one for one, so offsets stay); with `earlier`, also the
    earlier ones (`Ratio.earlier`). Never raises."""
    text = fold_text(text).translate(SCAN_FOLD)
    words = ratio_words()
    found: list[Ratio] = []
    last_clause = ""
    for match in RUN.finditer(text):
        clause = _clause_before(text, match.start())
        if found and found[-1].earlier and _follows(text, found[-1], match, words):
            clause = last_clause  # "…由a:b:c，进一步优化为d:e:f": the earlier one's words
        elif clause.lstrip().startswith(FROM) and match.start() > len(clause):
            # "三次产业结构实现了…跨越，由2012年的a:b:c": the words are a clause further back
            clause = _clause_before(text, match.start() - len(clause) - 1) + clause
        before = _earlier(text, match, words)
        if not any(w in clause for w in words.words) or (before and not earlier):
            continue
        parts = _parts(match)
        if not adds_to_100([n for n, _, _ in parts]):
            continue
        last_clause = clause
        names = _series_names(clause, len(parts), words)
        found.append(
            Ratio(
                match.group(0),
                match.start(),
                match.end(),
                tuple(
                    RatioPart(n, s, e, names[i] if names else None)
                    for i, (n, s, e) in enumerate(parts)
                ),
                before,
            )
        )
    return found


FROM = ("由", "从")


def _follows(text: str, earlier: Ratio, match: re.Match[str], words: RatioWords) -> bool:
    """The ratio is the one an earlier ratio changed to: only the change words (and a
    year) stand between them."""
    between = text[earlier.end : match.start()].lstrip(" ，,")
    for lead in words.earlier_lead:
        between = between.removeprefix(lead)
    return between.startswith(words.earlier_after) and len(between) <= FOLLOW_GAP


FOLLOW_GAP = 12  # 调整为, or 演变为2021年的


def _clause_before(text: str, start: int) -> str:
    lead = text[max(0, start - LEAD) : start]
    ends = list(CLAUSE_END.finditer(lead))
    return lead[ends[-1].end() :] if ends else lead


def _earlier(text: str, match: re.Match[str], words: RatioWords) -> bool:
    before = text[: match.start()].rstrip()
    after = text[match.end() :].lstrip(" ，,")
    for lead in words.earlier_lead:
        after = after.removeprefix(lead)
    return before.endswith(tuple(OPENERS)) or after.startswith(words.earlier_after)


def _parts(match: re.Match[str]) -> list[tuple[Number, int, int]]:
    parts = []
    for m in re.finditer(PART, match.group(0)):
        digits = m.group(0)
        decimals = len(digits.partition(".")[2])
        number = Number(digits, Decimal(digits), decimals, percent=True)
        parts.append((number, match.start() + m.start(), match.start() + m.end()))
    return parts


def adds_to_100(numbers: Sequence[Number]) -> bool:
    """Whether printed percents add up to 100 as rounded figures may: within half a printed
    unit each above it, and a whole unit each below it (cut rather than rounded, 8.9∶36.9∶
    54.0 adds up to 99.8)."""
    total = sum((n.value for n in numbers), Decimal(0))
    units = [Decimal(1).scaleb(-n.decimals) for n in numbers]
    return -sum(units) < total - 100 <= sum(units) / 2


def _series_names(clause: str, size: int, words: RatioWords) -> tuple[str, ...] | None:
    for series in words.series:
        if len(series.names) == size and any(w in clause for w in series.words):
            return series.names
    return None


def part_names(name: str) -> tuple[str, ...]:
    """A series item's name and its other names (第三产业: 三产, 服务业)."""
    for series in ratio_words().series:
        for k, own in enumerate(series.names):
            if own == name:
                return (own, *(series.aliases[k] if k < len(series.aliases) else ()))
    return (name,)
