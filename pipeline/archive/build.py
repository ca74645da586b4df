"""`build`: many bulletins in; manifest, results, dataset and archive report out (docs/archive.md).

1. collect the inputs, hash each file, plan: unreadable -> failed row, same content as an
   earlier input -> skipped-duplicate, stored result of this pipeline version -> reused;
2. run the rest through a pool (local or dask); each worker writes its own result file;
3. load every result of this run's inputs from disk, never from memory, so an interrupted
   and resumed build produces exactly what an uninterrupted one does; write the manifest;
4. cross-document checks, dataset, archive report.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline.archive.inputs import InputFile, collect_inputs, inputs_outside
from pipeline.archive.manifest import DUPLICATE, FAILED, OK, ManifestRow, write_manifest
from pipeline.archive.outfolder import LOCK, TOP, OutFolder, locked, own_temp_names
from pipeline.archive.pool import Job, Limits, Task, run_local
from pipeline.archive.result_file import ResultFile
from pipeline.archive.results import html_path, read_result, reusable_audit
from pipeline.archive.stored import stored_documents
from pipeline.archive.worker import WorkerOptions, WorkerOutcome, process_document, reading_key
from pipeline.dataset.write import temp_names, write_dataset
from pipeline.extract.backends import DEFAULT_BACKEND
from pipeline.extract.ocr import DEFAULT_OCR
from pipeline.limits import DEFAULT_LIMITS, DEFAULT_MAX_PAGES, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from pipeline.limits import Limits as ShapeLimits
from pipeline.model import Severity
from pipeline.normalize.gazetteers import NO_GAZETTEERS, Gazetteers
from pipeline.report.archive import write_archive_report
from pipeline.validate.crossdoc import archive_findings
from pipeline.validate.crossdoc.rows import DocumentRow, FindingRow
from pipeline.validate.crossdoc.view import Documents


@dataclass(frozen=True, slots=True)
class BuildOptions:
    executor: str = "local"  # "local" (pebble process pool) or "dask"
    workers: int = 1
    timeout: float = DEFAULT_TIMEOUT  # seconds per document; 0 = none
    memory_mb: int = DEFAULT_MEMORY_MB  # per worker; 0 = none
    max_pages: int = DEFAULT_MAX_PAGES  # PDFs with more pages fail before they are read; 0 = none
    max_tasks: int = 50  # documents per local worker before it is replaced
    backend: str = DEFAULT_BACKEND
    ocr: str = DEFAULT_OCR  # engine for pages without a usable text layer ("off": none)
    force: bool = False  # redo documents whose stored result could be reused
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    thumbnails: bool = True
    flush_seconds: float = 10.0  # how often the manifest is rewritten while documents run
    gazetteers: Gazetteers = NO_GAZETTEERS  # --gazetteer files; their digest decides reuse
    force_dir: bool = False  # build in a non-empty folder no build made (outfolder.py)
    shape: ShapeLimits = DEFAULT_LIMITS  # rows, cells, characters, digits (pipeline.limits)


class Progress(Protocol):
    """What the command line shows while a build runs."""

    def start(self, total: int, skipped: int) -> None: ...
    def advance(self, row: ManifestRow) -> None: ...
    def stage(self, name: str) -> None: ...
    def close(self) -> None: ...


class QuietProgress:
    """Shows nothing (library use, tests, the bench)."""

    def start(self, total: int, skipped: int) -> None:
        pass

    def advance(self, row: ManifestRow) -> None:
        pass

    def stage(self, name: str) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class BuildSummary:
    out: Path
    manifest: Path
    dataset: Path
    report: Path
    statuses: dict[str, int]  # ok / failed / skipped-duplicate -> documents
    reused: int
    processed: int  # documents a worker ran in this build
    findings: dict[str, int]  # severity -> findings, per document and cross-document
    tables: dict[str, int]  # dataset table -> rows
    seconds: float
    failures: dict[str, int] = field(default_factory=dict)  # error class -> documents

    @property
    def documents_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds else 0.0


def build(
    specs: Sequence[str],
    out: Path,
    options: BuildOptions,
    progress: Progress,
    *,
    task: Task = process_document,
) -> BuildSummary:
    """Build OUT from the INPUT `specs`; raises only for bad options or an unusable OUT.

    Raises InputError when an INPUT sits in OUT, OutputError when OUT holds files no build
    wrote (without `options.force_dir`) or another build holds its lock (outfolder.py).
    """
    start = time.perf_counter()
    inputs_outside(specs, out)
    OutFolder.claim(out, force_dir=options.force_dir).check_free(TOP)
    with locked(out):
        folder = OutFolder.claim(out, force_dir=True)  # read again under the lock
        folder.add([LOCK])  # checked free above, before `locked` made it
        folder.require(TOP)
        folder.remove_leftovers()
        temps = [*own_temp_names(), *(f"{name}/" for name in temp_names())]
        folder.require(temps)  # listed before they exist, so a killed build's are cleared
        summary = _build(specs, folder, options, progress, task, start)
        folder.forget(temps)
        return summary


def _build(
    specs: Sequence[str],
    folder: OutFolder,
    options: BuildOptions,
    progress: Progress,
    task: Task,
    start: float,
) -> BuildSummary:
    out = folder.out
    items = collect_inputs(specs, exclude=out)
    rows, jobs = plan(items, out, options)
    write_manifest(out, rows)
    progress.start(len(jobs), len(rows) - len(jobs))
    try:
        _run(rows, jobs, out, options, progress, task)
    finally:
        write_manifest(out, rows)
    _fail_duplicates_of_failures(rows)
    docs = _stored_documents(rows, out)
    manifest = write_manifest(out, rows)  # final before the dataset: its rows come from these
    progress.stage("dataset and report")
    archive = archive_findings(docs)
    tables = write_dataset(out, docs, archive)
    ids = [h.document_id for h in docs.heads]
    reports = {d: f"docs/{d}.html" for d in ids if html_path(out, d).exists()}
    index = _archive_report(folder, docs, archive, reports)
    progress.close()
    return _summary(out, rows, docs, archive, tables, index, manifest, time.perf_counter() - start)


def _archive_report(
    folder: OutFolder,
    docs: Documents,
    archive: Sequence[FindingRow],
    reports: dict[str, str],
) -> Path:
    """The archive page; the charts it draws are recorded as the build's, the previous
    build's removed, and nothing else in report/charts/ is touched."""
    charts = folder.out / "report" / "charts"
    previous = folder.listed("report/charts/")
    theirs = _names(charts) - set(previous)
    index = write_archive_report(folder.out, docs, archive, reports, previous_charts=previous)
    folder.forget(f"report/charts/{n}" for n in previous)
    folder.add(f"report/charts/{n}" for n in sorted(_names(charts) - theirs))
    return index


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def plan(
    items: Sequence[InputFile], out: Path, options: BuildOptions
) -> tuple[list[ManifestRow], list[tuple[int, Job]]]:
    """A manifest row per input and the (row index, job) pairs left for the workers."""
    rows: list[ManifestRow] = []
    jobs: list[tuple[int, Job]] = []
    first: dict[str, str] = {}  # sha256 -> the path processed for it
    for item in items:
        if item.problem is not None or item.sha256 is None:
            rows.append(ManifestRow.unreadable(item))
            continue
        row = ManifestRow.pending(item)
        if item.sha256 in first:
            rows.append(row.duplicate(first[item.sha256]))
            continue
        first[item.sha256] = str(item.path)
        digest = options.gazetteers.digest
        stored = (
            None
            if options.force
            else reusable_audit(out, item.sha256, reading_key(options.backend, options.ocr), digest)
        )
        if stored is not None:
            row = row.reused_from(stored)
        else:
            jobs.append((len(rows), Job(str(item.path), item.sha256)))
        rows.append(row)
    return rows, jobs


