"""Forms of statistics bulletins and of lists real bulletins print (issue 11), written only when
the draft's `stats` is set (a focus on one of `spec.STATS_TYPES`), so a bulletin made without
them prints the same text:

- the district's output with its growth against the province's and the city's printed in
  brackets (分别高于全省（5.1%）、全市（5.6%）1.3个百分点和0.8个百分点), its three sectors'
  amounts and the structure ratio they make (由上年的a:b:c调整为d:e:f), with the change in
  points of one or two sectors' shares; two amounts and their shares after 分别;
- the population with figures defined by name (城镇化率 = 城镇 / 常住, 自然增长率 = 出生率 −
  死亡率), and a registered total split three ways between semicolons (城乡; 性别; 年龄);
- lists of parts and the tables behind them: narrative_lists.py.

Every figure is a claim with its exact value, which the injectors (inject_stats.py) read; the
registered population's splits are `Draft.part_lists` of kind "split".
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import TYPE_CHECKING

from corpus.generate.draft import ClaimData, Draft, PartList
from corpus.generate.numfmt import percent, plain, quantize
from corpus.generate.writer import Para, claim

if TYPE_CHECKING:
    from corpus.generate.narrative import Body

SECTORS = ("第一产业", "第二产业", "第三产业")
UP, DOWN = ("提高", "上升", "提升"), ("下降", "降低", "回落")
PAIRS = (
    ("一般公共预算收入中，", "税收收入", "非税收入"),
    ("社会消费品零售总额中，", "城镇消费品零售额", "乡村消费品零售额"),
    ("规模以上工业增加值中，", "重工业", "轻工业"),
)


def _count(metric: str, n: int, subject: str, ph: str) -> ClaimData:
    c = claim("count", metric, str(n), subject, ph)
    c.exact, c.checkable = Fraction(n), True
    return c


def _fixed(dr: Draft, x: Fraction, places: int) -> Fraction:
    return quantize(x, places, dr.style.rounding)


def _amount(hundredths: int, subject: str, ph: str) -> ClaimData:
    """An amount in 亿元 printed with 2 decimals, exact as printed."""
    a = claim("amount", "amount", plain(Fraction(hundredths, 100), 2) + "亿元", subject, ph)
    a.exact, a.checkable = Fraction(hundredths, 100), True
    return a


def _pct(dr: Draft, x: Fraction, places: int, kind: str, subject: str, ph: str) -> ClaimData:
    c = claim(kind, kind, plain(_fixed(dr, x, places), places) + dr.style.pct, subject, ph)
    c.exact, c.checkable = x, True
    return c


def economy(b: Body) -> None:
    """Output, its growth against the province and the city, the sectors and their ratio, and
    two amounts with their shares after 分别."""
    dr, rng = b.dr, b.rng
    b.heading(rng.choice(("全区经济社会发展主要指标", "经济运行概况", "相关统计数据")))
    parts = [rng.randint(1500, 6000), rng.randint(8000, 25000), rng.randint(10000, 35000)]
    p = Para(dr)
    gdp = _amount(sum(parts), "gdp", "stats.gdp")
    p.put("{y}年，全区实现地区生产总值{v}", y=str(dr.period.year - 1), v=gdp)
    _gaps(b, p)
    p.stop()
    p.say("其中，")
    for j, (name, n) in enumerate(zip(SECTORS, parts, strict=True)):
        p.say("；" if j else "")
        p.put("{s}增加值{v}", s=name, v=_amount(n, name, "stats.sector"))
    p.stop()
    _ratio(b, p, parts)
    p.done()
    _pair_shares(b)


def _gaps(b: Body, p: Para) -> None:
    """比上年增长g%, then its gaps in points to the province's and the city's growth in brackets:
    both after 分别高于 (both below it), or each with its own word."""
    dr, rng = b.dr, b.rng
    g = Fraction(rng.randint(30, 90), 10)
    p.put("，比上年增长{g}", g=_pct(dr, g, 1, "growth", "gdp", "stats.growth"))
    if rng.random() < 0.5:
        below = [g - Fraction(rng.randint(1, 25), 10) for _ in range(2)]
        p.put("，增速分别高于全省（{a}）、全市（{b}）", a=_rate(b, below[0]), b=_rate(b, below[1]))
        p.put("{d1}和{d2}", d1=_gap(b, g - below[0]), d2=_gap(b, g - below[1]))
        return
    others = [Fraction(rng.randint(20, 95), 10) for _ in range(2)]
    for where, x in ((w, x) for w, x in zip(("全省", "全市"), others, strict=True) if x != g):
        word = rng.choice(("高于", "快于")) if x < g else rng.choice(("低于", "慢于"))
        p.put("，{w}{where}（{x}）{d}", w=word, where=where, x=_rate(b, x), d=_gap(b, g - x))


def _rate(b: Body, x: Fraction) -> ClaimData:
    return _pct(b.dr, x, 1, "growth", "region", "stats.region")


def _gap(b: Body, d: Fraction) -> ClaimData:
    c = claim("points", "gap", plain(abs(d), 1) + "个百分点", "gdp", "stats.gap")
    c.exact, c.checkable = abs(d), True
    return c


def _ratio(b: Body, p: Para, parts: list[int]) -> None:
    """三次产业结构 (由上年的p调整为) q, and the change in points of one or two sectors."""
    dr, rng = b.dr, b.rng
    whole = sum(parts)
    exact = [percent(n, whole) for n in parts]
    sep = rng.choice((":", ":", "∶"))
    now = [claim("share", "ratio", "", s, "stats.ratio", base="gdp") for s in SECTORS]
    for c, x in zip(now, exact, strict=True):
        c.claim.value, c.exact, c.checkable = plain(_fixed(dr, x, 1), 1), x, True
    shown = [_fixed(dr, x, 1) for x in exact]
    if rng.random() < 0.3:
        p.put(rng.choice(("三次产业结构为", "三次产业比重为")))
        _print_ratio(p, now, sep)
        p.stop()
        return
    earlier = [shown[0] + Fraction(rng.randint(-12, 12), 10)]
    earlier.append(shown[1] + Fraction(rng.randint(-25, 25), 10))
    earlier.append(100 - earlier[0] - earlier[1])
    before = [claim("share", "ratio", plain(x, 1), f"{s}@lastyear", "stats.ratio_before")
              for s, x in zip(SECTORS, earlier, strict=True)]  # fmt: skip
    p.say("三次产业结构由上年的")
    _print_ratio(p, before, sep)
    p.say("调整为")
    _print_ratio(p, now, sep)
    moved = [j for j in (1, 2, 0) if shown[j] != earlier[j]][: rng.randint(1, 2)]
    if moved:
        if rng.random() < 0.4:  # the change in the next sentence (GROWTH010 reads both)
            p.stop()
        else:
            p.say("，")
        for k, j in enumerate(moved):
            d = shown[j] - earlier[j]
            pts = claim(
                "points", "ratio", plain(abs(d), 1) + "个百分点", SECTORS[j], "stats.points"
            )
            pts.exact, pts.checkable = d, True
            word = rng.choice(UP if d > 0 else DOWN)
            p.put("{c}{s}比重{w}了{v}", c="，" if k else "", s=SECTORS[j], w=word, v=pts)
    p.stop()


def _print_ratio(p: Para, items: list[ClaimData], sep: str) -> None:
    for j, c in enumerate(items):
        p.put("{s}{v}", s=sep if j else "", v=c)


def _pair_shares(b: Body) -> None:
    """Two amounts after 分别为 and their shares after 分别占 (over the two amounts' sum)."""
    dr, rng = b.dr, b.rng
    lead, x, y = rng.choice(PAIRS)
    amounts = [rng.randint(300, 4000), rng.randint(100, 2500)]
    p = Para(dr)
    p.say(f"全区{lead}{x}和{y}分别为")
    cs = [_amount(n, name, "stats.pair") for n, name in zip(amounts, (x, y), strict=True)]
    p.put("{a}、{b}，分别占", a=cs[0], b=cs[1])
    for j, (n, name) in enumerate(zip(amounts, (x, y), strict=True)):
        s = _pct(dr, percent(n, sum(amounts)), 1, "share", name, "stats.pair_share")
        s.claim.base, s.num, s.den = "listed", n, sum(amounts)
        p.put("{c}{s}", c="和" if j else "", s=s)
    p.stop()
    p.done()


def population(b: Body) -> None:
    """Resident population, urbanisation, births and deaths with their rates; the registered
    population split three ways between semicolons."""
    dr, rng = b.dr, b.rng
    people = rng.randint(250_000, 900_000)
    urban = math.floor(people * rng.uniform(0.4, 0.75))
    p = Para(dr)
    total = _wan_people(dr, people, "population", "stats.people")
    city = _wan_people(dr, urban, "population.urban", "stats.urban")
    rate = _pct(dr, percent(urban, people), 2, "rate", "population", "stats.urbanisation")
    rate.num, rate.den = urban, people
    p.put("年末全区常住人口{t}，其中城镇人口{u}，常住人口城镇化率为{r}", t=total, u=city, r=rate)
    p.stop()
    born = math.floor(people * rng.uniform(0.006, 0.011))
    died = math.floor(people * rng.uniform(0.005, 0.0095))
    if born <= died:
        born = died + rng.randint(50, 400)
    birth, death = (_permille(dr, n, people) for n in (born, died))
    # the ‰ stays outside the figure, as with the birth and death rates
    natural = claim("rate", "natural", plain(birth - death, 2), "population", "stats.natural")
    natural.exact, natural.checkable = birth - death, True
    p.put("全年出生人口{n}人，出生率为{r}‰", n=_count("born", born, "population", "stats.born"),
          r=_plain_claim(birth, "birth"))  # fmt: skip
    p.put("；死亡人口{n}人，死亡率为{r}‰", n=_count("died", died, "population", "stats.died"),
          r=_plain_claim(death, "death"))  # fmt: skip
    p.put("；人口自然增长率为{v}‰", v=natural)
    p.stop()
    p.done()
    _registered(b)


def _wan_people(dr: Draft, n: int, subject: str, ph: str) -> ClaimData:
    c = claim("count", "people", plain(_fixed(dr, Fraction(n, 10_000), 2), 2) + "万人", subject, ph)
    c.exact, c.approx = Fraction(n), True
    return c


def _permille(dr: Draft, n: int, people: int) -> Fraction:
    return _fixed(dr, Fraction(1000 * n, people), 2)


def _plain_claim(x: Fraction, metric: str) -> ClaimData:
    c = claim("rate", metric, plain(x, 2), "population", f"stats.{metric}")
    c.exact, c.checkable = x, True
    return c


def _registered(b: Body) -> None:
    """户籍人口 split as 城镇/乡村; 男性/女性; three age groups after 分别为."""
    dr, rng = b.dr, b.rng
    whole = rng.randint(60_000, 400_000)
    male = math.floor(whole * rng.uniform(0.48, 0.53))
    splits = [_cut(rng, whole, 2, 0.3), [male, whole - male], _cut(rng, whole, 3, 0.15)]
    p = Para(dr)
    tot = _count("registered", whole, "population", "stats.registered")
    p.put("年末全区户籍人口为{v}人", v=tot)
    p.stop()
    p.say("其中，")
    names = (("城镇人口", "乡村人口"), ("男性人口", "女性人口"))
    for j, (pair, nums) in enumerate(zip(names, splits, strict=False)):
        cs = [_count("people", n, name, "stats.split") for name, n in zip(pair, nums, strict=True)]
        p.put("{s}{a}{b}人，{c}{d}人", s="；" if j else "", a=pair[0], b=cs[0], c=pair[1], d=cs[1])
        dr.part_lists.append(PartList("split", tot, cs, [None, None]))
    ages = [_count("people", n, "age", "stats.split_age") for n in splits[2]]
    p.put("；0-17岁、18-59岁、60岁及以上人口分别为{a}人、{b}人和{c}人", a=ages[0], b=ages[1],
          c=ages[2])  # fmt: skip
    dr.part_lists.append(PartList("split", tot, ages, [None, None, None]))
    p.stop()
    p.done()


def _cut(rng: random.Random, whole: int, k: int, low: float) -> list[int]:
    """`whole` in `k` parts, none below `low` of it."""
    cuts = [rng.uniform(low, 1.0) for _ in range(k)]
    out = [math.floor(whole * c / sum(cuts)) for c in cuts]
    out[-1] += whole - sum(out)
    return out
