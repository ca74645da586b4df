"""Unit tests for eval.real: how findings and catalog figures are keyed and scored.

The real texts are not in the repository; these tests use the catalog committed beside
the code and findings written here, in the form the audit reports them.
"""

from __future__ import annotations

from pathlib import Path

from eval.real import (
    Entry,
    Outcome,
    Relation,
    _numbers_in,
    check_entry,
    figure_key,
    load_catalog,
    score_entry,
    split_of,
    text_digest,
    verify,
)


def test_figure_keys_reduce_printed_forms() -> None:
    assert figure_key("98.11%") == "98.11%"
    assert figure_key("１，２３４件") == "1234"
    assert figure_key("41.0") == "41"
    assert figure_key("第十名") == "10"
    assert figure_key("2016年3月9日") == "2016"


def test_a_reported_iso_date_is_keyed_like_the_printed_date() -> None:
    said = _numbers_in("published 2016-03-09, before the reporting period ends")
    assert said == {figure_key("2016年3月9日")}


def test_the_committed_catalog_is_well_formed_and_split_by_city() -> None:
    entries = load_catalog()
    assert len(entries) >= 500
    assert {e.split for e in entries} == {"dev", "test"}
    for e in entries[:50]:
        assert e.split == split_of(e.city)


def test_a_bad_entry_is_named() -> None:
    problems = check_entry({"id": "Bad Id", "kind": "nope", "relations": [{"kind": "x"}]})
    assert "bad id 'Bad Id'" in problems
    assert any("unknown bulletin kind" in p for p in problems)
    assert any("no printed figure" in p for p in problems)


def test_a_date_finding_scores_as_found_and_not_stray() -> None:
    rel = Relation("date", "2016年3月9日", (), None, "inconsistent", "date", "dated too early")
    entry = Entry("x", "q", "u", "某市", "other", None, (rel,))
    finding = {"reported": "2016-03-09", "message": "published 2016-03-09", "rule": "PERIOD003"}
    out = Outcome(errors={k: [finding] for k in _numbers_in(finding["reported"])})
    tallies, stray, _ = score_entry(entry, out)
    assert tallies["date"].flagged == 1
    assert stray == 0


def test_verify_names_missing_and_differing_texts_and_repairs_whitespace(tmp_path: Path) -> None:
    text = "一份自拟的通报。\n受理100件。"

    def entry(ident: str) -> Entry:
        url = f"http://example.org/{ident}"
        return Entry(ident, "q", url, "某市", "other", text_digest(text), ())

    (tmp_path / "same.txt").write_text(text, encoding="utf-8")
    (tmp_path / "spaced.txt").write_text(text + "\n\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text(text.replace("100", "101"), encoding="utf-8")
    entries = [entry(i) for i in ("same", "spaced", "other", "absent")]
    notes = list(verify(entries, tmp_path))
    assert notes == [
        "spaced: differs (whitespace only: --repair)",
        "other: differs",
        "absent: missing (query: q)",
    ]
    assert list(verify(entries[:2], tmp_path, repair=True)) == ["spaced: repaired (whitespace)"]
    assert (tmp_path / "spaced.txt").read_text(encoding="utf-8") == text
