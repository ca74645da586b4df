"""The opt-in wordings (narrative_forms.py) and their errors (inject_forms.py).

The committed set `corpus/generated-forms` is compared with what the generator builds in
test_generate_growth.py; here: the wordings appear only with their focus, and each injected
error is wrong against the figures printed beside it, by exactly the slip its detail names.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction

import pytest

from corpus.generate.build import make_archive
from corpus.generate.spec import FORM_TYPES, Bulletin
from tests.unit.test_generate_content import num, rnd
from tests.unit.test_generate_growth import SETS


@pytest.fixture(scope="module")
def forms_set() -> list[Bulletin]:
    return make_archive(**SETS["generated-forms"])


def _forms(b: Bulletin) -> list[str]:
    return [c.phrasing for c in b.claims if c.phrasing.startswith("forms.")]


def test_forms_only_with_their_focus(forms_set: list[Bulletin]) -> None:
    others = make_archive(40, seed=7) + make_archive(**SETS["generated-growth"])
    assert not any(_forms(b) for b in others)
    assert all(_forms(b) for b in forms_set)
    types = Counter(e.type for b in forms_set for e in b.errors)
    assert all(types[t] >= 2 for t in FORM_TYPES), types
    assert sum(not b.errors for b in forms_set) >= 3
    assert all(len(b.errors) <= 4 for b in forms_set)


def _counts(text: str) -> list[int]:
    flat = text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(" ", "")
    return [int(x) for x in re.findall(r"(\d+)件", flat)]


def test_parts_sum_errors_miss_their_total(forms_set: list[Bulletin]) -> None:
    seen = Counter()
    for b in forms_set:
        for e in (e for e in b.errors if e.type == "parts_sum"):
            m = re.match(r"(.+): ([\d + ]+) = (\d+), not the stated (\d+)", e.detail)
            assert m, e.detail
            parts = [int(x) for x in m.group(2).split(" + ")]
            assert parts[-1] == int(num(e.printed) or 0) and sum(parts) == int(m.group(3))
            assert sum(parts) != int(m.group(4))
            assert int(m.group(4)) - sum(parts[:-1]) == int(num(e.correct) or 0)
            seen["pair" if "办结" in m.group(1) else "catch_all"] += 1
    assert seen["pair"] >= 2 and seen["catch_all"] >= 2, seen


def test_share_errors_are_slips(forms_set: list[Bulletin]) -> None:
    for b in forms_set:
        u = Fraction(1, 10**b.decimals)
        for e in b.errors:
            if e.type not in ("list_share", "bracket_share", "topn_share"):
                continue
            m = re.search(r"(\d+) / (\d+)", e.detail)
            assert m, e.detail
            exact = Fraction(100 * int(m.group(1)), int(m.group(2)))
            got = num(e.printed)
            assert got is not None and rnd(exact, b.decimals, b.rounding) == num(e.correct)
            assert abs(got - exact) >= Fraction(3, 2) * u, (b.id, e)
            assert e.printed in (e.sentence or "")


def test_growth_change_errors_are_over_the_current_figure(forms_set: list[Bulletin]) -> None:
    for b in forms_set:
        for e in (e for e in b.errors if e.type == "growth_change"):
            m = re.search(
                r"the change (\d+) over the current (\d+) instead of the earlier (\d+)", e.detail
            )
            assert m, e.detail
            change, cur, prior = (int(x) for x in m.groups())
            assert abs(cur - prior) == change and change in _counts(e.sentence or "")
            assert cur in _counts(e.sentence or "")
            over_cur = Fraction(100 * change, cur)
            assert rnd(over_cur, b.decimals, b.rounding) == num(e.printed)
            assert rnd(Fraction(100 * change, prior), b.decimals, b.rounding) == num(e.correct)
