"""Attachment tables of the kinds real bulletins print, with exact values behind each cell.

Column keys (TableSpec.keys, never printed) say what a column holds:
- rank, name, category: text (序号, 单位名称, 类别);
- counts: received, completed, completed_on_time, visited, satisfied, pending (未办结),
  hotline / mailbox / web (a channel's received), sum (a row's total), count (category);
- rates in percent: rate_completed = completed / received, rate_completed_on_time =
  completed_on_time / completed, rate_satisfaction = satisfied / visited, share = count /
  the 合计 row's count;
- period tables: cur.<m> and prev.<m> (counts) and mom.<m> = (cur - prev) / prev in percent;
- score tables (scoring.py): <component>.<role> counts and <component>.score@<weight>, total.
Rows marked in `total_rows` are 合计 rows: column sums, and rates of the sums.
"""

from __future__ import annotations

from corpus.generate.draft import Draft, TableData
from corpus.generate.figures import Channel, Counts
from corpus.generate.numfmt import percent
from corpus.generate.tablekit import NAME_WORDS, Col, Value, assemble, namer, title

CHANNEL_WORDS = {
    "hotline": ("12345热线", "热线", "市民热线"),
    "mailbox": ("市长信箱", "信箱", "书记市长信箱"),
    "web": ("网站留言", "政府网站", "网络问政"),
}


def rates(c: Counts) -> dict[str, Value]:
    return {
        "received": c.received,
        "completed": c.completed,
        "completed_on_time": c.on_time,
        "visited": c.visited,
        "satisfied": c.satisfied,
        "rate_completed": percent(c.completed, c.received) if c.received else None,
        "rate_completed_on_time": percent(c.on_time, c.completed) if c.completed else None,
        "rate_satisfaction": percent(c.satisfied, c.visited) if c.visited else None,
    }


def _finish_rows(
    dr: Draft, rows: list[dict[str, Value]], total: dict[str, Value] | None
) -> list[dict[str, Value]]:
    """Rank numbers, and a 合计 row printed in the name column or in the 序号 column."""
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    if total is not None:
        in_rank = dr.rng.random() < 0.25
        total.update({"rank": "合计" if in_rank else "", "name": "" if in_rank else "合计"})
        rows.append(total)
    return rows


def rate_table(dr: Draft, tid: str, label: str, ch: Channel) -> TableData:
    rng = dr.rng
    pct_cells = rng.random() < 0.65
    pc = "" if pct_cells else rng.choice(("(%)", "（%）"))
    rw = rng.choice(("受理件数", "受理量", "应办件数", "交办件数", "工单数"))
    if ch == "mailbox":
        rw = rng.choice(("来信件数", "留言数", "应办件数", "受理件数"))
    cw = rng.choice(("办结件数", "办结数", "办结量"))
    ow = rng.choice(("按期办结数", "按期办结件数", "按时办结数"))
    on_time, sat = rng.random() < 0.8, ch == "hotline" and rng.random() < 0.5
    cols: list[Col] = [
        ("rank", "序号", ""),
        ("name", rng.choice(NAME_WORDS), ""),
        ("received", rw, ""),
    ]
    if rng.random() < 0.4:
        cols += [("completed", "办结情况", "件数"), ("rate_completed", "办结情况", "办结率" + pc)]
        if on_time:
            cols += [("completed_on_time", "按期办结情况", "件数")]
            cols += [("rate_completed_on_time", "按期办结情况", "按期办结率" + pc)]
    elif on_time and rng.random() < 0.4:  # the seed's order: on time before completed
        cols += [("completed_on_time", ow, ""), ("completed", cw, "")]
        cols += [
            ("rate_completed", "办结率" + pc, ""),
            ("rate_completed_on_time", "按期办结率" + pc, ""),
        ]
    else:
        cols += [("completed", cw, "")] + ([("completed_on_time", ow, "")] if on_time else [])
        cols += [("rate_completed", "办结率" + pc, "")]
        cols += [("rate_completed_on_time", "按期办结率" + pc, "")] if on_time else []
    if sat:
        group = rng.choice(("群众满意度", "回访情况"))
        cols += [("visited", group, "回访数"), ("satisfied", group, "满意数")]
        cols += [("rate_satisfaction", group, "满意率" + pc)]
    name = namer(dr)
    members = sorted(dr.fig.members(ch), key=lambda d: -_counts(d.channel(ch)).received)
    rows = [{**rates(_counts(d.channel(ch))), "name": name(d.name)} for d in members]
    total = rates(dr.fig.total(ch)) if rng.random() < 0.5 else None
    what = "市民热线办理情况统计表" if ch == "hotline" else "市长信箱留言办理情况统计表"
    text, period = title(dr, what)
    depts: list[str | None] = [d.name for d in members] + ([None] if total else [])
    t = assemble(
        dr, (tid, label, text, f"rate:{ch}"), cols, _finish_rows(dr, rows, total), depts, pct_cells
    )
    t.period_text = period
    dr.departments.update(name.printed)
    return t


def _counts(c: Counts | None) -> Counts:
    assert c is not None
    return c


