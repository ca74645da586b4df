"""What a pool worker does with one document: read and audit it through the Python API
(pipeline.open, pipeline.audit), write its result files.

Runs in a separate process (local pool or dask worker), so everything here is importable at
top level and every argument and return value is small and picklable. Bad input is a failed
outcome, not an exception: only a timeout or a dead worker reaches the pool as an error.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pipeline
from pipeline.archive.results import write_html, write_result
from pipeline.errors import BulletinError, LimitError
from pipeline.extract.ocr import DEFAULT_OCR
from pipeline.isolate import caused_by_memory, pdf_page_count
from pipeline.limits import DEFAULT_LIMITS, Limits, pages_message
from pipeline.model import Finding, Severity
from pipeline.normalize.gazetteers import NO_GAZETTEERS, Gazetteers

log = logging.getLogger(__name__)

OK, FAILED = "ok", "failed"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # .../pipeline


class PageLimitError(LimitError):
    """A PDF has more pages than the build allows (--max-pages)."""


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    backend: str
    max_pages: int  # PDFs with more pages fail before they are read; 0 = no limit
    memory_mb: int  # the limit the initializer set, quoted in messages; 0 = none
    thumbnails: bool = True  # evidence thumbnails in the per-document HTML report
    gazetteers: Gazetteers = NO_GAZETTEERS  # --gazetteer files, by district
    ocr: str = DEFAULT_OCR  # OCR engine for pages without a usable text layer ("off": none)
    limits: Limits = DEFAULT_LIMITS  # the shape limits read under (rows, cells, characters)


@dataclass(frozen=True, slots=True)
class WorkerOutcome:
    status: str  # OK or FAILED
    sha256: str | None
    pages: int | None
    seconds: float
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    error_class: str = ""
    message: str = ""
    declared_pages: int | None = None  # a PDF's page tree's /Count; None when unknown


def reading_key(backend: str, ocr: str) -> str:
    """What a stored result records as its reader: the backend, and the OCR engine when it
    is not the default (a result read with another engine is not reused)."""
    return backend if ocr == DEFAULT_OCR else f"{backend}+ocr={ocr}"


def process_document(path: str, out_dir: str, options: WorkerOptions) -> WorkerOutcome:
    """Audit `path` and write OUT/results/<sha256>.json (and the HTML report) atomically."""
    start = time.perf_counter()
    try:
        return _process(Path(path), Path(out_dir), options, start)
    except Exception as exc:  # one bad document must not take down the batch
        if caused_by_memory(exc):  # pdfminer wraps a failed allocation as "unreadable"
            return _out_of_memory(path, options, start)
        if isinstance(exc, BulletinError):
            return _failed(type(exc).__name__, str(exc), start)
        if isinstance(exc, RecursionError):  # deeply nested PDF objects
            return _failed("RecursionError", f"{path}: structure nested too deeply", start)
        log.debug("%s failed", path, exc_info=True)
        return _failed(type(exc).__name__, f"{path}: {internal_error(exc)}", start)


def _process(path: Path, out: Path, options: WorkerOptions, start: float) -> WorkerOutcome:
    if options.max_pages and path.suffix.lower() == ".pdf":
        _check_page_limit(path, options.max_pages)
    # this worker is the child process the time and memory limits hold over; the API only
    # applies the shape limits here
    shape = replace(options.limits, timeout=0, memory_mb=0)
    doc = pipeline.open(path, backend=options.backend, ocr=options.ocr, limits=shape)
    result = pipeline.audit(doc, gazetteer=options.gazetteers, limits=shape)
    pdf = path if doc.format == "pdf" and options.thumbnails else None
    write_html(out, doc.sha256, result, source_pdf=pdf)
    write_result(
        out,
        result,
        source=str(path),
        backend=reading_key(options.backend, options.ocr),
        gazetteers=options.gazetteers.digest,
    )
    counts = severity_counts(result.findings)
    seconds = time.perf_counter() - start
    return WorkerOutcome(
        OK, doc.sha256, doc.pages, seconds, *counts, declared_pages=doc.declared_pages
    )


def _check_page_limit(path: Path, max_pages: int) -> None:
    pages = pdf_page_count(path)
    if pages is not None and pages > max_pages:
        raise PageLimitError(pages_message(str(path), pages, max_pages))


def severity_counts(findings: Iterable[Finding]) -> tuple[int, int, int]:
    """Errors, warnings and infos among `findings`."""
    severities = [f.severity for f in findings]
    count = severities.count
    return count(Severity.ERROR), count(Severity.WARNING), count(Severity.INFO)


def _out_of_memory(path: str, options: WorkerOptions, start: float) -> WorkerOutcome:
    limit = f"the worker memory limit of {options.memory_mb} MB" if options.memory_mb else "memory"
    return _failed("MemoryError", f"{path}: exceeded {limit} (--memory-mb)", start)


def internal_error(exc: BaseException) -> str:
    """A bug as one manifest line: class, message and the innermost line of the pipeline that
    raised it ("internal error: AssertionError (at pipeline/validate/x.py:418 in check)"), so a
    failed row says where to look even when the exception carries no message."""
    text = f"internal error: {type(exc).__name__}"
    if str(exc):
        text += f": {' '.join(str(exc).split())}"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).is_relative_to(PACKAGE_ROOT)] or frames
    if ours:
        where, name = Path(ours[-1].filename), ours[-1].name
        shown = (
            where.relative_to(PACKAGE_ROOT.parent) if where.is_relative_to(PACKAGE_ROOT) else where
        )
        text += f" (at {shown.as_posix()}:{ours[-1].lineno} in {name})"
    return text


def _failed(error_class: str, message: str, start: float) -> WorkerOutcome:
    seconds = time.perf_counter() - start
    return WorkerOutcome(FAILED, None, None, seconds, error_class=error_class, message=message)
