"""Narrative paragraphs to claims: counts, rates, shares, growth and rank lists.

A paragraph is the run of `Document.lines` that share one `paragraph` number
(a paragraph that stops mid-sentence continues into the next one of its
section); its lines are joined without a space where a side is CJK, and every
claim keeps the Source of the visual line its number (or a rank list's first
name) was printed on. Which words signal what lives in `pipeline/data/claims.json`
and `pipeline/data/channels.json` (compiled by `claim_words`); canonical metric
names come from `pipeline.normalize.metrics.phrase_to_metric`, numbers from
`pipeline.normalize.numbers.find_numbers`. Data files that are missing or
malformed raise ConfigError; text that yields no claim yields nothing.

How the Claim fields are used here (model.Claim documents them in general):

- `subject` is what a count, share or rate is about when it is not the whole of
  its channels: a category ("交通运输类"), the department a sentence singles
  out ("X受理量最多，反映N件，占比P"), or the period compared with for a
  previous-period figure ("上期", "去年同期"). Totals of a channel have none.
- A figure of the period compared with — "较上月（640件）", "（上月为97.6%）",
  "比上月的512件", "（去年同期 1203 件）" — is a count or rate with the metric of
  what it repeats, `subject` "上期" / "去年同期" and `direction` "previous", so
  that nothing mistakes it for this period's figure.
- `direction` is otherwise "up"/"down" for growth and points, "top"/"bottom"
  for rank lists, None for everything else.
- `names`: a rank list's departments; given the document's department names
  (`mentions.name_lexicon`), also those a figure is about (printed since the
  previous figure of its sentence, else the previous figure's), and a MENTION
  claim holds those a sentence names for no figure ("区A局、区B局表现突出").
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pipeline.model import Claim, ClaimKind, Document, Number, Paragraph
from pipeline.normalize.claim_words import startswith_any, strip_leading, vocabulary
from pipeline.normalize.mentions import NameLexicon, find_names, names_for_figures
from pipeline.normalize.metrics import SHARE as SHARE_METRIC
from pipeline.normalize.metrics import phrase_to_metric
from pipeline.normalize.numbers import find_numbers
from pipeline.normalize.paragraphs import document_to_paragraphs, sentences
from pipeline.normalize.rank_lists import rank_lists, split_names, triggers

__all__ = [
    "Paragraph",
    "classify_number",
    "document_to_paragraphs",
    "extract_claims",
    "rank_lists",
    "split_names",
    "text_to_channels",
    "text_to_references",
    "vocabulary",
]

PREVIOUS = "previous"
PREAMBLE = -1  # the _by_section key of the paragraphs outside any section
# A "sentence" of more numbers than this is a table or a list run together, not a statement:
# its numbers are left out of the claims (they show as unchecked in coverage), which keeps
# claim extraction linear (each number looks back over its sentence).
MAX_SENTENCE_NUMBERS = 500

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _SentenceState:
    """What earlier numbers of one sentence leave for later ones (metric, subject)."""

    subject: str | None
    carried: str | None = None  # the last count metric of earlier sentences in the paragraph
    count_metric: str | None = None
    last_metric: str | None = None
    last_rate: str | None = None  # the metric of the last rate or points claim


def text_to_references(text: str) -> tuple[str, ...]:
    """Attachments a text points at: "（见附件 3）" -> ("附件3",)."""
    vocab = vocabulary()
    found: list[str] = []
    text = unicodedata.normalize("NFKC", text)
    for m in vocab.references.finditer(text):
        word = vocab.reference_word
        for part in vocab.reference_label.finditer(m["refs"]):
            word = re.sub(r"\s+", "", part["word"]) if part["word"] else word
            label = f"{word}{part['n']}"
            if label not in found:
                found.append(label)
    return tuple(found)


def _only_reference(sentence: str) -> bool:
    """A sentence that only points at an attachment ("（详见附件 2）") speaks for its paragraph;
    a reference inside a sentence speaks for that sentence."""
    rest = vocabulary().references.sub("", sentence)
    return bool(text_to_references(sentence)) and not any(ch.isalnum() for ch in rest)


_CLOSING_NOTE = re.compile(r"[（(](?P<note>[^（）()]*)[）)]\s*[。；;.!！?？]*\s*$")


def _closing_references(sentence: str) -> tuple[str, ...]:
    """The attachments a reference closing a sentence points at ("…办结率达22.22%（详见附件6）。"):
    it speaks for that sentence and the ones before it in the paragraph."""
    m = _CLOSING_NOTE.search(sentence)
    return text_to_references(m["note"]) if m else ()


def text_to_channels(text: str) -> tuple[str, ...]:
    """The channels a text names, in channels.json order.

    Item words ("来信", "留言") name a channel only when no place word ("热线",
    "信箱", "留言板") does: "网站留言板受理来信" is the website's.
    """
    return _channels(text)[0]


def _channels(text: str) -> tuple[tuple[str, ...], bool]:
    """text_to_channels, and whether a place word (not only item words) named them."""
    return _named_channels(_channel_hits(unicodedata.normalize("NFKC", text)))


def _channel_hits(text: str) -> set[tuple[str, str]]:
    """(channel, word) for each channel word the (NFKC) text holds."""
    return {(name, w) for name, words in vocabulary().channels for w in words if w in text}


def _named_channels(hits: set[tuple[str, str]]) -> tuple[tuple[str, ...], bool]:
    vocab = vocabulary()
    places = {name for name, w in hits if w not in vocab.channel_items}
    named = places or {name for name, _ in hits}
    return tuple(name for name, _ in vocab.channels if name in named), bool(places)


# --- numeric claims ------------------------------------------------------------


def _unit(number: Number, after: str) -> str | None:
    """The unit printed after a number: the parser's, or one of ours read from the text."""
    vocab = vocabulary()
    if number.unit:  # "4个" before "方面" is "4个方面", not a count
        return startswith_any(number.unit + after.lstrip(), vocab.not_counts) or number.unit
    return startswith_any(after.lstrip(), (*vocab.not_counts, *vocab.count_units))


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
    if not any(c.isdigit() for c in unicodedata.normalize("NFKC", number.text)):
        return None  # counts in Chinese numerals ("累计两次") are prose, not statistics
    if unit not in vocab.count_units:  # times (小时, 工作日), money, places (位, 名)
        return None
    return (ClaimKind.GROWTH, direction) if growth else (ClaimKind.COUNT, None)


