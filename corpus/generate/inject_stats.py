"""Errors in the forms of narrative_stats.py and narrative_lists.py (`spec.STATS_TYPES`).

- `structure_ratio`: a part of the current structure ratio, or a share after 分别占, that the
  amounts do not give (a sector whose change in points is printed is left alone, so that the
  change stays right);
- `ratio_points`: a sector's change in points between the two ratios;
- `points_gap`: a gap in points after a growth rate in brackets;
- `named_formula`: 人口自然增长率 (not the birth rate less the death rate) or 城镇化率 (not the
  urban over the resident population, for any count the 万 figures stand for);
- `split_total`: a part of a registered-population split or of the hotline's parts opening
  the next paragraph, so the parts miss their total;
- `small_items`: the small channel without a share, so the channels miss the total before them;
- `wan_parts`: a part of the 12315 total, so the parts miss it beyond what the 万 figures may
  hide (and by at most 10%);
- `wan_table_growth`: the 12315 total's growth against its period table's rows;
- `topn_table_share`: a share of the top-five table, wrong over the group total the text
  states, over the group's rows and over all complaints.

Every slip is at least 2 units of the last place from the true value, so no rounding prints it.
"""

from __future__ import annotations

import re
from fractions import Fraction

from corpus.generate.draft import ClaimData, Draft, PartList, TableData
from corpus.generate.inject_real import print_wrong, sent_key, slips
from corpus.generate.inject_text import like
from corpus.generate.numfmt import percent, plain, ulp
from corpus.generate.spec import InjectedError

Range = tuple[Fraction, Fraction]
_NUMBER = re.compile(r"^([-－]?[0-9０-９.．]+)(.*)$")
_ASCII = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def _claims(dr: Draft, prefix: str) -> list[ClaimData]:
    out = [
        cd
        for cd in dr.claims
        if cd.claim.phrasing.startswith(prefix) and cd.exact is not None and dr.free(sent_key(cd))
    ]
    dr.rng.shuffle(out)
    return out


def _places(value: str) -> int:
    m = _NUMBER.match(value)
    return len(m.group(1).translate(_ASCII).partition(".")[2]) if m else 0


def _printed(old: str, new: Fraction, places: int) -> str:
    """`new` printed like `old`: its digits' width, and the unit after the number (‰, %, 万)."""
    m = _NUMBER.match(old)
    tail = m.group(2) if m else ""
    return like(m.group(1) if m else old, plain(new, places)) + tail


def _wrong(
    dr: Draft, cands: list[ClaimData], kind: str, avoid: dict[int, list[Range]] | None = None
) -> InjectedError | None:
    """A slip for the first candidate that takes one: 2 units of the last place from its value
    (the absolute value: changes are printed without a sign) and outside `avoid[id(claim)]`."""
    for cd in cands:
        assert cd.exact is not None
        value, places = abs(cd.exact), _places(cd.claim.value or "")
        u = ulp(places)
        ranges = (avoid or {}).get(id(cd), [])
        for wrong in slips(dr, value, places):
            if any(lo - 2 * u < wrong < hi + 2 * u for lo, hi in ranges):
                continue
            printed = _printed(cd.claim.value or "", wrong, places)
            detail = f"{cd.claim.metric} of {cd.claim.subject}: {float(value):.4f}"
            err = print_wrong(dr, cd, printed, kind, detail)
            if err is not None:
                return err
    return None


def structure_ratio(dr: Draft) -> InjectedError | None:
    moved = {cd.claim.subject for cd in dr.claims if cd.claim.phrasing == "stats.points"}
    cands = [cd for cd in _claims(dr, "stats.ratio") if cd.claim.phrasing == "stats.ratio"]
    cands = [cd for cd in cands if cd.claim.subject not in moved]
    cands += _claims(dr, "stats.pair_share")
    dr.rng.shuffle(cands)
    return _wrong(dr, cands, "structure_ratio")


def ratio_points(dr: Draft) -> InjectedError | None:
    return _wrong(dr, _claims(dr, "stats.points"), "ratio_points")


def points_gap(dr: Draft) -> InjectedError | None:
    return _wrong(dr, _claims(dr, "stats.gap"), "points_gap")


def named_formula(dr: Draft) -> InjectedError | None:
    """自然增长率, or 城镇化率 outside what the 万 figures of its counts allow."""
    cands = _claims(dr, "stats.natural") + _claims(dr, "stats.urbanisation")
    dr.rng.shuffle(cands)
    avoid = {}
    for cd in cands:
        if cd.num is not None and cd.den is not None:  # 城镇化率: counts known within 100
            lo, hi = percent(cd.num - 100, cd.den + 100), percent(cd.num + 100, cd.den - 100)
            avoid[id(cd)] = [(lo, hi)]
    return _wrong(dr, cands, "named_formula", avoid)


def wan_table_growth(dr: Draft) -> InjectedError | None:
    return _wrong(dr, _claims(dr, "lists.consumer_growth"), "wan_table_growth")


def _lists(dr: Draft, kind: str) -> list[PartList]:
    out = [pl for pl in dr.part_lists if pl.kind == kind]
    dr.rng.shuffle(out)
    return out


