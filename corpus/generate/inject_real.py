"""Errors in the forms of narrative_real.py (types of `spec.REAL_TYPES`).

- `daily_average`: 日均N件 that is not the phone calls over the period's days;
- `rate_named`: a rate under a name outside the usual vocabulary (按时结案率, 回访率, 联系率,
  满意率 over the surveyed, 不满意率) printed wrong against the counts beside it;
- `derived_count`: the overdue count of 按期 + 超期 or the online count of 电话 + 网络 wrong,
  so the parts miss the count they split;
- `difference`: the change from the earlier count printed beside it (增加N件) wrong;
- `sub_base_share`: a share over the phone calls wrong over them and over the whole count;
- `wan_share`: a share of a total printed in 万 that no count the total may stand for gives;
- `complaint_share`: a share of the complaints' top categories (分别占投诉总量的…) wrong.

Every slip is at least 2 units of the last place from the true value (and from the value
over any other base the text prints), so no rounding prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from corpus.generate.draft import ClaimData, Draft, PartList
from corpus.generate.inject_text import like, rewrite, wrong_value
from corpus.generate.numfmt import percent, plain, ulp
from corpus.generate.spec import InjectedError

Range = tuple[Fraction, Fraction]


def sent_key(cd: ClaimData) -> tuple[object, ...]:
    return ("sent", cd.para, cd.claim.sentence)


def _claims(dr: Draft, kind: str, prefix: str) -> list[ClaimData]:
    out = [
        cd
        for cd in dr.claims
        if cd.claim.kind == kind
        and cd.claim.phrasing.startswith(prefix)
        and cd.checkable
        and cd.exact is not None
        and dr.free(sent_key(cd))
    ]
    dr.rng.shuffle(out)
    return out


def print_wrong(
    dr: Draft, cd: ClaimData, printed: str, kind: str, detail: str
) -> InjectedError | None:
    """Print `printed` for the claim; the error, or None when its sentence cannot be changed."""
    correct, key = cd.claim.value or "", sent_key(cd)
    sentence = rewrite(dr, cd, printed)
    if sentence is None:
        return None
    dr.take(key, sent_key(cd))
    return InjectedError(kind, printed, correct, sentence=sentence, detail=detail)


def _wrong_pct(
    dr: Draft, cands: list[ClaimData], kind: str, avoid: Callable[[ClaimData], list[Range]]
) -> InjectedError | None:
    """A wrong percentage for the first candidate that can take one: at least 2 units of the
    last place from its value and from every range `avoid` gives (other bases it may have)."""
    u = ulp(dr.style.decimals)
    for cd in cands:
        assert cd.exact is not None
        wrong = wrong_value(dr, cd.exact, Fraction(0), Fraction(100))
        if wrong is None or any(lo - 2 * u < wrong < hi + 2 * u for lo, hi in avoid(cd)):
            continue
        printed = like(cd.claim.value or "", plain(wrong, dr.style.decimals))
        detail = f"{cd.claim.metric}: {cd.num} / {cd.den} ({cd.claim.subject}) is {cd.claim.value}"
        err = print_wrong(dr, cd, printed, kind, detail)
        if err is not None:
            return err
    return None


def _none(cd: ClaimData) -> list[Range]:
    return []


def rate_named(dr: Draft) -> InjectedError | None:
    """A rate under a name outside the usual vocabulary, wrong against its counts."""
    cands = _claims(dr, "rate", "real.")
    return _wrong_pct(dr, cands, "rate_named", _none)


def sub_base_share(dr: Draft) -> InjectedError | None:
    """A share over the phone calls, wrong over them and over the whole hotline count."""
    whole = [cd for cd in dr.claims if cd.claim.phrasing == "real.total"]

    def other_base(cd: ClaimData) -> list[Range]:
        out = []
        for t in whole:
            if cd.num is not None and t.exact:
                v = percent(cd.num, int(t.exact))
                out.append((v, v))
        return out

    return _wrong_pct(dr, _claims(dr, "share", "real.phone"), "sub_base_share", other_base)


def complaint_share(dr: Draft) -> InjectedError | None:
    """A share of the complaints' top categories (over the complaints), wrong."""
    totals = [cd for cd in dr.claims if cd.claim.phrasing == "real.consumer"]

    def whole(cd: ClaimData) -> list[Range]:
        return [_bounds(cd.num or 0, t) for t in totals]

    return _wrong_pct(dr, _claims(dr, "share", "real.topic_share"), "complaint_share", whole)


