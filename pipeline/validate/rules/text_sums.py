"""Totals the narrative states against the parts it lists.

SUM001: "共受理N件。其中，A类a件……其他类x件" or "受理N件，办结a件，在办b件": a count
followed by counts of its parts (in its sentence, or after 其中 / "N件…中" up to the
full stop). The parts add up to the total -> checked. They do not, and the list is
whole (it closes with 其他 / 其余, or two parts split the whole as 办结/在办 do) -> error.
A list that need not be whole (the largest categories only) says nothing when short.
Sentences after the total's whose clauses each name what they split by ("按行政区域分：
…；按污染类型分：…") are more splits of it; kinds of one thing (委员提案, 党派提案…), or
such a split, adding up to more than the total -> warning, since kinds may overlap.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity, Span
from pipeline.normalize.paragraphs import sentences
from pipeline.normalize.quantities import quantity_words
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    by_paragraph,
    exact_count,
    quantity_evidence,
    quantity_span,
)
from pipeline.validate.text_runs import (
    FULL_STOPS,
    next_stop,
    own_share,
    share_items,
    shares_whole,
    sum_runs,
    trailing,
)

# What a list's items are measured by: an exact count, or (amounts.py) a printed value.
Measure = Callable[[Quantity], "int | Fraction | None"]
PREVIOUS_WORDS = ("上月", "上年", "去年", "同期", "上周", "上季度", "同比", "环比")


def listed_parts(
    text: str, total: Quantity, quantities: Sequence[Quantity], measure: Measure = exact_count
) -> list[Quantity]:
    """The quantities listed as parts of `total` (empty when nothing opens such a list):
    exact counts, or with another `measure` (amounts.py) amounts and rounded counts."""
    words = quantity_words()
    if total.series is not None:
        return []  # an item of a list is no total of the items after it
    opened = _lead(text, total.end, own_share=not item_of_split(text, total, quantities))
    start = total.end if opened is None else opened
    end = next_stop(text, start + 1)
    parts: list[Quantity] = []
    for q in quantities:
        if not start <= q.start < end:
            continue
        if q.kind is QuantityKind.CHANGE or any(w in q.label for w in PREVIOUS_WORDS):
            continue
        if q.kind is not total.kind or q.value.unit != total.value.unit:
            continue
        if any(w in q.label for w in words.daily_average):
            continue  # "日均40件": a figure of the part before it, no part of its own
        if parts and any(q.label.startswith(w) for w in ("共", *words.total_words)):
            break  # a new total starts
        if measure(q) is None:
            return []
        parts.append(q)
        if closes_list(q.label):
            break  # 其他 closes its list; what follows is another list
    n = measure(total) or 0
    if any((measure(q) or 0) > n for q in parts):
        return []  # a part larger than the total: not this total's parts
    if opened is None:
        # without 其中 only a pair of the total's own sentence that splits the whole
        pair = [q for q in parts if q.sentence == total.sentence]
        if len(pair) != 2:
            return []
        # "受理N件，办结A件，其余B件正在办理": the remainder, right after the part before it
        rest = pair[1].label.lstrip("，,、 ").startswith(REMAINDER) and _adjacent(
            quantities, total, pair
        )
        return pair if rest or _complements(pair, text) else []
    partial = any(w in text[total.end : parts[0].start if parts else end] for w in words.partial)
    if partial and not _closed_by_other(parts, quantities, end):
        return []  # "其中名列前十的为": the largest parts only
    if len(parts) > 2 and _complements(parts[:2], text) and _pair_closes(parts, n, measure):
        return parts[:2]  # "按期a件，超期b件，回访c件": the pair splits it, then other facts
    return parts


def _closed_by_other(parts: Sequence[Quantity], quantities: Sequence[Quantity], end: int) -> bool:
    """ "主要集中在：A类a件；…其他x件。": a list that its catch-all closes, nothing after it in
    the sentence, is whole whatever words open it (其他 among a top ten is one more item)."""
    if not parts or not whole_list(parts):
        return False
    last = parts[-1]
    return not any(
        q.kind is last.kind and last.end <= q.start < end and q is not last for q in quantities
    )


def breakdowns(text: str, total: Quantity, parts: Sequence[Quantity]) -> list[list[Quantity]]:
    """The splits of one total its list holds: one, or one per clause between semicolons
    ("其中，城镇a人，乡村b人；男性c人，女性d人；…分别为e人、f人、g人和h人") when every clause
    lists two or more parts and one of them makes the total alone."""
    groups: list[list[Quantity]] = [[parts[0]]]
    for before, q in itertools.pairwise(parts):
        if SEMICOLON.search(text, before.end, q.start):
            groups.append([])
        groups[-1].append(q)
    n = exact_count(total)
    alone = any(sum(exact_count(q) or 0 for q in g) == n for g in groups)
    if len(groups) > 1 and all(len(g) >= 2 for g in groups) and alone:
        return groups
    return [list(parts)]


SEMICOLON = re.compile(r"[；;]")


def _pair_closes(
    parts: Sequence[Quantity], total: int | Fraction, measure: Measure = exact_count
) -> bool:
    """A leading pair that splits the whole ends the list when it makes the total, or when
    the whole list would exceed it (what follows is then no part); a list that makes the
    total in full goes on ("电话12319件，网络550件，省平台427件，其他308件")."""
    values = [measure(q) or 0 for q in parts]
    return sum(values[:2]) == total or sum(values) > total


def _lead(text: str, after: int, own_share: bool = False) -> int | None:
    """Where a list of the total's parts opens: "N件，其中…", "N件：…", "N件…中，…" in its
    sentence, or a next sentence that opens with 其中 when the total's sentence says no more
    than how it compares with an earlier figure. None when nothing opens one."""
    lead_words = quantity_words().parts_lead
    stop = next_stop(text, after)
    clause = re.match(r"[^，,；;：:。！？!?]*", text[after:stop])
    head = clause.group(0) if clause else ""
    rest = text[after + len(head) : stop]
    if head.endswith("中") or rest.startswith(("：", ":")):
        return after + len(head) + 1
    if rest[1:].lstrip().startswith(lead_words):
        return after + len(head) + 1
    colon = WORDS_TO_COLON.match(rest)  # "N件咨询，主要集中在：…": a clause of words opens it
    if colon:
        return after + len(head) + colon.end()
    said = COMPARISON.sub("", text[after:stop])  # "，较上月（1743件）减少118件": no new facts
    said = CHANGE_ONLY.sub("", said)  # "，两年平均增长5.9%": how the total grew
    if own_share:  # "，占提案总数的91%": the total's own share of what was received
        said = SHARE_ONLY.sub("", said)
    said = WORDS_ONLY.sub("", said)  # "，按可比价格计算": no figure, no fact of its own
    following = text[stop + 1 : stop + 12].lstrip(OPENING)
    opens = following.startswith(lead_words) or VIEWED_BY.match(following) is not None
    if opens and not said.strip(" ，,件条个人次"):
        return stop + 1
    return None


# A clause of a few words that ends with a colon, right after the total's.
WORDS_TO_COLON = re.compile(r"[，,][^，,；;。！？!?\d]{1,10}[：:]")
# A clause that only compares the figure before it with an earlier one.
COMPARISON = re.compile(r"[，,](?:较|比|与|同比|环比)[^，,；;。！？!?]*")
# A clause that only says by how much the figure before it grew ("，两年平均增长5.9%").
CHANGE_ONLY = re.compile(
    r"[，,][^，,；;。！？!?\d]{0,8}(?:增长|下降|增加|减少)-?[\d.]+%(?=[，,；;]|$)"
)
# A clause that only gives the total's share of a whole it names ("，占提案总数的91%").
SHARE_ONLY = re.compile(
    r"[，,]占[^，,；;。！？!?\d]{0,8}总[^，,；;。！？!?\d]{0,4}[\d.]+%(?=[，,；;]|$)"
)
# What may open a sentence before its first word: space, and the quote of a speaker.
OPENING = " \t\u3000“‘「『\"'"
# A clause with no figure in it, after the total ("，按可比价格计算").
WORDS_ONLY = re.compile(r"[，,][^，,；;。！？!?\d]*(?=[，,；;]|$)")
# A sentence that opens by naming what its figures are split by ("分产业看，", "从渠道来看：").
VIEWED_BY = re.compile(r"^(?:分|从|按)[^，,；;。:：\d]{1,6}(?:看|来看|分)[，,:：]")


def with_next_list(
    norm: Normalized, grouped: dict[int, list[Quantity]], index: int
) -> tuple[str, list[Quantity]]:
    """A paragraph's text and quantities, followed by the next paragraph's when that one
    opens with 其中 (a page that breaks the line after "生产总值83095.9亿元。"): its parts
    are then listed where a total of this paragraph can find them."""
    text = norm.paragraphs[index].text
    quantities = grouped.get(index, [])
    if index + 1 >= len(norm.paragraphs):
        return text, quantities
    following = norm.paragraphs[index + 1].text
    if not following.lstrip(OPENING).startswith(quantity_words().parts_lead):
        return text, quantities
    # the next paragraph's sentences are counted on from this one's, as one text would be
    shift, before = len(text), sum(1 for _ in sentences(text))
    moved = [
        replace(q, start=q.start + shift, end=q.end + shift, sentence=q.sentence + before)
        for q in grouped.get(index + 1, [])
    ]
    return text + following, [*quantities, *moved]


def whole_list(parts: Sequence[Quantity]) -> bool:
    """A list that covers its total: it closes with 其他, or two parts split the whole."""
    if any(closes_list(q.label) for q in parts):
        return True
    return len(parts) == 2 and _complements(parts)


def closes_list(label: str) -> bool:
    """A part's words hold a catch-all (其他类, 其余) that is no mere word of its own
    description (因故暂缓或其他原因搁置的 is one more kind, not the rest)."""
    words = quantity_words()
    for w in words.catch_all:
        at = label.find(w)
        while at >= 0:
            if not label[:at].endswith(words.catch_all_joined):
                return True
            at = label.find(w, at + 1)
    return False


def _complements(parts: Sequence[Quantity], text: str = "") -> bool:
    """Two parts whose words split a whole (办结/在办), before or just after each number."""
    a, b = (q.label + _after(text, q) for q in parts)
    pairs = quantity_words().complements
    return any(
        (x in a and y in b and x not in b) or (y in a and x in b and x not in a) for x, y in pairs
    )


REMAINDER = "其余"


def _adjacent(quantities: Sequence[Quantity], total: Quantity, pair: Sequence[Quantity]) -> bool:
    """The pair are the two counts printed right after the total (changes between allowed)."""
    after = [q for q in quantities if q.start > total.start and q.kind is not QuantityKind.CHANGE]
    return list(pair) == after[:2]


def _after(text: str, q: Quantity) -> str:
    """The words printed after a number up to its clause's end ("16件正在办理中")."""
    m = re.match(r"[^，,；;：:。！？!?]*", text[q.end : q.end + 12]) if text else None
    return m.group(0) if m else ""


