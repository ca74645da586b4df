"""Narrative paragraphs to claims: counts, rates, shares, growth and rank lists.

A paragraph is the run of `Document.lines` that share one `paragraph` number;
its lines are joined without a space where a side is CJK, and every claim keeps
the Source of the visual line its number (or a rank list's first name) was
printed on. Which words signal what lives in `pipeline/data/claims.json` and
`pipeline/data/channels.json`; canonical metric names come from
`pipeline.normalize.metrics.phrase_to_metric`, numbers from
`pipeline.normalize.numbers.find_numbers`. Data files that are missing or
malformed raise ConfigError; text that yields no claim yields nothing.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.extract.lines import is_cjk
from pipeline.model import Claim, ClaimKind, Document, Number
from pipeline.normalize.metrics import phrase_to_metric
from pipeline.normalize.numbers import find_numbers

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SHARE_METRIC = "share"
NUMERAL = "[0-9一二三四五六七八九十两]+"
# Characters that may wrap inside one printed number ("98." / "76%").
NUMBER_CHARS = frozenset("0123456789.%")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Joined text of one paragraph; `starts[k]` is where `lines[k]` (a doc.lines index) begins."""

    number: int
    text: str
    lines: tuple[int, ...]
    starts: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        """The doc.lines index of the visual line holding character `offset`."""
        return self.lines[max(bisect_right(self.starts, offset) - 1, 0)]


@dataclass(frozen=True, slots=True)
class RankWords:
    """Rank-list triggers and the words around department names."""

    top: re.Pattern[str]
    bottom: re.Pattern[str]
    names_follow: re.Pattern[str]
    lead_words: tuple[str, ...]
    tail_words: tuple[str, ...]
    separators: tuple[str, ...]
    connectors: tuple[str, ...]
    org_suffixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The compiled contents of claims.json and channels.json."""

    sentence: re.Pattern[str]
    clause_marks: str
    count_units: tuple[str, ...]
    not_counts: tuple[str, ...]
    points_units: tuple[str, ...]
    rate_markers: tuple[str, ...]
    share: re.Pattern[str]
    up: re.Pattern[str]
    down: re.Pattern[str]
    period: re.Pattern[str]
    section_mark: re.Pattern[str]
    label: re.Pattern[str]
    label_stop_words: tuple[str, ...]
    category: re.Pattern[str]
    subject_lead_words: tuple[str, ...]
    heading_category: re.Pattern[str]
    references: re.Pattern[str]
    reference_label: re.Pattern[str]
    reference_word: str
    rank: RankWords
    channels: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(slots=True)
class _SentenceState:
    """What earlier numbers of one sentence leave for later ones (metric, subject)."""

    subject: str | None
    carried: str | None = None  # the last count metric of earlier sentences in the paragraph
    count_metric: str | None = None
    last_metric: str | None = None


# --- data files ----------------------------------------------------------------


def _load_json(name: str) -> dict[str, Any]:
    path = DATA_DIR / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read claim vocabulary ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object at the top level")
    return data


def _longest_first(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in _longest_first(words))


def _verb_pattern(verbs: Sequence[str], level: Sequence[str], filler: str) -> re.Pattern[str]:
    """A change verb ending a window; group `level` marks "rose to" (a level, not a change)."""
    return re.compile(rf"(?:{_alternatives(verbs)})(?P<level>{_alternatives(level)})?{filler}$")


def _sentence_pattern(ends: str) -> re.Pattern[str]:
    marks = "".join(re.escape(c) for c in ends)
    return re.compile(rf"[^{marks}]+[{marks}]*")


def _rank_words(raw: dict[str, Any]) -> RankWords:
    def joined(key: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in raw[key]).replace("{N}", NUMERAL))

    return RankWords(
        top=joined("top"),
        bottom=joined("bottom"),
        names_follow=re.compile(raw["names_follow"]),
        lead_words=_longest_first(raw["lead_words"]),
        tail_words=_longest_first(raw["tail_words"]),
        separators=tuple(raw["separators"]),
        connectors=tuple(raw["connectors"]),
        org_suffixes=_longest_first(raw["org_suffixes"]),
    )


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
            count_units=tuple(nums["count_units"]),
            not_counts=tuple(nums["not_counts"]),
            points_units=tuple(nums["points_units"]),
            rate_markers=tuple(nums["rate_markers"]),
            share=re.compile(nums["share"]),
            up=_verb_pattern(growth["up"], growth["level"], growth["filler"]),
            down=_verb_pattern(growth["down"], growth["level"], growth["filler"]),
            period=re.compile(rf"(?:{_alternatives(growth['markers'])}){growth['filler']}$"),
            section_mark=re.compile(subj["section_marks"]),
            label=re.compile(subj["label"]),
            label_stop_words=tuple(subj["label_stop_words"]),
            category=re.compile(subj["category"]),
            subject_lead_words=_longest_first(subj["lead_words"]),
            heading_category=re.compile(subj["heading_category"]),
            references=re.compile(refs["pattern"]),
            reference_label=re.compile(refs["label"]),
            reference_word=refs["default_word"],
            rank=_rank_words(raw["rank_list"]),
            channels=tuple((k, tuple(v)) for k, v in channels["channels"].items()),
        )
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise ConfigError(f"{DATA_DIR}: malformed claim vocabulary ({exc!r})") from exc


@cache
def _nlp() -> tuple[Any, dict[str, int]]:
    """A blank Chinese spaCy pipeline segmenting with jieba, and jieba's word frequencies."""
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    # jieba writes its dictionary cache to the temp dir; a private one keeps workers apart.
    jieba.dt.tmp_dir = tempfile.mkdtemp(prefix="bulletins-jieba-")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    jieba.dt.check_initialized()
    return nlp, jieba.dt.FREQ


