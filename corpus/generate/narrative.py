"""The body of a bulletin: sections that state totals, rates, shares, growth and rankings.

Every stated figure becomes a `Claim` (see writer.py). Subjects: "hotline", "mailbox",
"web", "all" (every channel), a category name, a canonical department name, and
"<subject>@prev" / "<subject>@lastyear" for the previous period and the same period a
year before. A rate's base is its subject's own counts; a share's base is `Claim.base`.
"""

from __future__ import annotations

from fractions import Fraction

from corpus.generate import frontmatter as fm
from corpus.generate import narrative_forms as forms
from corpus.generate import narrative_lists as lists
from corpus.generate import narrative_real as real
from corpus.generate import narrative_stats as stats
from corpus.generate.draft import ClaimData, Draft, TableData
from corpus.generate.figures import Counts
from corpus.generate.names import Namer
from corpus.generate.narrative_more import categories, cite, ranking
from corpus.generate.numfmt import percent, plain
from corpus.generate.phrases import GROWTH_DIRS, POINT_DIRS, POOLS
from corpus.generate.spec import Paragraph
from corpus.generate.writer import Para, claim, pick

CN = "一二三四五六七八九十"
RATE_PARTS = {
    "rate_completed": ("completed", "received"),
    "rate_completed_on_time": ("on_time", "completed"),
    "rate_satisfaction": ("satisfied", "visited"),
}
REF_KEYS = {
    "score": {
        "received": "completion.received",
        "completed": "completion.completed",
        "completed_on_time": "on_time.count",
    },
    "count": {"received": "received", "completed": "completed"},
    "period": {"received": "cur.received", "completed": "cur.completed"},
}
MAIL_WORDS = ("市委书记信箱、市长信箱", "市长信箱", "区长信箱", "书记市长信箱")


def rate_of(c: Counts, metric: str) -> Fraction | None:
    num, den = (getattr(c, f) for f in RATE_PARTS[metric])
    return percent(num, den) if den else None


def _ref(t: TableData | None, ch: str, metric: str) -> tuple[str, str] | None:
    if t is None:
        return None
    key = metric if t.role.startswith("rate") else REF_KEYS.get(t.role, {}).get(metric, "")
    if t.role == "count" and metric == "received" and ch in t.keys:
        key = ch
    return (t.spec.id, key) if key in t.keys else None


