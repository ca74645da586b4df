"""What the text relations share: runs of quantities, bases named by words, judging a share.

The rules in `rules/text_lists.py` and `rules/text_sums.py` pair the narrative's
quantities (`Normalized.quantities`) by position and by arithmetic. A pairing is
only as strong as its words: a base is *named* when the words after 占 match the
label of one printed count; anything else is a reading the audit can test but not
insist on. Every judgement here returns the readings that make a figure hold, so a
rule can tell an error (the named reading fails and no other holds) from a warning
(another reading holds) and say which.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pipeline.model import Evidence, Normalized, Number, Quantity, QuantityKind, Source, Span
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Rounding, conventions_that_hold

BASE_TAIL = re.compile(r"(?:的)?(?:比例|比重)?(?:为|达|约|近)?$")


def quantity_span(q: Quantity) -> Span:
    return Span(q.value.text, q.source)


def quantity_evidence(q: Quantity) -> Evidence:
    return Evidence(q.source, q.value.text)


def exact_count(q: Quantity) -> int | None:
    """The count a quantity states exactly (None for 5.77万, which stands for a range)."""
    if q.kind is not QuantityKind.COUNT or q.value.scale != 1 or q.value.decimals:
        return None
    return int(q.value.value)


def by_paragraph(norm: Normalized) -> dict[int, list[Quantity]]:
    groups: dict[int, list[Quantity]] = {}
    for q in norm.quantities:
        groups.setdefault(q.paragraph, []).append(q)
    return groups


def series_runs(quantities: Sequence[Quantity]) -> Iterator[list[Quantity]]:
    """The runs of like quantities of one paragraph ("a件、b件、c件"), in order."""
    runs: dict[int, list[Quantity]] = {}
    for q in quantities:
        if q.series is not None:
            runs.setdefault(q.series, []).append(q)
    yield from runs.values()


def holds_share(part: Fraction, base: int, printed: Number, accepted: Sequence[Rounding]) -> bool:
    if base <= 0:
        return False
    return bool(set(accepted) & set(conventions_that_hold(part / base, printed)))


def base_words(label: str) -> str:
    """What a share says it is taken of: "占商品类投诉总量的" -> "商品类投诉" ("" for 占比)."""
    words = quantity_words()
    text = label
    for lead in words.respectively:  # "分别占X的": what follows 分别, its 占 kept
        if lead in text:
            text = text[text.rfind(lead) :]
            break
    ends = [text.rfind(w) + len(w) for w in words.share_words if w in text]
    text = text[max(ends) :] if ends else ""
    text = BASE_TAIL.sub("", text)
    for w in words.total_words:
        if text.endswith(w):
            text = text[: -len(w)]
            break
    for w in words.total_words:  # "占总投诉的": the total of 投诉
        if text.startswith(w) and len(text) > len(w) + 1:
            text = text[len(w) :]
            break
    for w in words.measure_words:  # "占投诉量的": the count of 投诉
        if text.endswith(w) and len(text) > len(w) + 1:
            text = text[: -len(w)]
            break
    return text.strip("的 ")


@dataclass(frozen=True, slots=True)
class Reading:
    """A base a share (or a run of shares) may have been taken over, and why."""

    base: int
    words: str
    quantity: Quantity | None  # the printed count that is the base, if one is
    presumed: bool = False  # no words name it: the document's first total, taken for them


def named_bases(words: str, before: Sequence[Quantity]) -> list[Reading]:
    """Printed counts whose clause holds what the share names, the closest names first and
    the nearest among equals."""
    if not words:
        return []
    found = []
    for k in range(len(before) - 1, -1, -1):
        q = before[k]
        n = exact_count(q)
        if n is not None and words in clause_text(before, k):
            found.append(
                (name_distance(words, q.label), Reading(n, f"{q.value.text} ({words})", q))
            )
    return [r for _, r in sorted(found, key=lambda pair: pair[0])]


def name_distance(words: str, label: str) -> int:
    """How closely a count's own label names `words`: 0 for "投诉" or "其中投诉" under
    "投诉", the words it holds before them for "共接收网购投诉举报" under "举报" (7), and
    past every label that ends with them when they only sit inside it ("网购投诉举报" under
    "投诉": a base so named is another count's)."""
    vocab = quantity_words()
    text = LABEL_FILLER.sub("", label).replace(" ", "").lstrip(vocab.clause_marks)
    lead = next((w for w in vocab.parts_lead if text.startswith(w)), "")
    text = text[len(lead) :]
    if text.endswith(words):
        return len(text) - len(words)
    return 1000 + len(text)


def clause_text(quantities: Sequence[Quantity], k: int) -> str:
    """The labels of a quantity's clause up to it: "第一类" + "部门的立案数为" for 140件."""
    q = quantities[k]
    parts = [q.label]
    for p in reversed(quantities[:k]):
        if (p.paragraph, p.sentence, p.clause) != (q.paragraph, q.sentence, q.clause):
            break  # a list may run over paragraphs: sentence 0 of each is another
        parts.append(p.label)
    return "".join(reversed(parts)).replace(" ", "")


def other_readings(
    parts: Sequence[tuple[Fraction, Number]],
    candidates: Sequence[Quantity],
    accepted: Sequence[Rounding],
    skip: int | None = None,
) -> list[Reading]:
    """Printed counts other than `skip` over which every share of `parts` holds."""
    found = []
    for q in candidates:
        n = exact_count(q)
        if n is None or n == skip or any(n < p for p, _ in parts):
            continue
        if all(holds_share(p, n, printed, accepted) for p, printed in parts):
            found.append(Reading(n, f"the text's {q.value.text}", q))
    return found


def quantity_of(norm: Normalized, span: Span) -> Quantity | None:
    """The narrative quantity printed as `span` (a claim's number), if one is: the first
    printed so, looked up in an index built once per document (a scan per claim would
    cost claims times quantities)."""
    cached = _BY_SPAN.get(id(norm))
    if cached is None or cached[0] is not norm:
        index: dict[tuple[Source, str], Quantity] = {}
        for q in norm.quantities:
            index.setdefault((q.source, q.value.text), q)
        _BY_SPAN.clear()  # one document at a time: rules run document by document
        cached = _BY_SPAN[id(norm)] = (norm, index)
    return cached[1].get((span.source, span.text))


_BY_SPAN: dict[int, tuple[Normalized, dict[tuple[Source, str], Quantity]]] = {}


LABEL_FILLER = re.compile(r"[的有为达共计约了是:：\s]+$")
# What stands between a figure's name and the figure ("自然增长率为2.65‰", "办结率达到…"):
# stripped from a label before its name is read off its end.
NAME_FILLERS = " 为是达到约：:"
# from where a run of CJK starts: tried from each of its characters, a long run costs the
# square of its length
HEAD = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]+)(?:率|度)[^\u4e00-\u9fff]*$")