# --- paragraphs ----------------------------------------------------------------


def _needs_space(left: str, right: str) -> bool:
    """A wrapped line joins without a space unless Latin words meet across the break."""
    if left.isspace() or right.isspace() or is_cjk(left) or is_cjk(right):
        return False
    return not (left in NUMBER_CHARS and right in NUMBER_CHARS)


def document_to_paragraphs(doc: Document) -> tuple[Paragraph, ...]:
    """The narrative paragraphs of `doc` in reading order."""
    groups: dict[int, list[int]] = {}
    for i, line in enumerate(doc.lines):
        groups.setdefault(line.paragraph, []).append(i)
    paragraphs = []
    for number, indexes in groups.items():
        text, starts = "", []
        for i in indexes:
            piece = doc.lines[i].text
            if text and piece and _needs_space(text[-1], piece[0]):
                text += " "
            starts.append(len(text))
            text += piece
        paragraphs.append(Paragraph(number, text, tuple(indexes), tuple(starts)))
    return tuple(paragraphs)


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    for m in vocabulary().sentence.finditer(text):
        if m.group().strip():
            yield m.span()


def text_to_references(text: str) -> tuple[str, ...]:
    """Attachments a text points at: "（见附件 3）" -> ("附件3",)."""
    vocab = vocabulary()
    found: list[str] = []
    for m in vocab.references.finditer(text):
        word = vocab.reference_word
        for part in vocab.reference_label.finditer(m["refs"]):
            word = re.sub(r"\s+", "", part["word"]) if part["word"] else word
            label = f"{word}{part['n']}"
            if label not in found:
                found.append(label)
    return tuple(found)


def text_to_channels(text: str) -> tuple[str, ...]:
    """The channels a text names, in channels.json order."""
    return tuple(name for name, words in vocabulary().channels if any(w in text for w in words))


# --- numeric claims ------------------------------------------------------------


def _startswith_any(text: str, words: Sequence[str]) -> str | None:
    return next((w for w in _longest_first(words) if text.startswith(w)), None)


def _strip_leading(text: str, words: Sequence[str]) -> str:
    """Remove any of `words` from the start of `text`, repeatedly."""
    text = text.strip()
    while word := _startswith_any(text, words):
        text = text[len(word) :].strip()
    return text


def _unit(number: Number, after: str) -> str | None:
    """The unit printed after a number: the parser's, or one of ours read from the text."""
    if number.unit:
        return number.unit
    vocab = vocabulary()
    return _startswith_any(after.lstrip(), (*vocab.not_counts, *vocab.count_units))


