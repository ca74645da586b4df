"""Lists the narrative prints in rank order, against the figures they print.

"办理事项排名前五的部门是A（299件）、B（241件）……": the words before the first item
announce a ranking, so the printed figures must not rise down the list. A figure
printed with decimals stands for an interval, and two whose intervals meet may be in
either order (a printed tie, or 90.5 before 91 when 91 is a rounded 90.6): the order
fails only when no true values inside the printed ones can be ranked as listed.

RANK001 judges a list announced as a ranking (依次为, 排名前N, 前N位). It is an error
only when the words say the items are listed in order (依次为, 从高到低): "排名前五的是"
names the five and may list them in any order, so a broken order there is a warning,
as it is for lists the words only call the main or largest ones (主要有, 较多的) and for
enumerations (一是…二是…, 其次, 排名第三; paragraphs numbered 1. 2. 3. under a heading
that calls them the main items). A bottom list (排名靠后, 后三位) may be
listed from either end; it fails when neither order holds. The best N (较好的3个是) are a
top list, or an ascending one for a measure where lower is better (an air-quality index),
and the worst N a bottom list; a list ends where words announcing another begin.
RANK002 warns when a list
announced as the first N holds another number of items and no printed tie explains the
difference.

The words live in `pipeline/data/text_ranks.json`; a missing or malformed file raises
ConfigError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.numbers import chinese_to_int
from pipeline.normalize.paragraphs import sentences
from pipeline.normalize.quantities import quantity_words
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Interval, Rounding, interval_of
from pipeline.numeric.ranks import out_of_order
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

DATA = Path(__file__).resolve().parents[2] / "data" / "text_ranks.json"
RANKED = (QuantityKind.COUNT, QuantityKind.PERCENT, QuantityKind.OTHER)


@dataclass(frozen=True, slots=True)
class RankWords:
    top: re.Pattern[str]
    bottom: re.Pattern[str]
    ascending: re.Pattern[str]
    ordered: re.Pattern[str]
    loose: re.Pattern[str]
    first: re.Pattern[str]
    size: re.Pattern[str]
    best: re.Pattern[str]  # the best N (较好的3个是): a list follows
    worst: re.Pattern[str]
    place: re.Pattern[str]  # a label ending so: the N it ends with is a list size
    lower_better: re.Pattern[str]
    enumerators: tuple[tuple[str, int], ...]
    stops: tuple[str, ...]
    names_lead: str


@cache
def rank_words() -> RankWords:
    """The words of text_ranks.json, read once. Raises ConfigError on a bad file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        marks = sorted(raw["enumerators"].items(), key=lambda kv: len(kv[0]), reverse=True)
        return RankWords(
            top=re.compile(raw["top"]),
            bottom=re.compile(raw["bottom"]),
            ascending=re.compile(raw["ascending"]),
            ordered=re.compile(raw["ordered"]),
            loose=re.compile(raw["loose"]),
            first=re.compile(raw["first"]),
            size=re.compile(raw["size"]),
            best=re.compile(f"(?:{raw['best']})(?={raw['list_follows']})"),
            worst=re.compile(f"(?:{raw['worst']})(?={raw['list_follows']})"),
            place=re.compile(f"(?:{raw['best']}|{raw['worst']})$"),
            lower_better=re.compile(raw["lower_better"]),
            enumerators=tuple((str(k), int(v)) for k, v in marks),
            stops=tuple(raw["stops"]),
            names_lead=str(raw["names_lead"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, re.error) as exc:
        raise ConfigError(f"{DATA}: malformed rank words ({exc!r})") from exc


@dataclass(frozen=True, slots=True)
class RankedList:
    """Items a text lists in rank order, with what announced the order."""

    items: tuple[Quantity, ...]
    # "top": largest first; "ascending": smallest first (由小到大); "bottom": the smallest,
    # listed from either end
    direction: str
    strict: bool  # the words say ranked (排名前五); loose words only say "the main ones"
    words: str  # the announcing words as printed
    size: int | None  # the N of 前N, when printed
    listed: int = 0  # items printed, a 其他 left out of `items` included
    ordered: bool = False  # the words say the items are listed in order (依次为)


# --- finding the lists --------------------------------------------------------------


def announced_lists(quantities: Sequence[Quantity], text: str) -> Iterator[RankedList]:
    """Lists that follow an announcing word in their sentence ("排名前五的是A（n件）…")."""
    spans = list(sentences(text))
    taken: set[int] = set()
    for i, q in enumerate(quantities):
        if q.start in taken or q.kind not in TRAILED or q.sentence >= len(spans) or _position(q):
            continue
        before = quantities[i - 1] if i else None
        same = before is not None and before.sentence == q.sentence and not _position(before)
        floor = before.end if same and before is not None else None
        head = text[spans[q.sentence][0] if floor is None else floor : q.start]
        announced = _announcement(head)
        if announced is None or (q.kind not in RANKED and announced[3] is None):
            continue  # money: 依次为 may only mean respectively (三次产业增加值依次为…)
        listed = _items(quantities, i, text, _joined(text, spans))
        items = [p for p in listed if not _catch_all(p)]
        if len(items) >= 2:
            taken.update(p.start for p in items)
            ordered = bool(rank_words().ordered.search(text[spans[q.sentence][0] : q.start]))
            yield RankedList(tuple(items), *announced, listed=len(listed), ordered=ordered)


def trailing_lists(quantities: Sequence[Quantity], text: str) -> Iterator[RankedList]:
    """Lists whose ranking words follow their last item ("苏州(5186.64亿元)、南京(4230.24亿元)
    …居前四位", "A 78.04分，B 84分，C 85.3分排名靠后"): the like figures of the sentence
    back to the first unlike one. The words say which items hold the places, not that
    they are listed in order, so a broken order is a warning."""
    for i, q in enumerate(quantities):
        if q.kind not in TRAILED or _position(q):
            continue
        found = _trailing_words(q, quantities[i + 1 :], text)
        if found is None:
            continue
        items = _items_before(quantities[:i], q, text)
        if len(items) >= 2:
            direction, said = found
            size = rank_words().size.search(said)
            number = _size(size.group(1)) if size else None
            yield RankedList(tuple(items), direction, True, said, number, listed=len(items))


TRAILED = (*RANKED, QuantityKind.AMOUNT)  # money ranked after its list: city outputs
TRAIL_GAP = 4  # how many characters (a bracket, 居, 排名) may stand before the words


def _trailing_words(q: Quantity, after: Sequence[Quantity], text: str) -> tuple[str, str] | None:
    """(direction, words) when top or bottom words follow a figure in its clause, right
    after it: not 均居全省前列, said of several figures of one thing."""
    following = next((p for p in after if not _position(p)), None)
    end = len(text) if following is None else following.start
    tail = re.split(r"[，,。；;：:]", text[q.end : end], maxsplit=1)[0]
    words = rank_words()
    for pattern, direction in ((words.top, "top"), (words.bottom, "bottom")):
        m = pattern.search(tail)
        if m is not None and m.start() <= TRAIL_GAP and not re.search(r"均|都|分别", tail):
            size = words.size.search(tail)
            said = tail[m.start() : max(m.end(), size.end() if size else 0)]
            return direction, said
    return None


def _items_before(before: Sequence[Quantity], last: Quantity, text: str) -> list[Quantity]:
    """The like figures printed before `last` in its sentence, one per clause or joined
    by 、, back to the first unlike figure, a total or a ranking of their own."""
    items = [last]
    for p in reversed(before):
        if p.sentence != last.sentence or not _like(last, p) or _position(p):
            break
        between = text[p.end : items[0].start]
        if any(w in between for w in rank_words().stops) or _announces(between):
            break
        if (p.clause == items[0].clause) and "、" not in between:
            break
        items.insert(0, p)
    return items


def _position(q: Quantity) -> bool:
    """A place or a list size, not a figure: the 三 of 后三位, the 5 of 前5名, the 3 of
    较好的3个."""
    label = q.label.rstrip()
    return label.endswith(("前", "后", "第", "倒数")) or bool(rank_words().place.search(label))


def _announcement(head: str) -> tuple[str, bool, str, int | None] | None:
    """(direction, strict, words, size) for the nearest announcing words of `head`."""
    words = rank_words()
    found = [
        (m.end(), direction, strict, m.group(0))
        for pattern, direction, strict in (
            (words.top, "top", True),
            (words.bottom, "bottom", True),
            (words.worst, "worst", True),
            (words.best, "best", True),
            (words.loose, "top", False),
        )
        for m in pattern.finditer(head)
    ]
    if not found:
        return None
    end, direction, strict, said = max(found, key=lambda f: (f[0], f[2]))
    direction = _graded(direction, found, head)
    rising = words.ascending.search(head)
    if direction == "top" and rising is not None and rising.start() < end:
        direction, said = "ascending", head[rising.start() : end]
    size = words.size.search(head)
    return direction, strict, said, _size(size.group(1)) if size and strict else None


def _graded(direction: str, found: Sequence[tuple[int, str, bool, str]], head: str) -> str:
    """The direction when the words name the best or the worst N: those decide which end
    even under 依次为 after them; the best of a measure where lower is better (an index, a
    concentration) are its smallest, so they rise down the list, and the worst are a
    bottom list."""
    graded = [f for f in found if f[1] in ("best", "worst")]
    if direction in ("best", "worst", "top") and graded:
        direction = max(graded)[1]
    if direction == "best":
        return "ascending" if rank_words().lower_better.search(head) else "top"
    return "bottom" if direction == "worst" else direction


def _size(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    try:
        return chinese_to_int(text.replace("两", "二"))
    except (ValueError, KeyError):
        return None


def _joined(text: str, spans: Sequence[tuple[int, int]]) -> set[int]:
    """Sentences that go on from the one before (it ended with a semicolon): one list may
    run across them ("A处理2924件，占54.98%；B处理574件……")."""
    return {k for k in range(1, len(spans)) if text[: spans[k][0]].rstrip()[-1:] in ";；"}


def _items(quantities: Sequence[Quantity], i: int, text: str, joined: set[int]) -> list[Quantity]:
    """The run the first item belongs to, else one like figure per clause of its sentence
    and of the sentences joined to it by semicolons, or figures joined by 、 (scores,
    which runs of counts and shares leave out)."""
    first = quantities[i]
    if first.series is not None:
        return [q for q in quantities if q.series == first.series]
    items = [first]
    for q in quantities[i + 1 :]:
        if q.sentence != items[-1].sentence and not (
            q.sentence == items[-1].sentence + 1 and q.sentence in joined
        ):
            break
        if not _like(first, q):
            continue
        if any(w in re.split(r"[（(]", q.label)[0] for w in rank_words().stops):
            break  # "共…件": a total, not the next item
        if _announces(text[items[-1].end : q.start]):
            break  # "；较差的3个是…": the next list begins
        same_clause = (q.sentence, q.clause) == (items[-1].sentence, items[-1].clause)
        if same_clause and "、" not in text[items[-1].end : q.start]:
            break  # two figures of one clause: not a list of one figure per item
        items.append(q)
    return items


def _announces(between: str) -> bool:
    """Words that announce a ranking of their own (not the loose ones) printed between two
    figures: the second opens another list."""
    words = rank_words()
    return any(w.search(between) for w in (words.top, words.bottom, words.best, words.worst))


def _catch_all(q: Quantity) -> bool:
    """An item labelled 其他: offices list it last whatever its size."""
    return any(w in q.label for w in quantity_words().catch_all)


def _like(first: Quantity, q: Quantity) -> bool:
    same_unit = q.value.unit == first.value.unit and q.value.percent == first.value.percent
    return q.kind is first.kind and same_unit and q.role == first.role and not q.bracketed


def enumerations(quantities: Sequence[Quantity], text: str) -> Iterator[RankedList]:
    """Items opened by 一是, 二是 … (or 其次, 排名第三) in consecutive places: the first
    figure of each sentence that opens with a marker. A chain that opens at 其次 takes the
    figure before as its first place when its sentence says it is the largest ("占了大头").
    Such lists need not be ranked: they are judged loosely."""
    spans = list(sentences(text))
    firsts = _first_figures(quantities)
    chain: list[Quantity] = []
    for s, q in sorted(firsts.items()):
        place = _place(text[spans[s][0] : q.start].lstrip(" ，,、") if s < len(spans) else "")
        if place == len(chain) + 1 and (not chain or _like(chain[0], q)):
            chain.append(q)
            continue
        if place == 2 and not chain:
            k = max((k for k in firsts if k < s), default=None)
            before = None if k is None else firsts[k]
            head = text[spans[k][0] : spans[k][1]] if k is not None and k < len(spans) else ""
            if before is not None and _like(before, q) and rank_words().first.search(head):
                chain = [before, q]
                continue
        if len(chain) >= 2:
            yield RankedList(tuple(chain), "top", False, "一是、二是", None)
        chain = [q] if place == 1 else []
    if len(chain) >= 2:
        yield RankedList(tuple(chain), "top", False, "一是、二是", None)


def _first_figures(quantities: Sequence[Quantity]) -> dict[int, Quantity]:
    """The first count or unlabelled figure of each sentence (shares and changes are not
    what an enumeration ranks)."""
    firsts: dict[int, Quantity] = {}
    for q in quantities:
        if q.kind in (QuantityKind.COUNT, QuantityKind.OTHER) and q.sentence not in firsts:
            firsts[q.sentence] = q
    return firsts


def _place(head: str) -> int | None:
    for word, place in rank_words().enumerators:
        if head.startswith(word):
            return place
    return None


# not from inside a run of spaces (its cost would grow with the square of the run)
NUMBERED = re.compile(r"(?:(?!\s)|(?<!\s))\s*[（(]?(\d{1,2})[)）.．、]")


def numbered_items(norm: Normalized) -> Iterator[RankedList]:
    """Paragraphs numbered 1. 2. 3. under a heading that calls them the main items
    ("反映的热点问题"), each opening with its figure ("1.噪音扰民（1500件）：…")."""
    paragraphs = norm.paragraphs
    groups = by_paragraph(norm)
    chain: list[Quantity] = []
    heading = ""
    for index, paragraph in enumerate(paragraphs):
        m = NUMBERED.match(paragraph.text)  # digits read the same in either script
        place = int(m.group(1)) if m else None
        first = next((q for q in groups.get(index, []) if q.sentence == 0), None)
        item = first if first is not None and first.kind in RANKED else None
        if place == len(chain) + 1 and item and (not chain or _like(chain[0], item)):
            chain.append(item)
            continue
        yield from _numbered(chain, heading)
        chain = [item] if place == 1 and item is not None else []
        heading = paragraph.text if not chain else paragraphs[index - 1].text if index else ""
        heading = fold_text(heading)
    yield from _numbered(chain, heading)


def _numbered(chain: Sequence[Quantity], heading: str) -> Iterator[RankedList]:
    words = rank_words()
    found = words.top.search(heading) or words.loose.search(heading)
    if len(chain) >= 2 and found:
        ordered = bool(words.ordered.search(heading))
        yield RankedList(tuple(chain), "top", ordered, found.group(0), None, ordered=ordered)


def ranked_lists(norm: Normalized) -> Iterator[RankedList]:
    paragraphs = norm.paragraphs
    for index, quantities in by_paragraph(norm).items():
        text = fold_text(paragraphs[index].text)
        announced = list(announced_lists(quantities, text))
        yield from announced
        seen = {q.start for lst in announced for q in lst.items}
        for lst in (*enumerations(quantities, text), *trailing_lists(quantities, text)):
            if not seen & {q.start for q in lst.items}:
                seen.update(q.start for q in lst.items)
                yield lst
    yield from numbered_items(norm)


# --- judging the order ---------------------------------------------------------------


def _interval(q: Quantity, rounding: Rounding) -> Interval:
    exact = q.kind is QuantityKind.COUNT and not q.value.decimals and q.value.scale == 1
    return interval_of(q.value, rounding, exact=exact)


def can_descend(intervals: Sequence[Interval]) -> bool:
    """Whether true values inside the printed ones can be non-increasing down the list:
    each item takes the largest value its interval allows below the one before it."""
    cap: Fraction | None = None
    for iv in intervals:
        top = iv.hi if cap is None else min(iv.hi, cap)
        if top < iv.lo:
            return False
        cap = top
    return True


def order_holds(lst: RankedList, rounding: Rounding, *, descending: bool = True) -> bool:
    intervals = [_interval(q, rounding) for q in lst.items]
    if not descending:
        intervals = [Interval(-iv.hi, -iv.lo, iv.hi_closed, iv.lo_closed) for iv in intervals]
    return can_descend(intervals)


@rule("RANK001", Severity.ERROR, "a list the text ranks is in the order of its printed figures")
def check_text_ranks(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for lst in ranked_lists(norm):
        yield Checked(tuple(map(quantity_span, lst.items)))
        if not any(_in_order(lst, r) for r in accepted):
            yield _order_problem(lst, accepted)


def _in_order(lst: RankedList, rounding: Rounding) -> bool:
    """The list's figures run the way its words say: down, up, or (a bottom list) either."""
    if lst.direction == "ascending":
        return order_holds(lst, rounding, descending=False)
    descends = order_holds(lst, rounding)
    return descends or (lst.direction == "bottom" and order_holds(lst, rounding, descending=False))


def _misplaced(lst: RankedList, accepted: Sequence[Rounding]) -> list[int]:
    """The items whose removal leaves the list in order: any of them may be the misprint."""
    found = []
    for k in range(len(lst.items)):
        rest = RankedList(lst.items[:k] + lst.items[k + 1 :], *_how(lst))
        if any(_in_order(rest, r) for r in accepted):
            found.append(k)
    return found


def _how(lst: RankedList) -> tuple[str, bool, str, int | None]:
    return lst.direction, lst.strict, lst.words, lst.size


def _order_problem(lst: RankedList, accepted: Sequence[Rounding]) -> Problem:
    values = [Fraction(q.value.value) for q in lst.items]
    misplaced = _misplaced(lst, accepted) or out_of_order(values) or [len(values) - 1]
    k = misplaced[0]
    suspects = " or ".join(lst.items[j].value.text for j in misplaced)
    around = [lst.items[j].value.text for j in (k - 1, k + 1) if 0 <= j < len(lst.items)]
    listed = "、".join(q.value.text for q in lst.items)
    what = {
        "bottom": "neither rises nor falls down the list",
        "ascending": "does not rise down the list",
    }.get(lst.direction, "does not fall down the list")
    strong = lst.ordered and lst.strict and lst.direction in ("top", "ascending")
    return Problem(
        message=f"the text lists {listed} as ranked ({lst.words}), but the order {what}",
        evidence=tuple(map(quantity_evidence, lst.items)),
        reported=suspects,
        expected=(
            f"between {' and '.join(reversed(around))}"
            if len(around) == 2 and len(misplaced) == 1
            else None
        ),
        explanation=(
            f"{suspects} is out of place: no values the printed figures stand for can be "
            "ranked as listed"
            if strong
            else f"the words ({lst.words}) do not say the items are listed in order"
        ),
        severity=None if strong else Severity.WARNING,
    )


@rule("RANK002", Severity.WARNING, "a list announced as the first N names N items")
def check_text_rank_sizes(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for lst in ranked_lists(norm):
        if not lst.size or lst.size in (len(lst.items), lst.listed):
            continue
        if len(lst.items) > lst.size and _tied_tail(lst, accepted):
            continue  # "前三" lists four when the third and fourth print the same figure
        yield Problem(
            message=(
                f"the text announces {lst.words} but lists {len(lst.items)}: "
                + "、".join(q.value.text for q in lst.items)
            ),
            evidence=tuple(map(quantity_evidence, lst.items)),
            reported=lst.items[-1].value.text,
            expected=f"{lst.size} items",
            explanation="a list read short or long, or a count of items misprinted",
        )


def _tied_tail(lst: RankedList, accepted: Sequence[Rounding]) -> bool:
    """The items past the N-th meet the N-th's printed figure (a tie the list keeps)."""
    assert lst.size is not None
    nth = lst.items[lst.size - 1]
    rest = lst.items[lst.size :]
    return any(all(_interval(nth, r).meets(_interval(q, r)) for q in rest) for r in accepted)
