"""Normalization scores of one document against truth: who, what, where and when.

- departments: every name the truth says is printed (`departments`: printed -> canonical)
  must come back from `normalize` with that canonical name; a wrong merge is a canonical
  name of ours given to two departments the truth keeps apart;
- headers: every column of a truth table with `keys` must get the metric
  eval/expected_metrics.json gives its key (a hand-checked vocabulary: the truth records
  what each column measures in the generator's words, not the pipeline's);
- shifted rows: a body row one cell longer or shorter than the header must come back with
  an `Alignment` that puts its cells where the generator printed them (the third column
  holds the extra count or lost its twin: corpus/generate/paging.py);
- periods: the reporting period, and each table title's period, against truth.

`score_archive` does the departments again with a gazetteer built from the whole corpus
(`bulletins gazetteer build`), as a user of an archive would.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from eval.extraction import match_tables
from eval.truth import ROOT, squash
from pipeline.model import Column, Normalized, NormalizedTable, Period, Record
from pipeline.normalize.claims import text_to_channels
from pipeline.normalize.departments import parse_gazetteer, resolve_departments
from pipeline.normalize.gazetteer_build import (
    DocumentNames,
    build_gazetteers,
    document_names,
    gazetteer_json,
)

EXPECTED_METRICS = ROOT / "eval" / "expected_metrics.json"
SHIFTED_AT = 2  # 0-based column the generator splits for a row's extra or missing cell


@dataclass(slots=True)
class NormalizationScore:
    names: int = 0
    names_ok: int = 0
    wrong_merges: int = 0
    headers: int = 0
    headers_ok: int = 0
    shifted: int = 0
    shifted_ok: int = 0
    periods: int = 0
    periods_ok: int = 0
    misses: list[str] = field(default_factory=list)
    archive: DocumentNames | None = None  # for the corpus-wide gazetteer
    truth_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ArchiveScore:
    names: int
    names_ok: int
    wrong_merges: int
    misses: tuple[str, ...]


@lru_cache(maxsize=1)
def expected_metrics() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPECTED_METRICS.read_text(encoding="utf-8"))
    return data


def score_normalization(
    norm: Normalized, truth: dict[str, Any], misses: int = 8
) -> NormalizationScore:
    score = NormalizationScore()
    score.truth_names = {squash(p): squash(c) for p, c in (truth.get("departments") or {}).items()}
    _score_departments(score, norm)
    tables = truth.get("tables") or []
    matched = match_tables(tables, norm.document.tables)
    by_table = {id(nt.table): nt for nt in norm.tables}
    for t, got in zip(tables, matched, strict=True):
        normalized = [by_table[id(p)] for p in got if id(p) in by_table]
        _score_headers(score, t, normalized)
        _score_shifted(score, t, [r for nt in normalized for r in nt.records])
        _score_table_period(score, t, normalized, truth)
    _score_period(score, norm, truth)
    del score.misses[misses * 4 :]
    score.archive = document_names(norm.document, claims=norm.claims)
    return score


def _score_departments(score: NormalizationScore, norm: Normalized) -> None:
    ours = {squash(d.printed): squash(d.canonical) for d in norm.departments}
    score.names = len(score.truth_names)
    score.names_ok, score.wrong_merges, missed = _identity(
        [(p, c, ours.get(p)) for p, c in score.truth_names.items()]
    )
    score.misses += [f"department {m}" for m in missed]


def _identity(rows: Sequence[tuple[str, str, str | None]]) -> tuple[int, int, list[str]]:
    """(right, wrong merges, misses) over (printed, truth canonical, our canonical) rows."""
    right = sum(ours == canonical for _, canonical, ours in rows)
    merged: dict[str, set[str]] = defaultdict(set)
    for _, canonical, ours in rows:
        if ours is not None:
            merged[ours].add(canonical)
    wrong = sum(len(c) - 1 for c in merged.values())
    missed = [f"{p}: {c} read {o!r}" for p, c, o in rows if o != c]
    missed += [f"{o} merges {' + '.join(sorted(c))}" for o, c in merged.items() if len(c) > 1]
    return right, wrong, missed


def _score_headers(
    score: NormalizationScore, t: dict[str, Any], got: list[NormalizedTable]
) -> None:
    keys: list[str] = t.get("keys") or []
    if not keys:
        return
    name = t.get("attachment") or t.get("id")
    columns = [c for c in got[0].columns if not c.inserted] if got else []
    if len(columns) != len(keys):
        columns = []  # read with other columns: no header is scored right
    for i, key in enumerate(keys):
        score.headers += 1
        want = expected_metrics()["keys"][key.split("@", 1)[0]]
        have = column_reading(columns[i]) if columns else None
        if have == want:
            score.headers_ok += 1
        else:
            score.misses.append(f"header {name} c{i + 1} {key}: {have!r}, want {want}")


def column_reading(col: Column) -> str | None:
    """What the pipeline says a column measures: its metric, else the one channel it names."""
    if col.metric is not None:
        return col.metric
    channels = text_to_channels("".join(col.path))
    return f"channel:{channels[0]}" if len(channels) == 1 else None


def _score_shifted(score: NormalizationScore, t: dict[str, Any], records: list[Record]) -> None:
    width = len(t.get("columns") or [])
    name = t.get("attachment") or t.get("id")
    for i, row in enumerate(t.get("body_rows") or []):
        if len(row) not in (width + 1, width - 1):
            continue
        score.shifted += 1
        rec = records[i] if i < len(records) else None
        if rec is not None and rec.alignment is not None and _placed(row, width, rec):
            score.shifted_ok += 1
        else:
            got = rec.alignment.description if rec and rec.alignment else "no alignment"
            score.misses.append(f"shifted row {name} r{i + 1}: {got}")


def _placed(row: list[str], width: int, rec: Record) -> bool:
    """The record's alignment puts the cells where the generator printed them."""
    assert rec.alignment is not None
    p = rec.alignment.position
    if len(row) == width + 1:  # an extra count printed at the third column
        return row[:p] + row[p + 1 :] == row[:SHIFTED_AT] + row[SHIFTED_AT + 1 :]
    full = [*row[: SHIFTED_AT + 1], row[SHIFTED_AT], *row[SHIFTED_AT + 1 :]]  # twin printed once
    return full[:p] + full[p + 1 :] == row