def _change(window: str, number: Number) -> tuple[str | None, bool] | None:
    """(direction, is_level) when the window ends in a change word.

    "同比增长" -> ("up", False); "提升至" -> ("up", True), a level; "环比" before
    a signed number -> the sign's direction (None when unsigned).
    """
    vocab = vocabulary()
    for direction, pattern in (("up", vocab.up), ("down", vocab.down)):
        m = pattern.search(window)
        if m:
            return direction, m["level"] is not None
    if vocab.period.search(window):
        sign = number.text.lstrip()[:1]
        return ("down" if number.value < 0 else "up" if sign in "+＋" else None), False
    return None


def classify_number(number: Number, window: str, after: str) -> tuple[ClaimKind, str | None] | None:
    """The claim kind (and direction) of a number given the clause text before it.

    `window` is the text between the previous number (or the clause start) and
    this one; `after` the text that follows. None means "not a claim".
    """
    vocab = vocabulary()
    unit = _unit(number, after)
    change = _change(window, number)
    growth = change is not None and not change[1]
    direction = change[0] if change else None
    if unit in vocab.points_units:
        return ClaimKind.POINTS, direction
    if number.percent:
        if growth:
            return ClaimKind.GROWTH, direction
        if vocab.share.search(window):
            return ClaimKind.SHARE, None
        if any(m in window for m in vocab.rate_markers) or _rate_metric(window):
            return ClaimKind.RATE, None
        return None
    if not any(c.isascii() and c.isdigit() for c in number.text):
        return None  # counts in Chinese numerals ("累计两次") are prose, not statistics
    if unit not in vocab.count_units:  # times (小时, 工作日), money, places (位, 名)
        return None
    return (ClaimKind.GROWTH, direction) if growth else (ClaimKind.COUNT, None)


def _rate_metric(window: str) -> str | None:
    metric = phrase_to_metric(window)
    return metric if metric and metric.startswith("rate_") else None


def _window_subject(window: str) -> str | None:
    vocab = vocabulary()
    m = vocab.category.search(window)
    if not m:
        return None
    subject = _strip_leading(m["subject"], vocab.subject_lead_words)
    return subject or None


def sentence_subject(sentence: str) -> str | None:
    """The lead-in label of a sentence ("（一）城建类：…" -> the label)."""
    vocab = vocabulary()
    body = vocab.section_mark.sub("", sentence, count=1)
    m = vocab.label.match(body)
    if not m or any(w in m["label"] for w in vocab.label_stop_words):
        return None
    if text_to_channels(m["label"]):
        return None
    return m["label"].strip() or None


def _metric(kind: ClaimKind, window: str, state: _SentenceState) -> str | None:
    if kind is ClaimKind.SHARE:
        return SHARE_METRIC
    if kind is ClaimKind.RATE:
        return _rate_metric(window)
    metric = phrase_to_metric(window)
    if kind is ClaimKind.COUNT:
        # a category count ("交通类12件") counts what the paragraph counted before
        return metric or state.count_metric or (state.carried if state.subject else None)
    return metric or state.last_metric


@dataclass(frozen=True, slots=True)
class _Context:
    """One paragraph being read: its document, its references and its sections' paragraphs."""

    doc: Document
    paragraph: Paragraph
    refers_to: tuple[str, ...]
    by_section: Mapping[int, tuple[Paragraph, ...]]


Found = tuple[int, Claim]  # (offset in the paragraph, claim): offsets give reading order


def _claim(ctx: _Context, kind: ClaimKind, offset: int, sentence: str, **fields: Any) -> Claim:
    index = ctx.paragraph.line_at(offset)
    line = ctx.doc.lines[index]
    return Claim(
        kind=kind,
        sentence=sentence,
        line=index,
        source=line.source,
        section=line.section,
        refers_to=ctx.refers_to,
        **fields,
    )


