"""The claim vocabulary: `pipeline/data/claims.json` and `channels.json`, compiled once.

Which words signal what lives in the data files; this module only turns them
into patterns. `{N}` in a rank-list pattern stands for a number in Arabic
(half- or full-width) or Chinese digits, spaces around it allowed. Data files
that are missing or malformed raise ConfigError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
NUMERAL = r"\s*[0-9０-９一二三四五六七八九十两]+\s*"


@dataclass(frozen=True, slots=True)
class RankWords:
    """Rank-list triggers and the words around department names."""

    top: re.Pattern[str]
    bottom: re.Pattern[str]
    names_follow: re.Pattern[str]
    lead_words: tuple[str, ...]
    tail_words: tuple[str, ...]
    tail_phrases: re.Pattern[str]
    separators: tuple[str, ...]
    connectors: tuple[str, ...]
    org_suffixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PreviousWords:
    """A figure of the period compared with ("较上月（640件）"): where it sits, what it is called.

    `pattern` ends where the figure starts and names the period in group
    `period`; `subjects` maps each such word to the subject the claim gets.
    """

    pattern: re.Pattern[str]
    subjects: tuple[tuple[str, tuple[str, ...]], ...]

    def subject(self, period: str) -> str:
        return next((s for s, words in self.subjects if period in words), self.subjects[0][0])


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The compiled contents of claims.json and channels.json."""

    sentence: re.Pattern[str]
    clause_marks: str
    paragraph_end: re.Pattern[str]
    paragraph_start: re.Pattern[str]
    count_units: tuple[str, ...]
    count_verbs: tuple[tuple[str, str], ...]  # (word, metric), longest word first
    not_counts: tuple[str, ...]
    points_units: tuple[str, ...]
    rate_markers: tuple[str, ...]
    share: re.Pattern[str]
    up: re.Pattern[str]
    down: re.Pattern[str]
    period: re.Pattern[str]
    previous: PreviousWords
    section_mark: re.Pattern[str]
    label: re.Pattern[str]
    label_stop_words: tuple[str, ...]
    category: re.Pattern[str]
    category_metric: str
    leader: re.Pattern[str]
    subject_lead_words: tuple[str, ...]
    heading_category: re.Pattern[str]
    references: re.Pattern[str]
    reference_label: re.Pattern[str]
    reference_word: str
    rank: RankWords
    channels: tuple[tuple[str, tuple[str, ...]], ...]
    channel_items: frozenset[str]


def _load_json(name: str) -> dict[str, Any]:
    path = DATA_DIR / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read claim vocabulary ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object at the top level")
    return data


def longest_first(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in longest_first(words))


def _verb_pattern(verbs: Sequence[str], level: Sequence[str], filler: str) -> re.Pattern[str]:
    """A change verb ending a window; group `level` marks "rose to" (a level, not a change)."""
    return re.compile(rf"(?:{_alternatives(verbs)})(?P<level>{_alternatives(level)})?{filler}$")


def _marks(chars: str) -> str:
    return "".join(re.escape(c) for c in chars)


def _sentence_pattern(ends: str) -> re.Pattern[str]:
    marks = _marks(ends)
    return re.compile(rf"[^{marks}]+[{marks}]*")


def _paragraph_end(ends: str) -> re.Pattern[str]:
    """A paragraph that ends a sentence, maybe followed by a bracketed note ("。（详见附件1）")."""
    return re.compile(rf"[{_marks(ends)}]\s*(?:[（(][^（）()]*[）)]\s*)?$")


def _joined(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns).replace("{N}", NUMERAL))


def _rank_words(raw: dict[str, Any]) -> RankWords:
    return RankWords(
        top=_joined(raw["top"]),
        bottom=_joined(raw["bottom"]),
        names_follow=re.compile(raw["names_follow"]),
        lead_words=longest_first(raw["lead_words"]),
        tail_words=longest_first(raw["tail_words"]),
        tail_phrases=re.compile(rf"(?:{'|'.join(raw['tail_phrases'])})\s*$"),
        separators=tuple(raw["separators"]),
        connectors=tuple(raw["connectors"]),
        org_suffixes=longest_first(raw["org_suffixes"]),
    )


def _previous_words(raw: dict[str, Any]) -> PreviousWords:
    subjects = tuple((k, tuple(v)) for k, v in raw["subjects"].items())
    periods = _alternatives([w for _, words in subjects for w in words])
    pattern = raw["pattern"].replace("{PERIOD}", rf"(?P<period>{periods})")
    return PreviousWords(re.compile(pattern), subjects)


def _count_verbs(raw: dict[str, list[str]]) -> tuple[tuple[str, str], ...]:
    pairs = [(word, metric) for metric, words in raw.items() for word in words]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


def _category(subj: dict[str, Any]) -> re.Pattern[str]:
    """A "…类" item ending a window, maybe followed by count words ("交通类共受理")."""
    filler = _alternatives(subj["category_fillers"])
    return re.compile(rf"{subj['category']}(?:{filler}|\s)*$")


@cache
def vocabulary() -> Vocabulary:
    """The claim vocabulary, read once. Raises ConfigError on a bad data file."""
    raw = _load_json("claims.json")
    channels = _load_json("channels.json")
    try:
        nums, growth, subj, refs = raw["numbers"], raw["growth"], raw["subject"], raw["references"]
        return Vocabulary(
            sentence=_sentence_pattern(raw["sentence_ends"]),
            clause_marks=raw["clause_marks"],
            paragraph_end=_paragraph_end(raw["sentence_ends"] + raw["paragraph_ends"]),
            paragraph_start=re.compile(raw["paragraph_start"]),
            count_units=tuple(nums["count_units"]),
            count_verbs=_count_verbs(nums["count_verbs"]),
            not_counts=tuple(nums["not_counts"]),
            points_units=tuple(nums["points_units"]),
            rate_markers=tuple(nums["rate_markers"]),
            share=re.compile(nums["share"]),
            up=_verb_pattern(growth["up"], growth["level"], growth["filler"]),
            down=_verb_pattern(growth["down"], growth["level"], growth["filler"]),
            period=re.compile(rf"(?:{_alternatives(growth['markers'])}){growth['filler']}$"),
            previous=_previous_words(raw["previous"]),
            section_mark=re.compile(subj["section_marks"]),
            label=re.compile(subj["label"]),
            label_stop_words=tuple(subj["label_stop_words"]),
            category=_category(subj),
            category_metric=subj["category_metric"],
            leader=re.compile(subj["leader"]),
            subject_lead_words=longest_first(subj["lead_words"]),
            heading_category=re.compile(subj["heading_category"]),
            references=re.compile(refs["pattern"]),
            reference_label=re.compile(refs["label"]),
            reference_word=refs["default_word"],
            rank=_rank_words(raw["rank_list"]),
            channels=tuple((k, tuple(v)) for k, v in channels["channels"].items()),
            channel_items=frozenset(channels["item_words"]),
        )
    except (KeyError, TypeError, AttributeError, IndexError, re.error) as exc:
        raise ConfigError(f"{DATA_DIR}: malformed claim vocabulary ({exc!r})") from exc


def startswith_any(text: str, words: Sequence[str]) -> str | None:
    return next((w for w in longest_first(words) if text.startswith(w)), None)


def strip_leading(text: str, words: Sequence[str]) -> str:
    """Remove any of `words` from the start of `text`, repeatedly."""
    text = text.strip()
    while word := startswith_any(text, words):
        text = text[len(word) :].strip()
    return text
