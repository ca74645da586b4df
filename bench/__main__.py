"""`python -m bench` (`make bench`): pages per second of extraction and of its peers.

Runs on the committed PDFs (corpus/seed/*.pdf and corpus/generated/*.pdf when
present), one process, one core, each method over the same documents in turn,
after one untimed warm-up call (imports). Camelot runs on a subset of whole
documents (`--camelot-pages`, the smallest first would flatter it, so the corpus
order is kept). Prints a table on stdout, progress on stderr, and writes
bench/latest.json. Numbers, not pass/fail. Then `bulletins build` on an archive folder
(bench/archive.py: documents/s with 1 and 2 workers, peak RSS per worker, pool overhead),
time per stage as a generated bulletin doubles in rows, columns and text
(bench/scaling.py), and whole `bulletins audit FILE` processes against bare pdfplumber
processes, per file, as a median and on the hard shapes (bench/process.py).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.archive import add_arguments, archive_figures, render_archive
from bench.memory import worker_peak_rss
from bench.methods import METHODS, OURS
from bench.scaling import corpus_stages, render_scaling, scaling_figures

ROOT = Path(__file__).resolve().parents[1]
LATEST = ROOT / "bench" / "latest.json"


def corpus_pdfs(root: Path = ROOT / "corpus") -> list[Path]:
    return sorted((root / "seed").glob("*.pdf")) + sorted((root / "generated").glob("*.pdf"))


def page_count(path: Path) -> int:
    import pypdfium2  # type: ignore[import-untyped]

    pdf = pypdfium2.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def subset(pdfs: Sequence[Path], pages: dict[Path, int], budget: int) -> list[Path]:
    """Documents in corpus order until `budget` pages are reached (at least one)."""
    chosen: list[Path] = []
    total = 0
    for path in pdfs:
        if chosen and total >= budget:
            break
        chosen.append(path)
        total += pages[path]
    return chosen


def time_method(name: str, docs: Sequence[Path]) -> dict[Path, float]:
    method = METHODS[name][0]
    method(docs[0])  # warm-up: imports and caches, not timed
    seconds = {}
    for path in docs:
        start = time.perf_counter()
        method(path)
        seconds[path] = time.perf_counter() - start
    return seconds


def figures(seconds: dict[Path, float], pages: dict[Path, int]) -> dict[str, Any]:
    total_s = sum(seconds.values())
    total_p = sum(pages[p] for p in seconds)
    return {
        "documents": len(seconds),
        "pages": total_p,
        "seconds": round(total_s, 3),
        "pages_per_second": round(total_p / total_s, 1) if total_s else None,
        "ms_per_page": round(1000 * total_s / total_p, 2) if total_p else None,
    }


def ratios(times: dict[str, dict[Path, float]], docs: Sequence[Path]) -> dict[str, float]:
    """How many times faster our extraction is than each peer, on the same documents."""
    ours = sum(times[OURS][p] for p in docs)
    out = {}
    for name, per_doc in times.items():
        if name == OURS or not all(p in per_doc for p in docs):
            continue
        out[name] = round(sum(per_doc[p] for p in docs) / ours, 2) if ours else 0.0
    return out


def render(report: dict[str, Any]) -> str:
    lines = [
        f"corpus: {report['corpus']['documents']} PDFs, {report['corpus']['pages']} pages "
        f"(camelot on {report['camelot_subset']['documents']} PDFs, "
        f"{report['camelot_subset']['pages']} pages)",
        "",
        f"{'method':<38} {'docs':>5} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'ms/page':>8}",
    ]
    for name, f in report["methods"].items():
        lines.append(
            f"{name:<38} {f['documents']:>5} {f['pages']:>6} {f['seconds']:>8.2f} "
            f"{f['pages_per_second']:>8.1f} {f['ms_per_page']:>8.2f}"
        )
    lines += ["", "peer time / our extraction time, same documents (higher = we are faster):"]
    for name, r in report["speedup_same_documents"].items():
        lines.append(f"  {name:<36} {r:>6.2f}x")
    m = report["memory"]
    lines += [
        "",
        f"memory: worker peak RSS {m['peak_mb']} MB extracting {m['document']} "
        f"({m['document_pages']} pages, {m['document_mb']} MB); "
        f"{m['after_imports_mb']} MB after imports",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--camelot-pages", type=int, default=60, help="pages of whole documents for camelot"
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--json", type=Path, default=LATEST, help="where to write the figures")
    parser.add_argument(
        "--pdfs", type=Path, default=None, help="every *.pdf under this folder instead of corpus/"
    )
    add_arguments(parser)  # --archive DIR, --archive-limit N: `bulletins build` figures
    args = parser.parse_args(argv)
    from bench.process import process_figures, render_process  # it imports this module

    found = sorted(args.pdfs.rglob("*.pdf")) if args.pdfs else corpus_pdfs()
    pdfs = found[: args.limit]
    if not pdfs:
        print("bench: no PDFs under corpus/seed or corpus/generated", file=sys.stderr)
        return 2
    pages = {p: page_count(p) for p in pdfs}
    camelot_docs = subset(pdfs, pages, args.camelot_pages)
    # Memory first, while this process is small: Linux carries a parent's peak RSS
    # over into a child's ru_maxrss across fork and exec.
    largest = max(pdfs, key=lambda p: (pages[p], p.stat().st_size))
    print(f"bench: peak memory on {largest.name} ...", file=sys.stderr, flush=True)
    name = str(largest.relative_to(ROOT)) if largest.is_relative_to(ROOT) else str(largest)
    memory = {"document": name, **worker_peak_rss(largest)}
    times: dict[str, dict[Path, float]] = {}
    for name, (_, camelot_only) in METHODS.items():
        docs = camelot_docs if camelot_only else pdfs
        print(f"bench: {name} on {len(docs)} PDFs ...", file=sys.stderr, flush=True)
        times[name] = time_method(name, docs)
    report = {
        "schema": "bulletins.bench/1",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "corpus": {"documents": len(pdfs), "pages": sum(pages.values())},
        "camelot_subset": {
            "documents": len(camelot_docs),
            "pages": sum(pages[p] for p in camelot_docs),
        },
        "methods": {name: figures(t, pages) for name, t in times.items()},
        "speedup_same_documents": ratios(times, camelot_docs),
        "memory": memory,
        "archive_build": archive_figures(args.archive, args.archive_limit),
        "stages_cpu_ms_per_page": corpus_stages(pdfs, pages),
        "scaling": scaling_figures(),
        "whole_process": process_figures(),
    }
    print(render(report))
    print()
    print("CPU ms/page by stage:", json.dumps(report["stages_cpu_ms_per_page"]))
    print(render_scaling(report["scaling"]))
    print()
    print(render_archive(report["archive_build"]))
    print()
    print(render_process(report["whole_process"]))
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"bench: wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