class Body:
    """Writes the body of one bulletin into the draft."""

    def __init__(self, dr: Draft, cites: dict[str, TableData]):
        self.dr, self.cites, self.rng = dr, cites, dr.rng
        habit = self.rng.choice(("plain", "plain", "mixed"))
        self.names = Namer(dr.district, habit, dr.rng, short_streets=self.rng.random() < 0.2)  # type: ignore[arg-type]
        self.exact: dict[str, bool] = {}  # subject -> its received count is printed exactly
        self.mail = self.rng.choice(MAIL_WORDS)
        self.sections = 0

    def heading(self, text: str, level: int = 1) -> None:
        if level == 1:
            text = f"{CN[self.sections]}、{text}"
            self.sections += 1
        self.dr.body.append(Paragraph(text, "heading1" if level == 1 else "heading2"))

    def write(self) -> None:
        dr, rng = self.dr, self.rng
        p = Para(dr)
        p.say(fm.opening(dr))
        p.done()
        self.heading(rng.choice(("总体情况", "基本情况", "整体运行情况", "工单办理总体情况")))
        multi = "mailbox" in dr.fig.channels
        if multi:
            self.heading("（一）市民热线办理情况", 2)
        self.totals("hotline")
        if dr.real:
            real.channels(self)
            real.quality(self)
        if multi:
            self.heading(f"（二）{self.mail}办理情况", 2)
            self.totals("mailbox")
        if "score" in self.cites:
            self.heading(rng.choice(("考评排名情况", "各单位办理情况", "考核评价情况")))
            ranking(self, self.cites["score"])
        self.heading(rng.choice(("热点问题", "诉求热点分析", "群众反映集中的问题")))
        if dr.forms:
            forms.categories(self)
        else:
            categories(self)
        if dr.real:
            real.consumer(self)
        if dr.stats:
            lists.hotline(self)
            lists.consumer(self)
            stats.economy(self)
            stats.population(self)
        self.heading(rng.choice(("工作要求", "下一步工作要求", "有关要求")))
        for text in fm.requirements(dr):
            dr.body.append(Paragraph(text))
        dr.body.append(Paragraph(fm.contact(dr), "contact"))
        dr.departments.update(self.names.printed)

    def count(self, metric: str, n: int, subject: str, pool: str) -> ClaimData:
        raw, approx = self.dr.style.text_count(n)
        tpl, ph = pick(self.dr, POOLS[pool], pool)
        c = claim("count", metric, raw, subject, ph)
        c.exact, c.approx, c.checkable = Fraction(n), approx, not approx
        c.claim.sentence = tpl  # the template, until the sentence is printed
        return c

    def rate(self, metric: str, c: Counts, subject: str, checkable: bool) -> ClaimData | None:
        value = rate_of(c, metric)
        if value is None:
            return None
        tpl, ph = pick(self.dr, POOLS[metric], metric)
        r = claim("rate", metric, self.dr.style.text_pct(value), subject, ph)
        num, den = (getattr(c, f) for f in RATE_PARTS[metric])
        r.exact, r.num, r.den, r.checkable = value, num, den, checkable
        r.claim.sentence = tpl
        return r

    def totals(self, ch: str) -> None:
        """The paragraph on one channel: received, completed, on time, rates, growth."""
        dr, rng = self.dr, self.rng
        c, t = dr.fig.total(ch), self.cites.get(ch)  # type: ignore[arg-type]
        p = Para(dr)
        lead: dict[str, tuple[str, ...]] = {"mailbox": (self.mail,)}
        lead["hotline"] = ("我区12345市民热线平台", "全区12345热线", "区12345热线平台", "")
        p.say(f"{dr.period.short(rng.randrange(2))}，{rng.choice(lead[ch])}")
        rec = self.count(
            "received", c.received, ch, "received" if ch == "hotline" else "mail_received"
        )
        rec.ref = _ref(t, ch, "received")
        p.put(rec.claim.sentence, v=rec)
        self.exact[ch] = not rec.approx
        if ch == "hotline" and rng.random() < 0.75:
            self.growth(p, c.received, rec.checkable)
        done = self.count("completed", c.completed, ch, "completed")
        done.ref = _ref(t, ch, "completed")
        p.say("，")
        p.put(done.claim.sentence, v=done)
        if dr.forms:
            forms.pending(self, p, c, ch, rec, done)
        rate = self.rate("rate_completed", c, ch, rec.checkable and done.checkable)
        if rate is not None:
            p.say("，")
            p.put(rate.claim.sentence, v=rate)
            if ch == "hotline" and rng.random() < 0.6:
                self.points(p, "rate_completed", c)
        if rng.random() < 0.75:
            p.stop(rng.choice(("；", "。")))
            on = self.count("completed_on_time", c.on_time, ch, "completed_on_time")
            p.put(on.claim.sentence, v=on)
            r2 = self.rate("rate_completed_on_time", c, ch, on.checkable and done.checkable)
            if r2 is not None:
                p.say("，")
                p.put(r2.claim.sentence, v=r2)
                if ch == "hotline" and rng.random() < 0.3:
                    self.points(p, "rate_completed_on_time", c)
        if ch == "hotline" and rng.random() < 0.5:
            sat = self.rate("rate_satisfaction", c, ch, False)
            if sat is not None:
                p.say("，")
                p.put(sat.claim.sentence, v=sat)
                if rng.random() < 0.5:
                    self.points(p, "rate_satisfaction", c)
        inside = rng.random() < 0.5
        if inside:
            cite(p, t)
        p.stop()
        if not inside:
            cite(p, t, after=True)
        if ch == "mailbox" and "web" in dr.fig.channels:
            web = self.count("received", dr.fig.total("web").received, "web", "mail_received")
            p.say("政府网站留言板")
            p.put(web.claim.sentence, v=web)
            p.stop()
        p.done()

    def growth(self, p: Para, cur: int, cur_exact: bool) -> None:
        dr, rng, st = self.dr, self.rng, self.dr.style
        yoy = rng.random() < 0.4
        prior = (dr.fig.last_year if yoy else dr.fig.prev_total()).received
        g = percent(cur - prior, prior)
        if st.value(abs(g)) == 0:
            return
        if (
            dr.forms
            and rng.random() < 0.7
            and forms.growth_change(self, p, cur, prior, yoy, cur_exact)
        ):
            return
        pool = "growth_yoy" if yoy else "growth_mom"
        tpl, ph = pick(dr, POOLS[pool], pool)
        base = "hotline@lastyear" if yoy else "hotline@prev"
        v = claim("growth", "growth", st.text_pct(abs(g)), "hotline", ph, base=base)
        v.exact, v.num, v.den = g, cur - prior, prior
        up, down = rng.choice(GROWTH_DIRS)
        fields: dict[str, str | ClaimData] = {"v": v, "dir": up if g > 0 else down}
        fields["unit"] = dr.period.unit
        if "{m}" in tpl:
            m = claim("count", "received", str(prior), base, ph)
            m.exact, m.checkable = Fraction(prior), True
            fields["m"], v.checkable = m, cur_exact
        p.say("，")
        p.put(tpl, **fields)

    def points(self, p: Para, metric: str, c: Counts) -> None:
        dr, rng, st = self.dr, self.rng, self.dr.style
        yoy = rng.random() < 0.35
        cur, prior = (
            rate_of(c, metric),
            rate_of(dr.fig.last_year if yoy else dr.fig.prev_total(), metric),
        )
        if cur is None or prior is None or st.value(cur) == st.value(prior):
            return
        diff = st.value(cur) - st.value(prior)
        pool = "points_yoy" if yoy else "points_mom"
        tpl, ph = pick(dr, POOLS[pool], pool)
        base = "hotline@lastyear" if yoy else "hotline@prev"
        v = claim("points", metric, plain(abs(diff), st.decimals), "hotline", ph, base=base)
        v.exact = diff
        up, down = rng.choice(POINT_DIRS)
        fields: dict[str, str | ClaimData] = {"v": v, "dir": up if diff > 0 else down}
        fields["unit"] = dr.period.unit
        if "{r}" in tpl:
            r = claim("rate", metric, st.text_pct(prior), base, ph + "/r")
            r.exact = prior
            fields["r"], v.checkable = r, True
        p.say("，")
        p.put(tpl, **fields)
