"""`python -m bench.scaling`: time per stage as a generated bulletin doubles in size.

Five series, each doubling one dimension of an HTML bulletin written here (invented
departments, numbers consistent with their formulas):

- rows: a scored table of 4 header groups with 25, 50, ... 400 department rows;
- columns: 50 rows with 2, 4, ... 32 header groups (each group 2 or 3 columns);
- text: a narrative of 20, 40, ... 160 sentences that state counts and rates;
- long-text: the same narrative at 640, 1,280, ... 5,120 sentences (issue 12: merging a
  paragraph's lines once cost the square of its length, which short texts did not show),
  one run per size;
- html-rows: the rows table at 500, 1,000, ... 8,000 rows (issue 12: past 2,000 rows reading
  and auditing grew faster than the table), its departments spelled apart
  (`distinct_departments`), read with no row limit, one run per size.

Each document is read, normalized, audited and written as JSON in this process; the
rounding-convention inference (`infer_rounding`, inside normalization) is timed on its
own. Times are CPU time of this process (`time.process_time`), the fastest of three runs:
on a machine shared with other work, wall time measures the neighbours. A stage that
grows linearly shows a ratio near 2 between consecutive sizes. Prints a table;
`python -m bench` records the figures in bench/latest.json, and so does `--record`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from random import Random
from typing import Any

STAGES = ("read", "normalize", "infer", "rules", "report")
TOPICS = [
    "热线",
    "信箱",
    "网站",
    "微信",
    "来信",
    "来访",
    "电话",
    "短信",
    "政务",
    "便民",
    "民生",
    "投诉",
    "求助",
    "咨询",
    "建议",
    "表扬",
]
PLACES = "东 西 南 北 青 白 红 金 银 石 松 柳 桃 梅 兰 竹 菊 荷 枫 杉".replace(" ", "")
ENDS = ("山镇", "水镇", "河街道", "林乡", "田镇", "湖街道", "溪乡", "桥镇")
# numerals and place or body words, which would make a name read as a number or a prefix
NOT_IN_NAMES = frozenset("零〇一二两三四五六七八九十百千万亿区县市镇乡街道村局委办")
DEFAULT_SERIES = {
    "rows": [25, 50, 100, 200, 400],
    "columns": [2, 4, 8, 16, 32],
    "text": [20, 40, 80, 160],
    "long-text": [640, 1280, 2560, 5120],
    "html-rows": [500, 1000, 2000, 4000, 8000],
}
# seconds a size: the fastest of three would take minutes
REPEATS = {"html-rows": 1, "long-text": 1}


def departments(n: int) -> list[str]:
    """`n` distinct invented place names (two characters of PLACES, then an ending)."""
    names = [a + b + end for end in ENDS for a in PLACES for b in PLACES if a != b]
    return names[:n]


def distinct_departments(n: int) -> list[str]:
    """`n` names that share no character but their ending (at most 10,000).

    `departments` draws from 20 characters, so the more names, the more of them are one
    character apart, which department clustering must compare: its work would grow with the
    density of near spellings, not with the rows. These names keep that density at zero at
    every size, like a real table, whose departments are spelled apart.
    """
    chars = (chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in NOT_IN_NAMES)
    return [next(chars) + next(chars) + ENDS[i % len(ENDS)] for i in range(n)]


def rounded(x: Decimal, places: str = "0.01") -> str:
    return str(x.quantize(Decimal(places), rounding=ROUND_HALF_UP))


Cells = tuple[list[str], Decimal]  # a group's cells in one row, and its unrounded score


def _group(kind: int, topic: str, rng: Random) -> tuple[str, list[str], Callable[[], Cells]]:
    """A header group: its title, its sub-headers and a maker of one row's cells."""
    weight = rng.choice((5, 10, 20, 30, 40))
    if kind == 0:

        def ratio() -> Cells:
            received = rng.randint(20, 900)
            done = received - rng.randint(0, min(5, received))
            score = Decimal(weight * done) / received
            return [str(received), str(done), rounded(score)], score

        return f"{topic}办结率得分（{weight}分）", ["受理数", "办结数", "得分"], ratio
    if kind == 1:

        def satisfied() -> Cells:
            visits = rng.randint(10, 300)
            happy = visits - rng.randint(0, min(8, visits))
            score = Decimal(weight * happy) / visits
            return [str(visits), str(happy), rounded(score)], score

        return f"{topic}满意度得分（{weight}分）", ["回访数", "满意数", "得分"], satisfied

    def alerts() -> Cells:
        n = rng.choice((0, 0, 0, 1, 2))
        score = Decimal(max(0, weight - 2 * n))
        return [str(n), rounded(score)], score

    return f"{topic}告警工单得分（{weight}分）", ["告警数", "得分"], alerts