def _problem(total: Quantity, parts: Sequence[Quantity], whole: bool) -> Problem:
    values = [exact_count(q) or 0 for q in parts]
    added = sum(values)
    n = exact_count(total) or 0
    gap = n - added
    said = " + ".join(map(str, values))
    side = f"{abs(gap)} {'short of' if gap > 0 else 'more than'} the stated total"
    if whole:
        why = (
            "the list is complete (it closes with 其他, splits the whole, or its shares add "
            f"up to 100%), yet it is {side}"
        )
    else:
        why = (
            f"the list comes within 1% of its total ({side}), as a complete list with a "
            "wrong figure does; a list of only some parts would fall shorter"
        )
    return Problem(
        message=f"the parts the text lists add up to {added} ({said}), not to {total.value.text}",
        evidence=(quantity_evidence(total), *map(quantity_evidence, parts)),
        reported=total.value.text,
        expected=str(added),
        explanation=why,
        severity=None if whole else Severity.WARNING,
    )


@rule("SUM001", Severity.ERROR, "the parts the text lists add up to the total it states")
def check_text_sums(norm: Normalized) -> Iterator[Problem | Checked]:
    paragraphs = norm.paragraphs
    grouped = by_paragraph(norm)
    for index, quantities in grouped.items():
        text = paragraphs[index].text
        seen: set[int] = set()
        for total, parts, shares in share_items(quantities, text):
            if total.start in seen:
                continue  # a run broken in two is still one list of one total
            seen.add(total.start)
            more = trailing(text, parts[-1], quantities)
            whole = whole_list([*parts, *more]) or (not more and shares_whole(shares))
            yield from _judge_parts(total, [*parts, *more], whole, text, quantities)
        text, scope = with_next_list(norm, grouped, index)
        for total, parts, shares in _shares_in_next(text, quantities, scope):
            seen.add(total.start)
            whole = whole_list(parts) or shares_whole(shares)
            yield from _judge_parts(total, parts, whole, text, scope)
        for total in quantities:
            if exact_count(total) is None or total.start in seen:
                continue
            if any(w in total.label for w in PREVIOUS_WORDS):  # "比上月的2445件": last month's
                continue
            parts = listed_parts(text, total, scope)
            for split in breakdowns(text, total, parts) if len(parts) >= 2 else []:
                yield from _judge_parts(total, split, whole_list(split), text, scope)
            for split in viewed_splits(text, total, scope):
                yield from _judge_viewed(total, split, text, scope)