def _run(
    rows: list[ManifestRow],
    jobs: list[tuple[int, Job]],
    out: Path,
    options: BuildOptions,
    progress: Progress,
    task: Task,
) -> None:
    index = {job: i for i, job in jobs}
    flushed = time.monotonic()
    for job, outcome in _outcomes([j for _, j in jobs], out, options, task):
        i = index[job]
        rows[i] = rows[i].finished(_checked(job, outcome))
        progress.advance(rows[i])
        if time.monotonic() - flushed >= options.flush_seconds:
            write_manifest(out, rows)
            flushed = time.monotonic()


def _outcomes(
    jobs: list[Job], out: Path, options: BuildOptions, task: Task
) -> Iterator[tuple[Job, WorkerOutcome]]:
    if not jobs:
        return iter(())
    worker = WorkerOptions(
        options.backend,
        options.max_pages,
        options.memory_mb,
        options.thumbnails,
        options.gazetteers,
        options.ocr,
        options.shape,
    )
    limits = Limits(options.workers, options.timeout, options.memory_mb, options.max_tasks)
    if options.executor == "dask":
        from pipeline.archive.dask_pool import run_dask

        return run_dask(jobs, out, worker, limits, task, scheduler=options.scheduler)
    return run_local(jobs, out, worker, limits, task)


