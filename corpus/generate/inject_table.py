"""Errors in attachment tables: rates, 合计 rows, sub-scores, totals, rank order, digit
transpositions, variant names and shares over the wrong base. Each changes the printed
text of the cells it names; `Draft.used` keeps two errors from touching the same row."""

from __future__ import annotations

from fractions import Fraction

from corpus.generate.draft import Draft, TableData, is_count
from corpus.generate.inject_text import like, wrong_value
from corpus.generate.names import error_variant
from corpus.generate.numfmt import percent, plain, ulp
from corpus.generate.spec import InjectedError

NEEDS = {
    "completion": ("completion.received", "completion.completed"),
    "on_time": ("on_time.count",),
    "satisfaction": ("satisfaction.visited", "satisfaction.satisfied"),
    "overdue": ("overdue.count",),
    "alert": ("alert.count",),
    "rework": ("rework.count",),
    "workload": ("workload.count", "workload.max"),
}


def _err(kind: str, t: TableData, r: int, c: int, printed: str, correct: str) -> InjectedError:
    return InjectedError(kind, printed, correct, table=t.spec.id, row=r + 1, column=t.path(c))


def _row(t: TableData, r: int) -> tuple[object, ...]:
    return ("row", t.spec.id, r)


def _refs(dr: Draft) -> set[tuple[str, str]]:
    return {cd.ref for cd in dr.claims if cd.ref}


def _set(t: TableData, r: int, c: int, text: str) -> str:
    old = t.spec.body_rows[r][c]
    t.spec.body_rows[r][c] = text
    return old


def _shuffled(
    dr: Draft, items: list[tuple[TableData, int, int]]
) -> list[tuple[TableData, int, int]]:
    dr.rng.shuffle(items)
    return items


def table_rate(dr: Draft) -> InjectedError | None:
    cells = [
        (t, r, c)
        for t in dr.tables
        for c in range(len(t.keys))
        if t.keys[c].startswith("rate_") or t.keys[c] == "share"
        for r in range(len(t.spec.body_rows))
        if t.exact[r][c] is not None and dr.free(_row(t, r))
    ]
    for t, r, c in _shuffled(dr, cells):
        exact = t.exact[r][c]
        assert exact is not None
        wrong = wrong_value(dr, exact, Fraction(0), Fraction(100))
        if wrong is None:
            continue
        old = t.spec.body_rows[r][c]
        printed = like(old, plain(wrong, dr.style.decimals))
        _set(t, r, c, printed)
        dr.take(_row(t, r))
        return _err("table_rate", t, r, c, printed, old)
    return None


def _count_cells(dr: Draft, rows: str) -> list[tuple[TableData, int, int]]:
    refs = _refs(dr)
    out = []
    for t in dr.tables:
        if t.role != "count":
            continue
        body = t.spec.total_rows if rows == "total" else t.body()
        for c, key in enumerate(t.keys):
            if is_count(key) and (t.spec.id, key) not in refs and dr.free(("sum", t.spec.id, c)):
                out += [(t, r, c) for r in body if dr.free(_row(t, r))]
    return out


def total_row(dr: Draft) -> InjectedError | None:
    for t, r, c in _shuffled(dr, _count_cells(dr, "total")):
        exact = t.exact[r][c]
        assert exact is not None
        n = int(exact)
        new = n + dr.rng.choice([1, 2, 3, 5, 10, 20, 100]) * dr.rng.choice([1, -1])
        if new < 0 or sorted(str(new)) == sorted(str(n)):
            continue
        printed = dr.style.cell_num(new)
        old = _set(t, r, c, printed)
        dr.take(_row(t, r), ("sum", t.spec.id, c))
        return _err("total_row", t, r, c, printed, old)
    return None


def transposition(dr: Draft) -> InjectedError | None:
    for t, r, c in _shuffled(dr, _count_cells(dr, "body")):
        text = str(int(t.exact[r][c] or 0))
        spots = [i for i in range(len(text) - 1) if text[i] != text[i + 1]]
        if not spots:
            continue
        i = dr.rng.choice(spots)
        new = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if new.startswith("0"):
            continue
        printed = dr.style.cell_num(new)
        old = _set(t, r, c, printed)
        dr.take(_row(t, r), ("sum", t.spec.id, c))
        err = _err("transposition", t, r, c, printed, old)
        err.detail = "breaks the 合计 row" + (" and the row total" if "sum" in t.keys else "")
        return err
    return None


def _totals(dr: Draft, t: TableData) -> list[Fraction]:
    c = t.keys.index("total")
    return [dr.style.value(t.exact[r][c] or Fraction(0)) for r in range(len(t.spec.body_rows))]


def _bounds(dr: Draft, t: TableData, r: int) -> tuple[Fraction, Fraction]:
    shown = _totals(dr, t)
    hi = shown[r - 1] if r > 0 else Fraction(100)
    lo = shown[r + 1] if r + 1 < len(shown) else Fraction(0)
    return lo, hi


