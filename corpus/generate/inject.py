"""Inject 0-4 errors per document, each with its exact truth (`InjectedError`).

A quarter of the documents (every fourth index) and a few more stay clean. The others get
1-4 errors of distinct types, drawn at random among the types the document has a place
for; each error changes exactly the printed cell, sentence, title or note it names.

`focus` names types to try first, each of its injectors once (so a document may get one
text and one table error of a focused type). The types of `spec.OPT_IN_TYPES` are only
ever injected this way: leaving them out of the draw keeps the random sequence, and so
every bulletin made without `focus`, exactly as it was before they existed.
"""

from __future__ import annotations

from collections.abc import Callable

from corpus.generate import inject_forms as forms
from corpus.generate import inject_growth as grow
from corpus.generate import inject_real as real
from corpus.generate import inject_stats as stats
from corpus.generate import inject_table as tab
from corpus.generate import inject_text as txt
from corpus.generate.draft import Draft
from corpus.generate.spec import ERROR_TYPES, OPT_IN_TYPES, REAL_TYPES, STATS_TYPES, InjectedError

Injector = Callable[[Draft], InjectedError | None]
INJECTORS: dict[str, tuple[Injector, ...]] = {
    "text_rate": (txt.text_rate,),
    "table_rate": (tab.table_rate,),
    "text_total": (txt.text_total,),
    "total_row": (tab.total_row,),
    "sub_score": (tab.sub_score,),
    "total_score": (tab.total_score,),
    "rank_order": (tab.rank_order,),
    "period": (txt.period_error,),
    "name_variant": (tab.table_name, txt.text_name),
    "transposition": (tab.transposition,),
    "wrong_base": (txt.wrong_base, tab.table_base),
    "growth": (grow.text_growth, grow.table_change),
    "text_rate_table": (txt.text_rate_table,),
    "list_share": (forms.list_share,),
    "bracket_share": (forms.bracket_share,),
    "topn_share": (forms.topn_share,),
    "parts_sum": (forms.parts_sum,),
    "growth_change": (forms.growth_change,),
    "daily_average": (real.daily_average,),
    "rate_named": (real.rate_named,),
    "derived_count": (real.derived_count,),
    "difference": (real.difference,),
    "sub_base_share": (real.sub_base_share,),
    "wan_share": (real.wan_share,),
    "complaint_share": (real.complaint_share,),
    "structure_ratio": (stats.structure_ratio,),
    "ratio_points": (stats.ratio_points,),
    "points_gap": (stats.points_gap,),
    "named_formula": (stats.named_formula,),
    "split_total": (stats.split_total,),
    "small_items": (stats.small_items,),
    "wan_parts": (stats.wan_parts,),
    "wan_table_growth": (stats.wan_table_growth,),
    "topn_table_share": (stats.topn_table_share,),
}
assert set(INJECTORS) == set(ERROR_TYPES + OPT_IN_TYPES)
# types that few documents have a place for are tried first more often
WEIGHT = {"sub_score": 4, "total_row": 4, "transposition": 4, "text_total": 4, "rank_order": 2}
WEIGHT |= {"total_score": 2, "wrong_base": 2}


def inject(dr: Draft, index: int, focus: tuple[str, ...] = ()) -> None:
    rng = dr.rng
    if index % 4 == 0 or rng.random() < 0.08:
        return
    want = rng.choices([1, 2, 3, 4], weights=[22, 30, 26, 22])[0]
    # seven or nine types, at most four errors: take turns (drawn only in those sets)
    if any(t in REAL_TYPES + STATS_TYPES for t in focus):
        focus = tuple(rng.sample(focus, len(focus)))
    for fn in (fn for kind in focus for fn in INJECTORS[kind]):
        err = fn(dr) if len(dr.errors) < 4 else None
        if err is not None:
            dr.errors.append(err)
    order = {t: rng.random() ** (1 / WEIGHT.get(t, 1)) for t in ERROR_TYPES}
    types = sorted(ERROR_TYPES, key=lambda t: -order[t])
    for kind in types:
        if len(dr.errors) >= want:
            break
        if kind in focus:
            continue
        for fn in rng.sample(INJECTORS[kind], len(INJECTORS[kind])):
            err = fn(dr)
            if err is not None:
                dr.errors.append(err)
                break