def _count_slip(
    dr: Draft, pl: PartList, part: ClaimData, kind: str, fits: range
) -> InjectedError | None:
    """A count slip of `part` by which the parts miss their total by an amount in `fits`."""
    if part.exact is None or part.approx or not dr.free(sent_key(part), sent_key(pl.total)):
        return None
    n, total = int(part.exact), int(pl.total.exact or 0)
    others = sum(int(p.exact or 0) for p in pl.parts if p is not part)
    for wrong in slips(dr, Fraction(n), 0):
        if abs(others + int(wrong) - total) not in fits:
            continue
        detail = f"parts add up to {others + int(wrong)}, not the stated {total}"
        err = print_wrong(dr, part, like(part.claim.value or "", str(wrong)), kind, detail)
        if err is not None:
            part.exact = wrong
            dr.take(sent_key(pl.total))
            return err
    return None


def split_total(dr: Draft) -> InjectedError | None:
    for pl in _lists(dr, "split"):
        for part in dr.rng.sample(pl.parts, len(pl.parts)):
            err = _count_slip(dr, pl, part, "split_total", range(2, 10**9))
            if err is not None:
                return err
    return None


def small_items(dr: Draft) -> InjectedError | None:
    """The last, small channel: the channels then miss the total by at most 5%."""
    for pl in _lists(dr, "small"):
        limit = int(pl.total.exact or 0) // 20
        err = _count_slip(dr, pl, pl.parts[-1], "small_items", range(2, limit + 1))
        if err is not None:
            return err
    return None


def wan_parts(dr: Draft) -> InjectedError | None:
    """A part of a 万 total changed so that the printed figures miss it beyond their precision
    (each 万 figure stands for a count within 100 of it) and by at most 10%: a 万 part by a few
    hundredths, a part printed in full by a slip of its digits."""
    for pl in _lists(dr, "wan"):
        wans = sum(p.approx for p in pl.parts) + 1
        total = _as_count(pl.total)
        for part in dr.rng.sample(pl.parts, len(pl.parts)):
            if not dr.free(sent_key(part), sent_key(pl.total)):
                continue
            others, old = sum(_as_count(p) for p in pl.parts if p is not part), _as_count(part)
            if part.approx:
                news = [old + 100 * k for k in (3, 5, 8, 12, 20, 30, -3, -5, -8, -12, -20)]
            else:
                news = [int(x) for x in slips(dr, Fraction(old), 0)]
            for new in news:
                if new <= 0 or not 100 * wans + 200 <= abs(others + new - total) <= total // 10:
                    continue
                text = plain(Fraction(new, 10_000), 2) + "万" if part.approx else str(new)
                detail = f"parts add up to about {others + new}, not the stated {total}"
                err = print_wrong(dr, part, like(part.claim.value or "", text), "wan_parts", detail)
                if err is not None:
                    dr.take(sent_key(pl.total))
                    return err
    return None


def _as_count(cd: ClaimData) -> int:
    """What a count claim prints, as a count (a 万 figure times 10,000)."""
    text = (cd.claim.value or "0").translate(_ASCII)
    if text.endswith("万"):
        return int(Fraction(text[:-1]) * 10_000)
    return int(text)


def topn_table_share(dr: Draft) -> InjectedError | None:
    """A share of the top-five table, wrong over the group total, the group's rows and all
    complaints."""
    cells = [
        (t, r)
        for t in dr.tables
        if t.role == "category:topn"
        for r in range(len(t.spec.body_rows))
        if dr.free(("row", t.spec.id, r))
    ]
    dr.rng.shuffle(cells)
    for t, r in cells:
        c = t.keys.index("share.group")
        exact, n = t.exact[r][c], t.exact[r][t.keys.index("count")]
        assert exact is not None and n is not None
        avoid = [percent(int(n), int(w)) for w in _other_wholes(t, r)]
        u = ulp(dr.style.decimals)
        for wrong in slips(dr, exact, dr.style.decimals):
            if any(abs(wrong - a) < 2 * u for a in avoid) or wrong >= 100:
                continue
            old = t.spec.body_rows[r][c]
            printed = like(old, plain(wrong, dr.style.decimals))
            t.spec.body_rows[r][c] = printed
            dr.take(("row", t.spec.id, r))
            detail = f"{n} over the group total is {float(exact):.4f}%"
            return InjectedError("topn_table_share", printed, old, table=t.spec.id, row=r + 1,
                                 column=t.path(c), detail=detail)  # fmt: skip
    return None


def _other_wholes(t: TableData, r: int) -> list[int]:
    """The row's group's rows added up, and the two groups' totals added up."""
    counts = [int(row[t.keys.index("count")] or 0) for row in t.exact]
    shares = [row[t.keys.index("share.group")] or Fraction(1) for row in t.exact]
    wholes = [round(n * 100 / s) for n, s in zip(counts, shares, strict=True)]
    group = [i for i in range(len(counts)) if wholes[i] == wholes[r]]
    return [sum(counts[i] for i in group), sum(set(wholes))]
