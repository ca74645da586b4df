"""Build bulletins (content and truth, no rendering): `make_bulletin`, `make_archive`.

Everything comes from one `random.Random` seeded by (seed, index), so the same arguments
give the same bulletin. Nothing here imports from `pipeline/`.
"""

from __future__ import annotations

import random

from corpus.generate import frontmatter as fm
from corpus.generate.draft import Draft, TableData
from corpus.generate.figures import Channel, choose_period, make_figures, published
from corpus.generate.inject import inject
from corpus.generate.names import districts
from corpus.generate.narrative import Body
from corpus.generate.numfmt import choose_style
from corpus.generate.paging import apply_shifts, plan_shifts
from corpus.generate.scoring import score_table
from corpus.generate.spec import FORM_TYPES, REAL_TYPES, STATS_TYPES, Bulletin, Producer
from corpus.generate.tables import category_table, count_table, period_table, rate_table

FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")


def _tables(dr: Draft) -> list[TableData]:
    rng, chans = dr.rng, dr.fig.channels
    roles = [
        role
        for role, p in (
            ("score", 0.65),
            ("rate:hotline", 0.45),
            ("count", 0.65),
            ("period", 0.3),
            ("category", 0.5),
            ("rate:mailbox", 0.75 if "mailbox" in chans else 0.0),
        )
        if rng.random() < p
    ] or ["score"]
    spaced = dr.style.space_text or rng.random() < 0.2
    out = []
    for i, role in enumerate(roles, 1):
        tid, label = f"attachment_{i}", f"附件 {i}" if spaced else f"附件{i}"
        if role == "score":
            out.append(score_table(dr, tid, label))
        elif role.startswith("rate"):
            out.append(rate_table(dr, tid, label, role.split(":")[1]))  # type: ignore[arg-type]
        elif role == "count":
            out.append(count_table(dr, tid, label))
        elif role == "period":
            out.append(period_table(dr, tid, label))
        else:
            out.append(category_table(dr, tid, label))
    return out


def _cites(tables: list[TableData]) -> dict[str, TableData]:
    by = {t.role: t for t in tables}
    cites: dict[str, TableData] = {k: by[k] for k in ("score", "category") if k in by}
    for role in ("rate:hotline", "score", "count", "period"):
        if role in by:
            cites["hotline"] = by[role]
            break
    if "rate:mailbox" in by:
        cites["mailbox"] = by["rate:mailbox"]
    elif "count" in by and "mailbox" in by["count"].keys:
        cites["mailbox"] = by["count"]
    return cites


def _note(dr: Draft, t: TableData) -> str:
    text = t.spec.title
    if dr.rng.random() < 0.3:
        text = text.replace("区级各部门", f"{dr.district.short}区级")
    return f"{t.spec.attachment}：{text}"


def make_bulletin(
    seed: int, index: int, focus: tuple[str, ...] = (), producer: Producer | None = None
) -> Bulletin:
    """Bulletin gen-<index>; `focus`: error types injected first (see inject.py), and, for
    those of `spec.FORM_TYPES`, `spec.REAL_TYPES` and `spec.STATS_TYPES`, the wordings they
    live in (narrative_forms.py, narrative_real.py, narrative_stats.py); `producer`
    replaces the one drawn (the last draw, so nothing else changes)."""
    rng = random.Random(seed * 1_000_003 + index)
    style = choose_style(rng)
    district = rng.choice(districts())
    period = choose_period(rng)
    chans: tuple[Channel, ...] = ("hotline",)
    chans += ("mailbox",) if rng.random() < 0.6 else ()
    chans += ("web",) if rng.random() < 0.2 else ()
    n = rng.randint(15, len(district.departments))
    members = sorted(rng.sample(district.departments, n), key=district.departments.index)
    dr = Draft(rng, style, district, make_figures(period, members, chans, rng), period)
    dr.forms = any(t in FORM_TYPES for t in focus)
    dr.real = any(t in REAL_TYPES for t in focus)
    dr.stats = any(t in STATS_TYPES for t in focus)
    dr.tables = _tables(dr)
    for t in dr.tables:
        plan_shifts(t, rng, hidden_ok=bool(t.hidden))
    Body(dr, _cites(dr.tables)).write()
    dr.notes = [_note(dr, t) for t in dr.tables]
    inject(dr, index, focus)
    for t in dr.tables:
        apply_shifts(t)
    issuer = fm.issuer(dr)
    day = published(period, rng)
    drawn = rng.choices(["docx", "html", "reportlab"], weights=[50, 20, 30])[0]
    return Bulletin(
        id=f"gen-{index:04d}",
        producer=producer or drawn,  # type: ignore[arg-type]
        font=rng.choice(FONTS),
        issuer=issuer,
        doc_number=fm.doc_number(dr, day),
        title=fm.title(dr, issuer),
        recipients=rng.choice(fm.RECIPIENTS),
        body=dr.body,
        attachment_notes=dr.notes,
        signature=issuer,
        date_text=fm.date_text(dr, day),
        tables=[t.spec for t in dr.tables],
        district=f"{district.city}{district.district}",
        period_start=period.start.isoformat(),
        period_end=period.end.isoformat(),
        published=day.isoformat(),
        rounding=style.rounding,
        departments=dict(sorted(dr.departments.items())),
        claims=[cd.claim for cd in dr.claims],
        errors=dr.errors,
        decimals=style.decimals,
    )


def make_archive(
    n: int,
    seed: int,
    *,
    first: int = 1,
    focus: tuple[str, ...] = (),
    producer: Producer | None = None,
) -> list[Bulletin]:
    """`n` bulletins with ids gen-<first> ... gen-<first + n - 1>. A bulletin depends only on
    (seed, index, focus, producer), so a later set continues an earlier one without changing
    it."""
    return [make_bulletin(seed, i, focus, producer) for i in range(first, first + n)]