def table_html(rows: int, groups: int, rng: Random, *, distinct: bool = False) -> str:
    specs = [_group(g % 3, TOPICS[g % len(TOPICS)] + str(g // len(TOPICS) or ""), rng)
             for g in range(groups)]  # fmt: skip
    top = "".join(f'<th colspan="{len(subs)}">{title}</th>' for title, subs, _ in specs)
    sub = "".join(f"<th>{s}</th>" for _, subs, _ in specs for s in subs)
    head = (
        f'<tr><th rowspan="2">序号</th><th rowspan="2">单位</th>{top}'
        f'<th rowspan="2">合计得分</th></tr><tr>{sub}</tr>'
    )
    body = []
    names = distinct_departments(rows) if distinct else departments(rows)
    for i, name in enumerate(names, 1):
        made = [make() for _, _, make in specs]
        total = sum((score for _, score in made), Decimal(0))  # rounded once, as offices do
        row = [str(i), name, *(c for cells, _ in made for c in cells), rounded(total)]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    return f'<table border="1">{head}{"".join(body)}</table>'


def narrative(sentences: int, rng: Random) -> list[str]:
    """Sentences stating a department's received and completed counts and their rate."""
    names = departments(max(sentences, 1))
    found = []
    for name in names[:sentences]:
        received = rng.randint(50, 2000)
        done = received - rng.randint(0, 30)
        rate = rounded(Decimal(100 * done) / received)
        found.append(f"{name}共受理群众诉求{received}件，已办结{done}件，办结率{rate}%。")
    return found


def bulletin_html(
    rows: int, groups: int, sentences: int, seed: int = 7, *, distinct: bool = False
) -> str:
    rng = Random(seed)
    paragraphs = narrative(sentences, rng)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    table = table_html(rows, groups, rng, distinct=distinct) if rows else ""
    title = "某县人民政府办公室关于2024年5月份12345热线办理情况的通报"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><p>{title}</p>"
        f"<p>各镇人民政府、街道办事处：</p>{body}<p>附件</p><p>各单位办理情况得分表</p>"
        f"{table}</body></html>"
    )


def time_stages(path: Path) -> dict[str, float]:
    """Seconds per stage for one document, in this process (imports already done)."""
    import pipeline
    import pipeline.normalize as normalize_module
    from pipeline.normalize.gazetteers import NO_GAZETTEERS
    from pipeline.validate import audit

    inner = normalize_module.infer_rounding
    spent = {"infer": 0.0}

    def timed(*args: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args)
        finally:
            spent["infer"] += time.process_time() - start

    t0 = time.process_time()
    # in this process and with no shape limit: html-rows goes past --max-rows (5,000) and,
    # from 4,000 rows, past --max-chars (200,000 characters in the table's block)
    unlimited = pipeline.Limits(timeout=0, memory_mb=0, max_rows=0, max_cells=0, max_chars=0)
    doc = pipeline.open(path, limits=unlimited)
    t1 = time.process_time()
    normalize_module.infer_rounding = timed  # type: ignore[assignment]
    try:
        norm = NO_GAZETTEERS.normalize(doc)
    finally:
        normalize_module.infer_rounding = inner
    t2 = time.process_time()
    result = audit(norm)
    t3 = time.process_time()
    result.to_json()
    t4 = time.process_time()
    return {
        "read": t1 - t0,
        "normalize": t2 - t1 - spent["infer"],
        "infer": spent["infer"],
        "rules": t3 - t2,
        "report": t4 - t3,
    }


def _sizes(series: str, sizes: Sequence[int]) -> Iterator[tuple[int, str]]:
    for n in sizes:
        if series == "rows":
            yield n, bulletin_html(rows=n, groups=4, sentences=4)
        elif series == "html-rows":
            yield n, bulletin_html(rows=n, groups=4, sentences=4, distinct=True)
        elif series == "columns":
            yield n, bulletin_html(rows=50, groups=n, sentences=4)
        else:
            yield n, bulletin_html(rows=0, groups=0, sentences=n)


def run_series(series: str, sizes: Sequence[int], repeat: int = 3) -> list[dict[str, Any]]:
    """The fastest of `repeat` runs per size (ms per stage), and the ratio to the size before."""
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, html in _sizes(series, sizes):
            path = Path(tmp) / f"{series}-{n}.html"
            path.write_text(html, encoding="utf-8")
            runs = [time_stages(path) for _ in range(repeat)]
            best = min(runs, key=lambda r: sum(r.values()))
            row: dict[str, Any] = {series: n, **{s: round(1000 * best[s], 1) for s in STAGES}}
            row["total"] = round(sum(row[s] for s in STAGES), 1)
            if out:
                before = out[-1]["total"]
                row["ratio"] = round(row["total"] / before, 2) if before else None
            out.append(row)
            print(f"bench: {series} {n}: {row['total']} ms", file=sys.stderr, flush=True)
    return out


def corpus_stages(pdfs: Sequence[Path], pages: dict[Path, int]) -> dict[str, float]:
    """CPU ms per page of each stage over the given PDFs, one run each (after a warm-up)."""
    import pipeline

    pipeline.audit(pdfs[0])
    spent = dict.fromkeys(STAGES, 0.0)
    for path in pdfs:
        for stage, seconds in time_stages(path).items():
            spent[stage] += seconds
    total = sum(pages[p] for p in pdfs)
    figures = {s: round(1000 * spent[s] / total, 2) for s in STAGES}
    figures["total"] = round(sum(figures[s] for s in STAGES), 2)
    return figures


def scaling_figures(series: dict[str, list[int]] | None = None) -> dict[str, Any]:
    import pipeline

    with tempfile.TemporaryDirectory() as tmp:  # warm-up: imports and data files
        warm = Path(tmp) / "warm.html"
        warm.write_text(bulletin_html(rows=5, groups=2, sentences=2), encoding="utf-8")
        pipeline.audit(warm)
    return {
        name: run_series(name, sizes, REPEATS.get(name, 3))
        for name, sizes in (series or DEFAULT_SERIES).items()
    }


def render_scaling(figures: dict[str, Any]) -> str:
    lines = ["CPU ms per stage as the bulletin doubles; ratio = total / total of the size before"]
    for name, rows in figures.items():
        lines.append(f"  {name:<8}" + "".join(f"{s:>10}" for s in (*STAGES, "total", "ratio")))
        for row in rows:
            ratio = row.get("ratio")
            cells = "".join(f"{row[s]:>10.1f}" for s in (*STAGES, "total"))
            lines.append(f"  {row[name]:<8}{cells}{'' if ratio is None else f'{ratio:>10.2f}'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--record", action="store_true", help="store the figures in bench/latest.json"
    )
    parser.add_argument("--write", type=Path, default=None, help="write one bulletin and stop")
    parser.add_argument(
        "--corpus", action="store_true", help="CPU ms/page per stage on the corpus PDFs instead"
    )
    parser.add_argument(
        "--series", choices=sorted(DEFAULT_SERIES), action="append", help="only these series"
    )
    args = parser.parse_args(argv)
    if args.write:
        args.write.write_text(bulletin_html(rows=50, groups=4, sentences=20), encoding="utf-8")
        return 0
    if args.corpus:
        from bench.__main__ import corpus_pdfs, page_count

        pdfs = corpus_pdfs()
        key, figures = (
            "stages_cpu_ms_per_page",
            corpus_stages(pdfs, {p: page_count(p) for p in pdfs}),
        )
        print(json.dumps(figures))
    else:
        chosen = {k: v for k, v in DEFAULT_SERIES.items() if k in (args.series or DEFAULT_SERIES)}
        key, figures = "scaling", scaling_figures(chosen)
        print(render_scaling(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.record:
        from bench.__main__ import LATEST

        report = json.loads(LATEST.read_text(encoding="utf-8"))
        report[key] = {**report.get(key, {}), **figures} if key == "scaling" else figures
        LATEST.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
