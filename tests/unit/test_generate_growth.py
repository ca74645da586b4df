"""The opt-in error types (growth, text_rate_table) and the committed sets they leave alone.

The committed truth files are compared with what `make_archive` builds now, so a change to
the generator that would alter `corpus/generated` (seed 2026) or `corpus/generated-growth`
(seed 2271, focus on the opt-in types) fails here, without rendering anything.
"""

from __future__ import annotations

import json
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from corpus.generate.__main__ import main
from corpus.generate.build import make_archive
from corpus.generate.spec import (
    ERROR_TYPES,
    OPT_IN_TYPES,
    REAL_TYPES,
    STATS_TYPES,
    Bulletin,
    Claim,
    truth_json,
)
from tests.unit.test_generate_content import (
    RATES,
    check_names_and_errors,
    check_table_numbers,
    check_text_numbers,
    num,
    regular,
    rnd,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# the growth set's focus, as the Makefile spells it (OPT_IN_TYPES has grown since)
GROWTH_FOCUS = ("growth", "text_rate_table")
# how each committed folder was made (the Makefile's `corpus` target and corpus/README.md)
SETS: dict[str, dict[str, Any]] = {
    "generated": {"n": 60, "seed": 2026},
    "generated-growth": {"n": 12, "seed": 2271, "first": 61, "focus": GROWTH_FOCUS},
    "generated-forms": {
        "n": 12,
        "seed": 3000,
        "first": 73,
        "focus": ("growth_change", "topn_share", "bracket_share", "list_share", "parts_sum"),
        "producer": "reportlab",
    },
    "generated-real-forms": {
        "n": 12,
        "seed": 4000,
        "first": 85,
        "focus": REAL_TYPES,
        "producer": "reportlab",
    },
    "generated-stats-forms": {
        "n": 8,
        "seed": 5095,
        "first": 97,
        "focus": STATS_TYPES,
        "producer": "reportlab",
    },
}


@pytest.fixture(scope="module")
def growth_set() -> list[Bulletin]:
    return make_archive(**SETS["generated-growth"])


def _as_committed(b: Bulletin, committed: dict[str, Any]) -> dict[str, Any]:
    """The truth as written after rendering: page counts and error pages come from the PDF,
    and LibreOffice's HTML import prints every table portrait."""
    truth = truth_json(b, committed["pages"])
    for e, done in zip(truth["errors"], committed["errors"], strict=True):
        e["page"] = done["page"]
    if b.producer == "html":
        for t in truth["tables"]:
            t["layout"]["landscape"] = False
    out: dict[str, Any] = json.loads(json.dumps(truth))
    return out


@pytest.mark.parametrize("folder", sorted(SETS))
def test_committed_truth_is_what_the_generator_builds(folder: str) -> None:
    built = make_archive(**SETS[folder])
    files = sorted((CORPUS / folder).glob("*.truth.json"))
    assert [f.name for f in files] == [f"{b.id}.truth.json" for b in built]
    for b, path in zip(built, files, strict=True):
        committed = json.loads(path.read_text(encoding="utf-8"))
        assert _as_committed(b, committed) == committed, b.id


def test_opt_in_types_only_with_focus(growth_set: list[Bulletin]) -> None:
    plain = make_archive(100, seed=7)
    assert {e.type for b in plain for e in b.errors} <= set(ERROR_TYPES)
    types = Counter(e.type for b in growth_set for e in b.errors)
    assert set(types) <= set(ERROR_TYPES + OPT_IN_TYPES)
    growth = [e for b in growth_set for e in b.errors if e.type == "growth"]
    assert sum(e.row is None for e in growth) >= 4 and sum(e.row is not None for e in growth) >= 2
    assert types["text_rate_table"] >= 2
    assert sum(not b.errors for b in growth_set) >= 3
    assert all(len(b.errors) <= 4 for b in growth_set)


def test_unknown_focus_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--out", "/nonexistent", "--n", "1", "--focus", "growth,nope"])
    assert stop.value.code == 2
    assert "unknown error type 'nope'" in capsys.readouterr().err


def test_growth_set_prints_consistent_numbers(growth_set: list[Bulletin]) -> None:
    """Everything but the injected errors still adds up."""
    assert check_table_numbers(growth_set) > 200
    checked = check_text_numbers(growth_set)
    assert checked["rate"] >= 10 and checked["share"] >= 10, checked
    check_names_and_errors(growth_set)


# --- each opt-in error is wrong against the figures printed beside it ------------------


def _in_sentence(b: Bulletin, sentence: str, kind: str, subject: str | None, metric: str) -> Claim:
    found = [
        c
        for c in b.claims
        if c.sentence == sentence and c.kind == kind and c.subject == subject and c.metric == metric
    ]
    assert len(found) == 1, (b.id, sentence, subject, metric)
    return found[0]


def _column_sum(b: Bulletin, table: str, key: str) -> Fraction:
    t = next(t for t in b.tables if t.id == table)
    c = t.keys.index(key)
    rows = [r for i, r in regular(t) if i not in t.total_rows]
    return sum((num(r[c]) or Fraction(0) for r in rows), Fraction(0))


def _text_change(b: Bulletin, change: Claim) -> Fraction:
    """The change the sentence's printed figures give (percent, or points)."""
    if change.kind == "points":
        metric = change.metric or ""
        cur = num(_in_sentence(b, change.sentence, "rate", "hotline", metric).value)
        prior = num(_in_sentence(b, change.sentence, "rate", change.base, metric).value)
        assert cur is not None and prior is not None
        return abs(cur - prior)
    cur = num(_in_sentence(b, change.sentence, "count", "hotline", "received").value)
    assert cur is not None
    printed = [c for c in b.claims if c.sentence == change.sentence and c.subject == change.base]
    if printed:
        prior = num(printed[0].value)
    else:  # pinned by the period table: its 本期 column adds up to the sentence's count
        period = next(t for t in b.tables if t.kind == "period")
        assert _column_sum(b, period.id, "cur.received") == cur
        prior = _column_sum(b, period.id, "prev.received")
    assert prior
    return abs(100 * (cur - prior) / prior)


def test_text_growth_errors_are_wrong_against_the_printed_figures(
    growth_set: list[Bulletin],
) -> None:
    seen = Counter()
    for b in growth_set:
        u = Fraction(1, 10**b.decimals)
        for e in (e for e in b.errors if e.type == "growth" and e.row is None):
            assert e.sentence
            kinds = ("growth", "points")
            change = next(
                c
                for c in b.claims
                if c.sentence == e.sentence and c.kind in kinds and c.value == e.printed
            )
            exact = _text_change(b, change)
            got, correct = num(e.printed), num(e.correct)
            assert got is not None and correct is not None
            assert rnd(exact, b.decimals, b.rounding) == correct, (b.id, e)
            # no rounding of the true change prints it (points: of two rounded rates)
            assert abs(got - exact) >= (3 if change.kind == "points" else Fraction(3, 2)) * u
            seen[change.kind] += 1
    assert seen["growth"] >= 1 and seen["points"] >= 1, seen


def test_table_growth_errors_are_wrong_against_their_row(growth_set: list[Bulletin]) -> None:
    seen = 0
    for b in growth_set:
        u = Fraction(1, 10**b.decimals)
        for e in (e for e in b.errors if e.type == "growth" and e.row is not None):
            t = next(t for t in b.tables if t.id == e.table)
            col = ["/".join(p) for p in t.columns].index(e.column or "")
            metric = t.keys[col].removeprefix("mom.")
            row = dict(regular(t))[(e.row or 0) - 1]
            cur, prev = (num(row[t.keys.index(f"{w}.{metric}")]) for w in ("cur", "prev"))
            assert cur is not None and prev
            exact = 100 * (cur - prev) / prev
            got, correct = num(e.printed), num(e.correct)
            assert got is not None and rnd(exact, b.decimals, b.rounding) == correct, (b.id, e)
            assert abs(got - exact) >= Fraction(3, 2) * u, (b.id, e)
            seen += 1
    assert seen >= 2


def test_text_rate_table_errors_disagree_with_the_cited_totals(
    growth_set: list[Bulletin],
) -> None:
    seen = 0
    for b in growth_set:
        u = Fraction(1, 10**b.decimals)
        for e in (e for e in b.errors if e.type == "text_rate_table"):
            rate = next(c for c in b.claims if c.sentence == e.sentence and c.value == e.printed)
            part, whole = (_column_sum(b, e.table or "", k) for k in RATES[rate.metric or ""])
            exact = 100 * part / whole
            got = num(e.printed)
            assert got is not None and rnd(exact, b.decimals, b.rounding) == num(e.correct)
            assert abs(got - exact) >= 2 * u, (b.id, e)
            seen += 1
    assert seen >= 2