def sub_score(dr: Draft) -> InjectedError | None:
    """A wrong sub-score in a table that prints its counts; the total adds it up."""
    cells = []
    for t in (t for t in dr.tables if t.role == "score"):
        for c, key in enumerate(t.keys):
            comp = key.split(".")[0]
            if key.startswith(f"{comp}.score@") and all(k in t.keys for k in NEEDS[comp]):
                cells += [(t, r, c) for r in t.body() if dr.free(_row(t, r))]
    for t, r, c in _shuffled(dr, cells):
        exact, w = t.exact[r][c], int(t.keys[c].split("@")[1])
        tc = t.keys.index("total")
        total = t.exact[r][tc]
        assert exact is not None and total is not None
        wrong = wrong_value(dr, exact, Fraction(0), Fraction(w))
        if wrong is None:
            continue
        lo, hi = _bounds(dr, t, r)
        new_total = total - exact + wrong
        if not lo <= dr.style.value(new_total) <= hi:
            continue
        printed = dr.style.cell_fixed(wrong)
        old = _set(t, r, c, printed)
        _set(t, r, tc, dr.style.cell_fixed(new_total))
        t.exact[r][tc] = new_total
        dr.take(_row(t, r))
        err = _err("sub_score", t, r, c, printed, old)
        err.detail = "the total adds the printed sub-score"
        return err
    return None


def total_score(dr: Draft) -> InjectedError | None:
    rows = [(t, r, 0) for t in dr.tables if t.role == "score" for r in t.body()]
    for t, r, _ in _shuffled(dr, [x for x in rows if dr.free(_row(x[0], x[1]))]):
        tc = t.keys.index("total")
        exact = t.exact[r][tc]
        assert exact is not None
        lo, hi = _bounds(dr, t, r)
        wrong = wrong_value(dr, exact, lo, hi, margin=t.components + 2)
        if wrong is None:
            continue
        printed = dr.style.cell_fixed(wrong)
        old = _set(t, r, tc, printed)
        dr.take(_row(t, r))
        return _err("total_score", t, r, tc, printed, old)
    return None


def rank_order(dr: Draft) -> InjectedError | None:
    listed = {dr.departments.get(n, n) for cd in dr.claims for n in cd.claim.names}
    for t in [t for t in dr.tables if t.role == "score" and len(t.depts) >= 8]:
        shown, tc = _totals(dr, t), t.keys.index("total")
        pairs = [
            r
            for r in range(1, len(t.depts) - 2)
            if shown[r] > shown[r + 1]
            and not {t.depts[r], t.depts[r + 1]} & listed
            and dr.free(_row(t, r), _row(t, r + 1))
        ]
        if not pairs:
            continue
        r = dr.rng.choice(pairs)
        dr.take(_row(t, r), _row(t, r + 1))
        rows, exact = t.spec.body_rows, t.exact
        if dr.rng.random() < 0.35:  # a wrong rank number
            new = dr.rng.choice([r, r + 2, r + 3])
            printed = dr.style.cell_num(new)
            old = _set(t, r, 0, printed)
            return _err("rank_order", t, r, 0, printed, old)
        rows[r][1:], rows[r + 1][1:] = rows[r + 1][1:], rows[r][1:]
        exact[r][1:], exact[r + 1][1:] = exact[r + 1][1:], exact[r][1:]
        t.depts[r], t.depts[r + 1] = t.depts[r + 1], t.depts[r]
        if t.hidden:
            t.hidden[r], t.hidden[r + 1] = t.hidden[r + 1], t.hidden[r]
        err = _err("rank_order", t, r, tc, rows[r][tc], rows[r + 1][tc])
        err.detail = f"rows {r + 1} and {r + 2} swapped: {rows[r][1]} ranks below {rows[r + 1][1]}"
        return err
    return None


def table_name(dr: Draft) -> InjectedError | None:
    cells = [
        (t, r, t.keys.index("name"))
        for t in dr.tables
        if "name" in t.keys
        for r in t.body()
        if t.depts[r] and dr.free(_row(t, r))
    ]
    for t, r, c in _shuffled(dr, cells):
        canonical = t.depts[r]
        assert canonical is not None
        made = error_variant(t.spec.body_rows[r][c], canonical, dr.district, dr.rng)
        if made is None:
            continue
        old = _set(t, r, c, made[0])
        dr.departments[made[0]] = canonical
        dr.take(_row(t, r))
        err = _err("name_variant", t, r, c, made[0], old)
        err.detail = f"{made[1]} form of {canonical}"
        return err
    return None


def table_base(dr: Draft) -> InjectedError | None:
    """A category share computed over the completed total, or over the hotline alone."""
    fig, u = dr.fig, ulp(dr.style.decimals)
    scope = fig.all_total() if fig.category_scope == "all" else fig.total("hotline")
    alts = [scope.completed] + (
        [fig.total("hotline").received] if fig.category_scope == "all" else []
    )
    cells = [
        (t, r, t.keys.index("share")) for t in dr.tables if t.role == "category" for r in t.body()
    ]
    for t, r, c in _shuffled(dr, [x for x in cells if dr.free(_row(x[0], x[1]))]):
        exact, n = t.exact[r][c], int(t.exact[r][t.keys.index("count")] or 0)
        assert exact is not None
        for den in alts:
            wrong = dr.style.value(percent(n, den))
            if abs(wrong - exact) < 2 * u:
                continue
            old = t.spec.body_rows[r][c]
            printed = like(old, plain(wrong, dr.style.decimals))
            _set(t, r, c, printed)
            dr.take(_row(t, r))
            err = _err("wrong_base", t, r, c, printed, old)
            err.detail = f"{n} / {den} instead of {n} / {scope.received}"
            return err
    return None
