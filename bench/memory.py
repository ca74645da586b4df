"""Peak memory of extraction, measured in a fresh worker process.

The worker is started with `spawn` (nothing inherited from the parent), imports
the pipeline, notes its peak RSS, reads one document and reports its peak RSS
again, both from `resource.getrusage(RUSAGE_SELF).ru_maxrss` (KiB on Linux).
"""

from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def _peak_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _extract_in_worker(path: str) -> tuple[int, int, int]:
    from pipeline.extract import read_document

    before = _peak_kib()
    pages = read_document(Path(path)).pages
    return before, _peak_kib(), pages


def worker_peak_rss(path: Path) -> dict[str, float]:
    """Peak RSS in MB of a spawned worker after imports and after extracting `path`."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        before, after, pages = pool.submit(_extract_in_worker, str(path)).result()
    return {
        "document_pages": pages,
        "document_mb": round(path.stat().st_size / 1e6, 3),
        "after_imports_mb": round(before / 1024, 1),
        "peak_mb": round(after / 1024, 1),
    }
