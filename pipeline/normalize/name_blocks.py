"""Which pairs of department names may be alike, found without comparing every pair.

Clustering the names no gazetteer knows (departments.py) links two names when they are
equal, when one is the other with doubled characters collapsed, or when their fuzzy ratio
reaches the threshold by inserted or dropped characters only. Comparing every pair costs n²
(a table of 1,600 new names took a minute). Instead each name is filed under keys that every
name it can link with shares, and only names under a common key are compared:

- the name itself and its collapsed forms (`collapses`);
- the forms left after dropping up to k of its characters. A ratio of at least T allows
  d <= e·(la + lb) dropped or inserted characters, e = 1 - T/100. With c the length of the
  longest common subsequence, d = (la - c) + (lb - c), so each name drops at most
  2e/(1+e) of its own length to reach it (3/14 at T = 88): the common subsequence is a key
  of both.

A name longer than MAX_VARIANT_LENGTH would have thousands of such forms; it is compared
with every name whose length could be within the threshold instead (real names rarely are).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction

MAX_VARIANT_LENGTH = 18  # at T = 88: at most 3 dropped characters, under 1,000 forms


def collapses(text: str) -> Iterator[tuple[str, str]]:
    """`text` with one doubled character removed, for each; then with all of them removed."""
    doubled = [i for i in range(len(text) - 1) if text[i] == text[i + 1]]
    for i in doubled:
        yield text[:i] + text[i + 1 :], text[i]
    if len(doubled) > 1:
        kept = "".join(c for i, c in enumerate(text) if i not in doubled)
        yield kept, "、".join(text[i] for i in doubled)


def max_dropped(length: int, threshold: float) -> int:
    """The most characters a name of `length` drops to reach a common subsequence with any
    name within fuzzy ratio `threshold` (0-100) of it."""
    e = 1 - Fraction(threshold) / 100
    return math.floor(2 * e / (1 + e) * length)


def dropped_forms(text: str, most: int) -> set[str]:
    """`text` with every choice of up to `most` of its characters left out."""
    forms = {text}
    for n in range(1, min(most, len(text)) + 1):
        for gone in itertools.combinations(range(len(text)), n):
            forms.add("".join(c for i, c in enumerate(text) if i not in gone))
    return forms


def block_keys(name: str, *, threshold: float, min_length: int) -> set[str]:
    keys = {name, *(collapsed for collapsed, _ in collapses(name))}
    if min_length <= len(name) <= MAX_VARIANT_LENGTH:
        keys |= dropped_forms(name, max_dropped(len(name), threshold))
    return keys


def candidate_pairs(
    names: Sequence[str], *, threshold: float, min_length: int
) -> set[tuple[int, int]]:
    """Pairs (i, j), j < i, of positions in `names` that may link; no other pair can."""
    blocks: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        for key in block_keys(name, threshold=threshold, min_length=min_length):
            blocks.setdefault(key, []).append(i)
    pairs = {(i, j) for ids in blocks.values() for i in ids for j in ids if j < i}
    e = 1 - Fraction(threshold) / 100
    for i, name in enumerate(names):
        if len(name) > MAX_VARIANT_LENGTH:
            shortest = (1 - e) / (1 + e) * len(name)  # |la - lb| <= d <= e·(la + lb)
            near = (j for j, other in enumerate(names) if j != i and len(other) >= shortest)
            pairs.update((max(i, j), min(i, j)) for j in near)
    return pairs