def _count_metric(window: str) -> str | None:
    """The metric a count's window names: a metric word, else a count verb ("反映" -> received)."""
    metric = phrase_to_metric(window)
    if metric:
        return metric
    found = [(window.rfind(w) + len(w), m) for w, m in vocabulary().count_verbs if w in window]
    return max(found)[1] if found else None


def _rate_metric(window: str) -> str | None:
    metric = phrase_to_metric(window)
    return metric if metric and metric.startswith("rate_") else None


def _window_subject(window: str) -> str | None:
    vocab = vocabulary()
    m = vocab.category.search(window)
    if not m:
        return None
    subject = strip_leading(m["subject"], vocab.subject_lead_words)
    return subject or None


def _leader_subject(sentence: str) -> str | None:
    """The item a sentence singles out: "X受理量最多，反映N件，占比P" -> X."""
    found = list(vocabulary().leader.finditer(sentence))
    return found[-1]["subject"].strip() or None if found else None


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
    metric = _count_metric(window) if kind is ClaimKind.COUNT else phrase_to_metric(window)
    if kind is ClaimKind.COUNT:
        # a category count ("交通类12件") counts what the paragraph counted before,
        # else what categories count (received)
        if metric or state.count_metric or not state.subject:
            return metric or state.count_metric
        return state.carried or vocabulary().category_metric
    return metric or state.last_metric


def _previous(
    number: Number, window: str, after: str, state: _SentenceState
) -> tuple[ClaimKind, str] | None:
    """Kind and metric of a figure of the period compared with ("较上月（640件）").

    A percent repeats the last rate of the sentence, a count the last count
    metric; None when there is nothing for it to repeat.
    """
    kind_direction = classify_number(number, window, after)
    if number.percent:
        metric = _rate_metric(window) or state.last_rate
        return (ClaimKind.RATE, metric) if metric else None
    if kind_direction is None or kind_direction[0] is not ClaimKind.COUNT:
        return None
    metric = _count_metric(window) or state.count_metric or state.carried
    return (ClaimKind.COUNT, metric) if metric else None