def _checked(job: Job, outcome: WorkerOutcome) -> WorkerOutcome:
    """A document whose content changed between hashing and reading is not trusted."""
    if outcome.status == OK and outcome.sha256 != job.sha256:
        message = f"{job.path}: file changed while the build ran (sha256 differs)"
        return WorkerOutcome(
            FAILED, job.sha256, None, outcome.seconds, 0, 0, 0, "InputError", message
        )
    return outcome


def _fail_duplicates_of_failures(rows: list[ManifestRow]) -> None:
    """A copy of a document that failed is not in the dataset either: it fails too."""
    failed = {r.path: r for r in rows if r.status == FAILED}
    for i, row in enumerate(rows):
        original = failed.get(row.duplicate_of) if row.status == DUPLICATE else None
        if original is not None:
            rows[i] = row.failed_as_copy(original)


def _stored_documents(rows: list[ManifestRow], out: Path) -> Documents:
    """The stored results of every ok document, read one at a time when needed; only each
    document's `documents` row is kept. A lost or unreadable result fails its row."""
    heads: dict[str, DocumentRow] = {}
    for i, row in enumerate(rows):
        if row.status != OK:
            continue
        head = _head(read_result(out, row.sha256), row.sha256)
        if head is None:
            message = f"{row.path}: result file missing or unreadable after processing"
            rows[i] = ManifestRow(row.path, row.sha256, row.format, FAILED, "InputError", message)
            continue
        heads[row.sha256] = head
    return stored_documents(out, [heads[k] for k in sorted(heads)])


def _head(stored: ResultFile | None, sha256: str) -> DocumentRow | None:
    """The result's documents row, when its rows read back and name the document the file is
    stored for."""
    if stored is None:
        return None
    try:
        head = stored.rows().document
    except ValueError:
        return None
    return head if head.document_id == sha256 else None


def _summary(
    out: Path,
    rows: Sequence[ManifestRow],
    docs: Documents,
    archive: Sequence[FindingRow],
    tables: dict[str, int],
    index: Path,
    manifest: Path,
    seconds: float,
) -> BuildSummary:
    statuses = Counter(r.status for r in rows)
    findings = Counter({s.value: 0 for s in Severity})
    for head in docs.heads:
        findings.update(error=head.errors, warning=head.warnings, info=head.infos)
    findings.update(f.severity for f in archive)
    return BuildSummary(
        out=out,
        manifest=manifest,
        dataset=out / "dataset",
        report=index,
        statuses={s: statuses.get(s, 0) for s in (OK, FAILED, DUPLICATE)},
        reused=sum(r.reused for r in rows),
        processed=sum(r.seconds is not None for r in rows),
        findings=dict(findings),
        tables=tables,
        seconds=seconds,
        failures=dict(Counter(r.error_class for r in rows if r.status == FAILED)),
    )
