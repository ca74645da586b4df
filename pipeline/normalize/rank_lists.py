"""Rank lists in a sentence: "排名前三位的是A、B和C", "A、B得分较低，位列后2名".

A trigger (claims.json `rank_list.top` / `bottom`) says a list is stated; the
department names follow it ("的单位依次为：") or precede it, in its clause or,
when the trigger opens its clause, in the clause before. Names are split on
separators always and on connectors (和/及/与) only between organisations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.normalize.claim_words import RankWords, longest_first, strip_leading, vocabulary
from pipeline.normalize.segmenter import jieba_tokenizer


def _looks_like_org(name: str, rank: RankWords) -> bool:
    return name.endswith(rank.org_suffixes)


def _tokens_at(text: str) -> dict[int, str]:
    """jieba's words of `text` (accurate mode, HMM on) by their offset.

    jieba yields every character of the text, so a word's offset is the length of
    the words before it (what spaCy's zh tokenizer, used here before, computed too).
    """
    jieba = jieba_tokenizer()
    found, offset = {}, 0
    for word in jieba.cut(text):
        if word:
            found[offset] = str(word)
            offset += len(word)
    return found


def _word_at(text: str, i: int, words: Sequence[str]) -> str | None:
    return next((w for w in longest_first(words) if text.startswith(w, i)), None)


def split_names(text: str) -> list[tuple[str, int]]:
    """Department names in a list, each with its offset in `text`.

    Splits on 、 and commas always; on 和/及/与 only after a name that ends like
    an organisation ("区水务局和区统计局", not "区发展和改革局") and
    where jieba does not read the connector as the start of a dictionary word
    ("和平路街道办事处").
    """
    rank = vocabulary().rank
    # jieba (its import alone is a tenth of a short audit) only when a connector follows
    # an organisation, the one case its words decide
    token_at: dict[int, str] | None = None
    cuts: list[tuple[int, int]] = []
    piece_start = i = 0
    while i < len(text):
        word = _word_at(text, i, rank.separators)
        conj = None if word else _word_at(text, i, rank.connectors)
        if conj and _looks_like_org(text[piece_start:i].strip(), rank):
            token_at = _tokens_at(text) if token_at is None else token_at
            token = token_at.get(i, "")
            freq = jieba_tokenizer().FREQ
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
    stripped = strip_leading(first, rank.lead_words)
    names[0] = (stripped, offset + len(first) - len(stripped))
    last, offset = names[-1]
    while True:
        cut = rank.tail_phrases.sub("", last).rstrip()
        tail = next((w for w in rank.tail_words if cut.endswith(w) and cut != w), None)
        cut = cut[: -len(tail)].rstrip() if tail else cut
        if cut == last or not cut:
            break
        last = cut
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
    marks = vocabulary().clause_marks
    end = trigger.start()
    begin = max(stop, *(sentence.rfind(c, 0, end) + 1 for c in marks))
    if not strip_leading(sentence[begin:end], rank.lead_words) and begin - 1 > stop:
        # the trigger opens its clause ("A、B得分较低，位列后3名"): the names are in the one before
        end = begin - 1
        begin = max(stop, *(sentence.rfind(c, 0, end) + 1 for c in marks))
    names = _trim_names(split_names(sentence[begin:end]), rank)
    return [(n, begin + o) for n, o in names if _looks_like_org(n, rank)]


def triggers(sentence: str) -> list[tuple[re.Match[str], str]]:
    """The rank-list triggers of a sentence with their direction, in reading order."""
    rank = vocabulary().rank
    found = [(m, "top") for m in rank.top.finditer(sentence)]
    found += [(m, "bottom") for m in rank.bottom.finditer(sentence)]
    return sorted(found, key=lambda t: t[0].start())


def rank_lists(sentence: str) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    """(direction, ((name, offset in sentence), ...)) for each rank list a sentence states.

    Names are looked for after the trigger first, then before it; neither
    search crosses a neighbouring trigger.
    """
    marks = triggers(sentence)
    found = []
    for k, (trigger, direction) in enumerate(marks):
        previous_end = marks[k - 1][0].end() if k else 0
        next_start = marks[k + 1][0].start() if k + 1 < len(marks) else len(sentence)
        names = _names_after(sentence, trigger, next_start) or _names_before(
            sentence, trigger, previous_end
        )
        if names:
            found.append((direction, tuple(names)))
    return found
