"""The forms of statistics bulletins and lists of parts (narrative_stats.py, narrative_lists.py)
and their errors (inject_stats.py).

The committed set `corpus/generated-stats-forms` is compared with what the generator builds in
test_generate_growth.py; here: the forms appear only with their focus, each type is injected at
least twice, each error is wrong by the relation its rule checks, recomputed from the printed
text, and the clean instances of the same forms hold.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction

import pytest

from corpus.generate.build import make_archive
from corpus.generate.spec import STATS_TYPES, Bulletin
from tests.unit.test_generate_content import num, rnd
from tests.unit.test_generate_growth import SETS

FLAT = str.maketrans("０１２３４５６７８９．：∶－", "0123456789.::-", " ")


@pytest.fixture(scope="module")
def stats_set() -> list[Bulletin]:
    return make_archive(**SETS["generated-stats-forms"])


def _stats(b: Bulletin) -> list[str]:
    return [c.phrasing for c in b.claims if c.phrasing.startswith(("stats.", "lists."))]


def _body(b: Bulletin) -> str:
    return "\n".join(p.text for p in b.body).translate(FLAT)


def test_forms_only_with_their_focus(stats_set: list[Bulletin]) -> None:
    others = make_archive(20, seed=7) + make_archive(**SETS["generated-real-forms"])
    assert not any(_stats(b) for b in others)
    assert not any("三次产业" in _body(b) for b in others)
    assert all(_stats(b) for b in stats_set)
    types = Counter(e.type for b in stats_set for e in b.errors)
    assert all(types[t] >= 2 for t in STATS_TYPES), types
    assert sum(not b.errors for b in stats_set) >= 2
    assert all(len(b.errors) <= 4 for b in stats_set)


RATIO = re.compile(r"(\d+\.\d):(\d+\.\d):(\d+\.\d)")
AMOUNTS = re.compile(r"第[一二三]产业增加值(\d+\.\d\d)亿元")


def _errors(stats_set: list[Bulletin], kind: str) -> int:
    return sum(e.type == kind for b in stats_set for e in b.errors)


PAIR = re.compile(r"分别为(\d+\.\d\d)亿元、(\d+\.\d\d)亿元，分别占(\d+\.\d)%和(\d+\.\d)%")


def test_structure_ratios_and_pair_shares_hold_unless_injected(stats_set: list[Bulletin]) -> None:
    """The current ratio's parts and the shares after 分别占 are the amounts over their sum, in
    the document's rounding; an injected error changes exactly one of them."""
    seen = Counter()
    for b in stats_set:
        text = _body(b).replace("％", "%")
        amounts = [Fraction(x) for x in AMOUNTS.findall(text)]
        (sentence,) = [s for s in text.split("。") if "三次产业" in s]
        now = [Fraction(x) for x in RATIO.findall(sentence)[-1]]
        m = PAIR.search(text)
        assert m, b.id
        pair = [Fraction(x) for x in m.groups()]
        for printed, parts in ((now, amounts), (pair[2:], pair[:2])):
            want = [rnd(100 * a / sum(parts), 1, b.rounding) for a in parts]
            slips = sum(abs(x - y) >= Fraction(2, 10) for x, y in zip(printed, want, strict=True))
            assert slips == sum(x != y for x, y in zip(printed, want, strict=True)) <= 1, b.id
            seen[slips == 0] += 1
    assert seen[False] == _errors(stats_set, "structure_ratio") and seen[True] >= 8, seen


POINTS = re.compile(r"(第[一二三]产业)比重(提高|上升|提升|下降|降低|回落)了(\d+\.\d)个百分点")


def test_ratio_points_are_the_change_between_the_ratios(stats_set: list[Bulletin]) -> None:
    seen = Counter()
    for b in stats_set:
        text = _body(b)
        for sentence in (s for s in text.split("\n") if "调整为" in s):
            before, now = (list(map(Fraction, r)) for r in RATIO.findall(sentence)[:2])
            for name, word, value in POINTS.findall(sentence):
                j = "一二三".index(name[1])
                sign = 1 if word in ("提高", "上升", "提升") else -1
                holds = sign * Fraction(value) == now[j] - before[j]
                wrong = any(
                    num(e.printed.removesuffix("个百分点")) == Fraction(value)
                    and f"{name}比重{word}了{value}" in (e.sentence or "").translate(FLAT)
                    for e in b.errors
                    if e.type == "ratio_points"
                )
                assert holds != wrong, (b.id, name, value)
                if wrong:
                    assert abs(sign * Fraction(value) - (now[j] - before[j])) >= Fraction(2, 10)
                seen[holds] += 1
    assert seen[True] >= 3 and seen[False] == _errors(stats_set, "ratio_points"), seen


