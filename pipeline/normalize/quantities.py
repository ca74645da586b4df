"""Every number of the narrative as a typed quantity of its own ("number-first").

Claims (claims.py) attach a number to a metric through a vocabulary of known
metrics; a number the vocabulary does not know becomes nothing. Here every number
`find_numbers` yields becomes a `Quantity`: its kind from its own unit, the words
printed before it in its clause as its label, whether it sits in brackets after
another number ("32件（6.1%）"), and the run of like quantities it belongs to
("a件、b件、c件", "分别占x%、y%、z%"). Relations between quantities are searched by
the validate stage (rules/text_lists.py, rules/text_sums.py); nothing here pairs.

The words live in `pipeline/data/quantities.json`; a missing or malformed file
raises ConfigError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Document, Number, Paragraph, Quantity, QuantityKind
from pipeline.normalize.numbers import FOOTNOTE_MARK, find_numbers
from pipeline.normalize.paragraphs import document_to_paragraphs, sentences

DATA = Path(__file__).resolve().parents[1] / "data" / "quantities.json"
OPEN_BRACKET = re.compile(r"^\s*[（(][^（）()\d]{0,8}$")


@dataclass(frozen=True, slots=True)
class QuantityWords:
    clause_marks: str
    list_joins: tuple[str, ...]
    respectively: tuple[str, ...]
    count_units: tuple[str, ...]
    amount_units: tuple[str, ...]
    points_units: tuple[str, ...]
    measure_units: tuple[str, ...]  # 吨, 公斤: read only where a relation needs them
    real_terms: tuple[str, ...]  # 可比价, 增加值: a growth not of the printed values
    share_words: tuple[str, ...]
    rate_word: re.Pattern[str]
    change_words: tuple[str, ...]
    down_words: tuple[str, ...]
    up_words: tuple[str, ...]
    above_words: tuple[str, ...]  # a rate above the one compared ("高于全省（6.3%）")
    below_words: tuple[str, ...]
    catch_all: tuple[str, ...]
    catch_all_joined: tuple[str, ...]  # 或 of 或其他原因: a part's words, no catch-all
    parts_lead: tuple[str, ...]
    partial: tuple[str, ...]
    total_words: tuple[str, ...]
    measure_words: tuple[str, ...]
    daily_average: tuple[str, ...]
    monthly_average: tuple[str, ...]
    per_item_leads: tuple[str, ...]  # 平均每 before the unit an average is per (平均每起)
    per_item_fixed: tuple[tuple[str, str], ...]  # 户均: per 户
    per_item_units: tuple[str, ...]  # 元, 人: what such an average may be in
    complements: tuple[tuple[str, str], ...]
    named_total_tail: tuple[str, ...]  # 共计 after 投诉、举报、咨询: the total's own word
    named_total_lead: tuple[str, ...]  # 受理 before 投诉、举报、咨询: what opens the names
    name_particles: str  # 的 of 经济建设方面的提案: no name opens with one
    negations: tuple[str, ...]  # 不予 of 不予立案: a count of what is not so
    # what joins a base printed inside a share's words to the share (占总量500件的24%)
    inline_base_joins: tuple[str, ...]


def _longest_first(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


@cache
def quantity_words() -> QuantityWords:
    """The vocabulary of quantities.json, read once. Raises ConfigError on a bad file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return QuantityWords(
            clause_marks=raw["clause_marks"],
            list_joins=tuple(raw["list_joins"]),
            respectively=_longest_first(raw["respectively"]),
            count_units=_longest_first(raw["count_units"]),
            amount_units=_longest_first(raw["amount_units"]),
            points_units=_longest_first(raw["points_units"]),
            measure_units=_longest_first(raw["measure_units"]),
            real_terms=tuple(raw["real_terms"]),
            share_words=_longest_first(raw["share_words"]),
            rate_word=re.compile(raw["rate_word"]),
            change_words=_longest_first(raw["change_words"]),
            down_words=tuple(raw["down_words"]),
            up_words=tuple(raw["up_words"]),
            above_words=tuple(raw["above_words"]),
            below_words=tuple(raw["below_words"]),
            catch_all=tuple(raw["catch_all"]),
            catch_all_joined=tuple(raw["catch_all_joined"]),
            parts_lead=tuple(raw["parts_lead"]),
            partial=tuple(raw["partial"]),
            total_words=_longest_first(raw["total_words"]),
            measure_words=_longest_first(raw["measure_words"]),
            daily_average=tuple(raw["daily_average"]),
            monthly_average=tuple(raw["monthly_average"]),
            per_item_leads=tuple(raw["per_item_average"]["leads"]),
            per_item_fixed=tuple(raw["per_item_average"]["fixed"].items()),
            per_item_units=tuple(raw["per_item_average"]["units"]),
            complements=tuple((a, b) for a, b in raw["complements"]),
            named_total_tail=_longest_first(raw["named_total_tail"]),
            named_total_lead=_longest_first(raw["named_total_lead"]),
            name_particles=raw["name_particles"],
            negations=_longest_first(raw["negations"]),
            inline_base_joins=tuple(raw["inline_base_joins"]),
        )
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"{DATA}: malformed quantity words ({exc!r})") from exc


