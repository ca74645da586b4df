"""Lists of parts and the tables behind them, as real bulletins print them (issue 11), written
only when the draft's `stats` is set (see narrative_stats.py):

- the hotline's count closing its paragraph and its parts, closed by 其他, opening the next
  (其中，咨询类…，其他…); then the channels in a paragraph of their own, two with shares over
  the two and a small one without (来信来访3件);
- a 12315 total in 万 with its growth, its parts in 万 and in full closed by 其他, and an
  attachment table of the parts this period and a year before (no totals row);
- the goods and services complaint totals and an attachment table of each group's top five,
  with shares over the group's total the text states.

Part lists go to `Draft.part_lists` ("split", "small", "wan"); the tables' roles are
"period:consumer" and "category:topn", which no other injector picks.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import TYPE_CHECKING

from corpus.generate.draft import ClaimData, Draft, PartList, TableData
from corpus.generate.numfmt import percent, plain, quantize
from corpus.generate.tablekit import Col, Value, assemble
from corpus.generate.writer import Para, claim

if TYPE_CHECKING:
    from corpus.generate.narrative import Body

HOTLINE_PARTS = ("咨询类", "投诉类", "求助类", "建议类")
CLOSERS = ("其他", "其他类", "其他诉求")
CHANNELS = (("电话受理", "来电"), ("网络受理", "网上留言"), ("来信来访", "现场来访"))
CONSUMER_PARTS = ("投诉", "举报", "咨询", "其他")
GOODS = ("食品", "服装鞋帽", "家用电器", "日用百货", "交通工具", "通讯器材", "装修建材")
SERVICES = ("餐饮服务", "美容美发", "教育培训", "家政服务", "旅游服务", "网络服务", "房屋租赁")


def _count(metric: str, n: int, subject: str, ph: str) -> ClaimData:
    c = claim("count", metric, str(n), subject, ph)
    c.exact, c.checkable = Fraction(n), True
    return c


def _wan(dr: Draft, n: int, subject: str, ph: str) -> ClaimData:
    """A count printed in 万 with 2 decimals, the document's rounding: not exact."""
    wan = quantize(Fraction(n, 10_000), 2, dr.style.rounding)
    c = claim("count", "received", plain(wan, 2) + "万", subject, ph)
    c.exact, c.approx = Fraction(n), True
    return c


def _split(rng: random.Random, whole: int, k: int, low: float) -> list[int]:
    """`whole` in `k` parts, largest first, none below about `low` of the largest."""
    cuts = sorted((rng.uniform(low, 1.0) for _ in range(k)), reverse=True)
    out = [math.floor(whole * c / sum(cuts)) for c in cuts]
    out[0] += whole - sum(out)
    return out


def _label(dr: Draft) -> str:
    spaced = any(" " in (t.spec.attachment or "") for t in dr.tables)
    return f"附件 {len(dr.tables) + 1}" if spaced else f"附件{len(dr.tables) + 1}"


def hotline(b: Body) -> None:
    """The hotline's count closing a paragraph, its parts opening the next (closed by 其他),
    then its channels in a paragraph of their own, the last and smallest without a share."""
    dr, rng = b.dr, b.rng
    b.heading(rng.choice(("诉求结构分析", "受理诉求构成", "诉求分类及渠道")))
    n = dr.fig.total("hotline").received
    if n < 200:
        return
    p = Para(dr)
    tot = _count("received", n, "hotline", "lists.total")
    p.put("{t}，12345热线共受理群众诉求{v}件", t=dr.period.short(rng.randrange(2)), v=tot)
    p.stop()
    p.done()
    names = [*rng.sample(HOTLINE_PARTS, 3), rng.choice(CLOSERS)]
    counts = _split(rng, n, 3, 0.25)
    other = max(1, math.floor(n * rng.uniform(0.02, 0.08)))
    counts[0] -= other
    counts.append(other)
    p = Para(dr)
    parts = [
        _count("received", c, name, "lists.part") for name, c in zip(names, counts, strict=True)
    ]
    p.say("其中，")
    for j, (name, c) in enumerate(zip(names, parts, strict=True)):
        p.put("{s}{n}{v}件", s="，" if j else "", n=name, v=c)
    p.stop()
    p.done()
    dr.part_lists.append(PartList("split", tot, parts, [None] * len(parts)))
    _channels(b, tot, n)