def _numeric_claims(
    ctx: _Context,
    span: tuple[int, int],
    numbers: Sequence[tuple[Number, int, int]],
    carried: str | None,
) -> tuple[list[Found], str | None]:
    """Claims of the numbers printed in one sentence `span` of the paragraph.

    Also returns the count metric later sentences may inherit.
    """
    vocab = vocabulary()
    text = ctx.paragraph.text
    start, end = span
    sentence = text[start:end].strip()
    subject = sentence_subject(text[start:end]) or _heading_subject(ctx)
    state = _SentenceState(subject=subject, carried=carried)
    found: list[Found] = []
    previous_end = start
    for number, n_start, n_end in numbers:
        clause_start = max(text.rfind(c, start, n_start) for c in vocab.clause_marks) + 1
        window = text[max(clause_start, previous_end, start) : n_start]
        previous_end = n_end
        kind_direction = classify_number(number, window, text[n_end : n_end + 8])
        if kind_direction is None:
            continue
        kind, direction = kind_direction
        state.subject = _window_subject(window) or state.subject
        metric = _metric(kind, window, state)
        if kind is ClaimKind.COUNT and metric is None and state.subject is None:
            continue
        scope = claim_scope(ctx, n_start, window, text[start:n_start])
        claim = _claim(
            ctx, kind, n_start, sentence, metric=metric, subject=state.subject,
            value=number, scope=scope, direction=direction,
        )  # fmt: skip
        found.append((n_start, claim))
        state.last_metric = metric
        if kind is ClaimKind.COUNT and metric:
            state.count_metric = metric
    return found, state.count_metric or carried


def _heading_subject(ctx: _Context) -> str | None:
    """A category heading ("（二）交通类") names what the counts beneath it count."""
    section = ctx.doc.lines[ctx.paragraph.lines[0]].section
    if section is None:
        return None
    heading = ctx.doc.sections[section].heading.strip()
    return heading if heading and vocabulary().heading_category.search(heading) else None


# --- rank lists ------------------------------------------------------------------


def _looks_like_org(name: str, rank: RankWords) -> bool:
    return name.endswith(rank.org_suffixes)


def _word_at(text: str, i: int, words: Sequence[str]) -> str | None:
    return next((w for w in _longest_first(words) if text.startswith(w, i)), None)


def split_names(text: str) -> list[tuple[str, int]]:
    """Department names in a list, each with its offset in `text`.

    Splits on 、 and commas always; on 和/及/与 only after a name that ends like
    an organisation ("区水务局和区统计局", not "区发展和改革局") and
    where jieba does not read the connector as the start of a dictionary word
    ("和平路街道办事处").
    """
    nlp, freq = _nlp()
    rank = vocabulary().rank
    token_at = {t.idx: t.text for t in nlp(text)}
    cuts: list[tuple[int, int]] = []
    piece_start = i = 0
    while i < len(text):
        word = _word_at(text, i, rank.separators)
        conj = None if word else _word_at(text, i, rank.connectors)
        if conj and _looks_like_org(text[piece_start:i].strip(), rank):
            token = token_at.get(i, "")
            word = None if len(token) > len(conj) and freq.get(token, 0) > 0 else conj
        if word:
            cuts.append((piece_start, i))
            piece_start = i = i + len(word)
        else:
            i += 1
    cuts.append((piece_start, len(text)))
    names = []
    for a, b in cuts:
        piece = text[a:b]
        names.append((piece.strip(), a + len(piece) - len(piece.lstrip())))
    return [(n, o) for n, o in names if n]


def _trim_names(names: list[tuple[str, int]], rank: RankWords) -> list[tuple[str, int]]:
    """Strip lead-in words from the first name and trailing words from the last."""
    if not names:
        return names
    first, offset = names[0]
    stripped = _strip_leading(first, rank.lead_words)
    names[0] = (stripped, offset + len(first) - len(stripped))
    last, offset = names[-1]
    while tail := next((w for w in rank.tail_words if last.endswith(w) and last != w), None):
        last = last[: -len(tail)].rstrip()
    names[-1] = (last, offset)
    return [(n, o) for n, o in names if n]


def _names_after(sentence: str, trigger: re.Match[str], stop: int) -> list[tuple[str, int]]:
    """Names that follow a trigger ("排名前三位的是：A、B和C"), up to the first non-name."""
    rank = vocabulary().rank
    follow = rank.names_follow.match(sentence, trigger.end())
    if not follow or follow.end() == trigger.end():
        return []
    marks = [c for c in vocabulary().clause_marks if c not in rank.separators]
    end = min([i for i in (sentence.find(c, follow.end()) for c in marks) if i >= 0] + [stop])
    kept = []
    for name, offset in _trim_names(split_names(sentence[follow.end() : end]), rank):
        if not _looks_like_org(name, rank):
            break
        kept.append((name, follow.end() + offset))
    return kept


