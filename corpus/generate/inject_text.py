"""Errors in the body text and the attachment notes, and the helpers all injectors share.

An injector changes the printed text of exactly one sentence, note or cell, keeps the
draft's claims and tables showing what is printed, and returns the `InjectedError` with the
correct value; or returns None when the document offers no place for that error.
"""

from __future__ import annotations

import re
from fractions import Fraction

from corpus.generate.draft import ClaimData, Draft, TableData
from corpus.generate.names import error_variant
from corpus.generate.numfmt import FULL_WIDTH, percent, plain, ulp
from corpus.generate.spec import InjectedError

_DIGIT = "0-9０-９.．"


def wrong_value(
    dr: Draft, exact: Fraction, lo: Fraction, hi: Fraction, margin: int = 2
) -> Fraction | None:
    """A printable value at least `margin` units of the last place away from `exact`, so that
    no rounding of `exact` (half-up, truncation, ceiling) prints it; within [lo, hi]."""
    st, u = dr.style, ulp(dr.style.decimals)
    correct = st.value(exact)
    text = plain(correct, st.decimals)
    options = []
    for i in range(len(text) - 1):  # a transposition of two digits
        a, b = text[i], text[i + 1]
        if a != b and a.isdigit() and b.isdigit():
            options.append(Fraction(text[:i] + b + a + text[i + 2 :]))
    for k in (2, 3, 5, 7, 9, 10, 20, 50, 100, 130, 300, 500):
        options += [correct + k * u, correct - k * u]
    good = [o for o in options if lo <= o <= hi and abs(o - exact) >= margin * u and o != correct]
    return dr.rng.choice(good) if good else None


def like(old: str, new_ascii: str) -> str:
    """`new_ascii` printed the way `old` was: full-width digits, a percent sign."""
    out = new_ascii
    if any("０" <= ch <= "９" for ch in old):
        out = out.translate(FULL_WIDTH)
    for sign in ("%", "％"):
        if old.endswith(sign):
            out += sign
    if old.startswith("－"):
        out = out.replace("-", "－")
    return out


def _spot(sentence: str, value: str) -> int | None:
    """Where `value` stands alone (not inside a longer number) in `sentence`, if only once."""
    pattern = re.compile(rf"(?<![{_DIGIT}]){re.escape(value)}(?![{_DIGIT}]*[0-9０-９])")
    hits = [m.start() for m in pattern.finditer(sentence)]
    return hits[0] if len(hits) == 1 else None


def rewrite(dr: Draft, cd: ClaimData, new_value: str) -> str | None:
    """Print `new_value` in place of the claim's value; the new sentence, or None."""
    c, para = cd.claim, dr.body[cd.para]
    at = _spot(c.sentence, c.value or "")
    if at is None or para.text.count(c.sentence) != 1:
        return None
    old = c.sentence
    new = old[:at] + new_value + old[at + len(c.value or "") :]
    para.text = para.text.replace(old, new)
    for other in dr.claims:
        if other.para == cd.para and other.claim.sentence == old:
            other.claim.sentence = new
    c.value = new_value
    return new


def _sent(cd: ClaimData) -> tuple[object, ...]:
    return ("sent", cd.para, cd.claim.sentence)


def text_rate(dr: Draft) -> InjectedError | None:
    cands = [
        cd
        for cd in dr.claims
        if cd.claim.kind in ("rate", "share")
        and cd.checkable
        and dr.free(_sent(cd))
        and not any(
            o.claim.kind == "points" and o.claim.sentence == cd.claim.sentence for o in dr.claims
        )
    ]
    found = mistype_percent(dr, cands)
    if found is None:
        return None
    cd, printed, correct, sentence = found
    what = "share" if cd.claim.kind == "share" else "rate"
    return InjectedError(
        "text_rate",
        printed,
        correct,
        sentence=sentence,
        detail=f"wrong {what} ({cd.claim.metric})",
    )


def mistype_percent(dr: Draft, cands: list[ClaimData]) -> tuple[ClaimData, str, str, str] | None:
    """Print a wrong percentage for the first candidate (shuffled) whose sentence can be
    rewritten: (claim, printed, correct, rewritten sentence), or None."""
    dr.rng.shuffle(cands)
    for cd in cands:
        assert cd.exact is not None
        wrong = wrong_value(dr, cd.exact, Fraction(0), Fraction(100))
        if wrong is None:
            continue
        correct = cd.claim.value or ""
        printed = like(correct, plain(wrong, dr.style.decimals))
        key = _sent(cd)
        sentence = rewrite(dr, cd, printed)
        if sentence is None:
            continue
        dr.take(key, _sent(cd))
        return cd, printed, correct, sentence
    return None