GAP = re.compile(r"(高于|快于|低于|慢于)(全省|全市)\((\d+\.\d)%\)(\d+\.\d)个百分点")


def test_gaps_are_the_growth_less_the_bracketed_figure(stats_set: list[Bulletin]) -> None:
    seen = Counter()
    for b in stats_set:
        text = _body(b).replace("（", "(").replace("）", ")").replace("％", "%")
        m = re.search(r"比上年增长(\d+\.\d)%", text)
        assert m, b.id
        growth = Fraction(m.group(1))
        pairs = [(w, Fraction(x), Fraction(d)) for w, _, x, d in GAP.findall(text)]
        joint = re.search(
            r"分别高于全省\((\d+\.\d)%\)、全市\((\d+\.\d)%\)(\d+\.\d)个百分点和(\d+\.\d)", text
        )
        if joint:
            a, c, d1, d2 = (Fraction(x) for x in joint.groups())
            pairs += [("高于", a, d1), ("高于", c, d2)]
        wrong = {
            num(e.printed.removesuffix("个百分点")) for e in b.errors if e.type == "points_gap"
        }
        for word, other, gap in pairs:
            holds = gap == (growth - other if word in ("高于", "快于") else other - growth)
            assert holds != (gap in wrong), (b.id, word, other, gap)
            seen[holds] += 1
    assert seen[True] >= 6 and seen[False] == _errors(stats_set, "points_gap"), seen


def test_natural_growth_is_births_less_deaths(stats_set: list[Bulletin]) -> None:
    seen = Counter()
    for b in stats_set:
        text = _body(b)
        m = re.search(r"出生率为(\d+\.\d\d)‰.*死亡率为(\d+\.\d\d)‰.*自然增长率为(\d+\.\d\d)‰", text)
        assert m, b.id
        birth, death, natural = (Fraction(x) for x in m.groups())
        holds = natural == birth - death
        wrong = {num(e.printed) for e in b.errors if e.type == "named_formula"}
        assert holds != (natural in wrong), b.id
        seen[holds] += 1
    assert seen[True] >= 3 and seen[False] >= 1, seen


def test_list_errors_miss_their_total_by_the_printed_slip(stats_set: list[Bulletin]) -> None:
    kinds = ("split_total", "small_items", "wan_parts")
    seen = Counter()
    for b in stats_set:
        for e in (e for e in b.errors if e.type in kinds):
            m = re.fullmatch(r"parts add up to (?:about )?(\d+), not the stated (\d+)", e.detail)
            assert m, e.detail
            total, stated = int(m.group(1)), int(m.group(2))
            assert total != stated and e.printed in (e.sentence or ""), e
            if e.type == "small_items":
                assert abs(total - stated) <= stated // 20
            if e.type == "wan_parts":
                assert abs(total - stated) <= stated // 10
            seen[e.type] += 1
    assert all(seen[k] >= 2 for k in kinds), seen


def test_table_errors_break_their_relation(stats_set: list[Bulletin]) -> None:
    for b in stats_set:
        topn = next(t for t in b.tables if "前五位" in t.title)
        for e in (e for e in b.errors if e.type == "topn_table_share"):
            assert e.table == topn.id and e.row is not None
            row = topn.body_rows[e.row - 1]
            group = re.search(rf"{row[0]}(\d+)件", _body(b))
            assert group, b.id
            exact = Fraction(100 * int(row[2]), int(group.group(1)))
            u = Fraction(1, 10**b.decimals)
            assert rnd(exact, b.decimals, b.rounding) == num(e.correct)
            assert abs((num(e.printed) or 0) - exact) >= 2 * u
        for e in (e for e in b.errors if e.type == "wan_table_growth"):
            period = next(t for t in b.tables if "12315" in t.title)
            now = sum(int(r[1].translate(FLAT)) for r in period.body_rows)
            before = sum(int(r[2].translate(FLAT)) for r in period.body_rows)
            exact = Fraction(100 * (now - before), before)
            assert rnd(abs(exact), b.decimals, b.rounding) == num(e.correct)
            assert abs((num(e.printed) or 0) - abs(exact)) >= 2 * Fraction(1, 10**b.decimals)
