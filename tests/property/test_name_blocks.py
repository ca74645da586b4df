"""Clustering new department names through name_blocks gives what comparing every pair gave.

Names are drawn from a few characters, so that equal keys, doubled characters, one or two
dropped characters and telling differences (分, directions, numerals) are common, with lengths
on both sides of MAX_VARIANT_LENGTH, where the blocking changes its method.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import DepartmentName
from pipeline.normalize.departments import (
    FUZZY_MIN_LENGTH,
    FUZZY_THRESHOLD,
    FoldedName,
    NameFolder,
    _cluster,
    _linked,
    _relation,
    most_frequent,
)
from pipeline.normalize.name_blocks import MAX_VARIANT_LENGTH, candidate_pairs, max_dropped

NAME_CHARS = "东西南一二分局镇街道办事处中山路水务管理所"
short_names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=12)
long_names = st.text(alphabet=NAME_CHARS, min_size=MAX_VARIANT_LENGTH - 3, max_size=24)


@st.composite
def names_drawn(draw: st.DrawFn) -> list[str]:
    """A few names, each followed by copies with characters dropped, inserted or doubled."""
    found = []
    for name in draw(st.lists(st.one_of(short_names, long_names), min_size=1, max_size=6)):
        found.append(name)
        for _ in range(draw(st.integers(0, 4))):
            edited = name
            for _ in range(draw(st.integers(1, 3))):
                at = draw(st.integers(0, len(edited)))
                if draw(st.booleans()) and at < len(edited):
                    edited = edited[:at] + edited[at + 1 :]
                else:
                    char = draw(st.sampled_from(NAME_CHARS + edited[at : at + 1]))
                    edited = edited[:at] + char + edited[at:]
            found.append(edited or name)
    return found


def every_pair_cluster(
    members: Sequence[FoldedName], names: Sequence[str]
) -> dict[str, DepartmentName]:
    """The clustering as it was: every member compared with each before it."""
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(members):
        for j in range(i):
            if _linked(a.simple, members[j].simple):
                parent[root(i)] = root(j)
    groups: dict[int, list[FoldedName]] = {}
    for i, f in enumerate(members):
        groups.setdefault(root(i), []).append(f)
    found: dict[str, DepartmentName] = {}
    for group in groups.values():
        canonical = most_frequent(group, names)
        found.update({f.printed: _relation(f, canonical, has_gazetteer=False) for f in group})
    return found


@settings(max_examples=300, deadline=None)
@given(names_drawn())
def test_candidate_pairs_hold_every_linked_pair(names: list[str]) -> None:
    pairs = candidate_pairs(names, threshold=FUZZY_THRESHOLD, min_length=FUZZY_MIN_LENGTH)
    for i, a in enumerate(names):
        for j in range(i):
            if _linked(a, names[j]) or _linked(names[j], a):
                assert (i, j) in pairs, (a, names[j])


@settings(max_examples=200, deadline=None)
@given(names_drawn())
def test_blocked_clusters_equal_every_pair_clusters(names: list[str]) -> None:
    printed = names + names[: len(names) // 2]  # repeats count towards the spelling kept
    folder = NameFolder(None, None)
    members = [folder.fold(p) for p in dict.fromkeys(printed)]
    blocked = _cluster(members, printed, has_gazetteer=False)
    assert blocked == every_pair_cluster(members, printed)


def test_max_dropped_is_three_fourteenths_at_88() -> None:
    assert [max_dropped(n, 88.0) for n in (4, 5, 9, 14, 18)] == [0, 1, 1, 3, 3]