@dataclass(frozen=True, slots=True)
class _Context:
    """One paragraph being read: its document, its references and its sections' paragraphs."""

    doc: Document
    paragraph: Paragraph
    refers_to: tuple[str, ...]
    by_section: Mapping[int, tuple[Paragraph, ...]]
    lexicon: NameLexicon | None = None


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
    subject = sentence_subject(text[start:end]) or _leader_subject(text[start:end])
    state = _SentenceState(subject=subject or _heading_subject(ctx), carried=carried)
    # numbers inside a rank-list trigger ("得分最高的3个单位") are not counts
    in_rank = [(start + m.start(), start + m.end()) for m, _ in triggers(text[start:end])]
    found: list[Found] = []
    previous_end = start
    for number, n_start, n_end in numbers:
        clause_start = max(text.rfind(c, start, n_start) for c in vocab.clause_marks) + 1
        window = text[max(clause_start, previous_end, start) : n_start]
        previous_end = n_end
        if any(a <= n_start < b for a, b in in_rank):
            continue
        after = text[n_end : n_end + 8]
        period = vocab.previous.pattern.search(text[start:n_start])
        if period is not None:
            previous = _previous(number, window, after, state)
            if previous is not None:
                scope = claim_scope(ctx, n_start, window, text[start:n_start])
                claim = _claim(
                    ctx, previous[0], n_start, sentence, metric=previous[1], value=number,
                    scope=scope, subject=vocab.previous.subject(period["period"]),
                    direction=PREVIOUS,
                )  # fmt: skip
                found.append((n_start, claim))
            continue
        kind_direction = classify_number(number, window, after)
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
        if kind in (ClaimKind.RATE, ClaimKind.POINTS) and metric:
            state.last_rate = metric
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


def _rank_claims(ctx: _Context, start: int, end: int) -> tuple[list[Found], list[range]]:
    """The rank lists of a sentence, and the paragraph offsets their names take."""
    text = ctx.paragraph.text
    sentence = text[start:end]
    found: list[Found] = []
    taken: list[range] = []
    for direction, names in rank_lists(sentence):
        first = start + names[0][1]
        scope = claim_scope(ctx, first, "", text[start:first])
        claim = _claim(
            ctx, ClaimKind.RANK_LIST, first, sentence.strip(), metric=None, subject=None,
            value=None, scope=scope, names=tuple(n for n, _ in names), direction=direction,
        )  # fmt: skip
        found.append((first, claim))
        taken += [range(start + o, start + o + len(n)) for n, o in names]
    return found, taken


# --- names in running text --------------------------------------------------------


def _named(
    ctx: _Context, span: tuple[int, int], numeric: list[Found], taken: Sequence[range]
) -> list[Found]:
    """The sentence's figures with the department names they are about (`Claim.names`), and
    a mention claim for the names no figure or rank list holds ("区A局、区B局表现突出")."""
    if ctx.lexicon is None:
        return numeric
    start, end = span
    text = ctx.paragraph.text
    names = [
        (name, start + o)
        for name, o in find_names(text[start:end], ctx.lexicon)
        if not any(start + o in r for r in taken)
    ]
    about, left = names_for_figures([at for at, _ in numeric], names)
    found = [
        (at, replace(c, names=n) if n else c) for (at, c), n in zip(numeric, about, strict=True)
    ]
    if left:
        first = left[0][1]
        claim = _claim(
            ctx, ClaimKind.MENTION, first, text[start:end].strip(), metric=None, subject=None,
            value=None, scope=claim_scope(ctx, first, "", text[start:first]),
            names=tuple(dict.fromkeys(n for n, _ in left)),
        )  # fmt: skip
        found.append((first, claim))
    return found


# --- scope -----------------------------------------------------------------------


def claim_scope(ctx: _Context, offset: int, window: str, lead: str) -> tuple[str, ...]:
    """Channels a claim speaks of: its clause, its sentence, the paragraph's earlier
    sentences (nearest first), its sections upward, then the preamble.

    Channels named by item words only ("来电来信") narrow to those the claim's
    own section heading names by a place word. For each section from the
    claim's own up to the top: channels named in the heading, else in the
    section's paragraphs before this one (its intro). The preamble, what
    precedes the first section ("现将12345热线…通报如下"), counts when it names
    a single channel: one naming several says what the bulletin covers, not
    what an unlabelled figure counts.
    """
    text = ctx.paragraph.text
    earlier = [text[a:b] for a, b in sentences(text) if b <= offset - len(lead)]
    found: tuple[str, ...] = ()
    place = False
    for said in (window, lead, *reversed(earlier)):
        found, place = _channels(said)
        if found:
            break
    section = ctx.doc.lines[ctx.paragraph.line_at(offset)].section
    if found and not place and section is not None:
        # "来电来信" under a heading "市民热线办理情况" are the hotline's
        head, head_place = _channels(ctx.doc.sections[section].heading)
        if head_place and set(head) <= set(found):
            return head
    while not found and section is not None:
        found = text_to_channels(ctx.doc.sections[section].heading) or _intro_channels(ctx, section)
        section = ctx.doc.sections[section].parent
    if found:
        return found
    preamble = _intro_channels(ctx, PREAMBLE)  # trusted only when it speaks of one channel
    return preamble if len(preamble) == 1 else ()


