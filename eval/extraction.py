"""Extraction scores of one document: table cells, stitching and metadata against truth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.truth import label, squash
from pipeline.model import Document, Metadata, Table

META_FIELDS = ("issuer", "title", "period_start", "period_end", "published")


@dataclass(slots=True)
class ExtractionScore:
    cells: int = 0
    cells_ok: int = 0
    tables: int = 0
    tables_ok: int = 0
    multipage: int = 0
    multipage_ok: int = 0
    meta: dict[str, bool] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def match_tables(
    truth_tables: Sequence[dict[str, Any]], tables: Sequence[Table]
) -> list[list[Table]]:
    """For each truth table, the pipeline tables that stand for it.

    By attachment label first (every pipeline table carrying the label, in order);
    a truth table no label matches takes the next pipeline table, in document order,
    that no label match claimed.
    """
    claimed: set[int] = set()
    found: list[list[Table] | None] = []
    for t in truth_tables:
        want = label(t.get("attachment"))
        hits = [i for i, p in enumerate(tables) if want and label(p.attachment) == want]
        claimed.update(hits)
        found.append([tables[i] for i in hits] if hits else None)
    free = iter([p for i, p in enumerate(tables) if i not in claimed])
    return [hit if hit is not None else [p for p in [next(free, None)] if p] for hit in found]


def score_extraction(
    doc: Document, meta: Metadata, truth: dict[str, Any], misses: int = 8
) -> ExtractionScore:
    score = ExtractionScore()
    truth_tables: list[dict[str, Any]] = truth.get("tables") or []
    for t, got in zip(truth_tables, match_tables(truth_tables, doc.tables), strict=True):
        _score_table(score, t, got, misses)
    score.meta = metadata_fields(meta, truth.get("metadata") or {})
    for name, ok in score.meta.items():
        if not ok:
            score.misses.append(f"metadata {name}: {_meta_value(meta, name)!r}")
    return score


def _score_table(score: ExtractionScore, t: dict[str, Any], got: list[Table], misses: int) -> None:
    name = t.get("attachment") or t.get("title") or t.get("id")
    rows: list[list[str]] = t.get("body_rows") or []
    printed = [[c.text for c in row] for p in got for row in p.body_rows]
    score.tables += 1
    stitched = len(got) == 1 and len(got[0].body_rows) == len(rows)
    score.tables_ok += stitched
    page_rows = (t.get("layout") or {}).get("page_rows") or []
    if len(page_rows) > 1:
        score.multipage += 1
        score.multipage_ok += stitched
    if not stitched:
        counts = "+".join(str(len(p.body_rows)) for p in got) or "none"
        score.misses.append(f"table {name}: {len(rows)} rows read as {counts}")
    wrong = 0
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            score.cells += 1
            have = printed[r][c] if r < len(printed) and c < len(printed[r]) else None
            if have is not None and squash(have) == squash(text):
                score.cells_ok += 1
                continue
            wrong += 1
            if wrong <= misses:
                score.misses.append(f"cell {name} r{r + 1} c{c + 1}: {text!r} read {have!r}")
    if wrong > misses:
        score.misses.append(f"cell {name}: {wrong - misses} more cells wrong")


def metadata_fields(meta: Metadata, truth: dict[str, Any]) -> dict[str, bool]:
    period = truth.get("period") or {}
    expected = {
        "issuer": squash(truth.get("issuer")),
        "title": squash(truth.get("title")),
        "period_start": period.get("start"),
        "period_end": period.get("end"),
        "published": truth.get("published"),
    }
    return {name: _meta_value(meta, name) == expected[name] for name in META_FIELDS}


def _meta_value(meta: Metadata, name: str) -> str | None:
    if name == "issuer":
        return squash(meta.issuer.text) if meta.issuer else ""
    if name == "title":
        return squash(meta.title.text) if meta.title else ""
    if name == "published":
        return meta.published.isoformat() if meta.published else None
    if meta.period is None:
        return None
    return (meta.period.start if name == "period_start" else meta.period.end).isoformat()
