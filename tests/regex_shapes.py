"""Shapes of a regular expression that backtrack catastrophically, read from its parse tree
(`re._parser`, Python's sre_parse).

Python's `re` backtracks: when a match fails, it tries every other way the pattern could have
matched the text so far. Two shapes make those ways exponential in the length of the text:

- a quantifier inside a quantifier, both unbounded (`(\\d+)+`, `(?:\\d+\\s*)*`): a run of n
  digits splits into 2**(n-1) groups of runs, and a failing match tries them all;
- an alternation under an unbounded quantifier whose branches can begin with the same
  character (`(?:\\d|\\d\\d)+`, `(?:a|ab)*`): each repetition may take either branch.

Both are only dangerous when the inner runs can meet: an inner quantifier that must be
followed, within the outer one's body, by a character it cannot match (`(?:\\d+件)+`, where
each repetition ends at 件) splits the text one way only. `unsafe_shapes` reports a shape
only when the body gives no such separator. Possessive quantifiers and atomic groups never
backtrack into themselves, so they are safe by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

Node = tuple[Any, Any]
CharTest = Callable[[str], bool]
# characters a first-character test is tried on: ASCII, CJK, full-width forms, spaces
SAMPLE = (
    [chr(i) for i in range(32, 127)]
    + list("\t\n\r\u3000\xa0，。、；：％（）《》“”—－～·")
    + list("一二三四五六七八九十百千万亿零两第件名个位率元")
    + [chr(0xFF10 + i) for i in range(10)]
    + ["中", "省", "市", "区", "局", "月", "年", "日", "占", "比"]
)
REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT)
UNBOUNDED = c.MAXREPEAT
CATEGORIES: dict[Any, CharTest] = {
    c.CATEGORY_DIGIT: lambda ch: ch.isdecimal(),
    c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
    c.CATEGORY_SPACE: lambda ch: ch.isspace(),
    c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}


def unsafe_shapes(pattern: str, flags: int = 0) -> list[str]:
    """What in `pattern` can backtrack exponentially: one line per shape found, [] if none."""
    tree = sre.parse(pattern, flags)
    alphabet = sorted(set(SAMPLE) | set(_literals(tree.data)))
    found: list[str] = []
    _walk(tree.data, alphabet, found)
    return found


def _walk(items: Sequence[Node], alphabet: Sequence[str], found: list[str]) -> None:
    for op, av in items:
        if op in REPEATS and av[1] == UNBOUNDED:
            body = list(av[2].data)
            _check_repeat(body, _first(body, alphabet), alphabet, found)
        for child in _children(op, av):
            _walk(child, alphabet, found)


def _check_repeat(
    body: list[Node], starts: frozenset[str], alphabet: Sequence[str], found: list[str]
) -> None:
    """In the body of an unbounded repeat whose repetitions begin with `starts`: an inner
    unbounded run, or an ambiguous alternation, that nothing separates from the next
    repetition."""
    for index, (op, av) in enumerate(body):
        rest = body[index + 1 :]
        if op in REPEATS and av[1] == UNBOUNDED:
            inner = _first(list(av[2].data), alphabet)
            # the run can go on into the next repetition when what follows it in the body
            # can be empty or is made of characters the run takes too
            if inner & starts and (_nullable(rest) or _within(rest, inner, alphabet)):
                found.append(f"nested unbounded quantifier: {_show(av)}")
        elif op == c.SUBPATTERN:
            _check_repeat(list(av[3].data) + rest, starts, alphabet, found)
        elif op == c.BRANCH:
            _check_branch(av[1], alphabet, found)
            for alt in av[1]:
                _check_repeat(list(alt.data) + rest, starts, alphabet, found)


def _within(items: Sequence[Node], chars: frozenset[str], alphabet: Sequence[str]) -> bool:
    """Whether every character `items` can match is one of `chars`."""
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            if not _first_of(op, av, alphabet) <= chars:
                return False
        elif not all(_within(child, chars, alphabet) for child in _children(op, av)):
            return False
    return True


def _check_branch(alternatives: Sequence[Any], alphabet: Sequence[str], found: list[str]) -> None:
    """Branches that can take the same text, so that a run of repetitions splits into them in
    more than one way. Words (branches of plain characters) overlap when a sequence of them
    reads two ways (`共|共计|计`), whatever letters they share (`本月|本期`); other branches
    when they can begin with the same character."""
    if any(_nullable(list(alt.data)) for alt in alternatives):
        found.append("alternation under a quantifier with an empty branch")
        return
    words = [_word(list(alt.data)) for alt in alternatives]
    pairs = zip(alternatives, words, strict=True)
    others = [_first(list(a.data), alphabet) for a, w in pairs if w is None]
    firsts = others + [frozenset(w[0]) for w in words if w is not None]
    for i, one in enumerate(others):
        both = next((one & other for other in firsts[i + 1 :] if one & other), None)
        if both:
            found.append(f"alternation under a quantifier: two branches begin with {min(both)!r}")
            return
    ambiguous = _reads_two_ways({w for w in words if w is not None})
    if ambiguous:
        found.append(f"alternation under a quantifier: {ambiguous!r} reads as two runs of words")


def _word(items: Sequence[Node]) -> str | None:
    """The text a branch of plain characters matches, else None."""
    if all(op == c.LITERAL for op, _av in items):
        return "".join(chr(av) for _op, av in items)
    return None


def _reads_two_ways(words: set[str]) -> str | None:
    """A word that a sequence of the others also spells out (Sardinas-Patterson: the words are
    a code that reads one way only unless a dangling suffix is itself a word), or None."""
    dangling = {b[len(a) :] for a in words for b in words if a != b and b.startswith(a)}
    seen: set[str] = set()
    while dangling - seen:
        fresh = dangling - seen
        seen |= fresh
        hit = next((d for d in sorted(fresh) if d in words), None)
        if hit is not None:
            return hit
        dangling = {w[len(d) :] for d in fresh for w in words if w.startswith(d) and w != d}
        dangling |= {d[len(w) :] for d in fresh for w in words if d.startswith(w) and d != w}
    return None


def _first(items: Sequence[Node], alphabet: Sequence[str]) -> frozenset[str]:
    """The characters of `alphabet` a match of `items` can begin with."""
    out: set[str] = set()
    for op, av in items:
        out |= _first_of(op, av, alphabet)
        if not _nullable([(op, av)]):
            break
    return frozenset(out)


def _first_of(op: Any, av: Any, alphabet: Sequence[str]) -> set[str]:
    if op == c.LITERAL:
        return {chr(av)}
    if op == c.NOT_LITERAL:
        return {ch for ch in alphabet if ch != chr(av)}
    if op == c.ANY:
        return {ch for ch in alphabet if ch != "\n"}
    if op == c.IN:
        return {ch for ch in alphabet if _in_set(av, ch)}
    if op in REPEATS or op == c.POSSESSIVE_REPEAT:
        return set(_first(list(av[2].data), alphabet)) if av[1] else set()
    if op == c.SUBPATTERN:
        return set(_first(list(av[3].data), alphabet))
    if op == c.ATOMIC_GROUP:
        return set(_first(list(av.data), alphabet))
    if op == c.BRANCH:
        return set().union(*(_first(list(alt.data), alphabet) for alt in av[1]))
    if op == c.GROUPREF_EXISTS:
        branches = [b for b in av[1:] if b is not None]
        return set().union(*(_first(list(b.data), alphabet) for b in branches))
    if op == c.GROUPREF:
        return set(alphabet)
    return set()  # AT, ASSERT, ASSERT_NOT: they take no character


def _in_set(items: Sequence[Node], ch: str) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op == c.NEGATE:
            negate = True
        elif op == c.LITERAL:
            hit = hit or ch == chr(av)
        elif op == c.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1]
        elif op == c.CATEGORY:
            hit = hit or CATEGORIES.get(av, lambda _ch: True)(ch)
    return hit != negate


def _nullable(items: Sequence[Node]) -> bool:
    """Whether `items` can match the empty string."""
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            return False
        if op in REPEATS or op == c.POSSESSIVE_REPEAT:
            if av[0] and not _nullable(list(av[2].data)):
                return False
        elif op == c.SUBPATTERN:
            if not _nullable(list(av[3].data)):
                return False
        elif op == c.ATOMIC_GROUP:
            if not _nullable(list(av.data)):
                return False
        elif op == c.BRANCH and not any(_nullable(list(alt.data)) for alt in av[1]):
            return False
    return True


def _children(op: Any, av: Any) -> Iterable[list[Node]]:
    """The sub-sequences of one node (possessive repeats and atomic groups included: what is
    inside them still backtracks within itself)."""
    if op in REPEATS or op == c.POSSESSIVE_REPEAT:
        return [list(av[2].data)]
    if op == c.SUBPATTERN:
        return [list(av[3].data)]
    if op == c.ATOMIC_GROUP:
        return [list(av.data)]
    if op == c.BRANCH:
        return [list(alt.data) for alt in av[1]]
    if op in (c.ASSERT, c.ASSERT_NOT):
        return [list(av[1].data)]
    if op == c.GROUPREF_EXISTS:
        return [list(b.data) for b in av[1:] if b is not None]
    return []


def _literals(items: Sequence[Node]) -> Iterable[str]:
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL):
            yield chr(av)
        elif op == c.IN:
            for inner_op, inner_av in av:
                if inner_op == c.LITERAL:
                    yield chr(inner_av)
                elif inner_op == c.RANGE:
                    yield chr(inner_av[0])
                    yield chr(inner_av[1])
        for child in _children(op, av):
            yield from _literals(child)


def _show(av: Any) -> str:
    low = av[0]
    return "an unbounded run " + ("(*)" if low == 0 else "(+)" if low == 1 else f"({{{low},}})")


def compiled_shapes(compiled: re.Pattern[str]) -> list[str]:
    return unsafe_shapes(compiled.pattern, compiled.flags)
