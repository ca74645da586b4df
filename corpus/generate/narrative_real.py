"""More forms of real bulletins (issue 11), written only when the draft's `real` is set (a
focus on one of `spec.REAL_TYPES`), so a bulletin made without them prints the same text:

- the hotline's count against the earlier one printed beside it ("比上月（1460件）增加129
  件"), then split by channel: phone calls with their daily average ("日均51件") and the
  rest online, a count the text derives (受理 − 电话);
- the completed count split as on time and overdue (超期 = 办结 − 按期), and rates under
  names outside the usual vocabulary: 按时结案率, 回访率 / 联系率 over the completed, 满意率 and
  不满意率 over the surveyed (回访), not the received;
- shares of request types over the phone calls only, while the whole count is printed too;
- a 12315 section: complaints, reports and enquiries with a total in 万 (whose printed
  precision bounds the exact count), their shares after 分别占, the complaints' top
  categories with shares over the complaints, and 挽回经济损失 in 万元 (no relation).

Every figure is a claim with its exact value; the derived counts are `PartList`s of kind
"derived" for the injectors (inject_real.py).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

from corpus.generate.draft import ClaimData, PartList
from corpus.generate.numfmt import percent, plain, quantize
from corpus.generate.phrases import REAL_POOLS, REQUEST_TYPES
from corpus.generate.writer import Para, claim, pick

if TYPE_CHECKING:
    from corpus.generate.narrative import Body

CONSUMER_KINDS = ("投诉", "举报", "咨询")
CONSUMER_TOPICS = (
    "预付式消费",
    "餐饮住宿",
    "网络购物",
    "家用电器",
    "装修建材",
    "教育培训",
    "美容美发",
    "交通工具",
)


def _pick(b: Body, pool: str) -> tuple[str, str]:
    return pick(b.dr, REAL_POOLS[pool], f"real.{pool}")


def _count(metric: str, n: int, subject: str, ph: str) -> ClaimData:
    c = claim("count", metric, str(n), subject, ph)
    c.exact, c.checkable = Fraction(n), True
    return c


def _pct(b: Body, kind: str, metric: str, num: int, den: int, subject: str, ph: str) -> ClaimData:
    st = b.dr.style
    value = percent(num, den)
    s = claim(kind, metric, st.text_pct(value), subject, ph)
    s.exact, s.num, s.den, s.checkable = value, num, den, True
    return s


def channels(b: Body) -> None:
    """The hotline's count beside the earlier one, then phone calls (daily average) and the
    online rest, then shares of request types over the phone calls."""
    dr, rng = b.dr, b.rng
    c = dr.fig.total("hotline")
    yoy = rng.random() < 0.4
    prior = (dr.fig.last_year if yoy else dr.fig.prev_total()).received
    p = Para(dr)
    tot = _count("received", c.received, "hotline", "real.total")
    p.put("{p}，12345热线共受理群众诉求{v}件", p=dr.period.short(rng.randrange(2)), v=tot)
    if prior != c.received:
        _difference(b, p, c.received, prior, yoy)
    p.stop()
    phone = round(c.received * rng.uniform(0.55, 0.9))
    if 0 < phone < c.received:
        _phone_split(b, p, c.received, phone, tot)
        p.done()
        _phone_shares(b, phone)
    else:
        p.done()


def _difference(b: Body, p: Para, cur: int, prior: int, yoy: bool) -> None:
    tpl, ph = _pick(b, "difference_yoy" if yoy else "difference_mom")
    base = "hotline@lastyear" if yoy else "hotline@prev"
    m = _count("received", prior, base, ph + "/m")
    d = claim("change", "received", str(abs(cur - prior)), "hotline", ph, base=base)
    d.exact, d.num, d.den, d.checkable = Fraction(cur - prior), cur, prior, True
    up = cur > prior
    fields: dict[str, str | ClaimData] = {"m": m, "d": d, "unit": b.dr.period.unit}
    fields["dir"] = "增加" if up else "减少"
    p.say("，")
    p.put(tpl, **fields)


def _phone_split(b: Body, p: Para, total: int, phone: int, tot: ClaimData) -> None:
    dr = b.dr
    tpl, ph = _pick(b, "phone")
    calls = _count("received", phone, "hotline.phone", ph)
    days = dr.period.days
    decimals = 0 if phone >= 10 * days else 1
    avg = quantize(Fraction(phone, days), decimals, dr.style.rounding)
    a = claim("average", "daily", plain(avg, decimals), "hotline.phone", ph + "/avg")
    a.exact, a.num, a.den, a.checkable = Fraction(phone, days), phone, days, True
    online = _count("received", total - phone, "hotline.online", ph + "/rest")
    p.put(tpl, v=calls, a=a, w=online)
    p.stop()
    dr.part_lists.append(PartList("derived", tot, [calls, online], [None, None]))


def _phone_shares(b: Body, phone: int) -> None:
    """Two or three request types over the phone calls only ("电话诉求中，咨询类…，占…")."""
    dr, rng = b.dr, b.rng
    k = rng.randint(2, 3)
    names = rng.sample(REQUEST_TYPES[:4], k)
    cuts = sorted(rng.sample(range(1, 100), k), reverse=True)
    counts = [max(1, phone * w // (sum(cuts) + rng.randint(5, 60))) for w in cuts]
    if sum(counts) >= phone:
        return
    lead, ph = _pick(b, "phone_lead")
    base = rng.choice(REAL_POOLS["phone_base"])
    p = Para(dr)
    p.say(lead)
    for j, (name, n) in enumerate(zip(names, counts, strict=True)):
        if j:
            p.say("；")
        c = _count("received", n, name, ph)
        s = _pct(b, "share", "share", n, phone, name, ph + "/s")
        s.claim.base = "hotline.phone"
        p.put("{name}{v}件，占{base}{s}", name=name, v=c, base=base, s=s)
    p.stop()
    p.done()


def quality(b: Body) -> None:
    """The completed count split as on time and overdue, and rates outside the usual names:
    on time over completed, visited over completed, (dis)satisfied over visited."""
    dr, rng = b.dr, b.rng
    c = dr.fig.total("hotline")
    if not c.completed or not c.visited:
        return
    p = Para(dr)
    done = _count("completed", c.completed, "hotline", "real.done")
    p.put("热线已办结的{v}件诉求中", v=done)
    late = c.completed - c.on_time
    on = _count("completed_on_time", c.on_time, "hotline", "real.on_time")
    p.put("，按期办结{v}件", v=on)
    if late > 0:
        over = _count("overdue", late, "hotline", "real.overdue")
        p.put("，超期办结{v}件", v=over)
        dr.part_lists.append(PartList("derived", done, [on, over], [None, None]))
    name, ph = _pick(b, "on_time_rate")
    r = _pct(b, "rate", "rate_on_time", c.on_time, c.completed, "hotline", ph)
    p.put("，{name}{v}", name=name, v=r)
    p.stop("；")
    name, ph = _pick(b, "visit_rate")
    v = _count("visited", c.visited, "hotline", "real.visited")
    rv = _pct(b, "rate", "rate_visited", c.visited, c.completed, "hotline", ph)
    p.put("回访{v}件，{name}{r}", v=v, name=name, r=rv)
    name, ph = _pick(b, "satisfied_rate")
    sat = _count("satisfied", c.satisfied, "hotline", "real.satisfied")
    rs = _pct(b, "rate", "rate_satisfaction", c.satisfied, c.visited, "hotline", ph)
    p.put("，其中满意{v}件，{name}{r}", v=sat, name=name, r=rs)
    unhappy = c.visited - c.satisfied
    if unhappy > 0 and rng.random() < 0.7:
        u = _count("dissatisfied", unhappy, "hotline", "real.dissatisfied")
        ru = _pct(b, "rate", "rate_dissatisfied", unhappy, c.visited, "hotline", "real.unhappy")
        p.put("，不满意{v}件，不满意率{r}", v=u, r=ru)
    p.stop()
    p.done()


def consumer(b: Body) -> None:
    """A 12315 section: the total in 万, its three kinds with shares after 分别占, the
    complaints' top categories with shares over the complaints, and money recovered."""
    dr, rng, st = b.dr, b.rng, b.dr.style
    b.heading(rng.choice(("12315消费维权情况", "消费投诉举报情况", "12315平台受理情况")))
    total = rng.randint(10_500, 60_000)
    weights = [rng.uniform(0.35, 0.6), rng.uniform(0.05, 0.15), rng.uniform(0.25, 0.5)]
    parts = [math.floor(total * w / sum(weights)) for w in weights]
    parts[0] += total - sum(parts)
    wan = quantize(Fraction(total, 10_000), 2, st.rounding)
    tot = claim("count", "received", plain(wan, 2) + "万", "consumer", "real.consumer")
    tot.exact, tot.approx = Fraction(total), True
    p = Para(dr)
    tpl, ph = _pick(b, "consumer_lead")
    p.put(tpl, p=dr.period.short(rng.randrange(2)), v=tot)
    for j, (kind, n) in enumerate(zip(CONSUMER_KINDS, parts, strict=True)):
        p.say("、" if j else "，其中")
        c = _count("received", n, kind, ph)
        p.put("{kind}{v}件", kind=kind, v=c)
    p.say("，分别占")
    for j, (kind, n) in enumerate(zip(CONSUMER_KINDS, parts, strict=True)):
        if j:
            p.say("、")
        s = _pct(b, "share", "share", n, total, kind, "real.consumer_share")
        s.claim.base = "consumer"
        p.put("{s}", s=s)
    p.stop()
    _complaint_topics(b, p, parts[0])
    money = quantize(Fraction(rng.randint(50_000, 9_000_000), 10_000), 2, "half_up")
    m = claim("amount", "money", plain(money, 2) + "万元", "consumer", "real.money")
    p.put(rng.choice(("为消费者挽回经济损失{v}", "共挽回消费者经济损失{v}")), v=m)
    p.stop()
    p.done()


def _complaint_topics(b: Body, p: Para, complaints: int) -> None:
    rng = b.rng
    k = rng.randint(3, 4)
    topics = rng.sample(CONSUMER_TOPICS, k)
    cuts = sorted((rng.uniform(0.2, 1.0) for _ in topics), reverse=True)
    whole = sum(cuts) / rng.uniform(0.45, 0.85)  # the listed topics leave some out
    counts = [max(1, math.floor(complaints * w / whole)) for w in cuts]
    tpl, ph = _pick(b, "topics_lead")
    p.put(tpl, k=str(k))
    for j, (topic, n) in enumerate(zip(topics, counts, strict=True)):
        if j:
            p.say("、")
        c = _count("received", n, topic, ph)
        p.put("{t}类{v}件", t=topic, v=c)
    p.say("，分别占投诉总量的")
    for j, (topic, n) in enumerate(zip(topics, counts, strict=True)):
        if j:
            p.say("、")
        s = _pct(b, "share", "share", n, complaints, f"{topic}类", "real.topic_share")
        s.claim.base = "consumer.投诉"
        p.put("{s}", s=s)
    p.stop()
