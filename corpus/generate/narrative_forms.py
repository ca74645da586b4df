"""The opt-in wordings: forms of real bulletins that the default narrative never prints.

Written only when the draft's `forms` is set (a focus on one of `spec.FORM_TYPES`), so a
bulletin made without them draws the same random numbers and prints the same text:

- a channel's received count split as 办结 + 在办 ("已办结1100件，正在办理100件");
- a growth rate printed after the change in count it comes from ("较上月增加61件，环比增长
  16.8%"), the rate over the earlier figure;
- the total split by request type, the list closed by 其他, each part's share printed in
  brackets after it ("咨询类240件（30.0%）"), after 占, or not at all;
- the top categories listed with their counts, then their shares by position after 分别
  ("分别占诉求总量的35.0%、15.0%、12.0%") and/or one combined share of the run ("合计占65%").

Every figure is a claim with its exact value; the part lists are recorded in
`Draft.part_lists` for the injectors (inject_forms.py).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from corpus.generate.draft import ClaimData, PartList
from corpus.generate.figures import Counts
from corpus.generate.narrative_more import cite
from corpus.generate.numfmt import percent
from corpus.generate.phrases import (
    CHANGE_DIRS,
    FORM_POOLS,
    GROWTH_DIRS,
    REQUEST_TYPES,
    SHARE_BASES,
    WIDE_DIRS,
)
from corpus.generate.writer import Para, claim, pick

if TYPE_CHECKING:
    from corpus.generate.narrative import Body


def _pick(b: Body, pool: str) -> tuple[str, str]:
    return pick(b.dr, FORM_POOLS[pool], f"forms.{pool}")


def pending(b: Body, p: Para, c: Counts, ch: str, rec: ClaimData, done: ClaimData) -> None:
    """The 在办 count after a channel's completed count (", 在办N件"): the two split its received
    count."""
    left = c.received - c.completed
    if rec.approx or done.approx or left <= 0 or b.rng.random() < 0.35:
        return
    tpl, ph = _pick(b, "pending")
    v = claim("count", "pending", str(left), ch, ph)
    v.exact, v.checkable = Fraction(left), True
    p.say("，")
    p.put(tpl, v=v)
    b.dr.part_lists.append(PartList("pair", rec, [done, v], [None, None]))


def growth_change(b: Body, p: Para, cur: int, prior: int, yoy: bool, cur_exact: bool) -> bool:
    """The change in count, then its growth rate ("较上月增加61件，环比增长16.8%"). False when
    the change rounds to no printed rate (nothing written)."""
    dr, st = b.dr, b.dr.style
    g = percent(cur - prior, prior)
    if st.value(abs(g)) == 0:
        return False
    pool = "change_yoy" if yoy else "change_mom"
    tpl, ph = _pick(b, pool)
    base = "hotline@lastyear" if yoy else "hotline@prev"
    v = claim("growth", "growth", st.text_pct(abs(g)), "hotline", ph, base=base)
    v.exact, v.num, v.den, v.checkable = g, cur - prior, prior, cur_exact
    d = claim("change", "received", str(abs(cur - prior)), "hotline", ph + "/d", base=base)
    d.exact, d.checkable = Fraction(cur - prior), True
    up = g > 0
    cup, cdown = b.rng.choice(CHANGE_DIRS)
    gup, gdown = b.rng.choice(GROWTH_DIRS)
    wup, wdown = b.rng.choice(WIDE_DIRS)
    fields: dict[str, str | ClaimData] = {"v": v, "d": d, "unit": dr.period.unit}
    fields |= {"cdir": cup if up else cdown, "dir": gup if up else gdown}
    fields["wdir"] = wup if up else wdown
    p.say("，")
    p.put(tpl, **fields)
    return True


def categories(b: Body) -> None:
    """The hot-topics section in the opt-in forms: the split by type closed by 其他, and the
    top categories with shares by position and/or combined."""
    dr, rng, fig = b.dr, b.rng, b.dr.fig
    scope = fig.category_scope
    total = (fig.all_total() if scope == "all" else fig.total("hotline")).received
    approx = dr.style.text_count(total)[1]
    split = rng.random() < 0.75
    if split:
        _split_by_type(b, total, scope)
    _top(b, total, scope, stated=split, approx=approx)


def _total_claim(b: Body, total: int, scope: str, ph: str) -> ClaimData:
    raw, approx = b.dr.style.text_count(total)
    tot = claim("count", "received", raw, scope, ph)
    tot.exact, tot.approx, tot.checkable = Fraction(total), approx, not approx
    return tot


def _share(b: Body, n: int, total: int, subject: str, scope: str, ph: str) -> ClaimData:
    st = b.dr.style
    s = claim("share", "share", st.text_pct(percent(n, total)), subject, ph, base=scope)
    s.exact, s.num, s.den = percent(n, total), n, total
    return s


def _split_by_type(b: Body, total: int, scope: str) -> None:
    dr, rng = b.dr, b.rng
    k = rng.randint(3, 4)
    names = rng.sample(REQUEST_TYPES[:5], k)
    weights = [rng.uniform(0.5, 3.0) for _ in names] + [rng.uniform(0.05, 0.3)]
    counts = _parts(total, weights, rng)
    if counts is None:
        return
    style = rng.choices(("bracket", "zhan", "plain"), weights=(45, 35, 20))[0]
    lead, ph = _pick(b, "split_lead")
    tot = _total_claim(b, total, scope, ph)
    p = Para(dr)
    p.put(lead, p=dr.period.short(rng.randrange(2)), v=tot)
    sep = rng.choice(("，", "；"))
    parts, shares = [], []
    other_tpl, other_ph = _pick(b, "split_other")
    for j, n in enumerate(counts):
        last = j == len(counts) - 1
        name = "" if last else names[j]
        c = claim("count", "received", str(n), "其他" if last else name, other_ph)
        c.exact, c.checkable = Fraction(n), True
        share: ClaimData | None = None
        if style != "plain":
            share = _share(b, n, total, c.claim.subject or "", scope, f"forms.split_{style}")
            share.checkable = tot.checkable
        if j:
            p.say(sep)
        if last:
            p.put(other_tpl, v=c)
            if share is not None:
                p.put("（{s}）" if style == "bracket" else "，占{s}", s=share)
        else:
            tpl, iph = _pick(b, f"split_item_{style}")
            c.claim.phrasing = iph
            fields: dict[str, str | ClaimData] = {"name": name, "v": c}
            if share is not None:
                fields["s"] = share
            p.put(tpl, **fields)
        parts.append(c)
        shares.append(share)
    p.stop()
    p.done()
    dr.part_lists.append(PartList("catch_all", tot, parts, shares))


def _parts(total: int, weights: list[float], rng: object) -> list[int] | None:
    """`total` split in proportion to `weights` (largest remainders), every part at least 1."""
    if total < 4 * len(weights):
        return None
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [max(1, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts if sum(parts) == total and min(parts) > 0 else None


def _top(b: Body, total: int, scope: str, *, stated: bool, approx: bool) -> None:
    """The top k categories with their counts, then shares by 分别 and/or one combined."""
    dr, rng, st, fig = b.dr, b.rng, b.dr.style, b.dr.fig
    cats = fig.categories[: rng.randint(3, 4)]
    k = len(cats)
    t = b.cites.get("category")
    p = Para(dr)
    if not stated:
        web = "、政府网站" if "web" in fig.channels else ""
        via = f"热线平台、{b.mail}{web}" if scope == "all" else "12345热线平台"
        tot = _total_claim(b, total, scope, "forms.top_total")
        p.put("{p}，{via}共受理群众诉求{v}件", p=dr.period.short(1), via=via, v=tot)
        cite(p, t)
        p.stop()
    checkable = not approx
    lead, _ = _pick(b, "hot_lead")
    p.put(lead, k=str(k))
    counts = []
    for j, (cat, n) in enumerate(cats):
        if j:
            p.say("、")
        c = claim("count", "received", str(n), cat, "forms.top_count")
        c.exact, c.checkable = Fraction(n), True
        p.put("{name}{v}件", name=cat, v=c)
        counts.append(c)
    form = rng.choices(("respectively", "both", "combined"), weights=(40, 30, 30))[0]
    base = rng.choice(SHARE_BASES[scope])
    if form in ("respectively", "both"):
        tpl, ph = _pick(b, "respectively")
        head, tail = tpl.split("{list}")
        p.put(head, base=base)
        for j, (cat, n) in enumerate(cats):
            if j:
                p.say("、")
            s = _share(b, n, total, cat, scope, ph)
            s.checkable = checkable
            p.put("{s}", s=s)
        p.say(tail)
    if form in ("combined", "both"):
        added = sum(n for _, n in cats)
        value = percent(added, total)
        pool = "combined" if form == "combined" or rng.random() < 0.5 else "combined_after"
        if pool == "combined_after":
            p.stop()
        tpl, ph = _pick(b, pool)
        if form == "both" and pool == "combined":  # after 分别, a bare 占 would read as one more
            i = rng.randrange(3)
            tpl, ph = FORM_POOLS["combined"][i], f"forms.combined.{i}"
        s = claim("share", "share_topn", st.text_pct(value), f"top{k}", ph, base=scope)
        s.claim.names = [cat for cat, _ in cats]
        s.exact, s.num, s.den, s.checkable = value, added, total, checkable
        p.put(tpl, base=base, k=str(k), v=s)
    p.stop()
    p.done()
