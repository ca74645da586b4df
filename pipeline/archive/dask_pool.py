"""Run the worker on dask.distributed: a LocalCluster, or a running cluster by address.

The same `process_document` runs in each dask worker. What dask does not give for free:
- time: dask cannot stop a running task. Only as many documents as the cluster has threads
  are submitted at a time, and a document's clock starts when the scheduler is first seen
  running it; past the timeout the build marks it failed and has the worker's nanny kill the
  worker process, which is what stops the work (the nanny then starts a fresh worker).
- memory: on a LocalCluster each worker process caps its address space like a local-pool
  worker (a worker plugin calls init_worker, also after a restart), and the nanny's own
  memory limit is off. On a cluster given by address the operator's settings apply
  (`dask worker --memory-limit`); a worker its nanny kills fails the document with
  WorkerKilled (the scheduler's allowed-failures decides how often dask retries it first).
- pages: enforced by the worker function itself, as locally.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin, wait

from pipeline.archive.pool import Job, Limits, Task, failed
from pipeline.archive.worker import WorkerOptions, WorkerOutcome
from pipeline.isolate import init_worker

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5  # how often deadlines are checked while waiting
GONE_SECONDS = 10.0  # longest wait for the scheduler to notice a killed worker


def run_dask(
    jobs: Iterable[Job],
    out: Path,
    options: WorkerOptions,
    limits: Limits,
    task: Task,
    *,
    scheduler: str | None = None,
) -> Iterator[tuple[Job, WorkerOutcome]]:
    """Each job's outcome as it completes; `scheduler` None starts a LocalCluster."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = None
        if scheduler is None:
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=limits.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                memory_limit=0,  # the address-space cap below replaces the nanny's limit
                silence_logs=logging.ERROR,  # worker restarts are in the manifest already
            )
        client = Client(scheduler or cluster)  # type: ignore[no-untyped-call]
        try:
            if cluster is not None:
                client.register_plugin(AddressSpaceLimit(limits.memory_mb), name="bulletins-limits")
            yield from _drive(client, list(jobs), out, options, limits, task)
        finally:
            client.close()  # type: ignore[no-untyped-call]
            if cluster is not None:
                cluster.close()


def _drive(
    client: Any, jobs: list[Job], out: Path, options: WorkerOptions, limits: Limits, task: Task
) -> Iterator[tuple[Job, WorkerOutcome]]:
    slots = max(1, sum(client.nthreads().values()))
    queue = iter(jobs)
    running: dict[Any, Job] = {}
    started: dict[Any, float] = {}  # when the scheduler was first seen running each task

    def submit_next() -> None:
        job = next(queue, None)
        if job is not None:
            running[client.submit(task, job.path, str(out), options, pure=False)] = job

    for _ in range(slots):
        submit_next()
    while running:
        with contextlib.suppress(TimeoutError):  # a timeout here only means: check deadlines
            wait(  # type: ignore[no-untyped-call]
                list(running), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED"
            )
        now = time.monotonic()
        where = _workers_running(client) if limits.timeout else {}
        for future, job in list(running.items()):
            if future.done():
                outcome = _outcome(future, job, limits)
            elif future.key in where and now - started.setdefault(future, now) > limits.timeout:
                _stop(client, future, where[future.key])
                reason = f"no result after {limits.timeout:g} s, worker stopped"
                outcome = failed(job, "TimeoutError", reason, limits)
            else:
                continue
            del running[future]
            started.pop(future, None)
            submit_next()
            yield job, outcome


def _workers_running(client: Any) -> dict[str, str]:
    """Task key -> address of the worker it was given to."""
    return {key: addr for addr, keys in client.processing().items() for key in keys}


def _outcome(future: Any, job: Job, limits: Limits) -> WorkerOutcome:
    try:
        result: WorkerOutcome = future.result()
    except Exception as exc:
        if type(exc).__name__ == "KilledWorker":
            return failed(job, "WorkerKilled", "dask worker died while reading it", limits)
        return failed(job, type(exc).__name__, str(exc) or type(exc).__name__, limits)
    return result


def _stop(client: Any, future: Any, worker: str) -> None:
    """Cancel a late task and kill the worker process running it; its nanny starts another.

    dask cannot interrupt a running task, and a graceful `restart_workers` waits for the task
    (and was seen to hang); a SIGKILL sent by the nanny does neither.
    """
    client.cancel(future)
    try:
        client.run(_kill_worker_process, workers=[worker], nanny=True)
    except Exception as exc:  # no nanny (dask worker --no-nanny): the task keeps its thread
        log.warning("could not stop dask worker %s: %s", worker, exc)
        return
    # Until the scheduler has dropped the dead worker it may hand it the next document.
    deadline = time.monotonic() + GONE_SECONDS
    while worker in client.scheduler_info()["workers"] and time.monotonic() < deadline:
        time.sleep(0.05)


def _kill_worker_process(dask_worker: Any) -> int | None:
    """Runs in a nanny: SIGKILL its worker process."""
    process = dask_worker.process
    pid = process.pid if process is not None else None
    if pid is not None:
        os.kill(pid, signal.SIGKILL)
    return pid


class AddressSpaceLimit(WorkerPlugin):
    """Caps each dask worker process like a local-pool worker, also after a restart."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb

    def setup(self, worker: Any) -> None:
        init_worker(self.memory_mb)
