"""`python -m bench.backends`: the table backends side by side, scored against truth.

For each backend, every corpus document with a truth file (or the first `--limit`)
is read with `read_document(path, backend=...)` and scored with the scoreboard's
own rules (eval/extraction.py): body cells exact (whitespace removed), tables
returned as exactly one table with the truth's row count, and header paths: a
truth table's columns equal, one by one, to the first matching table's columns
(NFKC, whitespace removed). Also the extraction time per page (one warm-up
document first, not timed). Prints a table; `--json` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.extraction import match_tables, score_extraction
from eval.truth import CORPUS, Case, discover, label
from pipeline.extract import read_document
from pipeline.extract.backends import BACKENDS
from pipeline.model import Document
from pipeline.normalize import resolve_metadata


def header_score(doc: Document, truth: dict[str, Any]) -> tuple[int, int, int, int]:
    """(tables with all paths right, tables, columns right, columns) over truth tables."""
    tables = truth.get("tables") or []
    tables_ok = columns_ok = columns = 0
    for t, got in zip(tables, match_tables(tables, doc.tables), strict=True):
        want = ["/".join(label(part) for part in path) for path in t.get("columns") or []]
        have = ["/".join(label(part) for part in path) for path in got[0].columns] if got else []
        right = sum(1 for a, b in zip(want, have, strict=False) if a == b)
        columns += len(want)
        columns_ok += right
        tables_ok += right == len(want) == len(have)
    return tables_ok, len(tables), columns_ok, columns


def score_backend(backend: str, cases: Sequence[Case]) -> dict[str, Any]:
    read_document(cases[0].pdf, backend=backend)  # warm-up: imports, not timed
    totals = dict.fromkeys(
        ("pages", "cells", "cells_ok", "tables", "tables_ok", "hdr_ok", "hdr", "cols_ok", "cols"),
        0,
    )
    seconds = 0.0
    for case in cases:
        start = time.perf_counter()
        doc = read_document(case.pdf, backend=backend)
        seconds += time.perf_counter() - start
        truth = case.truth()
        score = score_extraction(doc, resolve_metadata(doc), truth)
        hdr_ok, hdr, cols_ok, cols = header_score(doc, truth)
        for key, value in (
            ("pages", doc.pages),
            ("cells", score.cells),
            ("cells_ok", score.cells_ok),
            ("tables", score.tables),
            ("tables_ok", score.tables_ok),
            ("hdr_ok", hdr_ok),
            ("hdr", hdr),
            ("cols_ok", cols_ok),
            ("cols", cols),
        ):
            totals[key] += value
    return {
        "documents": len(cases),
        **totals,
        "seconds": round(seconds, 3),
        "ms_per_page": round(1000 * seconds / totals["pages"], 1) if totals["pages"] else None,
    }


def _pct(ok: int, total: int) -> str:
    return f"{100 * ok / total:.1f}% ({ok}/{total})" if total else "n/a"


def render(results: dict[str, dict[str, Any]]) -> str:
    head = ["backend", "body cells exact", "tables whole", "header paths (tables)", "columns"]
    rows = [
        [
            name,
            _pct(r["cells_ok"], r["cells"]),
            _pct(r["tables_ok"], r["tables"]),
            _pct(r["hdr_ok"], r["hdr"]),
            _pct(r["cols_ok"], r["cols"]),
            f"{r['ms_per_page']} ms/page",
        ]
        for name, r in results.items()
    ]
    head.append("speed")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backends", description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--backend", action="append", choices=list(BACKENDS), default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--root", type=Path, default=CORPUS, help="folder searched for *.truth.json (corpus/)"
    )
    args = parser.parse_args(argv)
    cases = [c for c in discover(args.root) if c.pdf.exists()][: args.limit]
    if not cases:
        print("bench.backends: no corpus document with a truth file", file=sys.stderr)
        return 2
    results = {}
    for backend in args.backend or list(BACKENDS):
        print(f"bench.backends: {backend} on {len(cases)} PDFs ...", file=sys.stderr, flush=True)
        results[backend] = score_backend(backend, cases)
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
