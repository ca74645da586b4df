"""Errors in changes against an earlier period (type `growth`, opt-in: see inject.py).

- in the text, a growth rate (同比/环比 增长 P%) or a change in points (提升 X 个百分点) whose
  earlier figure is printed: in its own sentence (较上月（913件）..., ...（上月为96.5%）), or,
  for the month-on-month growth of the hotline's count, as the 上月 column of a period table
  whose 本月 column adds up to the count the sentence states;
- in a period table, one 环比 cell.

A change that no printed figure pins down is left alone: no reader could tell it is wrong.
The wrong value is a plain slip (digits swapped, a few units off), the change taken over
the new figure instead of the old one, or, in a table, the change with its sign turned.
"""

from __future__ import annotations

from fractions import Fraction

from corpus.generate.draft import ClaimData, Draft, TableData
from corpus.generate.inject_text import like, rewrite, wrong_value
from corpus.generate.numfmt import percent, plain, ulp
from corpus.generate.spec import InjectedError

BIG = Fraction(10_000)  # no growth printed is larger (in percent)


def _sent(cd: ClaimData) -> tuple[object, ...]:
    return ("sent", cd.para, cd.claim.sentence)


def _row(t: TableData, r: int) -> tuple[object, ...]:
    return ("row", t.spec.id, r)


def _current(dr: Draft, cd: ClaimData) -> ClaimData | None:
    """The figure a change is about: the exact count (growth) or the rate (points) printed
    before it in its sentence, of its subject and metric."""
    kind, metric = ("count", "received") if cd.claim.kind == "growth" else ("rate", None)
    for o in dr.claims:
        oc = o.claim
        if o.para != cd.para or oc.sentence != cd.claim.sentence or oc.kind != kind:
            continue
        if oc.subject == cd.claim.subject and oc.metric == (metric or cd.claim.metric):
            return o if not o.approx else None
    return None


def _pinned(dr: Draft, cd: ClaimData) -> bool:
    """The earlier figure is printed: in the sentence, or (a month-on-month growth of the
    hotline's count) as the previous-period column of a period table."""
    if cd.checkable:
        return True
    by_table = cd.claim.kind == "growth" and cd.claim.base == "hotline@prev"
    return by_table and any(t.role == "period" for t in dr.tables)


def _wrong_change(dr: Draft, cd: ClaimData, cur: Fraction) -> tuple[Fraction, str] | None:
    """A wrong size for the change, and how it came about."""
    assert cd.exact is not None
    st, u = dr.style, ulp(dr.style.decimals)
    size = abs(cd.exact)
    if cd.claim.kind == "growth" and cur and dr.rng.random() < 0.3:
        over_new = st.value(abs(percent(int(cd.num or 0), int(cur))))
        if over_new >= u and abs(over_new - size) >= 2 * u:
            return over_new, "the change over the new figure"
    # a change in points comes from two rounded rates: keep well clear of its interval
    margin = 3 if cd.claim.kind == "points" else 2
    hi = Fraction(100) if cd.claim.kind == "points" else BIG
    wrong = wrong_value(dr, size, u, hi, margin=margin)
    return None if wrong is None else (wrong, "a slip")


def text_growth(dr: Draft) -> InjectedError | None:
    """A wrong growth rate or change in points in the text, against a printed earlier figure."""
    cands = [
        cd
        for cd in dr.claims
        if cd.claim.kind in ("growth", "points") and cd.exact is not None and dr.free(_sent(cd))
    ]
    dr.rng.shuffle(cands)
    for cd in cands:
        now = _current(dr, cd)
        if now is None or now.exact is None or not _pinned(dr, cd):
            continue
        found = _wrong_change(dr, cd, now.exact)
        if found is None:
            continue
        wrong, how = found
        correct = cd.claim.value or ""
        printed = like(correct, plain(wrong, dr.style.decimals))
        key = _sent(cd)
        sentence = rewrite(dr, cd, printed)
        if sentence is None:
            continue
        dr.take(key, _sent(cd))
        points = f"change in {cd.claim.metric}"
        what = "growth of the count" if cd.claim.kind == "growth" else points
        against = "the period table's previous column" if not cd.checkable else "the sentence"
        detail = f"wrong {what} against {cd.claim.base} (printed in {against}): {how}"
        return InjectedError("growth", printed, correct, sentence=sentence, detail=detail)
    return None


def _wrong_cell(dr: Draft, cur: int, prev: int) -> tuple[Fraction, str] | None:
    st, u = dr.style, ulp(dr.style.decimals)
    exact = percent(cur - prev, prev)
    shown, pick = st.value(exact), dr.rng.random()
    if pick < 0.2 and abs(shown) >= u:
        return -shown, "the sign turned"
    if pick < 0.4 and cur:
        over_new = st.value(percent(cur - prev, cur))
        if abs(over_new - exact) >= 2 * u:
            return over_new, "the change over the new figure"
    lo, hi = (u, BIG) if exact > 0 else (Fraction(-100), -u) if exact < 0 else (-BIG, BIG)
    wrong = wrong_value(dr, exact, lo, hi)
    return None if wrong is None else (wrong, "a slip")


def table_change(dr: Draft) -> InjectedError | None:
    """A wrong 环比 cell in a period table (the 合计 row included)."""
    cells = [
        (t, r, c)
        for t in dr.tables
        if t.role == "period"
        for c in t.cols("mom.")
        for r in range(len(t.spec.body_rows))
        if t.exact[r][c] is not None and dr.free(_row(t, r))
    ]
    dr.rng.shuffle(cells)
    for t, r, c in cells:
        metric = t.keys[c].split(".", 1)[1]
        cur, prev = (t.exact[r][t.keys.index(f"{when}.{metric}")] for when in ("cur", "prev"))
        assert cur is not None and prev
        found = _wrong_cell(dr, int(cur), int(prev))
        if found is None:
            continue
        wrong, how = found
        old = t.spec.body_rows[r][c]
        printed = dr.style.cell_fixed(wrong, pct=old.endswith(("%", "％")))
        t.spec.body_rows[r][c] = printed
        dr.take(_row(t, r))
        err = InjectedError("growth", printed, old, table=t.spec.id, row=r + 1, column=t.path(c))
        err.detail = f"wrong 环比 cell: {how}"
        return err
    return None
