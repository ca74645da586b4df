"""Run the worker over many documents in a local process pool that can kill a stuck worker.

pebble's ProcessPool with a fork-server context: the fork server imports and warms the
pipeline once (pipeline/warm.py, and the HTML report: warm_reports.py) and forks each worker
from that state, so recycling a worker every `max_tasks` documents is cheap. Each worker caps
its address space (init_worker); a document that runs past `timeout` has its worker killed and
replaced.
Outcomes come back in completion order; a timeout or a dead worker becomes a failed outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.archive.worker import FAILED, WorkerOptions, WorkerOutcome
from pipeline.isolate import exit_reason, init_worker, start_context

Task = Callable[[str, str, WorkerOptions], WorkerOutcome]
WORKER = "pipeline.archive.worker"  # the fork server imports the workers' task module too
# and writes a sample report, so that workers start with the report and its font loaded
WARM_REPORTS = "pipeline.archive.warm_reports"


@dataclass(frozen=True, slots=True)
class Job:
    path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Limits:
    workers: int
    timeout: float  # seconds per document; 0 = none
    memory_mb: int  # address-space cap per worker; 0 = none
    max_tasks: int = 50  # documents before a worker is replaced (leaks and fragmentation)


def run_local(
    jobs: Iterable[Job], out: Path, options: WorkerOptions, limits: Limits, task: Task
) -> Iterator[tuple[Job, WorkerOutcome]]:
    """Each job's outcome as it completes. Closing the iterator early stops the workers."""
    from pebble import ProcessPool

    pool: Any = ProcessPool(
        max_workers=limits.workers,
        max_tasks=limits.max_tasks,
        initializer=init_worker,
        initargs=(limits.memory_mb,),
        context=start_context(also=(WORKER, WARM_REPORTS)),
    )
    finished = False
    try:
        timeout = limits.timeout or None
        futures: dict[Any, Job] = {
            pool.schedule(task, (job.path, str(out), options), timeout=timeout): job for job in jobs
        }
        for future in as_completed(futures):
            job = futures[future]
            yield job, pool_outcome(future, job, limits)
        finished = True
    finally:
        if finished:
            pool.close()
        else:  # interrupted: do not wait for the documents in flight
            pool.stop()
        pool.join()


def pool_outcome(future: Future[WorkerOutcome], job: Job, limits: Limits) -> WorkerOutcome:
    """The worker's outcome, or a failed one saying how the pool lost the document."""
    from pebble import ProcessExpired

    try:
        return future.result()
    except TimeoutError:
        return failed(
            job, "TimeoutError", f"no result after {limits.timeout:g} s, worker stopped", limits
        )
    except ProcessExpired as exc:
        return failed(job, "WorkerKilled", f"worker died ({exit_reason(exc.exitcode)})", limits)
    except Exception as exc:  # e.g. an outcome that could not be pickled
        return failed(job, type(exc).__name__, str(exc) or type(exc).__name__, limits)


def failed(job: Job, error_class: str, reason: str, limits: Limits) -> WorkerOutcome:
    seconds = limits.timeout if error_class == "TimeoutError" else 0.0
    message = f"{job.path}: {reason}"
    return WorkerOutcome(
        FAILED, job.sha256, None, seconds, error_class=error_class, message=message
    )
