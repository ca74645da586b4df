"""Errors in the opt-in wordings (narrative_forms.py; types of `spec.FORM_TYPES`).

- `list_share`: one share of a 分别占 list, printed wrong;
- `bracket_share`: a share in brackets after its count ("240件（31.0%）"), printed wrong;
- `topn_share`: the combined share of a run of counts ("合计占65%"), printed wrong;
- `parts_sum`: a list closed by 其他 whose 其他 count is wrong (its share, if printed, is
  computed from that count, as a spreadsheet would), or a 办结/在办 pair whose 在办 count
  is wrong: the parts miss the total;
- `growth_change`: a growth rate after a change in count taken over the current figure
  instead of the earlier one ("增加61件，增长14.4%" where 61/364 = 16.8%).

A slip is at least 2 units of the last place from the true value, so no rounding prints it.
"""

from __future__ import annotations

from fractions import Fraction

from corpus.generate.draft import ClaimData, Draft, PartList
from corpus.generate.inject_text import _spot, like, mistype_percent, rewrite
from corpus.generate.numfmt import percent, plain, ulp
from corpus.generate.spec import InjectedError


def _sent(cd: ClaimData) -> tuple[object, ...]:
    return ("sent", cd.para, cd.claim.sentence)


def _wrong_share(dr: Draft, kind: str, cands: list[ClaimData], what: str) -> InjectedError | None:
    found = mistype_percent(dr, cands)
    if found is None:
        return None
    cd, printed, correct, sentence = found
    detail = f"{what}: {cd.num} / {cd.den} ({cd.claim.subject}) is {correct}"
    return InjectedError(kind, printed, correct, sentence=sentence, detail=detail)


def _shares(dr: Draft, prefix: str) -> list[ClaimData]:
    return [
        cd
        for cd in dr.claims
        if cd.claim.kind == "share"
        and cd.claim.phrasing.startswith(prefix)
        and cd.checkable
        and cd.exact is not None
        and dr.free(_sent(cd))
    ]


def list_share(dr: Draft) -> InjectedError | None:
    """A wrong share in a 分别占 list."""
    return _wrong_share(dr, "list_share", _shares(dr, "forms.respectively"), "share by position")


def bracket_share(dr: Draft) -> InjectedError | None:
    """A wrong share in brackets after its count."""
    return _wrong_share(dr, "bracket_share", _shares(dr, "forms.split_bracket"), "share")


def topn_share(dr: Draft) -> InjectedError | None:
    """A wrong combined share of the top categories."""
    cands = [cd for cd in _shares(dr, "forms.combined") if cd.claim.metric == "share_topn"]
    return _wrong_share(dr, "topn_share", cands, "combined share")


def parts_sum(dr: Draft) -> InjectedError | None:
    """The 其他 count of a split by type, or the 在办 count of a 办结/在办 pair, wrong."""
    lists = [pl for pl in dr.part_lists if pl.total.checkable]
    dr.rng.shuffle(lists)
    for pl in lists:
        part, share = pl.parts[-1], pl.shares[-1]
        if not dr.free(_sent(part), _sent(pl.total)) or part.exact is None:
            continue
        n = int(part.exact)
        deltas = [d for d in (2, 3, 5, 10, 12, 20, -2, -3, -5, -10, -12, -20) if n + d > 0]
        dr.rng.shuffle(deltas)
        for delta in deltas:
            new = n + delta
            if sorted(str(new)) == sorted(str(n)):
                continue  # a transposition reads as another slip
            err = _change_part(dr, pl, part, share, new)
            if err is not None:
                return err
    return None


def _change_part(
    dr: Draft, pl: PartList, part: ClaimData, share: ClaimData | None, new: int
) -> InjectedError | None:
    correct = part.claim.value or ""
    keys = [_sent(part), _sent(pl.total)]
    value = None
    if share is not None and share.den:  # the share follows the printed count
        value = like(share.claim.value or "", dr.style.fixed(percent(new, share.den)))
        if (
            value != share.claim.value
            and _spot(share.claim.sentence, share.claim.value or "") is None
        ):
            return None
    sentence = rewrite(dr, part, like(correct, str(new)))
    if sentence is None:
        return None
    if share is not None and value is not None and share.den:
        if value != share.claim.value:
            sentence = rewrite(dr, share, value) or sentence
        share.exact, share.num = percent(new, share.den), new
    part.exact = Fraction(new)
    dr.take(*keys, _sent(part), _sent(pl.total))
    total = int(pl.total.exact or 0)
    others = [int(p.exact or 0) for p in pl.parts[:-1]]
    what = "the list closed by 其他" if pl.kind == "catch_all" else "办结 + 在办"
    detail = (
        f"{what}: {' + '.join(map(str, [*others, new]))} = {sum(others) + new}, "
        f"not the stated {total}"
    )
    return InjectedError("parts_sum", part.claim.value or "", correct, sentence=sentence,
                         detail=detail)  # fmt: skip


def growth_change(dr: Draft) -> InjectedError | None:
    """A growth rate after its change in count, taken over the current figure."""
    st, u = dr.style, ulp(dr.style.decimals)
    cands = [
        cd
        for cd in dr.claims
        if cd.claim.kind == "growth"
        and cd.claim.phrasing.startswith("forms.change")
        and cd.checkable
        and cd.exact is not None
        and dr.free(_sent(cd))
    ]
    dr.rng.shuffle(cands)
    for cd in cands:
        assert cd.exact is not None and cd.num is not None and cd.den is not None
        cur = cd.den + cd.num
        if cur <= 0:
            continue
        over_new = st.value(abs(percent(cd.num, cur)))
        if over_new < u or abs(over_new - abs(cd.exact)) < 2 * u:
            continue
        correct = cd.claim.value or ""
        printed = like(correct, plain(over_new, st.decimals))
        key = _sent(cd)
        sentence = rewrite(dr, cd, printed)
        if sentence is None:
            continue
        dr.take(key, _sent(cd))
        detail = (
            f"the change {abs(cd.num)} over the current {cur} instead of the earlier {cd.den} "
            f"({cd.claim.base})"
        )
        return InjectedError("growth_change", printed, correct, sentence=sentence, detail=detail)
    return None
