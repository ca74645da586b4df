"""Column headers and narrative phrases to canonical metric names.

The vocabulary (`pipeline/data/metrics.json`) maps each metric to the words
printed for it: received (受理, 来电, ...), completed (办结, ...),
rate_completed_on_time (按时办结率), score_total (综合得分), ... Header text is
segmented with jieba after every vocabulary word was added to it, so the
longest word wins: 按时办结率 is one token, not 按时办结 + 率.

A header path is read top-down. A generic count word (工单数) under a group
takes the group's metric ("受理得分" / "件数" -> received), and standing alone
the vocabulary's `count_default` (received: a bare 件数 counts work orders); a
generic score word (得分) becomes "score_<group metric>" ("受理得分" / "得分" ->
score_received); a growth word (环比, 增幅) "growth_<metric>" ("办结量" / "环比"
-> growth_completed). A leaf that names the general form of its group's metric
keeps the group's ("逾期退单得分" / "退单数" -> overdue_returns).

`columns_to_metrics` reads a table's header paths together: a generic count
beside a sibling that names the group's metric outright is the group's other
count, its base (`group_base`: "办结得分" / "工单数" next to "办结数" ->
received). Narrative phrases use the same words, except header-only metrics (序号,
单位, 环比) and `header_words` that are too loose in prose (在办 in 正在办理).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.normalize.numbers import DATA_DIR
from pipeline.normalize.segmenter import Segmenter

METRICS_FILE = DATA_DIR / "metrics.json"
GENERIC_SCORE = "score"
GENERIC_GROWTH = "growth"
SHARE = "share"
# jieba picks the segmentation with the highest product of word frequencies; a
# frequency this high makes one vocabulary word beat any split of it.
WORD_FREQ = 10_000_000
# A match starts at a bracket, at a character that is no space, or where a run of spaces
# starts, and its digits where their run starts: one found inside a run would have been
# found from the run's start, and trying every start inside a long run costs the square of
# its length (tests/test_regex_backtracking.py)
WEIGHT = re.compile(
    r"(?:[(（]|(?!\s)|(?<![\s(（]))\s*(?<![0-9０-９])"
    r"(?P<w>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分(?!钟)\s*[)）]?"
)
PERCENT_NOTE = re.compile(r"[(（]\s*[%％]\s*[)）]")
# a footnote's number in brackets (比重[4], 常住人口[2]): a note below, no part of the name
FOOTNOTE = re.compile(r"\[\d{1,2}\]")
# a year alone under a group (比重 over 2020年 and 2010年): the group's metric in that year
YEAR = re.compile(r"^(?:19|20)\d\d年?(?:末|底)?$")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Synonym -> metric, the generic count words, and metrics only headers use."""

    synonyms: Mapping[str, str]
    count_words: frozenset[str]
    header_only: frozenset[str]
    other_period: tuple[str, ...] = ()
    count_default: str | None = None
    this_period: tuple[str, ...] = ()
    header_words: frozenset[str] = frozenset()  # words that name their metric only in headers
    group_base: Mapping[str, str] = field(default_factory=dict)  # metric -> its group's base
    # a header opening with one word and closing with another (占 ... 比) names a share
    share_frame: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


@dataclass(frozen=True, slots=True)
class _Head:
    """What one header element says: a metric, and whether it is a score or a count."""

    metric: str | None
    score: bool
    count: bool
    growth: bool = False
    period: bool = False  # only names a period ("本期", "上月"): the group says what


def load_vocabulary(path: Path = METRICS_FILE) -> Vocabulary:
    """Read the metric vocabulary. Raises ConfigError when it is unreadable or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read metric vocabulary ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise ConfigError(f"{path}: expected an object with a 'metrics' object")
    synonyms: dict[str, str] = {}
    for metric, words in data["metrics"].items():
        for word in _words(words, path, metric):
            if synonyms.setdefault(word, metric) != metric:
                raise ConfigError(f"{path}: {word} is listed under {synonyms[word]} and {metric}")
    header_only = frozenset(_words(data.get("header_only", []), path, "header_only"))
    unknown = sorted(header_only - set(data["metrics"]))
    if unknown:
        raise ConfigError(f"{path}: header_only names unknown metrics {unknown}")
    counts = frozenset(_words(data.get("count_words", []), path, "count_words"))
    other = tuple(_words(data.get("other_period", []), path, "other_period"))
    default = data.get("count_default")
    if default is not None and default not in data["metrics"]:
        raise ConfigError(f"{path}: count_default {default!r} is not a metric")
    this = tuple(_words(data.get("this_period", []), path, "this_period"))
    header_words = frozenset(_words(data.get("header_words", []), path, "header_words"))
    unknown = sorted(header_words - set(synonyms))
    if unknown:
        raise ConfigError(f"{path}: header_words names words no metric lists {unknown}")
    base = _group_base(data.get("group_base", {}), path, set(data["metrics"]))
    frame = _share_frame(data.get("share_frame", {}), path)
    return Vocabulary(
        synonyms, counts, header_only, other, default, this, header_words, base, frame
    )


def _share_frame(value: Any, path: Path) -> tuple[frozenset[str], frozenset[str]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: 'share_frame' must be an object of opens and closes")
    opens = _words(value.get("opens", []), path, "share_frame.opens")
    closes = _words(value.get("closes", []), path, "share_frame.closes")
    return frozenset(opens), frozenset(closes)


def _group_base(value: Any, path: Path, metrics: set[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        k in metrics and v in metrics for k, v in value.items()
    ):
        raise ConfigError(f"{path}: 'group_base' must map metrics to metrics")
    return dict(value)


def _words(value: Any, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ConfigError(f"{path}: '{key}' must be a list of non-empty strings")
    return [w.strip() for w in value]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once."""
    return load_vocabulary()


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    vocab = vocabulary()
    return Segmenter([*vocab.synonyms, *vocab.count_words], freq=WORD_FREQ)