def _cited(dr: Draft, cd: ClaimData) -> TableData | None:
    """The table the claim's paragraph cites with （详见附件N）, however its digits and spaces
    are printed."""
    flat = str.maketrans("０１２３４５６７８９", "0123456789", " ")
    text = dr.body[cd.para].text.translate(flat)
    return next(
        (t for t in dr.tables if f"（详见{(t.spec.attachment or '').translate(flat)}）" in text),
        None,
    )


def text_rate_table(dr: Draft) -> InjectedError | None:
    """A channel's rate stated without its counts (满意率, or counts printed in 万), wrong
    against the totals of the rate table its paragraph cites."""
    cands = [
        cd
        for cd in dr.claims
        if cd.claim.kind == "rate"
        and not cd.checkable
        and cd.exact is not None
        and cd.claim.subject in ("hotline", "mailbox")
        and dr.free(_sent(cd))
        and not any(
            o.claim.kind == "points" and o.claim.sentence == cd.claim.sentence for o in dr.claims
        )
    ]
    dr.rng.shuffle(cands)
    for cd in cands:
        assert cd.exact is not None
        t = _cited(dr, cd)
        if t is None or t.role != f"rate:{cd.claim.subject}" or cd.claim.metric not in t.keys:
            continue
        wrong = wrong_value(dr, cd.exact, Fraction(0), Fraction(100))
        if wrong is None:
            continue
        correct = cd.claim.value or ""
        printed = like(correct, plain(wrong, dr.style.decimals))
        key = _sent(cd)
        sentence = rewrite(dr, cd, printed)
        if sentence is None:
            continue
        dr.take(key, _sent(cd))
        detail = f"{cd.claim.metric} of the totals of {t.spec.attachment} is {correct}"
        return InjectedError(
            "text_rate_table", printed, correct, table=t.spec.id, sentence=sentence, detail=detail
        )
    return None


def wrong_base(dr: Draft) -> InjectedError | None:
    cands = [cd for cd in dr.claims if cd.claim.kind == "share" and cd.checkable and cd.alt_dens]
    cands = [cd for cd in cands if dr.free(_sent(cd))]
    dr.rng.shuffle(cands)
    u = ulp(dr.style.decimals)
    for cd in cands:
        assert cd.exact is not None and cd.num is not None
        for den in dr.rng.sample(cd.alt_dens, len(cd.alt_dens)):
            wrong = dr.style.value(percent(cd.num, den))
            if den <= 0 or abs(wrong - cd.exact) < 2 * u:
                continue
            correct = cd.claim.value or ""
            printed = like(correct, plain(wrong, dr.style.decimals))
            key = _sent(cd)
            sentence = rewrite(dr, cd, printed)
            if sentence is None:
                continue
            dr.take(key, _sent(cd))
            detail = f"{cd.num} / {den} instead of {cd.num} / {cd.den} ({cd.claim.base})"
            return InjectedError("wrong_base", printed, correct, sentence=sentence, detail=detail)
    return None


def _dependents(dr: Draft, cd: ClaimData) -> list[ClaimData] | None:
    """Rates in this count's sentence computed from it; None when a changed count would
    also break a figure elsewhere (a share over it, a growth, a rate in another sentence)."""
    c, out = cd.claim, []
    for o in dr.claims:
        oc = o.claim
        if oc.metric == "pending" and oc.sentence == c.sentence:
            return None  # 办结 + 在办 split this sentence's total (opt-in wording)
        if o is cd or not o.checkable:
            continue
        if oc.kind == "share" and c.metric == "received" and oc.base == c.subject:
            return None
        if oc.subject != c.subject:
            continue
        if oc.kind == "growth" and c.metric == "received":
            return None
        if oc.kind == "rate" and c.metric in _parts(oc.metric):
            if oc.sentence != c.sentence:
                return None
            out.append(o)
    metrics = {o.claim.metric for o in out}
    same = [o for o in dr.claims if o.claim.sentence == c.sentence and o.claim.kind == "points"]
    return None if any(o.claim.metric in metrics for o in same) else out


def _parts(metric: str | None) -> tuple[str, ...]:
    return {
        "rate_completed": ("completed", "received"),
        "rate_completed_on_time": ("completed_on_time", "completed"),
    }.get(metric or "", ())


def _plausible(dr: Draft, cd: ClaimData, new: int, deps: list[ClaimData]) -> bool:
    """received >= completed >= on time among the sentence's counts, rates at most 100%."""
    order = ("received", "completed", "completed_on_time")
    counts = {
        o.claim.metric: (new if o is cd else int(o.exact or 0))
        for o in dr.claims
        if o.claim.sentence == cd.claim.sentence
        and o.claim.kind == "count"
        and o.claim.subject == cd.claim.subject
        and o.claim.metric in order
    }
    seq = [counts[m] for m in order if m in counts]
    if seq != sorted(seq, reverse=True):
        return False
    for d in deps:
        num, den = (new if m == cd.claim.metric else None for m in _parts(d.claim.metric))
        if (num if num is not None else d.num or 0) > (den if den is not None else d.den or 0):
            return False
    return True


