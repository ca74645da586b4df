"""`python -m bench.archive` (and the archive part of `make bench`): `bulletins build` figures.

- throughput: documents per second of the worker pool over the same archive with 1 and with
  2 workers (the pool phase only: from the first document scheduled to the last result;
  the dataset and report are timed apart), and the scaling between the two;
- peak RSS per worker: each worker's `ru_maxrss` after each document, the largest kept
  (it counts the pages a worker shares with the fork server it was forked from);
- pool overhead per document: a no-op task through the same pool (fork server, recycling
  every 50 tasks, 1 worker), from its first result to its last, per task.

The archive is a folder of bulletins, by default /tmp/archive, made with
`make corpus-large N=2000 OUT=/tmp/archive`. Every build is --force into a temporary folder.
Numbers, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.archive.build import BuildOptions, build
from pipeline.archive.inputs import collect_inputs
from pipeline.archive.manifest import ManifestRow
from pipeline.archive.pool import Job, Limits, run_local
from pipeline.archive.worker import OK, WorkerOptions, WorkerOutcome, process_document

DEFAULT_ARCHIVE = Path("/tmp/archive")
COMMITTED = Path(__file__).resolve().parents[1] / "corpus" / "generated"
NOOP_TASKS = 500
RSS_DIR = ".bench-rss"


def measured_document(path: str, out_dir: str, options: WorkerOptions) -> WorkerOutcome:
    """process_document, then this worker's peak RSS noted in OUT/.bench-rss/<pid>."""
    outcome = process_document(path, out_dir, options)
    folder = Path(out_dir) / RSS_DIR
    folder.mkdir(exist_ok=True)
    (folder / str(os.getpid())).write_text(str(_peak_kib()), encoding="utf-8")
    return outcome


def noop_document(path: str, out_dir: str, options: WorkerOptions) -> WorkerOutcome:
    return WorkerOutcome(OK, None, 0, 0.0)


def _peak_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class Timing:
    """A build progress that notes when documents start and when the last one ends."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.failed = 0

    def start(self, total: int, skipped: int) -> None:
        self.started = self.last = time.perf_counter()

    def advance(self, row: ManifestRow) -> None:
        self.last = time.perf_counter()
        self.failed += row.status == "failed"

    def stage(self, name: str) -> None:
        pass

    def close(self) -> None:
        pass


def archive_documents(folder: Path, limit: int | None) -> list[Path]:
    found = [f.path for f in collect_inputs([str(folder)])]
    return found[:limit]


def throughput(docs: Sequence[Path], workers: int, scratch: Path) -> dict[str, Any]:
    out = scratch / f"workers-{workers}"
    timing = Timing()
    options = BuildOptions(workers=workers, force=True)
    print(f"bench: build with {workers} worker(s) on {len(docs)} documents ...", file=sys.stderr)
    load_before = os.getloadavg()[0]  # other sessions' work slows the 2-worker run most
    start = time.perf_counter()
    summary = build([str(d) for d in docs], out, options, timing, task=measured_document)
    total = time.perf_counter() - start
    pool = timing.last - timing.started
    rss = out / RSS_DIR
    peaks = [int(p.read_text()) for p in rss.iterdir()] if rss.is_dir() else []
    return {
        "workers": workers,
        "documents": summary.processed,
        "failed": timing.failed,
        "pool_seconds": round(pool, 2),
        "documents_per_second": round(summary.processed / pool, 3) if pool else None,
        "dataset_and_report_seconds": round(total - (timing.last - start), 2),
        "total_seconds": round(total, 2),
        "worker_processes": len(peaks),
        "peak_rss_mb_per_worker": round(max(peaks) / 1024, 1) if peaks else None,
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def pool_overhead(scratch: Path, tasks: int = NOOP_TASKS) -> dict[str, Any]:
    """Per-task cost of the pool itself, measured with a task that does nothing."""
    jobs = [Job(f"noop-{i}.pdf", f"{i:064x}") for i in range(tasks)]
    options = WorkerOptions("pdfplumber", 500, 2048)
    limits = Limits(workers=1, timeout=120, memory_mb=2048, max_tasks=50)
    start = time.perf_counter()
    first = end = start
    for n, _ in enumerate(run_local(jobs, scratch, options, limits, noop_document)):
        end = time.perf_counter()
        if n == 0:
            first = end
    return {
        "tasks": tasks,
        "max_tasks_per_worker": limits.max_tasks,
        "first_result_seconds": round(first - start, 2),
        "ms_per_document": round(1000 * (end - first) / (tasks - 1), 2),
    }


def archive_figures(folder: Path, limit: int | None) -> dict[str, Any]:
    """All the figures, or {"skipped": why} when there is no archive to measure.

    Without the default archive (/tmp/archive), the committed corpus/generated (61 PDFs and
    their HTML twins) stands in: smaller, but the same kind of documents.
    """
    if folder == DEFAULT_ARCHIVE and not folder.is_dir():
        folder = COMMITTED
    docs = archive_documents(folder, limit) if folder.is_dir() else []
    if not docs:
        return {
            "skipped": f"no bulletins under {folder}; "
            f"make one with `make corpus-large N=2000 OUT={folder}`"
        }
    with tempfile.TemporaryDirectory(prefix="bulletins-bench-") as tmp:
        scratch = Path(tmp)
        print("bench: pool overhead with a no-op task ...", file=sys.stderr)
        overhead = pool_overhead(scratch)
        runs = [throughput(docs, workers, scratch) for workers in (1, 2)]
    one, two = (r["documents_per_second"] for r in runs)
    return {
        "archive": str(folder),
        "documents": len(docs),
        "runs": runs,
        "scaling_2_vs_1": round(two / one, 2) if one and two else None,
        "pool_overhead": overhead,
    }


def render_archive(figures: dict[str, Any]) -> str:
    if "skipped" in figures:
        return f"archive build: skipped ({figures['skipped']})"
    lines = [
        f"archive build: {figures['documents']} documents from {figures['archive']}",
        f"{'workers':>8} {'docs':>6} {'failed':>6} {'pool s':>8} {'docs/s':>7} "
        f"{'data+report s':>13} {'peak RSS MB/worker':>18}",
    ]
    for r in figures["runs"]:
        lines.append(
            f"{r['workers']:>8} {r['documents']:>6} {r['failed']:>6} {r['pool_seconds']:>8.1f} "
            f"{r['documents_per_second'] or 0:>7.2f} {r['dataset_and_report_seconds']:>13.1f} "
            f"{r['peak_rss_mb_per_worker'] or 0:>18.1f}"
        )
    o = figures["pool_overhead"]
    lines += [
        f"scaling 2 vs 1 worker: {figures['scaling_2_vs_1']}x",
        f"pool overhead: {o['ms_per_document']} ms per document (no-op task x{o['tasks']}, "
        f"worker recycled every {o['max_tasks_per_worker']}); first result after "
        f"{o['first_result_seconds']} s",
    ]
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--archive", type=Path, default=DEFAULT_ARCHIVE, help="folder of bulletins for the build"
    )
    parser.add_argument(
        "--archive-limit", type=int, default=None, help="only the first N archive documents"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__)
    add_arguments(parser)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = archive_figures(args.archive, args.archive_limit)
    print(render_archive(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if "skipped" not in figures else 2


if __name__ == "__main__":
    sys.exit(main())