def _same(period: Period | None, want: dict[str, Any]) -> bool:
    return period is not None and (period.start.isoformat(), period.end.isoformat()) == (
        want.get("start"),
        want.get("end"),
    )


def _score_period(score: NormalizationScore, norm: Normalized, truth: dict[str, Any]) -> None:
    want = (truth.get("metadata") or {}).get("period") or {}
    score.periods += 1
    if _same(norm.metadata.period, want):
        score.periods_ok += 1
    else:
        score.misses.append(f"period: {norm.metadata.period!r}, want {want}")


def _score_table_period(
    score: NormalizationScore, t: dict[str, Any], got: list[NormalizedTable], truth: dict[str, Any]
) -> None:
    """A table title names the document's period, unless an injected error changed it."""
    wrong = [e for e in truth.get("errors") or [] if e.get("type") == "period"]
    if any(e.get("printed") and e["printed"] in (t.get("title") or "") for e in wrong):
        return
    if not got:
        return
    want = (truth.get("metadata") or {}).get("period") or {}
    score.periods += 1
    if _same(got[0].period, want):
        score.periods_ok += 1
    else:
        score.misses.append(f"period of {t.get('attachment') or t.get('id')}: {got[0].period!r}")


def score_archive(scores: Sequence[NormalizationScore], misses: int = 12) -> ArchiveScore:
    """Department identity with one gazetteer per district built from every document."""
    docs = [s.archive for s in scores if s.archive is not None]
    gazetteers = {}
    for built in build_gazetteers(docs):
        if built.city and built.entries:  # a district no bulletin names departments for has none
            gazetteers[built.district] = parse_gazetteer(gazetteer_json(built), built.district)
    rows: list[tuple[str, str, str | None]] = []
    for s in scores:
        if s.archive is None:
            continue
        district = s.archive.district
        names = [p.name for p in s.archive.printings]
        resolved = resolve_departments(
            names, gazetteer=gazetteers.get(district or ""), district=district
        )
        ours = {squash(p): squash(d.canonical) for p, d in resolved.items()}
        # canonical names are compared within a district: 区司法局 of two districts differ
        rows += [
            (p, f"{district}/{c}", f"{district}/{ours[p]}" if p in ours else None)
            for p, c in s.truth_names.items()
        ]
    right, wrong, missed = _identity(rows)
    return ArchiveScore(len(rows), right, wrong, tuple(missed[:misses]))