def text_total(dr: Draft) -> InjectedError | None:
    cands = [cd for cd in dr.claims if cd.claim.kind == "count" and cd.ref and cd.checkable]
    cands = [cd for cd in cands if cd.ref and dr.free(_sent(cd), ("sum", *cd.ref))]
    dr.rng.shuffle(cands)
    for cd in cands:
        assert cd.ref is not None
        deps = _dependents(dr, cd)
        if deps is None or cd.exact is None:
            continue
        if any(_spot(cd.claim.sentence, d.claim.value or "") is None for d in deps):
            continue
        n = int(cd.exact)
        deltas = [1, 2, 3, 5, 10, 12, max(4, n // 20), -1, -2, -3, -5, -10, -12, -max(4, n // 20)]
        dr.rng.shuffle(deltas)
        ok = [d for d in deltas if n + d > 0 and not _transposes(n, n + d)]
        ok = [d for d in ok if _plausible(dr, cd, n + d, deps)]
        if not ok:
            continue
        new = n + ok[0]
        key, correct = _sent(cd), cd.claim.value or ""
        printed = like(correct, str(new))
        if rewrite(dr, cd, printed) is None:
            continue
        for d in deps:  # the sentence's rates follow its own (wrong) count
            num, den = (new if m == cd.claim.metric else None for m in _parts(d.claim.metric))
            new_num = d.num if num is None else num
            new_den = d.den if den is None else den
            assert new_num is not None and new_den
            rewrite(dr, d, like(d.claim.value or "", dr.style.fixed(percent(new_num, new_den))))
        dr.take(key, _sent(cd), ("sum", *cd.ref))
        tid, col = cd.ref
        table = dr.table(tid)
        detail = f"the sum of {table.spec.attachment} {table.path(table.keys.index(col))} is {n}"
        if deps:
            detail += "; the sentence's rates are computed from the printed count"
        err = InjectedError("text_total", printed, correct, table=tid, sentence=cd.claim.sentence)
        err.detail = detail
        return err
    return None


def _transposes(a: int, b: int) -> bool:
    return sorted(str(a)) == sorted(str(b))


def period_error(dr: Draft) -> InjectedError | None:
    """A wrong year or month in one attachment's note or title."""
    tables = [t for t in dr.tables if t.period_text and dr.free(("period", t.spec.id))]
    if not tables:
        return None
    t = dr.rng.choice(tables)
    years, steps = dr.rng.choice([(-1, 0), (-1, 0), (1, 0), (0, -1), (0, 1)])
    wrong_period = dr.period.shifted(years, steps)
    if dr.period.month:
        form = 1 if t.period_text.endswith("份") else 0
    else:
        form = 0 if "第" in t.period_text else 1
    wrong = wrong_period.label(form)
    if wrong == t.period_text:
        return None
    index = dr.tables.index(t)
    in_note = dr.rng.random() < 0.6 and t.period_text in dr.notes[index]
    dr.take(("period", t.spec.id))
    if in_note:
        dr.notes[index] = dr.notes[index].replace(t.period_text, wrong, 1)
        return InjectedError(
            "period",
            wrong,
            t.period_text,
            table=t.spec.id,
            sentence=dr.notes[index],
            detail="attachment note",
        )
    t.spec.title = t.spec.title.replace(t.period_text, wrong, 1)
    return InjectedError(
        "period",
        wrong,
        t.period_text,
        table=t.spec.id,
        sentence=t.spec.title,
        detail="attachment title",
    )


def text_name(dr: Draft) -> InjectedError | None:
    """A misspelled department name in a ranking sentence."""
    cands = [cd for cd in dr.claims if cd.claim.kind == "rank_list" and dr.free(_sent(cd))]
    dr.rng.shuffle(cands)
    for cd in cands:
        c = cd.claim
        name = dr.rng.choice(c.names)
        canonical = dr.departments.get(name, name)
        made = error_variant(name, canonical, dr.district, dr.rng)
        para = dr.body[cd.para]
        if made is None or c.sentence.count(name) != 1 or para.text.count(c.sentence) != 1:
            continue
        key, old = _sent(cd), c.sentence
        new = old.replace(name, made[0])
        para.text = para.text.replace(old, new)
        for o in dr.claims:
            if o.para == cd.para and o.claim.sentence == old:
                o.claim.sentence = new
        c.names = [made[0] if n == name else n for n in c.names]
        dr.departments[made[0]] = canonical
        dr.take(key, _sent(cd))
        return InjectedError(
            "name_variant", made[0], name, sentence=new, detail=f"{made[1]} form of {canonical}"
        )
    return None
