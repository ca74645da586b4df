"""100-point scoring tables (考评表): weighted sub-scores, one rounded total, rows by rank.

A sub-score is W x part / whole (办结: completed / received; 按期办结: on time / completed;
满意度: satisfied / visited; 工作量: completed / the largest completed count), or W when a
count is zero and 0 otherwise (逾期退单, 告警工单, 返工工单). The total is the sum of the
unrounded sub-scores, rounded once; 序号 is the rank by that total.
Keys: <component>.<role> for counts (received, completed, count, base, visited, satisfied,
max) and <component>.score@<W> for sub-scores; "total" for the total.
"""

from __future__ import annotations

from fractions import Fraction

from corpus.generate.draft import Draft, TableData
from corpus.generate.figures import DeptFig
from corpus.generate.tablekit import NAME_WORDS, Col, Value, assemble, namer, title

WEIGHTINGS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("completion", 35), ("on_time", 40), ("overdue", 5), ("alert", 10), ("workload", 5)),
    (("completion", 30), ("on_time", 40), ("satisfaction", 10), ("overdue", 10), ("alert", 10)),
    (("completion", 40), ("on_time", 30), ("satisfaction", 20), ("workload", 10)),
    (("on_time", 50), ("satisfaction", 30), ("alert", 10), ("rework", 10)),
    (("completion", 20), ("on_time", 30), ("satisfaction", 40), ("overdue", 10)),
)
LABELS = {
    "completion": ("办结得分", "办结率得分"),
    "on_time": ("按期办结得分", "按期办结率得分"),
    "satisfaction": ("满意度得分", "满意率得分"),
    "overdue": ("逾期退单得分",),
    "alert": ("告警工单得分",),
    "workload": ("工作量得分",),
    "rework": ("返工工单得分",),
}
TOTAL_WORDS = ("最终得分", "总分", "综合得分", "合计得分")


def sub_score(comp: str, w: int, d: DeptFig, top: int) -> Fraction:
    c = d.hotline
    if comp == "completion":
        return Fraction(w * c.completed, c.received)
    if comp == "on_time":
        return Fraction(w * c.on_time, c.completed) if c.completed else Fraction(0)
    if comp == "satisfaction":
        return Fraction(w * c.satisfied, c.visited) if c.visited else Fraction(w)
    if comp == "workload":
        return Fraction(w * c.completed, top)
    flag = {"overdue": d.overdue, "alert": d.alerts, "rework": d.rework}[comp]
    return Fraction(w if flag == 0 else 0)


def _counts(comp: str, d: DeptFig, top: int) -> dict[str, int]:
    c = d.hotline
    return {
        "completion": {"received": c.received, "completed": c.completed},
        "on_time": {"count": c.on_time, "base": c.completed},
        "satisfaction": {"visited": c.visited, "satisfied": c.satisfied},
        "overdue": {"count": d.overdue},
        "alert": {"count": d.alerts},
        "rework": {"count": d.rework},
        "workload": {"count": c.completed, "max": top},
    }[comp]


def _subcols(dr: Draft, comp: str, seed_style: bool, has_completion: bool) -> list[tuple[str, str]]:
    """(role, printed label) of the count columns a detailed table prints for a component."""
    ch = dr.rng.choice
    if comp == "completion":
        if seed_style:
            return [("completed", "工单数")]
        return [("received", ch(("受理数", "工单数"))), ("completed", "办结数")]
    if comp == "on_time":
        if has_completion:
            return [("count", ch(("工单数", "按期办结数")))]
        return [("base", "办结数"), ("count", "按期办结数")]
    return {
        "satisfaction": [("visited", "回访数"), ("satisfied", "满意数")],
        "overdue": [("count", ch(("工单数", "退单数")))],
        "alert": [("count", ch(("工单数", "告警数")))],
        "rework": [("count", "返工数")] if dr.rng.random() < 0.5 else [],
        "workload": [("count", "办结工单数量"), ("max", ch(("办结最高数", "最高办结量")))],
    }[comp]


def _group_text(dr: Draft, comp: str, w: int, paren: tuple[str, str], nl: bool) -> str:
    label = dr.rng.choice(LABELS[comp])
    return f"{label}{chr(10) if nl else ''}{paren[0]}{w}分{paren[1]}"


def score_table(dr: Draft, tid: str, label: str) -> TableData:
    rng = dr.rng
    weighting = list(rng.choice(WEIGHTINGS))
    if weighting[0] == ("completion", 35) and rng.random() < 0.5:
        weighting.append(("rework", 5))  # the seed's 35/40/5/10/5/5
    total_w = sum(w for _, w in weighting)
    if total_w != 100:  # keep 100 points: the first component takes the slack
        weighting[0] = (weighting[0][0], weighting[0][1] + 100 - total_w)
    comps = [c for c, _ in weighting]
    detailed = rng.random() < 0.6
    seed_style = detailed and rng.random() < 0.6 and "completion" in comps
    paren, nl = rng.choice((("(", ")"), ("（", "）"))), rng.random() < 0.3
    cols: list[Col] = [("rank", "序号", ""), ("name", rng.choice(NAME_WORDS), "")]
    for comp, w in weighting:
        group = _group_text(dr, comp, w, paren, nl)
        subs = _subcols(dr, comp, seed_style, "completion" in comps) if detailed else []
        if detailed and subs:
            cols += [(f"{comp}.{role}", group, text) for role, text in subs]
            cols.append((f"{comp}.score@{w}", group, "得分"))
        else:
            cols.append((f"{comp}.score@{w}", group, ""))
    cols.append(("total", rng.choice(TOTAL_WORDS), ""))
    depts = list(dr.fig.depts)
    top = max(d.hotline.completed for d in depts) or 1
    scored = []
    for d in depts:
        subs_exact = {c: sub_score(c, w, d, top) for c, w in weighting}
        scored.append((sum(subs_exact.values(), Fraction(0)), d, subs_exact))
    scored.sort(key=lambda s: (-s[0], -s[1].hotline.received, s[1].name))
    name = namer(dr)
    rows: list[dict[str, Value]] = []
    for rank, (total, d, subs_exact) in enumerate(scored, 1):
        row: dict[str, Value] = {"rank": rank, "name": name(d.name), "total": total}
        for comp, w in weighting:
            row[f"{comp}.score@{w}"] = subs_exact[comp]
            row.update({f"{comp}.{k}": v for k, v in _counts(comp, d, top).items()})
        rows.append(row)
    what = rng.choice(
        ("市民热线办理考评表", "12345热线工单办理考核得分情况表", "热线办理质效考评排名表")
    )
    text, period = title(dr, what)
    order: list[str | None] = [d.name for _, d, _ in scored]
    t = assemble(dr, (tid, label, text, "score"), cols, rows, order)
    t.period_text, t.components = period, len(weighting)
    if seed_style:
        t.hidden = [dr.style.cell_num(d.hotline.received) for _, d, _ in scored]
    dr.departments.update(name.printed)
    return t