def _bounds(n: int, total: ClaimData) -> Range:
    """The shares `n` may be of a total printed in 万 with 2 decimals: whatever the rounding,
    the printed figure stands for a count within 100 of it."""
    printed = Fraction((total.claim.value or "0").rstrip("万").translate(_ASCII)) * 10_000
    return percent(n, int(printed) + 100), percent(n, max(1, int(printed) - 100))


_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.")


def wan_share(dr: Draft) -> InjectedError | None:
    """A share of the 12315 total (printed in 万) that fits no count the total stands for."""
    totals = [cd for cd in dr.claims if cd.claim.phrasing == "real.consumer"]

    def bounds(cd: ClaimData) -> list[Range]:
        return [_bounds(cd.num or 0, t) for t in totals]

    return _wrong_pct(dr, _claims(dr, "share", "real.consumer_share"), "wan_share", bounds)


def slips(dr: Draft, value: Fraction, decimals: int) -> list[Fraction]:
    """Printable values (`decimals` places, positive) at least 2 units of the last place from
    `value`: two digits swapped, or a few units off."""
    u = ulp(decimals)
    text = plain(value - value % u, decimals)
    options = []
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a != b and a.isdigit() and b.isdigit() and not (i == 0 and b == "0"):
            options.append(Fraction(text[:i] + b + a + text[i + 2 :]))
    options += [value - value % u + k * u for k in (2, 3, 5, 10, 12, 20, -2, -3, -5, -10, -20)]
    good = sorted({o for o in options if o > 0 and abs(o - value) >= 2 * u})
    dr.rng.shuffle(good)
    return good


def daily_average(dr: Draft) -> InjectedError | None:
    """日均N件 that is not the calls before it over the period's days."""
    for cd in _claims(dr, "average", "real."):
        assert cd.exact is not None
        decimals = len((cd.claim.value or "").translate(_ASCII).partition(".")[2])
        for wrong in slips(dr, cd.exact, decimals):
            printed = like(cd.claim.value or "", plain(wrong, decimals))
            detail = f"daily average: {cd.num} / {cd.den} days is {float(cd.exact):.3f}"
            err = print_wrong(dr, cd, printed, "daily_average", detail)
            if err is not None:
                return err
    return None


def difference(dr: Draft) -> InjectedError | None:
    """The change from the earlier count printed beside it, wrong."""
    for cd in _claims(dr, "change", "real.difference"):
        assert cd.num is not None and cd.den is not None
        size = Fraction(abs(cd.num - cd.den))
        for wrong in slips(dr, size, 0):
            printed = like(cd.claim.value or "", plain(wrong, 0))
            detail = f"difference: {cd.num} - {cd.den} = {cd.num - cd.den}"
            err = print_wrong(dr, cd, printed, "difference", detail)
            if err is not None:
                return err
    return None


def derived_count(dr: Draft) -> InjectedError | None:
    """The last part of a count the text splits (超期, 网络) wrong: the parts miss it."""
    lists = [pl for pl in dr.part_lists if pl.kind == "derived"]
    dr.rng.shuffle(lists)
    for pl in lists:
        part = pl.parts[-1]
        if part.exact is None or not dr.free(sent_key(part), sent_key(pl.total)):
            continue
        n = int(part.exact)
        for wrong in slips(dr, Fraction(n), 0):
            if sorted(str(wrong)) == sorted(str(n)):
                continue  # a transposition reads as another slip
            err = print_wrong(dr, part, like(part.claim.value or "", str(wrong)), "derived_count",
                         _derived_detail(pl, int(wrong)))  # fmt: skip
            if err is not None:
                part.exact = Fraction(wrong)
                dr.take(sent_key(pl.total))
                return err
    return None


def _derived_detail(pl: PartList, new: int) -> str:
    total = int(pl.total.exact or 0)
    others = [int(p.exact or 0) for p in pl.parts[:-1]]
    return f"{' + '.join(map(str, [*others, new]))} = {sum(others) + new}, not the stated {total}"