@lru_cache(maxsize=4096)
def _segment(text: str) -> tuple[str, ...]:
    return tuple(w for w in _segmenter().cut(_clean(text)) if w.strip())


def segment(text: str) -> list[str]:
    """`text` cut into words as jieba cuts it (no HMM); every vocabulary word stays whole."""
    return list(_segment(text))


def _clean(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split())


def other_period(path: tuple[str, ...]) -> bool:
    """A column about another period or a comparison ("上期工单量", "环比"), not this one."""
    text = "".join(path)
    return any(word in text for word in vocabulary().other_period)


def header_weight(path: tuple[str, ...]) -> Decimal | None:
    """The weight (in points) printed in a header path: "(30分)", "（30分）", "30分" -> 30.

    The top-most weight wins. Returns None when no element prints one.
    """
    for element in path:
        match = WEIGHT.search(unicodedata.normalize("NFKC", element))
        if match:
            return Decimal(match["w"])
    return None


def _head(element: str) -> _Head | None:
    folded = FOOTNOTE.sub("", unicodedata.normalize("NFKC", element))
    text = _clean(PERCENT_NOTE.sub("", WEIGHT.sub("", folded)))
    if not text:
        return None
    vocab = vocabulary()
    whole = vocab.synonyms.get(text)
    tokens = [text] if whole is not None else segment(text)
    metrics = [vocab.synonyms[t] for t in tokens if t in vocab.synonyms]
    specific = [m for m in metrics if m not in (GENERIC_SCORE, GENERIC_GROWTH)]
    opens, closes = vocab.share_frame
    framed = len(tokens) > 2 and tokens[0] in opens and tokens[-1] in closes  # 占商品/服务比
    if SHARE in specific or framed:  # 占受理总量比重: a share of what the other words name
        specific = [SHARE]
    return _Head(
        metric=specific[0] if specific else None,
        score=GENERIC_SCORE in metrics,
        count=whole is None and any(t in vocab.count_words for t in tokens),
        growth=GENERIC_GROWTH in metrics,
        period=not metrics
        and (text in (*vocab.other_period, *vocab.this_period) or YEAR.match(text) is not None),
    )


def _as_score(metric: str) -> str:
    return metric if metric.startswith("score") else "score_" + metric.removeprefix("rate_")


def header_to_metric(path: tuple[str, ...]) -> str | None:
    """The canonical metric of a column from its header path (top element first).

    ("受理得分(30分)", "件数") -> received; ("受理得分(30分)", "得分") ->
    score_received; ("综合得分",) -> score_total. Weight-only elements
    ("(30分)") are skipped. Returns None for headers the vocabulary does not know.
    """
    heads = [h for h in (_head(e) for e in path) if h is not None]
    if not heads:
        return None
    leaf = heads[-1]
    group = next((h.metric for h in reversed(heads[:-1]) if h.metric), None)
    if leaf.growth:
        base = leaf.metric or group
        return f"{GENERIC_GROWTH}_{base.removeprefix('rate_')}" if base else GENERIC_GROWTH
    if leaf.metric is not None:
        narrower = group.removeprefix("rate_") if group else ""
        if not leaf.score and narrower.endswith("_" + leaf.metric):
            return narrower  # 退单数 under 逾期退单得分: the group's narrower metric
        return _as_score(leaf.metric) if leaf.score else leaf.metric
    if leaf.score:
        return _as_score(group) if group else GENERIC_SCORE
    if leaf.count:
        return group.removeprefix("rate_") if group else vocabulary().count_default
    return group if leaf.period else None


def generic_count(path: tuple[str, ...]) -> bool:
    """A header whose lowest element is only a count word ("办结得分" / "工单数")."""
    heads = [h for h in (_head(e) for e in path) if h is not None]
    return bool(heads) and heads[-1].count and heads[-1].metric is None and not heads[-1].score


def columns_to_metrics(paths: Sequence[tuple[str, ...]]) -> tuple[str | None, ...]:
    """The metric of each column of one table, read with its siblings.

    As `header_to_metric`, except that a generic count ("工单数") whose group also
    prints a column naming the same metric outright ("办结数") counts the group's
    base instead: "办结得分" / "工单数" beside "办结得分" / "办结数" -> received.
    """
    metrics = [header_to_metric(p) for p in paths]
    generic = [generic_count(p) for p in paths]
    base = vocabulary().group_base
    out = list(metrics)
    for i, path in enumerate(paths):
        metric = metrics[i]
        if metric is None or metric not in base or not generic[i] or len(path) < 2:
            continue
        named = (
            j != i and other[:1] == path[:1] and metrics[j] == metric and not generic[j]
            for j, other in enumerate(paths)
        )
        if any(named):
            out[i] = base[metric]
    return tuple(out)


def phrase_to_metric(text: str) -> str | None:
    """The metric a narrative phrase names: the last vocabulary word in it.

    "受理群众来电" -> received; "按时办结率" -> rate_completed_on_time;
    "所占比例" -> share. Header-only metrics (序号, 单位) are ignored. Returns
    None when the phrase names no metric.
    """
    vocab = vocabulary()
    tokens = [t for t in segment(text) if t in vocab.synonyms and t not in vocab.header_words]
    found = [m for m in (vocab.synonyms[t] for t in tokens) if m not in vocab.header_only]
    return found[-1] if found else None
