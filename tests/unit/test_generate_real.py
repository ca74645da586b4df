"""The forms of real bulletins (narrative_real.py) and their errors (inject_real.py).

The committed set `corpus/generated-real-forms` is compared with what the generator builds in
test_generate_growth.py; here: the forms appear only with their focus, each type is injected
at least twice, and each error is wrong against the figures printed beside it by the slip its
detail names, while the clean figures of the same forms hold.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from fractions import Fraction

import pytest

from corpus.generate.build import make_archive
from corpus.generate.spec import REAL_TYPES, Bulletin
from tests.unit.test_generate_content import num, rnd
from tests.unit.test_generate_growth import SETS

FLAT = str.maketrans("０１２３４５６７８９．", "0123456789.", " ")


@pytest.fixture(scope="module")
def real_set() -> list[Bulletin]:
    return make_archive(**SETS["generated-real-forms"])


def _real(b: Bulletin) -> list[str]:
    return [c.phrasing for c in b.claims if c.phrasing.startswith("real.")]


def _counts(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"(\d+)件", text.translate(FLAT))]


def test_forms_only_with_their_focus(real_set: list[Bulletin]) -> None:
    others = make_archive(30, seed=7) + make_archive(**SETS["generated-forms"])
    assert not any(_real(b) for b in others)
    assert all(_real(b) for b in real_set)
    types = Counter(e.type for b in real_set for e in b.errors)
    assert all(types[t] >= 2 for t in REAL_TYPES), types
    assert sum(not b.errors for b in real_set) >= 3
    assert all(len(b.errors) <= 4 for b in real_set)


def test_daily_averages_are_calls_over_days(real_set: list[Bulletin]) -> None:
    wrong = {(b.id, e.sentence) for b in real_set for e in b.errors if e.type == "daily_average"}
    seen = Counter()
    for b in real_set:
        for c in (c for c in b.claims if c.kind == "average"):
            (calls,) = (
                x for x in b.claims if x.sentence == c.sentence and x.phrasing == c.phrasing[:-4]
            )
            exact = Fraction(int(num(calls.value) or 0), _days(b))
            places = len((c.value or "").translate(FLAT).partition(".")[2])
            holds = rnd(exact, places, b.rounding) == num(c.value)
            assert holds != ((b.id, c.sentence) in wrong), (b.id, c.sentence)
            if not holds:
                assert abs((num(c.value) or 0) - exact) >= 2 * Fraction(1, 10**places)
            seen[holds] += 1
    assert seen[True] >= 3 and seen[False] >= 2, seen


def _days(b: Bulletin) -> int:
    start, end = (date.fromisoformat(d) for d in (b.period_start, b.period_end))
    return (end - start).days + 1


def test_rate_and_share_errors_are_slips(real_set: list[Bulletin]) -> None:
    kinds = ("rate_named", "sub_base_share", "wan_share", "complaint_share")
    for b in real_set:
        u = Fraction(1, 10**b.decimals)
        for e in (e for e in b.errors if e.type in kinds):
            m = re.search(r"(\d+) / (\d+)", e.detail)
            assert m, e.detail
            exact = Fraction(100 * int(m.group(1)), int(m.group(2)))
            got = num(e.printed)
            assert got is not None and rnd(exact, b.decimals, b.rounding) == num(e.correct)
            assert abs(got - exact) >= Fraction(3, 2) * u, (b.id, e)
            assert e.printed in (e.sentence or "")
            assert int(m.group(1)) in _counts(e.sentence or ""), (b.id, e)


def test_wan_share_errors_fit_no_count_the_total_stands_for(real_set: list[Bulletin]) -> None:
    for b in real_set:
        u = Fraction(1, 10**b.decimals)
        for e in (e for e in b.errors if e.type == "wan_share"):
            flat = (e.sentence or "").translate(FLAT)
            wan = re.search(r"(\d+\.\d\d)万件", flat)
            part = re.search(r"(\d+) / (\d+)", e.detail)
            assert wan and part, e
            total = Fraction(wan.group(1)) * 10_000
            lo, hi = (Fraction(100 * int(part.group(1)), t) for t in (total + 100, total - 100))
            got = num(e.printed) or Fraction(0)
            assert got <= lo - 2 * u or got >= hi + 2 * u, (b.id, e)


def test_derived_count_errors_miss_their_total(real_set: list[Bulletin]) -> None:
    for b in real_set:
        for e in (e for e in b.errors if e.type == "derived_count"):
            m = re.fullmatch(r"([\d + ]+) = (\d+), not the stated (\d+)", e.detail)
            assert m, e.detail
            parts = [int(x) for x in m.group(1).split(" + ")]
            assert parts[-1] == num(e.printed) and sum(parts) == int(m.group(2))
            assert int(m.group(3)) - sum(parts[:-1]) == num(e.correct)
            assert set(parts) <= set(_counts(e.sentence or "")) | {int(m.group(3))}


def test_difference_errors_disagree_with_the_counts_beside_them(real_set: list[Bulletin]) -> None:
    seen = 0
    for b in real_set:
        for e in (e for e in b.errors if e.type == "difference"):
            m = re.fullmatch(r"difference: (\d+) - (\d+) = (-?\d+)", e.detail)
            assert m, e.detail
            cur, prior, diff = (int(x) for x in m.groups())
            assert cur - prior == diff and {cur, prior} <= set(_counts(e.sentence or ""))
            assert num(e.correct) == abs(diff) and abs((num(e.printed) or 0) - abs(diff)) >= 2
            seen += 1
    assert seen >= 2
