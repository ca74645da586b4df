"""`python -m eval.scans`: the scanned copies (corpus/scans) scored as their own group.

Each scan listed in corpus/scans/scans.json is read, normalized and audited as
`bulletins audit` does (OCR with the default engine), and so is the text PDF it was
made from; only then is the source's truth opened. Figures per dpi group (and for the
copies without /ToUnicode): body cells exact, numeric body cells exact, audit recall
against the text version (of the injected errors the text version finds, the share
the scan finds too), error-level findings on scans of clean bulletins, seconds per
page. Prints a table, writes eval/scans-latest.json and exits 1 when a figure falls
below its floor or above its ceiling in eval/scans-floors.json (`--ratchet` tightens
them to this run's figures). See eval/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval import floors
from eval.audit_match import score_audit
from eval.extraction import match_tables
from eval.truth import CORPUS, ROOT, squash
from pipeline.extract import read_document
from pipeline.extract.tables import is_numeric
from pipeline.model import Document, Severity
from pipeline.normalize import normalize
from pipeline.validate import audit

SCANS = CORPUS / "scans"
LATEST = ROOT / "eval" / "scans-latest.json"
FLOORS = ROOT / "eval" / "scans-floors.json"
# Figures bounded from above; the rest are shares bounded from below.
CEILINGS = ("errors_on_clean_scans", "cpu_seconds_per_page")


@dataclass(slots=True)
class ScanScore:
    id: str
    group: str
    pages: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time: what one core spent, whatever the load
    cells: int = 0
    cells_ok: int = 0
    numbers: int = 0
    numbers_ok: int = 0
    found: list[bool] = field(default_factory=list)  # per injected error
    text_found: list[bool] = field(default_factory=list)
    clean: bool = False
    error_findings: int = 0
    misses: list[str] = field(default_factory=list)


def group_of(entry: dict[str, Any]) -> str:
    """Scans by dpi; the copies without /ToUnicode and those with drawn glyphs apart."""
    kind = entry.get("kind", "scan")
    return f"{entry['dpi']} dpi" if kind == "scan" else str(kind)


def score_scan(entry: dict[str, Any], root: Path = SCANS) -> ScanScore:
    """Run the pipeline on the scan and its text source, then score both against truth."""
    score = ScanScore(entry["id"], group_of(entry))
    start, cpu = time.perf_counter(), time.process_time()
    doc = read_document(root / entry["pdf"])
    result = audit(normalize(doc))
    score.seconds = time.perf_counter() - start
    score.cpu_seconds = time.process_time() - cpu
    score.pages = doc.pages
    text = audit(normalize(read_document(CORPUS / entry["source"], ocr="off")))
    truth = json.loads((CORPUS / entry["truth"]).read_text(encoding="utf-8"))
    cells = body_cells(doc, truth)
    score.cells, score.cells_ok = len(cells), sum(ok for _, ok, _ in cells)
    numeric = [ok for truth_text, ok, _ in cells if is_numeric(truth_text)]
    score.numbers, score.numbers_ok = len(numeric), sum(numeric)
    score.misses = [miss for _, ok, miss in cells if not ok]
    score.found = [ok for _, ok in score_audit(result, truth).errors]
    score.text_found = [ok for _, ok in score_audit(text, truth).errors]
    score.clean = not truth.get("errors")
    score.error_findings = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    return score


def body_cells(doc: Document, truth: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(truth text, read exactly, what was read) for every truth body cell.

    Cells compare as the scoreboard compares them (`squash`) after NFKC: on paper a
    full-width ％ and an ASCII % look alike, so a scan cannot tell them apart.
    """
    tables: list[dict[str, Any]] = truth.get("tables") or []
    out = []
    for t, got in zip(tables, match_tables(tables, doc.tables), strict=True):
        printed = [[c.text for c in row] for p in got for row in p.body_rows]
        name = t.get("attachment") or t.get("title")
        for r, row in enumerate(t.get("body_rows") or []):
            for c, text in enumerate(row):
                have = printed[r][c] if r < len(printed) and c < len(printed[r]) else None
                ok = have is not None and _same(have, text)
                out.append((text, ok, f"cell {name} r{r + 1} c{c + 1}: {text!r} read {have!r}"))
    return out


def _same(a: str, b: str) -> bool:
    return squash(unicodedata.normalize("NFKC", a)) == squash(unicodedata.normalize("NFKC", b))


