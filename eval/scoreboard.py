"""`python -m eval.scoreboard`: run the pipeline over the corpus and score it against truth.

Each document is read, normalized and audited exactly as `bulletins audit` does; only
then is its truth file opened, to score what came back. Prints one table on stdout,
writes eval/latest.json and eval/history/YYYY-MM-DD.json; progress goes to stderr.
`--ratchet` raises eval/floors.json to the latest figures (see eval/README.md).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.audit_match import RULES_FOR, AuditScore, score_audit
from eval.extraction import META_FIELDS, ExtractionScore, score_extraction
from eval.floors import FLOORS, ratchet
from eval.identity import NormalizationScore, score_archive, score_normalization
from eval.truth import CORPUS, ROOT, Case, discover, select
from pipeline.extract import read_document
from pipeline.normalize import normalize
from pipeline.validate import audit

EVAL = ROOT / "eval"
LATEST = EVAL / "latest.json"
HISTORY = EVAL / "history"


@dataclass(slots=True)
class DocResult:
    id: str
    pages: int = 0
    seconds: float = 0.0
    extraction: ExtractionScore = field(default_factory=ExtractionScore)
    audit: AuditScore = field(default_factory=AuditScore)
    normalization: NormalizationScore = field(default_factory=NormalizationScore)
    failure: str | None = None


def score_case(case: Case) -> DocResult:
    """Run the pipeline on one PDF, then (only then) read its truth and score the result."""
    result = DocResult(case.id)
    try:
        start = time.perf_counter()
        doc = read_document(case.pdf)
        norm = normalize(doc)
        findings = audit(norm)
        result.seconds = time.perf_counter() - start
        result.pages = doc.pages
        truth = case.truth()
        result.extraction = score_extraction(doc, norm.metadata, truth)
        result.audit = score_audit(findings, truth)
        result.normalization = score_normalization(norm, truth)
    except Exception as exc:  # one bad document must not take down the run
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
        result.failure = f"{type(exc).__name__}: {exc}{where}"
    return result


def run(cases: Sequence[Case], progress: Callable[[str], None] | None = None) -> list[DocResult]:
    results = []
    for i, case in enumerate(cases, 1):
        r = score_case(case)
        if progress:
            status = f"FAILED {r.failure}" if r.failure else f"{r.pages} p, {r.seconds:.2f} s"
            progress(f"[{i}/{len(cases)}] {case.id}: {status}")
        results.append(r)
    return results


def _share(ok: float, total: float) -> float | None:
    return ok / total if total else None


def summarize(results: Sequence[DocResult]) -> dict[str, Any]:
    """The metrics (flat name -> value, None when nothing was measured) and their counts."""
    done = [r for r in results if r.failure is None]
    ex = [r.extraction for r in done]
    m: dict[str, float | None] = {}
    n: dict[str, list[float]] = {}

    def put(name: str, ok: float, total: float) -> None:
        m[name], n[name] = _share(ok, total), [ok, total]

    put("extraction.cells", sum(e.cells_ok for e in ex), sum(e.cells for e in ex))
    put("extraction.tables", sum(e.tables_ok for e in ex), sum(e.tables for e in ex))
    put(
        "extraction.tables_multipage", sum(e.multipage_ok for e in ex), sum(e.multipage for e in ex)
    )
    fields = [(name, ok) for e in ex for name, ok in e.meta.items()]
    put("extraction.metadata", sum(ok for _, ok in fields), len(fields))
    for name in META_FIELDS:
        put(f"extraction.metadata.{name}", sum(ok for f, ok in fields if f == name), len(ex))
    au = [r.audit for r in done]
    for t in RULES_FOR:
        found = [ok for a in au for typ, ok in a.errors if typ == t]
        put(f"audit.{t}.recall", sum(found), len(found))
        attributed = [ok for a in au for types, ok in a.findings if t in types]
        put(f"audit.{t}.precision", sum(attributed), len(attributed))
    gazetteer_misses = _summarize_normalization([r.normalization for r in done], m, n)
    clean = [a for a in au if a.clean]
    put("audit.false_alarms_per_clean_doc", sum(a.error_findings for a in clean), len(clean))
    coverage = [a.coverage for a in au if a.coverage is not None]
    put("audit.coverage", sum(coverage), len(coverage))
    pages, seconds = sum(r.pages for r in done), sum(r.seconds for r in done)
    m["speed.pages_per_second"] = pages / seconds if seconds else None
    m["speed.seconds_per_document"] = seconds / len(done) if done else None
    n["speed.pages_per_second"] = [pages, seconds]
    n["speed.seconds_per_document"] = [seconds, len(done)]
    m["documents.failed"], n["documents.failed"] = len(results) - len(done), [len(results)]
    alarms = Counter(rule for a in clean for rule in a.error_rules)
    return {
        "metrics": m,
        "counts": n,
        "clean_doc_errors_by_rule": dict(alarms.most_common()),
        "gazetteer_misses": gazetteer_misses,
    }


def _summarize_normalization(
    scores: Sequence[NormalizationScore], m: dict[str, float | None], n: dict[str, list[float]]
) -> list[str]:
    """The normalization metrics into `m` and `n`; returns the corpus gazetteer's misses."""

    def put(name: str, ok: float, total: float) -> None:
        m[name], n[name] = _share(ok, total), [ok, total]

    def count(name: str, value: int) -> None:
        m[name], n[name] = float(value), [float(value)]

    put("normalize.departments", sum(s.names_ok for s in scores), sum(s.names for s in scores))
    count("normalize.departments.wrong_merges", sum(s.wrong_merges for s in scores))
    archive = score_archive(scores)
    put("normalize.gazetteer.departments", archive.names_ok, archive.names)
    count("normalize.gazetteer.wrong_merges", archive.wrong_merges)
    put("normalize.headers", sum(s.headers_ok for s in scores), sum(s.headers for s in scores))
    put("normalize.shifted_rows", sum(s.shifted_ok for s in scores), sum(s.shifted for s in scores))
    put("normalize.periods", sum(s.periods_ok for s in scores), sum(s.periods for s in scores))
    return list(archive.misses)