def label_names(label: str, head: str) -> bool:
    """Whether a count's label ends with (a two-character or longer end of) a rate's head:
    "按期办结55件" names 按期办结率; "正在办理568件" names no 直接办结率."""
    text = LABEL_FILLER.sub("", label)
    return any(text.endswith(head[i:]) for i in range(len(head) - 1))


def rate_head(label: str) -> str | None:
    """The words a rate is named by, before 率: "直接办结率为" -> "直接办结"."""
    m = HEAD.search(LABEL_FILLER.sub("", label))
    return m.group(1) if m else None


def pairing_doubt(norm: Normalized, figure: Span, numerator: Span, *others: Span) -> str | None:
    """Why pairing a rate with its counts is too weak to call it an error (None: strong).

    Strong means the numerator's own words end with the rate's name, it is printed in the
    rate's sentence or the one before, and every count is printed before the rate or in its
    sentence: "正在办理568件" printed after "直接办结率" is
    no numerator of it.
    """
    rq = quantity_of(norm, figure)
    nq = quantity_of(norm, numerator)
    if rq is None or nq is None:
        return None
    for span in (numerator, *others):
        q = quantity_of(norm, span)
        if q is not None and q.start > rq.start and q.sentence != rq.sentence:
            return f"{q.value.text} is printed after {rq.value.text}, in another sentence"
    if rq.sentence - nq.sentence > 1:
        return f"{nq.value.text} is printed sentences before {rq.value.text}"
    if nq.sentence < rq.sentence and any(
        p.paragraph == rq.paragraph and p.sentence == rq.sentence and p.start < rq.start
        for p in norm.quantities
        if exact_count(p) is not None
    ):
        return f"{rq.value.text} follows a count of its own sentence, not {nq.value.text}"
    head = rate_head(rq.label)
    if head and not label_names(nq.label, head):
        return f"{nq.value.text} is not named as what {head}率 counts"
    return None


def adjacent_count(norm: Normalized, share: Span) -> Quantity | None:
    """The count a share (given as printed) follows in its sentence."""
    q = quantity_of(norm, share)
    if q is None:
        return None
    return own_count([p for p in norm.quantities if p.paragraph == q.paragraph], q)


def own_count(
    quantities: Sequence[Quantity], share: Quantity, *, scaled: bool = False
) -> Quantity | None:
    """The count a share follows in its sentence, past the changes printed between them;
    with `scaled`, also one printed in 万 or 亿 ("投诉2.06万件，…，占比35.71%")."""
    for q in reversed([p for p in quantities if p.start < share.start]):
        if q.sentence != share.sentence:
            return None
        if q.kind in (QuantityKind.CHANGE, QuantityKind.POINTS):
            continue
        if q.bracketed and any(w in q.label for w in quantity_words().parts_lead):
            continue  # "325件（其中无照经营210件），占9%": the bracket holds a part of it
        return q if exact_count(q) is not None or (scaled and is_scaled_count(q)) else None
    return None


def is_scaled_count(q: Quantity) -> bool:
    """A count printed in 万 or 亿, which stands for a range of counts."""
    return q.kind is QuantityKind.COUNT and q.value.scale != 1 and not q.value.percent


def _whole(q: Quantity) -> int | None:
    """A count, or a whole number printed without a unit (which only arithmetic can place)."""
    if q.kind is QuantityKind.OTHER and not q.value.decimals and q.value.scale == 1:
        return int(q.value.value) if q.value.value == q.value.value.to_integral() else None
    return exact_count(q)


def reproducing_pair(
    norm: Normalized, figure: Span, accepted: Sequence[Rounding]
) -> tuple[Quantity, Quantity] | None:
    """Two counts printed just before a percentage (its sentence or the two before it)
    whose ratio it is: "举报47件，已办结40件，办结率85.11%" is 40/47, whatever a vocabulary
    pairs it with. Nearest pairs first."""
    q = quantity_of(norm, figure)
    if q is None or not q.value.percent:
        return None
    near = [
        p
        for p in norm.quantities
        if p.paragraph == q.paragraph and p.start < q.start and q.sentence - p.sentence <= 2
    ]
    # a figure printed with no unit ("诉求事项2114已办结2099件") may be the other count
    counts = [(p, n) for p in reversed(near) if (n := _whole(p)) is not None and n > 0]
    for num, n in counts:
        for den, d in counts:
            if den is not num and n <= d and holds_share(Fraction(n), d, q.value, accepted):
                return num, den
    return None