def summarize(scores: Sequence[ScanScore]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[ScanScore]] = defaultdict(list)
    for s in scores:
        groups[s.group].append(s)
    out = {}
    for name, members in sorted(groups.items()):
        both = [f for s in members for f, t in zip(s.found, s.text_found, strict=True) if t]
        pages = sum(s.pages for s in members)
        out[name] = {
            "documents": [s.id for s in members],
            "cells": _share(sum(s.cells_ok for s in members), sum(s.cells for s in members)),
            "numbers": _share(sum(s.numbers_ok for s in members), sum(s.numbers for s in members)),
            "audit_recall_vs_text": _share(sum(both), len(both)),
            "errors_on_clean_scans": sum(s.error_findings for s in members if s.clean),
            "seconds_per_page": _per_page(sum(s.seconds for s in members), pages),
            "cpu_seconds_per_page": _per_page(sum(s.cpu_seconds for s in members), pages),
        }
    return out


def _per_page(seconds: float, pages: int) -> float | None:
    return round(seconds / pages, 2) if pages else None


def _share(ok: int, total: int) -> dict[str, Any]:
    return {"share": round(ok / total, 4) if total else None, "ok": ok, "of": total}


def render(summary: dict[str, dict[str, Any]]) -> str:
    lines = ["scans (OCR with the default engine):"]
    for name, g in summary.items():
        lines.append(f"  {name}: {', '.join(g['documents'])}")
        for key in ("cells", "numbers", "audit_recall_vs_text"):
            v = g[key]
            share = "n/a" if v["share"] is None else f"{v['share']:.3f}"
            lines.append(f"    {key:<24} {share}  ({v['ok']}/{v['of']})")
        lines.append(f"    {'errors_on_clean_scans':<24} {g['errors_on_clean_scans']}")
        for key in ("seconds_per_page", "cpu_seconds_per_page"):
            lines.append(f"    {key:<24} {g[key]}")
    return "\n".join(lines)


def scan_metrics(summary: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """The summary as flat metric names: "scans.200dpi.cells", and for CPU time
    "speed.scans.200dpi.cpu_seconds_per_page" (speed is left out of the tests' checks)."""
    out: dict[str, float | None] = {}
    for group, g in summary.items():
        name = group.replace(" ", "")
        for key in ("cells", "numbers", "audit_recall_vs_text"):
            out[f"scans.{name}.{key}"] = g[key]["share"]
        out[f"scans.{name}.errors_on_clean_scans"] = g["errors_on_clean_scans"]
        out[f"speed.scans.{name}.cpu_seconds_per_page"] = g["cpu_seconds_per_page"]
    return out


def ratchet(metrics: dict[str, float | None], path: Path = FLOORS) -> list[str]:
    """Tighten every bound of `path` that `metrics` beat (never loosen one); what changed."""
    return floors.ratchet(metrics, path, is_ceiling=_is_ceiling, bound=_bound)


def _is_ceiling(name: str) -> bool:
    return name.endswith(CEILINGS)


def _bound(name: str, value: float) -> float:
    """Shares floored to 3 decimals, error counts kept exact, CPU time doubled (machines
    differ) and rounded up."""
    if name.startswith("speed."):
        return math.ceil(value * floors.SPEED_SLACK * 100) / 100
    return value if _is_ceiling(name) else math.floor(round(value * 1000, 6)) / 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.scans", description=__doc__)
    parser.add_argument("--only", default=None, help="comma-separated scan ids")
    parser.add_argument("--misses", action="store_true", help="list cells read wrong on stderr")
    parser.add_argument(
        "--ratchet", action="store_true", help="tighten eval/scans-floors.json to this run"
    )
    args = parser.parse_args(argv)
    manifest = json.loads((SCANS / "scans.json").read_text(encoding="utf-8"))["scans"]
    wanted = set(args.only.split(",")) if args.only else None
    scores = []
    for entry in manifest:
        if wanted is not None and entry["id"] not in wanted:
            continue
        s = score_scan(entry)
        print(
            f"{s.id}: {s.pages} p, {s.seconds:.1f} s, {s.cpu_seconds:.1f} s CPU",
            file=sys.stderr,
            flush=True,
        )
        if args.misses:
            for miss in s.misses:
                print(f"  {s.id}: {miss}", file=sys.stderr)
        scores.append(s)
    summary = summarize(scores)
    print(render(summary))
    if wanted is not None:  # a partial run neither records nor checks
        return 0
    LATEST.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    metrics = scan_metrics(summary)
    if args.ratchet:
        for line in ratchet(metrics) or ["scan floors unchanged"]:
            print(line, file=sys.stderr)
    wrong = floors.violations(metrics, floors.load(FLOORS), speed=True)
    for line in wrong:
        print(f"eval.scans: {line}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
