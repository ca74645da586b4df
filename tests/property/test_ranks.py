"""The ranks a convention allows, against their definitions counted row by row.

`expected_ranks` counts by bisection over the sorted values; here each row's rank is
counted by comparing it with every other row, as the conventions are defined: competition
1 + the rows better, dense 1 + the distinct values better, ordinal any place among the
rows tied with it. Skipped rows take up a rank number for the rows after them.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.numeric.ranks import RankConvention, expected_ranks

VALUES = st.lists(st.fractions(min_value=-5, max_value=5, max_denominator=3), max_size=12)


def counted(
    values: list[Fraction], convention: RankConvention, descending: bool, skip: set[int]
) -> list[range | None]:
    signed = [v if descending else -v for v in values]
    kept = [v for i, v in enumerate(signed) if i not in skip]
    out: list[range | None] = []
    for i, v in enumerate(signed):
        if i in skip:
            out.append(None)
            continue
        shift = len([j for j in skip if j < i])
        better = len([w for w in kept if w > v])
        if convention is RankConvention.DENSE:
            first = len({w for w in kept if w > v}) + 1 + shift
            out.append(range(first, first + 1))
        elif convention is RankConvention.COMPETITION:
            out.append(range(better + 1 + shift, better + 2 + shift))
        else:
            tied = len([w for w in kept if w == v])
            out.append(range(better + 1 + shift, better + tied + 1 + shift))
    return out


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from(list(RankConvention)), st.booleans(), st.data())
def test_ranks_expected_match_their_definition(
    values: list[Fraction], convention: RankConvention, descending: bool, data: st.DataObject
) -> None:
    skip = data.draw(st.sets(st.integers(0, max(len(values) - 1, 0)))) if values else set()
    got = expected_ranks(values, convention, descending=descending, skip=skip)
    assert got == counted(values, convention, descending, skip)
