"""Body sections on rankings (top-N, bottom-N, the busiest unit) and on hot categories."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from corpus.generate.draft import TableData
from corpus.generate.numfmt import percent
from corpus.generate.phrases import POOLS, SHARE_BASES, TOPICS
from corpus.generate.writer import Para, claim, pick

if TYPE_CHECKING:
    from corpus.generate.narrative import Body

CN = "一二三四五六七八九十"
INTROS = (
    "{p}，公众通过{via}反映的问题共{v}件，主要集中在以下{k}个方面",
    "{p}，{via}共受理群众诉求{v}件，按类别统计，排名前{k}位的依次为",
    "从诉求类别看，{p}通过{via}受理的{v}件诉求中，以下{k}类问题较为集中",
)


def cite(p: Para, t: TableData | None, after: bool = False) -> None:
    """（详见附件N）: inside the sentence, or after its full stop."""
    if t is None or not t.spec.attachment:
        return
    text = f"（详见{t.spec.attachment}）"
    if after:
        p.tail(text)
    else:
        p.say(text)


def ranking(b: Body, t: TableData) -> None:
    """Top-N and bottom-N units of the score table, and the unit with most orders."""
    dr, rng = b.dr, b.rng
    order = [d for d in t.depts if d is not None]
    k_top, k_bot = rng.randint(3, 5), rng.randint(2, 4)
    p = Para(dr)
    for side, names in (("top", order[:k_top]), ("bottom", order[-k_bot:])):
        tpl, ph = pick(dr, POOLS[side], side)
        if side == "top" and not tpl.startswith(("综合", "在各")):
            p.say(rng.choice(("从综合考评结果看，", f"{dr.period.short(1)}，", "")))
        printed = [b.names(n) for n in names]
        value = str(len(names)) if "{k}" in tpl else None
        p.put(tpl, names="、".join(printed), k=str(len(names)))
        p.attach(claim("rank_list", None, value, side, ph, names=printed))
        if side == "bottom":
            cite(p, t)
        p.stop("；" if side == "top" else "。")
    if rng.random() < 0.5:
        good, bad = [b.names(n) for n in order[:2]], [b.names(n) for n in order[-2:]]
        p.say(
            f"{'、'.join(good)}能及时联系市民，告知处理结果，表现突出；"
            f"{'、'.join(bad)}还需持续改进，进一步提升工单回复质量"
        )
        p.stop()
    p.done()
    if rng.random() < 0.7:
        busiest(b)


def busiest(b: Body) -> None:
    dr, rng, st = b.dr, b.rng, b.dr.style
    hot = dr.fig.total("hotline")
    d = max(dr.fig.depts, key=lambda x: (x.hotline.received, x.name))
    p = Para(dr)
    p.say("从受理量看，" + b.names(d.name))
    p.say(rng.choice(("受理量最多，", "工单量居首，", "承办工单最多，")))
    n = b.count("received", d.hotline.received, d.name, "cat_count")
    p.put(n.claim.sentence, v=n)
    tpl, ph = pick(dr, POOLS["share"], "share")
    s = claim("share", "share", st.text_pct(percent(d.hotline.received, hot.received)), d.name, ph)
    s.claim.base = "hotline"
    s.exact, s.num, s.den = (
        percent(d.hotline.received, hot.received),
        d.hotline.received,
        hot.received,
    )
    s.alt_dens = [hot.completed]
    s.checkable = b.exact.get("hotline", False) and not n.approx
    p.say("，")
    p.put(tpl, v=s, base=rng.choice(SHARE_BASES["dept"]))
    p.stop()
    p.done()


def categories(b: Body) -> None:
    """The hot categories: a total, then count and share of the top 3-5 categories."""
    dr, rng, st, fig = b.dr, b.rng, b.dr.style, b.dr.fig
    scope = fig.category_scope
    total = fig.all_total() if scope == "all" else fig.total("hotline")
    t = b.cites.get("category")
    cats = fig.categories[: rng.randint(3, 5)]
    web = "、政府网站" if "web" in fig.channels else ""
    via = f"热线平台、{b.mail}{web}" if scope == "all" else "12345热线平台"
    i = rng.randrange(len(INTROS))
    raw, approx = st.text_count(total.received)
    tot = claim("count", "received", raw, scope, f"intro.{i}")
    tot.exact, tot.approx, tot.checkable = Fraction(total.received), approx, not approx
    tot.ref = (t.spec.id, "count") if t is not None else None
    p = Para(dr)
    p.put(INTROS[i], p=dr.period.short(1), via=via, v=tot, k=str(len(cats)))
    cite(p, t)
    p.stop("：")
    seed_style = rng.random() < 0.6
    if seed_style:
        p.done()
    alt = [total.completed] + ([fig.total("hotline").received] if scope == "all" else [])
    for j, (cat, n) in enumerate(cats):
        if seed_style:
            p = Para(dr)
            p.say(f"（{CN[j]}）{cat}：本{dr.period.unit}")
        else:
            p.say(cat)
        c = b.count("received", n, cat, "cat_count")
        p.put(c.claim.sentence, v=c)
        tpl, ph = pick(dr, POOLS["share"], "share")
        s = claim("share", "share", st.text_pct(percent(n, total.received)), cat, ph, base=scope)
        s.exact, s.num, s.den, s.alt_dens = percent(n, total.received), n, total.received, alt
        s.checkable = not approx and not c.approx
        p.say("，")
        p.put(tpl, v=s, base=rng.choice(SHARE_BASES[scope]))
        if seed_style:
            p.stop()
            p.say(f"主要反映{TOPICS[cat]}等问题")
            p.stop()
            p.done()
        else:
            p.stop("；" if j < len(cats) - 1 else "。")
    if not seed_style:
        p.done()