def document_quantities(doc: Document) -> tuple[Quantity, ...]:
    """Every number of the narrative, paragraph by paragraph, in reading order."""
    return tuple(
        q
        for index, paragraph in enumerate(document_to_paragraphs(doc))
        for q in _bare_counts(paragraph.text, list(paragraph_quantities(doc, index, paragraph)))
    )


# What may close a count printed without its unit ("受理案件51571，立案51229件"), and what a
# label must not end with for the bare number to be a count (an ordinal, a date, a code).
BARE_ENDS = "，,；;。、）)：:"
NOT_COUNT_BEFORE = "第年月日号至到约近超达为是"


def _bare_counts(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Whole numbers printed with no unit, in a sentence whose counts all share one unit,
    take that unit: offices drop 件 from the first figure of a run of counts. A number
    followed by more words (12345热线) or led by 第 / a date word stays untyped."""
    units: dict[int, set[str | None]] = {}
    for q in quantities:
        if q.kind is QuantityKind.COUNT:
            units.setdefault(q.sentence, set()).add(q.value.unit)
    typed = []
    for q in quantities:
        found = units.get(q.sentence, set())
        if len(found) == 1 and _bare(text, q):
            unit = next(iter(found))
            q = replace(q, value=replace(q.value, unit=unit), kind=QuantityKind.COUNT)
        typed.append(q)
    return typed


def _bare(text: str, q: Quantity) -> bool:
    number = q.value
    if q.kind is not QuantityKind.OTHER or number.unit is not None or number.percent:
        return False
    if number.decimals or number.scale != 1 or not number.text.isascii():
        return False
    if not number.text.isdigit() or not q.label or q.label[-1] in NOT_COUNT_BEFORE:
        return False
    after = text[q.end : q.end + 1]
    return "\u4e00" <= q.label[-1] <= "\u9fff" and (not after or after in BARE_ENDS)


FOOTNOTE = re.compile(FOOTNOTE_MARK)  # taken out of a label: no word of it
# Each number looks back over its sentence, so a paragraph of many thousands of numbers would
# cost their square; real paragraphs print a few dozen.
MAX_PARAGRAPH_NUMBERS = 1_000


def paragraph_quantities(doc: Document, index: int, paragraph: Paragraph) -> Iterator[Quantity]:
    text = paragraph.text
    spans = list(sentences(text))
    previous: Quantity | None = None
    series = 0
    numbers = find_numbers(text)
    if len(numbers) > MAX_PARAGRAPH_NUMBERS:  # a table or a list run together, not prose: its
        return  # numbers stay unchecked (coverage), and reading stays linear in the text
    for number, start, end in numbers:
        sentence = next((k for k, (a, b) in enumerate(spans) if a <= start < b), len(spans))
        s_start = spans[sentence][0] if sentence < len(spans) else 0
        gap_from = previous.end if previous is not None and previous.end > s_start else s_start
        gap = text[gap_from:start]
        clause = _clause_start(text, s_start, start)
        label = FOOTNOTE.sub("", text[max(clause, gap_from) : start]).strip()
        kind, role = type_of(number, label, text[end : end + 6])
        bracketed = previous is not None and bool(OPEN_BRACKET.match(gap))
        quantity = Quantity(
            value=number,
            kind=kind,
            label=label,
            paragraph=index,
            sentence=sentence,
            clause=_clauses_before(text, s_start, start),
            start=start,
            end=end,
            source=doc.lines[paragraph.line_at(start)].source,
            role="share" if bracketed and kind is QuantityKind.PERCENT and role is None else role,
            bracketed=bracketed,
        )
        if previous is not None and _joins(previous, quantity, gap):
            quantity = _in_series(quantity, previous.series, previous.position + 1)
            if previous.series is None:
                previous = _in_series(previous, series, 0)
                quantity = _in_series(quantity, series, 1)
                series += 1
        if previous is not None:
            yield previous
        previous = quantity
    if previous is not None:
        yield previous


def _in_series(q: Quantity, series: int | None, position: int) -> Quantity:
    return Quantity(
        value=q.value, kind=q.kind, label=q.label, paragraph=q.paragraph, sentence=q.sentence,
        clause=q.clause, start=q.start, end=q.end, source=q.source, role=q.role,
        bracketed=q.bracketed, series=series, position=position,
    )  # fmt: skip


def _clause_start(text: str, floor: int, at: int) -> int:
    marks = quantity_words().clause_marks
    return max([floor, *(text.rfind(c, floor, at) + 1 for c in marks)])


def _clauses_before(text: str, floor: int, at: int) -> int:
    marks = quantity_words().clause_marks
    return sum(text[floor:at].count(c) for c in marks)


def _joins(previous: Quantity, q: Quantity, gap: str) -> bool:
    """Two like quantities joined by a list word and nothing that ends a clause."""
    words = quantity_words()
    if previous.kind is not q.kind or previous.sentence != q.sentence or q.bracketed:
        return False
    if q.kind is QuantityKind.COUNT and previous.value.unit != q.value.unit:
        return False
    if q.kind not in (QuantityKind.COUNT, QuantityKind.PERCENT):
        return False
    if any(c in gap for c in words.clause_marks):
        return False
    return any(j in gap for j in words.list_joins)


def type_of(number: Number, label: str, after: str) -> tuple[QuantityKind, str | None]:
    """The kind of a number from its unit, and the role its label gives a percentage."""
    words = quantity_words()
    unit = number.unit or ""
    tail = (unit + after).lstrip()
    changed = label.endswith(words.change_words) or any(
        label.rstrip("了为达至约近超率").endswith(w) for w in words.change_words
    )
    if tail.startswith(words.points_units):
        return QuantityKind.POINTS, None
    if number.percent:
        if changed:
            return QuantityKind.CHANGE, None
        return QuantityKind.PERCENT, _percent_role(label)
    if not any(ch.isdigit() for ch in number.text):
        return QuantityKind.OTHER, None
    if tail.startswith(words.amount_units):
        return QuantityKind.AMOUNT, None
    if tail.startswith(words.count_units):
        return (QuantityKind.CHANGE if changed else QuantityKind.COUNT), None
    return QuantityKind.OTHER, None


def _percent_role(label: str) -> str | None:
    words = quantity_words()
    if words.rate_word.search(label):
        return "rate"
    if any(w in label for w in words.share_words):
        return "share"
    return None


def is_fall(q: Quantity) -> bool:
    """A change the words before it call a fall (下降, 减少), or printed negative."""
    return q.value.value < 0 or any(w in q.label[-8:] for w in quantity_words().down_words)