def viewed_splits(
    text: str, total: Quantity, quantities: Sequence[Quantity]
) -> list[list[Quantity]]:
    """The splits of a total that the sentences after its own print one clause each
    ("共转办30件，其中来电12件…。按区域分：甲区9件、乙区4件…；按类型分：…"): every clause
    of those sentences opens by naming what it splits by; the total opens its sentence.
    A sentence that its own _lead opens already is listed_parts' list, not one of these."""
    start = max(text.rfind(c, 0, total.start) for c in FULL_STOPS) + 1
    before = [q for q in quantities if start <= q.start < total.start and exact_count(q)]
    if before or total.series is not None or exact_count(total) is None:
        return []
    if item_of_split(text, total, quantities):
        return []
    pos = next_stop(text, total.end) + 1
    if (_lead(text, total.end) or 0) >= pos:
        return []
    splits: list[list[Quantity]] = []
    while pos < len(text):
        stop = next_stop(text, pos)
        clauses = _viewed_clauses(text, pos, stop)
        if not clauses:
            break
        for a, b in clauses:
            split = [q for q in quantities if a <= q.start < b and _like(q, total)]
            if len(split) >= 2 and len(split) == _counts_in(quantities, a, b):
                splits.append(split)
        pos = stop + 1
    return splits


def item_of_split(text: str, total: Quantity, quantities: Sequence[Quantity]) -> bool:
    """The count is an item of a split its sentence prints ("其中：集体提案40件，占20.0%；
    委员提案160件", "立案提案中，…", "从办理结果来看，甲类30件"): no whole of its own. Its
    sentence opens a list before it, or a count with its own share precedes it there."""
    start = max(text.rfind(c, 0, total.start) for c in FULL_STOPS) + 1
    head = text[start : total.start]
    if any(w in head for w in quantity_words().parts_lead) or VIEWED_BY.match(head.lstrip()):
        return True
    if IN_WHOLE.match(head.lstrip(OPENING)):
        return True
    earlier = [i for i, q in enumerate(quantities) if start <= q.start < total.start]
    return any(own_share(quantities, i) is not None for i in earlier)


