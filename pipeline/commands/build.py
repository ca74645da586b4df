"""`bulletins build INPUT... -o OUT`: many bulletins to a manifest, a dataset and a report."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    add_backend,
    add_gazetteer,
    add_limits,
    add_ocr,
    given_gazetteers,
    given_limits,
)
from pipeline.commands.parsers import command_parser
from pipeline.errors import BulletinError

if TYPE_CHECKING:
    from pipeline.archive.build import BuildSummary, Progress
    from pipeline.archive.manifest import ManifestRow

EXIT_INTERRUPTED = 130
PLAIN_EVERY_DOCS, PLAIN_EVERY_SECONDS = 50, 10.0


EXAMPLES = (
    "bulletins build archive/ -o out/",
    "bulletins build 'archive/**/*.pdf' -o out/ --workers 2 --timeout 60",
    "bulletins build archive/ -o out/ --executor dask --scheduler tcp://host:8786",
)


def add_parser(sub: Any) -> None:
    cmd = command_parser(
        sub,
        "build",
        help="audit an archive of bulletins into a manifest, a dataset and a report",
        description="Audit an archive of bulletins: files, folders (searched recursively) and "
        "glob patterns, into OUT/manifest.csv, OUT/dataset/ and OUT/report/. Exit status: 2 "
        "when an input failed, else 1 when any error-level finding, else 0.",
        examples=EXAMPLES,
        docs=["archive.md", "dataset.md", "archive-report.md", "limits.md"],
    )
    cmd.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or glob pattern")
    # --out was this option's first spelling; it still works, unlisted.
    cmd.add_argument(
        "-o", "--output", "--out", type=Path, required=True, metavar="OUT", help="output folder"
    )
    cmd.add_argument(
        "--force-dir",
        action="store_true",
        help="build in a non-empty folder no build made; its files are left alone",
    )
    cmd.add_argument(
        "--workers",
        type=_positive,
        default=default_workers(),
        metavar="N",
        help="worker processes (default: the CPUs this process may use)",
    )
    cmd.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local process pool (default) or dask.distributed (needs the extra [dask])",
    )
    cmd.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler, e.g. tcp://host:8786")
    again = cmd.add_mutually_exclusive_group()
    again.add_argument(
        "--resume", action="store_true", help="reuse stored results of this version (the default)"
    )
    again.add_argument("--force", action="store_true", help="redo every document")
    add_limits(cmd, memory="memory per worker")
    cmd.add_argument(
        "--max-tasks", type=_positive, default=50, metavar="N", help="documents per local worker"
    )
    cmd.add_argument(
        "--no-thumbnails", action="store_true", help="no evidence images in per-document reports"
    )
    add_gazetteer(cmd)
    add_backend(cmd)
    add_ocr(cmd)
    cmd.set_defaults(run=run)


# A dask worker maps its threads' stacks and arenas before it runs anything: under a smaller
# address-space cap it cannot start a thread, and dies over and over with a traceback each time.
DASK_MIN_MEMORY_MB = 1024


def run(args: argparse.Namespace) -> int:
    # Imported here: the archive brings pyarrow, jinja2 and matplotlib, which `audit` never needs.
    from pipeline.archive.build import BuildOptions, build

    if args.scheduler and args.executor != "dask":
        print("bulletins: --scheduler needs --executor dask", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.executor == "dask" and 0 < args.memory_mb < DASK_MIN_MEMORY_MB:
        print(
            f"bulletins: --memory-mb {args.memory_mb} is less than a dask worker needs to run at "
            f"all (at least {DASK_MIN_MEMORY_MB}; 0: no cap)",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    gazetteers = given_gazetteers(args, "build")
    if gazetteers is None:
        return EXIT_UNREADABLE
    options = BuildOptions(
        executor=args.executor,
        workers=args.workers,
        timeout=args.timeout,
        memory_mb=args.memory_mb,
        max_pages=args.max_pages,
        shape=given_limits(args),
        max_tasks=args.max_tasks,
        backend=args.backend,
        ocr=args.ocr,
        force=args.force,
        scheduler=args.scheduler,
        thumbnails=not args.no_thumbnails,
        gazetteers=gazetteers,
        force_dir=args.force_dir,
    )
    progress = _progress(args.verbosity)
    try:
        summary = build(args.inputs, args.output, options, progress)
    except KeyboardInterrupt:
        progress.close()
        print(
            f"bulletins: interrupted; run the same command to resume ({args.output})",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except (BulletinError, OSError) as exc:
        if args.strict:
            raise
        progress.close()
        print(f"bulletins: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # a bug; the manifest and the results written so far stay
        if args.strict:
            raise
        progress.close()
        print(f"bulletins: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.verbosity >= 0:
        print(summary_text(summary))
    if summary.statuses.get("failed"):
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if summary.findings.get("error") else EXIT_OK


def summary_text(s: BuildSummary) -> str:
    st = s.statuses
    lines = [
        f"documents: {st['ok']} ok ({s.reused} reused), {st['failed']} failed, "
        f"{st['skipped-duplicate']} skipped-duplicate",
    ]
    if s.failures:
        lines.append("failures: " + ", ".join(f"{k} {v}" for k, v in sorted(s.failures.items())))
    lines += [
        "findings: " + ", ".join(f"{n} {sev}" for sev, n in s.findings.items()),
        f"time: {s.seconds:.1f} s, {s.processed} processed, "
        f"{s.documents_per_second:.2f} documents/s",
        f"manifest: {s.manifest}",
        f"dataset: {s.dataset}/ (" + ", ".join(f"{t} {n}" for t, n in s.tables.items()) + ")",
        f"report: {s.report}",
    ]
    return "\n".join(lines)


def _progress(verbosity: int) -> Progress:
    from pipeline.archive.build import QuietProgress  # -q: nothing on stderr but errors

    if verbosity < 0:
        return QuietProgress()
    return BarProgress() if sys.stderr.isatty() else LineProgress(sys.stderr)


class BarProgress:
    """A tqdm bar on the terminal's stderr."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._failed = 0

    def start(self, total: int, skipped: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)
        if skipped:
            self._bar.write(f"bulletins: {skipped} inputs reused, duplicate or unreadable")

    def advance(self, row: ManifestRow) -> None:
        self._failed += row.status == "failed"
        self._bar.set_postfix(failed=self._failed, refresh=False)
        self._bar.update()

    def stage(self, name: str) -> None:
        self.close()
        print(f"bulletins: writing {name} ...", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class LineProgress:
    """A plain line every PLAIN_EVERY_DOCS documents or PLAIN_EVERY_SECONDS, for logs."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._total = self._done = self._failed = 0
        self._start = self._last = time.monotonic()

    def start(self, total: int, skipped: int) -> None:
        self._total = total
        self._say(f"{total} documents to process, {skipped} inputs reused, duplicate or unreadable")

    def advance(self, row: ManifestRow) -> None:
        self._done += 1
        self._failed += row.status == "failed"
        now = time.monotonic()
        quiet = self._done % PLAIN_EVERY_DOCS and now - self._last < PLAIN_EVERY_SECONDS
        if quiet and self._done < self._total:
            return
        self._last = now
        rate = self._done / (now - self._start) if now > self._start else 0.0
        self._say(
            f"{self._done}/{self._total} documents, {self._failed} failed, {rate:.2f} documents/s"
        )

    def stage(self, name: str) -> None:
        self._say(f"writing {name} ...")

    def close(self) -> None:
        self._stream.flush()

    def _say(self, text: str) -> None:
        print(f"bulletins: {text}", file=self._stream, flush=True)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