def report(results: Sequence[DocResult]) -> dict[str, Any]:
    """The full JSON record: date, metrics, counts, failures and every document's misses."""
    summary = summarize(results)
    misses = {
        r.id: r.extraction.misses + r.audit.misses + r.normalization.misses
        for r in results
        if r.extraction.misses or r.audit.misses or r.normalization.misses
    }
    gazetteer = summary.pop("gazetteer_misses")
    if gazetteer:
        misses["(corpus gazetteer)"] = gazetteer
    return {
        "schema": "bulletins.scoreboard/1",
        "date": datetime.date.today().isoformat(),
        "documents": len(results),
        **summary,
        "failures": [{"id": r.id, "error": r.failure} for r in results if r.failure],
        "misses": misses,
    }


def _fmt(name: str, value: float | None, count: list[float]) -> str:
    if value is None:
        return "n/a"
    if name.startswith("speed."):
        return f"{value:.2f}"
    if name == "documents.failed":
        return f"{value:.0f} of {count[0]:.0f}"
    if name.endswith(".wrong_merges"):
        return f"{value:.0f}"
    if name == "audit.false_alarms_per_clean_doc":
        return f"{value:.3f}  ({count[0]:.0f} errors / {count[1]:.0f} clean docs)"
    if name == "audit.coverage":
        return f"{value:.3f}  (mean over {count[1]:.0f} docs)"
    return f"{value:.3f}  ({count[0]:.0f}/{count[1]:.0f})"


def render(record: dict[str, Any]) -> str:
    metrics, counts = record["metrics"], record["counts"]
    lines = [f"scoreboard {record['date']}: {record['documents']} documents"]
    sections: list[tuple[str, Callable[[str], bool]]] = [
        ("extraction", lambda k: k.startswith("extraction.")),
        ("normalization", lambda k: k.startswith("normalize.")),
        ("audit by type", lambda k: k.startswith("audit.") and k.count(".") == 2),
        ("audit overall", lambda k: k.startswith("audit.") and k.count(".") == 1),
        ("speed (one process)", lambda k: k.startswith("speed.")),
        ("documents", lambda k: k.startswith("documents.")),
    ]
    for title, wanted in sections:
        lines.append(f"{title}:")
        for k in (k for k in metrics if wanted(k)):
            lines.append(f"  {k:<42} {_fmt(k, metrics[k], counts.get(k, []))}")
    alarms = record.get("clean_doc_errors_by_rule") or {}
    if alarms:
        by_rule = ", ".join(f"{rule} {count}" for rule, count in alarms.items())
        lines.append(f"  (error findings on clean documents by rule: {by_rule})")
    for f in record["failures"]:
        lines.append(f"  failed {f['id']}: {f['error']}")
    return "\n".join(lines)


def write(record: dict[str, Any]) -> None:
    text = json.dumps(record, ensure_ascii=False, indent=1) + "\n"
    LATEST.write_text(text, encoding="utf-8")
    HISTORY.mkdir(parents=True, exist_ok=True)
    (HISTORY / f"{record['date']}.json").write_text(text, encoding="utf-8")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.scoreboard", description=__doc__)
    parser.add_argument("--ratchet", action="store_true", help="raise floors to eval/latest.json")
    parser.add_argument("--limit", type=int, default=None, help="seed + first N generated docs")
    parser.add_argument("--misses", action="store_true", help="list every miss on stderr")
    parser.add_argument(
        "--only",
        metavar="DIR",
        default=None,
        help="score only the truth files under corpus/DIR (e.g. generated-real-forms); "
        "prints the table and writes nothing",
    )
    args = parser.parse_args(argv)
    if args.ratchet:
        if not LATEST.exists():
            _stderr("no eval/latest.json: run `make eval` first")
            return 2
        changes = ratchet(json.loads(LATEST.read_text(encoding="utf-8"))["metrics"])
        for line in changes or ["floors unchanged"]:
            print(line)
        if changes:
            print(f"wrote {FLOORS.relative_to(ROOT)}")
        return 0
    cases = select(discover(CORPUS / args.only if args.only else CORPUS), args.limit)
    if not cases:
        _stderr("no truth files (schema bulletins.truth/1) under corpus/")
        return 2
    record = report(run(cases, _stderr))
    if args.misses:
        for doc, misses in record["misses"].items():
            for miss in misses:
                _stderr(f"{doc}: {miss}")
    print(render(record))
    if not args.only:
        write(record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