# A sentence that opens with the whole it splits ("立案提案中，", "在受理的投诉中，").
IN_WHOLE = re.compile(r"^[^，,；;。！？!?\d]{1,12}中[，,:：]")


def _viewed_clauses(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The clauses between semicolons of a sentence, when each opens by naming what it
    splits by ("按行政区域分：", "从来源看，"); none when one does not."""
    found: list[tuple[int, int]] = []
    a = start
    for m in [*SEMICOLON.finditer(text, start, stop), None]:
        b = m.start() if m else stop
        if VIEWED_BY.match(text[a:b].lstrip(OPENING)) is None:
            return []
        found.append((a, b))
        a = b + 1
    return found


def _like(q: Quantity, total: Quantity) -> bool:
    """A count measured as the total is: same kind and unit, exact, no change."""
    same = q.kind is total.kind and q.value.unit == total.value.unit
    return same and exact_count(q) is not None


def _counts_in(quantities: Sequence[Quantity], a: int, b: int) -> int:
    return sum(1 for q in quantities if a <= q.start < b and q.kind is QuantityKind.COUNT)


def _judge_viewed(
    total: Quantity, split: Sequence[Quantity], text: str, quantities: Sequence[Quantity]
) -> Iterator[Problem | Checked]:
    """A split the text announces by what it splits by: the whole by one measure. Up to
    the total it is judged as any list (short and closed by 其他, or within 1%); one that
    exceeds the total is a warning even when whole, since an item may fall under two of
    its kinds (one complaint of two pollutions)."""
    n = exact_count(total) or 0
    added = sum(exact_count(q) or 0 for q in split)
    other = _other_total(quantities, total, split, added)
    if other is not None:  # "有效件900封…转甲部门300封…。按类型分：…": that total's
        yield Checked((quantity_span(other), *map(quantity_span, split)))
    elif added <= n:
        yield from _judge_parts(total, split, whole_list(split), text, quantities)
    elif not _bracketed(split):
        yield Checked((quantity_span(total), *map(quantity_span, split)))
        yield _exceed_problem(total, split)


def _shares_in_next(
    text: str, quantities: Sequence[Quantity], scope: Sequence[Quantity]
) -> Iterator[tuple[Quantity, list[Quantity], list[Quantity]]]:
    """Share runs of the next paragraph when it opens with 其中 ("立案893件。" then a
    paragraph "其中委员提案400件，占比80.00%，集体提案100件…"), with their total in this
    one. This paragraph's own shares are left out, so that its runs, judged already, stay
    apart from the next one's and its counts are only candidates for the total."""
    moved = scope[len(quantities) :]
    if not moved:
        return
    here = [q for q in quantities if q.kind is not QuantityKind.PERCENT]
    end = max((q.end for q in quantities), default=0)
    for total, parts, shares in share_items([*here, *moved], text):
        if total.start < end and parts[0].start >= end:
            yield total, parts, shares


def part_spans(norm: Normalized) -> set[Span]:
    """The counts the text lists as parts of a total before them ("共受理1625件。其中，电话
    1240件，网络385件"), or in a sentence that opens by naming what it splits by ("从受理渠道
    看，来电1725件…"): no whole of a channel, though their words may name one."""
    paragraphs = norm.paragraphs
    found: set[Span] = set()
    for index, quantities in by_paragraph(norm).items():
        text = paragraphs[index].text
        if VIEWED_BY.match(text.lstrip()):  # its first sentence, up to the full stop
            stop = next_stop(text, 0)
            found.update(quantity_span(q) for q in quantities if q.start < stop)
        for total in quantities:
            if exact_count(total) is None or any(w in total.label for w in PREVIOUS_WORDS):
                continue
            parts = listed_parts(text, total, quantities)
            if len(parts) >= 2:
                found.update(quantity_span(q) for q in parts)
    return found


def _judge_parts(
    total: Quantity,
    parts: Sequence[Quantity],
    whole: bool,
    text: str,
    quantities: Sequence[Quantity],
) -> Iterator[Problem | Checked]:
    n = exact_count(total) or 0
    run = sum_runs(parts, n)
    if run is not None:
        yield Checked((quantity_span(total), *map(quantity_span, run)))
        over = _over_run(total, parts, run, text)
        if over:
            yield _over_problem(total, parts, run, over)
        return
    added = sum(exact_count(q) or 0 for q in parts)
    first = exact_count(parts[0]) or 0
    nested = len(parts) > 2 and first == added - first
    if nested:  # "立案4372件……其中已解决2814件……": the first part is split by the others
        yield Checked(tuple(map(quantity_span, parts)))
        return
    made = _made_before(quantities, total, parts, added)
    if made:  # "委员提案428件；…界别提案188件。其中，经济建设类265件…": their sum's list
        yield Checked(tuple(map(quantity_span, (*made, *parts))))
        return
    other = _other_total(quantities, total, parts, added)
    if other is not None:  # "共收到448件，包括…364件。其中…": two readings, neither sure
        yield Checked((quantity_span(other), *map(quantity_span, parts)))
        yield _other_problem(total, parts, other)
        return
    near = len(parts) >= 3 and abs(added - n) * 100 <= n
    if whole or near:
        yield Checked((quantity_span(total), *map(quantity_span, parts)))
        yield _problem(total, parts, whole)
    elif added > n and _exceeds_alone(total, parts, text, quantities):
        yield Checked((quantity_span(total), *map(quantity_span, parts)))
        yield _exceed_problem(total, parts)


def _exceeds_alone(
    total: Quantity, parts: Sequence[Quantity], text: str, quantities: Sequence[Quantity]
) -> bool:
    """Three or more kinds of one thing, none in brackets, listed after a total that is no
    item of another split (个人提案80件 of 立案提案中… splits nothing after it)."""
    kinds = len(parts) >= 3 and _parallel(parts) and not _bracketed(parts)
    return kinds and not item_of_split(text, total, quantities)


def _parallel(parts: Sequence[Quantity]) -> bool:
    """Parts whose words all end in one noun of two or more characters (委员提案, 党派
    提案, 界别提案): kinds of one thing, side by side, not facts of different measures."""
    labels = [q.label.strip("，,、；;：: ") for q in parts]
    tail = labels[0][-2:]
    return len(tail) == 2 and all(lb.endswith(tail) and len(lb) > 2 for lb in labels)


def _bracketed(parts: Sequence[Quantity]) -> bool:
    """A part printed in brackets is a sub-count of the part before it (a sub-count)."""
    return any(q.bracketed for q in parts)


def _exceed_problem(total: Quantity, parts: Sequence[Quantity]) -> Problem:
    return _more_than(
        total,
        parts,
        "kinds of one thing listed as its parts exceed it: either the kinds overlap "
        "(one item counted under two), or the total or a part carries a slip",
    )


def _more_than(total: Quantity, parts: Sequence[Quantity], explanation: str) -> Problem:
    """A warning: the listed parts add up to more than the total, for the reason given."""
    values = [exact_count(q) or 0 for q in parts]
    added = sum(values)
    return Problem(
        message=(
            f"the parts the text lists add up to {added} ({' + '.join(map(str, values))}), "
            f"more than {total.value.text}"
        ),
        evidence=(quantity_evidence(total), *map(quantity_evidence, parts)),
        reported=total.value.text,
        expected=str(added),
        explanation=explanation,
        severity=Severity.WARNING,
    )


def _made_before(
    quantities: Sequence[Quantity], total: Quantity, parts: Sequence[Quantity], added: int
) -> list[Quantity]:
    """The total and the counts printed after it before the list, when they add up to what
    the parts do: the list breaks down their sum, not the total alone."""
    between = [
        q
        for q in quantities
        if total.start <= q.start < parts[0].start
        and q.kind is QuantityKind.COUNT
        and q.value.unit == total.value.unit
    ]
    values = [exact_count(q) for q in between]
    if len(between) < 2 or None in values or sum(v or 0 for v in values) != added:
        return []
    return between


def _other_total(
    quantities: Sequence[Quantity], total: Quantity, parts: Sequence[Quantity], added: int
) -> Quantity | None:
    """Another count printed before the list that its parts add up to exactly: the list
    may be that total's, so it proves nothing sure against the nearer one."""
    for q in quantities:
        if q.start >= parts[0].start:
            break
        same = q.kind is QuantityKind.COUNT and q.value.unit == total.value.unit
        if q is not total and same and exact_count(q) == added:
            return q
    return None


def _other_problem(total: Quantity, parts: Sequence[Quantity], other: Quantity) -> Problem:
    values = [exact_count(q) or 0 for q in parts]
    return Problem(
        message=(
            f"the parts the text lists add up to {sum(values)} ({' + '.join(map(str, values))}), "
            f"not to {total.value.text}, which opens the list"
        ),
        evidence=(
            quantity_evidence(total),
            quantity_evidence(other),
            *map(quantity_evidence, parts),
        ),
        reported=total.value.text,
        expected=str(sum(values)),
        explanation=(
            f"they make {other.value.text}, printed before it: either the list is of that "
            f"total, or {total.value.text} and {other.value.text} print one count two ways"
        ),
        severity=Severity.WARNING,
    )


# parts listed after a run that already makes the total, small beside it: the total or a
# part carries a slip (other counts that follow are no parts but another dimension)
OVER_SHARE = Fraction(1, 20)


def _over_run(
    total: Quantity, parts: Sequence[Quantity], run: Sequence[Quantity], text: str
) -> list[Quantity]:
    """The parts printed right after the run in its clause group (commas only between),
    when they are few beside the total."""
    n = exact_count(total) or 0
    rest = list(parts[parts.index(run[-1]) + 1 :])
    if not rest or parts[0] is not run[0] or rest[-1].sentence != run[-1].sentence:
        return []
    if any(c in text[run[-1].end : rest[-1].start] for c in "；;)）"):
        return []  # past a semicolon or the bracket that held the list: another figure
    extra = sum(exact_count(q) or 0 for q in rest)
    return rest if 0 < extra <= OVER_SHARE * n else []


def _over_problem(
    total: Quantity, parts: Sequence[Quantity], run: Sequence[Quantity], rest: Sequence[Quantity]
) -> Problem:
    return _more_than(
        total,
        parts,
        f"the first {len(run)} parts alone make {total.value.text}; the "
        f"{' and '.join(q.value.text for q in rest)} after them would be no part of it, "
        "or the total or a part carries a slip",
    )