def _channels(b: Body, tot: ClaimData, n: int) -> None:
    dr, rng = b.dr, b.rng
    small = rng.randint(1, max(2, n // 1500))
    phone = math.floor((n - small) * rng.uniform(0.55, 0.85))
    counts = [phone, n - small - phone, small]
    words = [rng.choice(pair) for pair in CHANNELS]
    p = Para(dr)
    p.say(rng.choice(("从受理渠道看，", "按受理渠道分，", "")))
    parts, shares = [], []
    for j, (word, c) in enumerate(zip(words, counts, strict=True)):
        part = _count("received", c, word, "lists.channel")
        parts.append(part)
        p.put("{s}{w}{v}件", s="；" if j else "", w=word, v=part)
        if j < 2:
            value = percent(c, phone + counts[1])
            text = plain(quantize(value, dr.style.decimals, dr.style.rounding), dr.style.decimals)
            s = claim("share", "share", text + dr.style.pct, word, "lists.channel_share")
            s.exact, s.num, s.den, s.checkable = value, c, phone + counts[1], True
            s.claim.base = "listed"
            shares.append(s)
            p.put("，占比{s}", s=s)
    p.stop()
    p.done()
    dr.part_lists.append(PartList("small", tot, parts, [*shares, None]))


def consumer(b: Body) -> None:
    """12315: a total in 万 with its growth, its parts closed by 其他, and the table of the
    parts this period and a year before; then goods and services with their top-five table."""
    dr, rng = b.dr, b.rng
    b.heading(rng.choice(("12315投诉举报咨询情况", "消费维权情况", "市场监管诉求情况")))
    total = rng.randint(12_000, 60_000)
    counts = _split(rng, total, 3, 0.2)
    other = math.floor(total * rng.uniform(0.02, 0.07))
    counts[0] -= other
    counts.append(other)
    before = [math.floor(c * rng.uniform(0.8, 1.1)) for c in counts]
    p = Para(dr)
    tot = _wan(dr, total, "consumer", "lists.consumer")
    growth = percent(total - sum(before), sum(before))
    g = claim("growth", "growth", "", "consumer", "lists.consumer_growth", base="consumer@lastyear")
    g.claim.value = dr.style.text_pct(abs(growth))
    g.exact, g.num, g.den, g.checkable = growth, total - sum(before), sum(before), True
    word = rng.choice(("上升", "增长")) if growth > 0 else "下降"
    tpl = "{t}，全区12315平台共接收投诉举报咨询{v}件，同比{w}{g}"
    p.put(tpl, t=dr.period.short(rng.randrange(2)), v=tot, w=word, g=g)
    p.stop()
    parts = []
    for j, (name, c) in enumerate(zip(CONSUMER_PARTS, counts, strict=True)):
        in_wan = c >= 10_000 or (c >= 1000 and rng.random() < 0.5)
        part = _wan(dr, c, name, "lists.consumer_part") if in_wan else _count(
            "received", c, name, "lists.consumer_part")  # fmt: skip
        parts.append(part)
        p.put("{s}{n}{v}件", s="，" if j else "其中，", n=name, v=part)
    p.stop()
    p.done()
    dr.part_lists.append(PartList("wan", tot, parts, [None] * len(parts)))
    dr.tables.append(_period_table(dr, counts, before))
    _goods_services(b)


def _period_table(dr: Draft, counts: list[int], before: list[int]) -> TableData:
    now, then = dr.period.label(), dr.period.shifted(-1).label()
    cols: list[Col] = [
        ("category", "类型", ""),
        ("cur.consumer", f"{now}(件)", ""),
        ("prev.consumer", f"{then}(件)", ""),
        ("yoy.consumer", "同比(%)", ""),
    ]
    rows: list[dict[str, Value]] = [
        {"category": n, "cur.consumer": c, "prev.consumer": m, "yoy.consumer": percent(c - m, m)}
        for n, c, m in zip(CONSUMER_PARTS, counts, before, strict=True)
    ]
    tid = f"attachment_{len(dr.tables) + 1}"
    title = f"{now}{dr.district.district}12315投诉举报咨询情况统计表"
    return assemble(dr, (tid, _label(dr), title, "period:consumer"), cols, rows, [None] * 4, False)


def _goods_services(b: Body) -> None:
    dr, rng = b.dr, b.rng
    goods, services = rng.randint(900, 6000), rng.randint(600, 5000)
    p = Para(dr)
    w = _count("received", goods + services, "consumer.complaints", "lists.complaints")
    g = _count("received", goods, "商品类", "lists.goods")
    s = _count("received", services, "服务类", "lists.services")
    t = dr.period.short(rng.randrange(2))
    p.put("{t}，全区共受理消费投诉{w}件，其中商品类{g}件，服务类{s}件", t=t, w=w, g=g, s=s)
    p.stop()
    label = _label(dr)
    p.say(f"商品、服务投诉前五位分布情况见{label}。")
    p.done()
    dr.tables.append(_topn_table(dr, label, goods, services))


def _topn_table(dr: Draft, label: str, goods: int, services: int) -> TableData:
    rng = dr.rng
    pct_cells = rng.random() < 0.7
    head = rng.choice(("占商品/服务比", "占同类投诉比重", "占比"))
    cols: list[Col] = [
        ("group", "类别", ""),
        ("category", "项目", ""),
        ("count", "受理量(件)", ""),
        ("share.group", head if pct_cells else head + "(%)", ""),
    ]
    rows: list[dict[str, Value]] = []
    for group, whole, names in (("商品类", goods, GOODS), ("服务类", services, SERVICES)):
        top = _split(rng, math.floor(whole * rng.uniform(0.55, 0.85)), 5, 0.15)
        for name, n in zip(rng.sample(names, 5), top, strict=True):
            rows.append({"group": group, "category": name, "count": n,
                         "share.group": percent(n, whole)})  # fmt: skip
    tid = f"attachment_{len(dr.tables) + 1}"
    title = f"{dr.period.label()}商品、服务投诉前五位分布情况"
    return assemble(dr, (tid, label, title, "category:topn"), cols, rows, [None] * 10, pct_cells)
