"""SHARE009: a share of an amount over a whole the page names in other words.

"合肥市以8206.7亿元排名第一，占全省生产总值的25.8%" is 8206.7 over the province's GDP, which
the page printed before as "安徽省实现GDP总量31874.8亿元"; "民营经济增加值137.6亿元，占GDP的
比重为56.6%" is over the 地区生产总值 the communiqué opens with. The share rules pair exact
counts by the words they share; an amount in 亿元 whose whole is named by a synonym is paired
by the synonyms, which are data (`pipeline/data/share_bases.json`).

The share's amount is the last amount printed before it in its sentence; the whole is an
earlier amount of the document, in the same unit and larger, whose words end with one of the
whole's names and name nothing before it that makes it another figure (人均, 规模以上) or
another period (上年). When the share names its area (全省), the whole's words must name that
level (安徽省, 全省). Every figure stands for the values that round to it. A share that no
whole so named reproduces is an error when one value is so named, else a warning.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.rules.named_sums import named_as, vocabulary
from pipeline.validate.text_quantities import quantity_evidence, quantity_span

DATA = Path(__file__).resolve().parents[2] / "data" / "share_bases.json"
SUBJECT_MARKS = " ，,、；;：:其中"  # what may stand around a share's subject (其中，税收收入占)
FIGURE_FILLERS = ("为", "完成", "实现", "达")  # between an amount's name and its figure


@dataclass(frozen=True, slots=True)
class Bases:
    names: tuple[tuple[str, tuple[str, ...]], ...]  # (what, the words that name it)
    scopes: tuple[tuple[str, str], ...]  # (全省, 省)
    fillers: tuple[str, ...]
    total_nouns: tuple[str, ...]  # 占总退换货金额的: a total of 金额
    total_marks: tuple[str, ...]  # 共涉及金额: a total


@dataclass(frozen=True, slots=True)
class WholeWords:
    """What a share's words say its whole is: one of the data's wholes by name (`names`), in
    an area (`scope`, 全省) or not, or the total of a measure (`noun`, 金额)."""

    said: str
    scope: str | None = None
    names: tuple[str, ...] = ()
    noun: str | None = None


@dataclass(frozen=True, slots=True)
class AmountShare:
    share: Quantity
    amount: Quantity
    wholes: tuple[Quantity, ...]  # the earlier amounts its words name, first printed first
    words: str


@cache
def bases() -> Bases:
    """share_bases.json, read once. Raises ConfigError."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        names = tuple((b["what"], tuple(b["names"])) for b in raw["bases"])
        scopes = tuple((str(k), str(v)) for k, v in raw["scopes"].items())
        words = (tuple(raw[k]) for k in ("fillers", "total_nouns", "total_marks"))
        return Bases(names, scopes, *words)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{DATA}: malformed share bases ({exc!r})") from exc


