"""Each department's total score and rank over time, for the archive report, with small charts.

A rank is the printed 排名 when the table has one; otherwise it is computed from the total
score within the same table (1 + the departments scoring strictly higher) and marked as such.
Charts are SVG drawn with matplotlib's Agg canvas (no pyplot state), with text left as text and
no date stamp, so the same data gives byte-identical files. Their text names the page's embedded
font first (fonts.FAMILY): the page inlines each chart (`inline_svg`), so its labels, the
department's Chinese name among them, are drawn from the font the page carries.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pipeline.report.fonts import FAMILY
from pipeline.validate.crossdoc.facts import DocInfo, period_label
from pipeline.validate.crossdoc.rows import DocumentRows, MetricRow

SCORE_METRIC = "score_total"
RANK_METRIC = "rank"
CHART_LIMIT = 200  # charts drawn at most; departments with the most points come first
CHART_SIZE = (4.2, 1.9)  # inches


@dataclass(frozen=True, slots=True)
class Point:
    """One bulletin's score and rank for a department (None when it prints neither)."""

    period: str
    end: str
    document_id: str
    document: str
    table: str
    score: str | None
    rank: int | None
    ranked: int  # departments ranked in that table
    rank_computed: bool


@dataclass(frozen=True, slots=True)
class DepartmentSeries:
    department_id: str
    names: tuple[str, ...]
    points: tuple[Point, ...]
    chart: str | None  # href relative to OUT/report/, None when not drawn
    svg: str = ""  # the chart's markup for the page (inline_svg), "" when not drawn

    @property
    def anchor(self) -> str:
        return "dep-" + chart_name(self.department_id)


def chart_name(department_id: str) -> str:
    return hashlib.sha1(department_id.encode("utf-8")).hexdigest()[:12]


class SeriesBuilder:
    """Gathers the departments' points one document at a time (only the points are kept)."""

    def __init__(self) -> None:
        self._points: dict[str, list[Point]] = {}
        self._names: dict[str, set[str]] = {}

    def add(self, doc: DocumentRows, info: DocInfo) -> None:
        for dep, point, name in _document_points(doc, info):
            self._points.setdefault(dep, []).append(point)
            self._names.setdefault(dep, set()).add(name)

    def series(self) -> list[DepartmentSeries]:
        """Every department with at least one score or rank, sorted by id; points by period."""
        return [
            DepartmentSeries(
                department_id=dep,
                names=tuple(sorted(self._names[dep])),
                points=tuple(sorted(points, key=lambda p: (p.end, p.period, p.document_id))),
                chart=None,
            )
            for dep, points in sorted(self._points.items())
        ]


def _document_points(doc: DocumentRows, info: DocInfo) -> Iterable[tuple[str, Point, str]]:
    tables: dict[int, dict[str, dict[str, MetricRow]]] = {}
    for row in doc.metrics:
        dep, metric = row.department_id, row.metric
        if dep and metric in (SCORE_METRIC, RANK_METRIC) and not row.is_total:
            by_dep = tables.setdefault(int(row.table_index), {}).setdefault(dep, {})
            by_dep.setdefault(metric, row)
    period = period_label(info.start, info.end) if info.start and info.end else "?"
    for table in sorted(tables):
        rows = tables[table]
        scores = {d: v for d, r in rows.items() if (v := _number(r.get(SCORE_METRIC))) is not None}
        for dep in sorted(rows):
            metric_rows = rows[dep]
            printed = _number(metric_rows.get(RANK_METRIC))
            score = scores.get(dep)
            rank = int(printed) if printed is not None else _rank(score, scores.values())
            first = next(iter(metric_rows.values()))
            yield (
                dep,
                Point(
                    period=period,
                    end=info.end.isoformat() if info.end else "",
                    document_id=info.document_id,
                    document=info.name,
                    table=first.table or "",
                    score=str(metric_rows[SCORE_METRIC].value) if score is not None else None,
                    rank=rank,
                    ranked=len(rows) if printed is not None else len(scores),
                    rank_computed=printed is None and rank is not None,
                ),
                first.department or dep,
            )


def _number(row: MetricRow | None) -> Decimal | None:
    if row is None or row.value is None:
        return None
    try:
        return Decimal(str(row.value))
    except InvalidOperation:
        return None


def _rank(score: Decimal | None, scores: Iterable[Decimal]) -> int | None:
    if score is None:
        return None
    return 1 + sum(1 for s in scores if s > score)


# --- charts -------------------------------------------------------------------------


