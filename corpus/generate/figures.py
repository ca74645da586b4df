"""The true figures behind one bulletin: per department, per channel, per period.

Counts are consistent by construction (received >= completed >= completed on time,
visited >= satisfied, categories add up to their total). Rates, shares and scores are
computed from them later with exact fractions.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from dataclasses import dataclass, fields
from typing import Literal

CN_DIGITS = "〇一二三四五六七八九十"
CATEGORIES = (
    "房产及物业服务类",
    "营商环境类",
    "教育类",
    "城乡建设类",
    "交通运输类",
    "生态环境类",
    "劳动和社会保障类",
    "医疗卫生类",
    "市政公用类",
    "农业农村类",
    "公安政法类",
    "民政服务类",
    "市场监管类",
    "文化旅游类",
)
BIG_UNITS = ("住房", "城市管理", "市场监督", "人力资源", "公安", "教育")
Channel = Literal["hotline", "mailbox", "web"]


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    quarter: int | None = None

    @property
    def first_month(self) -> int:
        return self.month if self.month else 3 * (self.quarter or 1) - 2

    @property
    def last_month(self) -> int:
        return self.month if self.month else 3 * (self.quarter or 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        last = self.last_month
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def prev(self) -> Period:
        if self.month:
            y, m = (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)
            return Period(y, month=m)
        q = self.quarter or 1
        return Period(self.year, quarter=q - 1) if q > 1 else Period(self.year - 1, quarter=4)

    def shifted(self, years: int = 0, steps: int = 0) -> Period:
        """Another year, or `steps` months (quarters) later: for a wrongly printed period."""
        p = Period(self.year + years, self.month, self.quarter)
        for _ in range(abs(steps)):
            p = p.prev() if steps < 0 else p._next()
        return p

    def _next(self) -> Period:
        if self.month:
            return Period(self.year + self.month // 12, month=self.month % 12 + 1)
        q = self.quarter or 1
        return Period(self.year + q // 4, quarter=q % 4 + 1)

    def label(self, form: int = 0) -> str:
        """2023年2月 / 2023年2月份 / 2023年第一季度 / 2023年一季度."""
        if self.month:
            return f"{self.year}年{self.month}月" + ("份" if form % 2 else "")
        q = CN_DIGITS[self.quarter or 1]
        return f"{self.year}年{'第' if form % 2 == 0 else ''}{q}季度"

    def short(self, form: int = 0) -> str:
        return self.label(form).split("年", 1)[1]

    @property
    def unit(self) -> str:
        return "月" if self.month else "季度"


@dataclass
class Counts:
    received: int = 0
    completed: int = 0
    on_time: int = 0
    visited: int = 0
    satisfied: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass
class DeptFig:
    name: str  # canonical
    hotline: Counts
    prev: Counts  # hotline, previous period
    mailbox: Counts | None = None
    web: Counts | None = None
    overdue: int = 0  # overdue returns (逾期退单)
    alerts: int = 0  # alerts (告警工单)
    rework: int = 0  # reworked orders (返工工单)

    def channel(self, ch: Channel) -> Counts | None:
        return self.hotline if ch == "hotline" else self.mailbox if ch == "mailbox" else self.web


@dataclass
class Figures:
    period: Period
    depts: list[DeptFig]
    channels: tuple[Channel, ...]
    categories: list[tuple[str, int]]  # largest first
    category_scope: Literal["all", "hotline"]
    last_year: Counts  # hotline totals, same period a year before

    def total(self, ch: Channel) -> Counts:
        out = Counts()
        for d in self.depts:
            c = d.channel(ch)
            if c is not None:
                out = out + c
        return out

    def prev_total(self) -> Counts:
        out = Counts()
        for d in self.depts:
            out = out + d.prev
        return out

    def all_total(self) -> Counts:
        out = Counts()
        for ch in self.channels:
            out = out + self.total(ch)
        return out

    def members(self, ch: Channel) -> list[DeptFig]:
        return [d for d in self.depts if d.channel(ch) is not None]


def choose_period(rng: random.Random) -> Period:
    year = rng.randint(2019, 2025)
    if rng.random() < 0.7:
        return Period(year, month=rng.randint(1, 12))
    return Period(year, quarter=rng.randint(1, 4))


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """`total` split in proportion to `weights`, every part at least 1."""
    n = len(weights)
    total = max(total, n)
    s = sum(weights)
    raw = [(total - n) * w / s for w in weights]
    parts = [1 + math.floor(r) for r in raw]
    order = sorted(range(n), key=lambda i: (raw[i] - math.floor(raw[i]), rng.random()))
    for i in order[::-1][: total - sum(parts)]:
        parts[i] += 1
    return parts


def _less(n: int, rng: random.Random, p_equal: float, frac: float) -> int:
    """A count a little below `n` (equal with probability `p_equal`)."""
    if n == 0 or rng.random() < p_equal:
        return n
    return n - rng.randint(1, max(1, math.ceil(n * frac)))


def _counts(received: int, rng: random.Random, strict: bool = True) -> Counts:
    completed = _less(received, rng, 0.8 if strict else 0.9, 0.04)
    on_time = _less(completed, rng, 0.55, 0.15)
    visited = completed - math.floor(completed * rng.uniform(0, 0.35))
    satisfied = _less(visited, rng, 0.5, 0.08)
    return Counts(received, max(completed, 0), max(on_time, 0), visited, max(satisfied, 0))


def _weight(name: str, rng: random.Random) -> float:
    w = rng.paretovariate(1.3)
    if any(u in name for u in BIG_UNITS):
        w *= 4
    return w * (1.5 if name.endswith(("街道办事处", "镇")) else 1.0)


def _side_channel(rng: random.Random, share: float, top: int) -> Counts | None:
    if rng.random() >= share:
        return None
    r = min(top, max(1, int(rng.paretovariate(1.4))))
    return _counts(r, rng, strict=False)


def make_figures(
    period: Period, departments: list[str], channels: tuple[Channel, ...], rng: random.Random
) -> Figures:
    months = 1 if period.month else 3
    total = int(math.exp(rng.uniform(math.log(400), math.log(9000))) * months)
    hot = _split(total, [_weight(n, rng) for n in departments], rng)
    depts = []
    for name, r in zip(departments, hot, strict=True):
        prev_r = max(1, round(r * rng.uniform(0.65, 1.4)))
        d = DeptFig(name, _counts(r, rng), _counts(prev_r, rng))
        d.overdue = 0 if rng.random() < 0.85 else rng.randint(1, 3)
        d.alerts = 0 if rng.random() < 0.9 else rng.randint(1, 2)
        d.rework = 0 if rng.random() < 0.88 else rng.randint(1, 3)
        if "mailbox" in channels:
            d.mailbox = _side_channel(rng, 0.45, 15 * months)
        if "web" in channels:
            d.web = _side_channel(rng, 0.3, 20 * months)
        depts.append(d)
    if "mailbox" in channels and not any(d.mailbox for d in depts):
        depts[0].mailbox = Counts(3, 3, 3, 2, 2)
    channels = tuple(c for c in channels if any(d.channel(c) for d in depts))
    fig = Figures(period, depts, channels, [], "hotline", Counts())
    fig.category_scope = "all" if len(channels) > 1 and rng.random() < 0.6 else "hotline"
    base = (fig.all_total() if fig.category_scope == "all" else fig.total("hotline")).received
    names = rng.sample(CATEGORIES, rng.randint(8, 12))
    counts = _split(base, [rng.gammavariate(0.9, 1.0) + 0.02 for _ in names], rng)
    fig.categories = sorted(zip(names, counts, strict=True), key=lambda c: -c[1])
    hot_total = fig.total("hotline").received
    fig.last_year = _counts(max(1, round(hot_total * rng.uniform(0.6, 1.5))), rng)
    return fig


def published(period: Period, rng: random.Random) -> dt.date:
    return period.end + dt.timedelta(days=rng.randint(3, 10))