def count_table(dr: Draft, tid: str, label: str) -> TableData:
    """Counts per department with a 合计 row: by channel (with a row total) or by status."""
    rng, fig = dr.rng, dr.fig
    cols: list[Col] = [("rank", "序号", ""), ("name", rng.choice(NAME_WORDS), "")]
    by_channel = len(fig.channels) > 1 and rng.random() < 0.6
    group = rng.choice(("受理渠道", "工单来源", "")) if by_channel else ""
    if by_channel:
        cols += [
            (ch, group or w, w if group else "") for ch in fig.channels for w in [_word(dr, ch)]
        ]
        cols += [("sum", rng.choice(("小计", "合计", "总量")), "")]
    else:
        cols += [("received", rng.choice(("受理量", "工单总量", "受理件数")), "")]
        cols += [("completed", rng.choice(("办结量", "已办结", "办结件数")), "")]
        cols += [("pending", rng.choice(("未办结", "在办件数", "办理中")), "")]
    name = namer(dr)
    rows: list[dict[str, Value]] = []
    for d in fig.depts:
        row: dict[str, Value] = {"name": name(d.name)}
        for ch in fig.channels:
            row[ch] = (d.channel(ch) or Counts()).received
        row["sum"] = sum(int(row[ch] or 0) for ch in fig.channels)
        row.update(received=d.hotline.received, completed=d.hotline.completed)
        row["pending"] = d.hotline.received - d.hotline.completed
        rows.append(row)
    order = list(range(len(rows)))
    sort_key = "sum" if by_channel else "received"
    if rng.random() < 0.6:
        order.sort(key=lambda i: -int(rows[i][sort_key] or 0))
    rows = [rows[i] for i in order]
    total: dict[str, Value] = {k: sum(int(r[k] or 0) for r in rows) for k, _, _ in cols[2:]}
    text, period = title(
        dr, rng.choice(("工单受理情况统计表", "诉求受理情况汇总表", "工单分布情况表"))
    )
    depts: list[str | None] = [fig.depts[i].name for i in order] + [None]
    t = assemble(dr, (tid, label, text, "count"), cols, _finish_rows(dr, rows, total), depts)
    t.period_text = period
    dr.departments.update(name.printed)
    return t


def _word(dr: Draft, ch: Channel) -> str:
    return dr.rng.choice(CHANNEL_WORDS[ch])


def category_table(dr: Draft, tid: str, label: str) -> TableData:
    rng = dr.rng
    pct_cells = rng.random() < 0.7
    pc = "" if pct_cells else rng.choice(("(%)", "（%）"))
    cols: list[Col] = [
        ("rank", "序号", ""),
        ("category", rng.choice(("类别", "诉求类别", "问题类型", "分类")), ""),
        ("count", rng.choice(("件数", "受理量", "数量(件)", "工单量")), ""),
        ("share", rng.choice(("占比", "所占比例", "占比")) + pc, ""),
    ]
    base = sum(n for _, n in dr.fig.categories)
    rows: list[dict[str, Value]] = [
        {"category": c, "count": n, "share": percent(n, base)} for c, n in dr.fig.categories
    ]
    total: dict[str, Value] = {"count": base, "share": percent(base, base)}
    rows = _finish_rows(dr, rows, total)
    rows[-1].update(category="" if rows[-1]["rank"] == "合计" else "合计", name=None)
    text, period = title(
        dr, rng.choice(("诉求类别分布表", "热点问题分类统计表", "受理诉求分类情况表"))
    )
    text = text.replace("区级各部门", "").replace("各镇街、各部门", "").replace("各承办单位", "")
    depts: list[str | None] = [None] * len(rows)
    t = assemble(dr, (tid, label, text, "category"), cols, rows, depts, pct_cells)
    t.period_text = period
    return t


def period_table(dr: Draft, tid: str, label: str) -> TableData:
    """This period against the last, per department: counts and 环比 in percent."""
    rng, fig = dr.rng, dr.fig
    pct_cells = rng.random() < 0.6
    pc = "" if pct_cells else "(%)"
    cur, prev = rng.choice(
        (("本期", "上期"), ("本月", "上月") if fig.period.month else ("本季度", "上季度"))
    )
    mom = rng.choice(("环比", "环比增减", "增幅")) + pc
    metrics = ["received"] + (["completed"] if rng.random() < 0.5 else [])
    words = {"received": rng.choice(("受理量", "工单量")), "completed": "办结量"}
    cols: list[Col] = [("rank", "序号", ""), ("name", rng.choice(NAME_WORDS), "")]
    flat = rng.random() < 0.3
    for m in metrics:
        w = words[m]
        trio = ((f"cur.{m}", cur), (f"prev.{m}", prev), (f"mom.{m}", mom))
        for k, sub in trio:
            flat_label = w + sub if k.startswith("mom.") else sub + w
            cols.append((k, flat_label, "") if flat else (k, w, sub))
    name = namer(dr)
    members = sorted(fig.depts, key=lambda d: -d.hotline.received)
    rows = [_period_row(d.hotline, d.prev, name(d.name)) for d in members]
    total = _period_row(fig.total("hotline"), fig.prev_total(), "") if rng.random() < 0.5 else None
    text, period = title(
        dr, rng.choice(("工单量环比情况表", "热线工单环比变化情况表", "受理量对比表"))
    )
    depts: list[str | None] = [d.name for d in members] + ([None] if total else [])
    t = assemble(
        dr, (tid, label, text, "period"), cols, _finish_rows(dr, rows, total), depts, pct_cells
    )
    t.period_text = period
    dr.departments.update(name.printed)
    return t


def _period_row(c: Counts, p: Counts, name: str) -> dict[str, Value]:
    row: dict[str, Value] = {"name": name}
    for m in ("received", "completed"):
        a, b = getattr(c, m), getattr(p, m)
        row.update({f"cur.{m}": a, f"prev.{m}": b, f"mom.{m}": percent(a - b, b) if b else None})
    return row