def chartable(series: DepartmentSeries) -> bool:
    """Two or more periods with a score or a rank."""
    return len({p.period for p in series.points if p.score is not None or p.rank is not None}) >= 2


def draw_charts(
    series: Sequence[DepartmentSeries], charts_dir: Path, limit: int = CHART_LIMIT
) -> tuple[list[DepartmentSeries], int]:
    """Write one SVG per chartable department (at most `limit`); series with `chart` and
    `svg` set.

    Returns the series and how many chartable departments got no chart because of the limit.
    """
    candidates = sorted(
        (s for s in series if chartable(s)), key=lambda s: (-len(s.points), s.department_id)
    )
    chosen = {s.department_id for s in candidates[:limit]}
    charts_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for s in series:
        if s.department_id in chosen:
            name = f"{chart_name(s.department_id)}.svg"
            svg = inline_svg(_draw(s, charts_dir / name), s.anchor)
            s = DepartmentSeries(s.department_id, s.names, s.points, f"charts/{name}", svg)
        out.append(s)
    return out, max(0, len(candidates) - limit)


# Chart text stays text and names the page's embedded font first; matplotlib itself
# measures it with DejaVu Sans, the next in the list, which it ships.
CHART_FONTS = [FAMILY, "DejaVu Sans"]


def _draw(series: DepartmentSeries, path: Path) -> str:
    """Write the chart to `path` and return its SVG text."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = sorted({p.period for p in series.points}, key=lambda x: _period_order(series, x))
    x = {label: i for i, label in enumerate(labels)}
    scores = [(x[p.period], float(p.score)) for p in series.points if p.score is not None]
    ranks = [(x[p.period], p.rank) for p in series.points if p.rank is not None]
    rc = matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "bulletins",
            "font.family": "sans-serif",
            "font.sans-serif": CHART_FONTS,
        }
    )
    with rc, warnings.catch_warnings():
        # DejaVu Sans has no Han glyph: matplotlib only measures the title with it (centred,
        # so its width does not matter); the browser draws it with the embedded font.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        fig = Figure(figsize=CHART_SIZE)
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        if scores:
            ax.plot(*zip(*scores, strict=True), marker="o", color="#0969da", label="score")
            ax.set_ylabel("score", color="#0969da")
        if ranks:
            twin = ax.twinx()
            twin.plot(*zip(*ranks, strict=True), marker="s", linestyle="--", color="#bf3989")
            twin.set_ylabel("rank", color="#bf3989")
            twin.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
            twin.invert_yaxis()  # rank 1 at the top
            twin.tick_params(axis="y", labelsize=7)
        ax.set_xticks(range(len(labels)), [short_label(t) for t in labels], rotation=30, fontsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4))  # fewer ticks draw faster
        ax.tick_params(axis="y", labelsize=7)
        # the department's name in Chinese; parse_math off: a `$` in a name is text
        ax.set_title(series.department_id, fontsize=8, parse_math=False)
        # fixed margins: tight_layout would cost a third of the drawing time
        fig.subplots_adjust(left=0.13, right=0.87, bottom=0.3, top=0.88)
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
    return path.read_text(encoding="utf-8")


PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)  # the XML declaration and doctype
METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S)  # a global rule; the page has it once
IDS = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


def inline_svg(svg: str, prefix: str) -> str:
    """A chart's SVG file as markup to put inside the HTML page: without its XML prolog,
    metadata and style, and with its ids (clip paths, markers, groups) prefixed, since every
    chart numbers them alike and ids must be unique in a page."""
    body = STYLE.sub("", METADATA.sub("", PROLOG.sub("", svg, count=1), count=1))
    return IDS.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", body).strip()


SPAN = re.compile(r"(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})")
NAMED_SPANS = {
    (1, 12): "",
    (1, 6): "H1",
    (7, 12): "H2",
    (1, 3): "Q1",
    (4, 6): "Q2",
    (7, 9): "Q3",
    (10, 12): "Q4",
}


def short_label(label: str) -> str:
    """A tick label: 2020-04..2020-06 -> 2020Q2, 2021-01..2021-12 -> 2021; others unchanged."""
    match = SPAN.fullmatch(label)
    if match is None or match[1] != match[3]:
        return label
    months = (int(match[2]), int(match[4]))
    name = NAMED_SPANS.get(months)
    return label if name is None else match[1] + name


def _period_order(series: DepartmentSeries, label: str) -> tuple[str, str]:
    end = min(p.end for p in series.points if p.period == label)
    return end, label