def _intro_channels(ctx: _Context, section: int) -> tuple[str, ...]:
    """The channels the section's paragraphs before this one name."""
    paragraphs = ctx.by_section.get(section, ())
    intros, numbers = _section_intros(paragraphs)
    # the section's paragraphs before this one, found in its sorted numbers: counting them
    # for every claim grew with the square of a long section
    return intros[bisect.bisect_left(numbers, ctx.paragraph.number)]


_Intros = tuple[list[tuple[str, ...]], list[int]]
_INTROS: dict[int, tuple[tuple[Paragraph, ...], _Intros]] = {}


def _section_intros(paragraphs: tuple[Paragraph, ...]) -> _Intros:
    """For k = 0..n, the channels the first k paragraphs of a section name together, and
    the section's paragraph numbers, sorted. Built once per section, each prefix from the
    one before it plus the words the next paragraph (with the tail it joins) adds: joining
    the whole prefix again for every claim grew with the square of a long section."""
    cached = _INTROS.get(id(paragraphs))
    if cached is not None and cached[0] is paragraphs:
        return cached[1]
    reach = max((len(w) for _, words in vocabulary().channels for w in words), default=1) - 1
    hits: set[tuple[str, str]] = set()
    tail = ""
    found = [_named_channels(hits)[0]]
    for p in paragraphs:
        text = unicodedata.normalize("NFKC", p.text)
        hits |= _channel_hits(tail + text)  # a word may run across the join
        tail = (tail + text)[-reach:] if reach else ""
        found.append(_named_channels(hits)[0])
    if len(_INTROS) >= 64:
        _INTROS.clear()
    built = (found, sorted(p.number for p in paragraphs))
    _INTROS[id(paragraphs)] = (paragraphs, built)
    return built


def _by_section(doc: Document, paragraphs: Sequence[Paragraph]) -> dict[int, tuple[Paragraph, ...]]:
    """Paragraphs by section; those before any section under PREAMBLE."""
    groups: dict[int, list[Paragraph]] = {}
    for p in paragraphs:
        section = doc.lines[p.lines[0]].section
        groups.setdefault(PREAMBLE if section is None else section, []).append(p)
    return {k: tuple(v) for k, v in groups.items()}


# --- document ----------------------------------------------------------------------


def paragraph_claims(
    doc: Document,
    paragraph: Paragraph,
    by_section: Mapping[int, tuple[Paragraph, ...]],
    lexicon: NameLexicon | None = None,
) -> list[Claim]:
    """Numeric, rank-list and mention claims of one paragraph, in reading order.

    With a `lexicon` of the document's department names, figures carry the names they are
    about and names no claim holds become a mention claim.
    """
    text = paragraph.text
    spans = list(sentences(text))
    shared = tuple(
        r for a, b in spans if _only_reference(text[a:b]) for r in text_to_references(text[a:b])
    )
    closing = [_closing_references(text[a:b]) for a, b in spans]
    numbers = find_numbers(text)
    starts = [n[1] for n in numbers]
    found: list[Found] = []
    carried: str | None = None
    for k, (start, end) in enumerate(spans):
        own = text_to_references(text[start:end])
        later = tuple(r for refs in closing[k:] for r in refs)
        refs = tuple(dict.fromkeys((*own, *shared, *later)))
        ctx = _Context(doc, paragraph, refs, by_section, lexicon)
        inside = numbers[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
        if len(inside) > MAX_SENTENCE_NUMBERS:  # not a sentence: left unchecked (coverage)
            log.info("a sentence of %d numbers is not read for claims", len(inside))
            inside = []
        numeric, carried = _numeric_claims(ctx, (start, end), inside, carried)
        ranks, taken = _rank_claims(ctx, start, end)
        found += _named(ctx, (start, end), numeric, taken) + ranks
    return [claim for _, claim in sorted(found, key=lambda f: f[0])]


def extract_claims(doc: Document, *, names: NameLexicon | None = None) -> tuple[Claim, ...]:
    """Every claim the narrative of `doc` states, in reading order.

    `names` is the lexicon of the document's department names (`mentions.name_lexicon`):
    without it, claims name departments only in rank lists. Raises ConfigError when a
    vocabulary data file is missing or malformed.
    """
    paragraphs = document_to_paragraphs(doc)
    by_section = _by_section(doc, paragraphs)
    claims: list[Claim] = []
    for paragraph in paragraphs:
        claims += paragraph_claims(doc, paragraph, by_section, names)
    return tuple(claims)