def _names_before(sentence: str, trigger: re.Match[str], stop: int) -> list[tuple[str, int]]:
    """Names that precede a trigger ("A、B和C名列前茅"), back to the clause start."""
    rank = vocabulary().rank
    begin = max(
        stop, *(sentence.rfind(c, 0, trigger.start()) + 1 for c in vocabulary().clause_marks)
    )
    names = _trim_names(split_names(sentence[begin : trigger.start()]), rank)
    return [(n, begin + o) for n, o in names if _looks_like_org(n, rank)]


def rank_lists(sentence: str) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    """(direction, ((name, offset in sentence), ...)) for each rank list a sentence states.

    Names are looked for after the trigger first, then before it; neither
    search crosses a neighbouring trigger.
    """
    rank = vocabulary().rank
    triggers = [(m, "top") for m in rank.top.finditer(sentence)]
    triggers += [(m, "bottom") for m in rank.bottom.finditer(sentence)]
    triggers.sort(key=lambda t: t[0].start())
    found = []
    for k, (trigger, direction) in enumerate(triggers):
        previous_end = triggers[k - 1][0].end() if k else 0
        next_start = triggers[k + 1][0].start() if k + 1 < len(triggers) else len(sentence)
        names = _names_after(sentence, trigger, next_start) or _names_before(
            sentence, trigger, previous_end
        )
        if names:
            found.append((direction, tuple(names)))
    return found


def _rank_claims(ctx: _Context, start: int, end: int) -> list[Found]:
    text = ctx.paragraph.text
    sentence = text[start:end]
    found: list[Found] = []
    for direction, names in rank_lists(sentence):
        first = start + names[0][1]
        scope = claim_scope(ctx, first, "", text[start:first])
        claim = _claim(
            ctx, ClaimKind.RANK_LIST, first, sentence.strip(), metric=None, subject=None,
            value=None, scope=scope, names=tuple(n for n, _ in names), direction=direction,
        )  # fmt: skip
        found.append((first, claim))
    return found


# --- scope -----------------------------------------------------------------------


def claim_scope(ctx: _Context, offset: int, window: str, lead: str) -> tuple[str, ...]:
    """Channels a claim speaks of: its clause, its sentence, then its sections upward.

    For each section from the claim's own up to the top: channels named in the
    heading, else in the section's paragraphs before this one (its intro).
    """
    found = text_to_channels(window) or text_to_channels(lead)
    section = ctx.doc.lines[ctx.paragraph.line_at(offset)].section
    while not found and section is not None:
        intro = "".join(
            p.text for p in ctx.by_section.get(section, ()) if p.number < ctx.paragraph.number
        )
        found = text_to_channels(ctx.doc.sections[section].heading) or text_to_channels(intro)
        section = ctx.doc.sections[section].parent
    return found


def _by_section(doc: Document, paragraphs: Sequence[Paragraph]) -> dict[int, tuple[Paragraph, ...]]:
    groups: dict[int, list[Paragraph]] = {}
    for p in paragraphs:
        section = doc.lines[p.lines[0]].section
        if section is not None:
            groups.setdefault(section, []).append(p)
    return {k: tuple(v) for k, v in groups.items()}


# --- document ----------------------------------------------------------------------


def paragraph_claims(
    doc: Document, paragraph: Paragraph, by_section: Mapping[int, tuple[Paragraph, ...]]
) -> list[Claim]:
    """Numeric and rank-list claims of one paragraph, in reading order."""
    ctx = _Context(doc, paragraph, text_to_references(paragraph.text), by_section)
    numbers = find_numbers(paragraph.text)
    found: list[Found] = []
    carried: str | None = None
    for start, end in _sentences(paragraph.text):
        inside = [n for n in numbers if start <= n[1] < end]
        numeric, carried = _numeric_claims(ctx, (start, end), inside, carried)
        found += numeric + _rank_claims(ctx, start, end)
    return [claim for _, claim in sorted(found, key=lambda f: f[0])]


def extract_claims(doc: Document) -> tuple[Claim, ...]:
    """Every claim the narrative of `doc` states, in reading order.

    Raises ConfigError when a vocabulary data file is missing or malformed.
    """
    paragraphs = document_to_paragraphs(doc)
    by_section = _by_section(doc, paragraphs)
    claims: list[Claim] = []
    for paragraph in paragraphs:
        claims += paragraph_claims(doc, paragraph, by_section)
    return tuple(claims)