@rule(
    "SHARE009",
    Severity.ERROR,
    "a share of an amount (占全省生产总值的25.8%) is it over the whole the page printed earlier "
    "under another name (GDP总量); the names are data",
)
def check_amount_shares(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for found in amount_shares(norm):
        holding = [w for w in found.wholes if any(_holds(found, w, r) for r in accepted)]
        whole = holding[0] if holding else found.wholes[0]
        yield Checked(tuple(map(quantity_span, (found.share, found.amount, whole))))
        if not holding:
            yield _problem(found, accepted[0])


def amount_shares(norm: Normalized) -> Iterator[AmountShare]:
    quantities = norm.quantities
    for k, q in enumerate(quantities):
        if q.kind is not QuantityKind.PERCENT or q.series is not None:
            continue  # a share of a 分别 list is SHARE008's
        words = _named_whole(q.label)
        if words is None:
            continue
        amount = _amount_before(quantities[:k], q)
        if amount is None:
            continue
        wholes = tuple(w for w in quantities[:k] if w is not amount and _whole_of(w, amount, words))
        if wholes:
            yield AmountShare(q, amount, wholes, words.said)


def _named_whole(label: str) -> WholeWords | None:
    """What the words after a share's 占 say its whole is, when they name one of the data's
    wholes (占全省生产总值的: GDP's names in 全省) or a total of a measure (占总退换货金额的)."""
    b = bases()
    text = fold_text(label)
    if "占" not in text:
        return None
    words = text[text.rfind("占") + 1 :].strip()
    trimmed = True
    while trimmed:
        trimmed = False
        for filler in b.fillers:
            if words.endswith(filler):
                words, trimmed = words[: -len(filler)], True
    scope = next((s for s, _ in b.scopes if words.startswith(s)), None)
    name = words[len(scope) :] if scope else words
    named = next((names for _, names in b.names if name in names), None)
    if named is not None:
        return WholeWords(words, scope, named)
    noun = next((n for n in b.total_nouns if words.endswith(n)), None)
    return WholeWords(words, noun=noun) if noun and "总" in words else None


def _amount_before(before: Sequence[Quantity], share: Quantity) -> Quantity | None:
    """The share's own amount: the last one printed before it in its sentence, or, when the
    share names what it is a share of (税收收入占…), the last amount of its paragraph so
    named ("税收收入a亿元，非税收入b亿元，税收收入占…": a, not b)."""
    text = fold_text(share.label)
    subject = text[: text.rfind("占")].strip(SUBJECT_MARKS)
    for q in reversed(before):
        if q.paragraph != share.paragraph:
            return None
        if subject:
            if q.kind is QuantityKind.AMOUNT and _subject_of(q, subject):
                return q
            continue
        if q.sentence != share.sentence:
            return None
        if q.kind is QuantityKind.AMOUNT:
            return q
    return None


def _subject_of(q: Quantity, subject: str) -> bool:
    label = fold_text(q.label).strip(SUBJECT_MARKS)
    for filler in FIGURE_FILLERS:
        label = label.removesuffix(filler)
    return bool(label) and (label.endswith(subject) or subject.endswith(label))


def _whole_of(q: Quantity, amount: Quantity, words: WholeWords) -> bool:
    if q.kind is not QuantityKind.AMOUNT or q.value.unit != amount.value.unit:
        return False
    if exact_of(q.value) <= exact_of(amount.value):
        return False
    label = fold_text(q.label)
    if words.noun is not None:  # a total of the measure: 共涉及金额
        marked = any(m in label for m in bases().total_marks)
        return marked and label.strip(" ，,、；;：:为").endswith(words.noun)
    if not any(named_as(label, (name,), "", vocabulary()) for name in words.names):
        return False
    level = dict(bases().scopes).get(words.scope) if words.scope else None
    return level is None or level in label


def _holds(found: AmountShare, whole: Quantity, r: Rounding) -> bool:
    ratio = interval_of(found.amount.value, r) / interval_of(whole.value, r)
    return ratio.meets(interval_of(found.share.value, r))


def _problem(found: AmountShare, r: Rounding) -> Problem:
    values = sorted({w.value.text for w in found.wholes})
    whole = found.wholes[0]
    expected = format_as(exact_of(found.amount.value) / exact_of(whole.value), found.share.value, r)
    said = f"{found.amount.value.text} / {whole.value.text}"
    return Problem(
        message=(
            f"the text states {found.share.value.text} of {found.words} for "
            f"{found.amount.value.text}, but {said} ({whole.label.strip()}) = {expected}"
        ),
        evidence=tuple(map(quantity_evidence, (found.share, found.amount, whole))),
        reported=found.share.value.text,
        expected=expected,
        explanation=(
            f"{found.words} is the whole printed as {whole.label.strip()}"
            + (f"; the page prints it as {', '.join(values)}" if len(values) > 1 else "")
            + "; no values the printed figures stand for give the share"
        ),
        severity=None if len(values) == 1 else Severity.WARNING,
    )
