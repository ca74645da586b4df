"""Run one `bulletins` command line in a worker process and say how it ended.

The worker is forked from the same preloaded fork server the commands use
(pipeline.isolate.start_context), with the same address-space cap (init_worker), one
command per process so that its peak resident memory and its CPU time are its own. The
command runs with its own limits off (`--timeout 0 --memory-mb 0`): the runner is the limit.

Time is CPU time, not wall time: this machine is shared, and under a load of 14 on 2 cores a
document that needs 2 s of CPU takes 20 s of wall time. A command that uses more than
HANG_SECONDS of CPU is killed by the kernel (RLIMIT_CPU) and counted as a hang; one that
sleeps or blocks is killed after WALL_SECONDS.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

HANG_SECONDS = 10  # CPU seconds
WALL_SECONDS = 120.0
MEMORY_MB = 2048  # the commands' default address-space cap (pipeline.limits)
OUTCOMES = ("ok", "findings", "failed", "internal error", "hang", "died")


@dataclass(frozen=True, slots=True)
class CliRun:
    """What one command did: exit status, what it printed, CPU and wall seconds, peak resident
    memory."""

    status: int
    stdout: str
    stderr: str
    seconds: float
    wall: float
    peak_mb: float


@dataclass(frozen=True, slots=True)
class Result:
    """One input's outcome under `audit`, as the report shows it."""

    outcome: str  # one of OUTCOMES
    seconds: float  # CPU
    peak_mb: float | None  # None when the worker was killed
    reason: str = ""  # the one line of a failure
    warnings: int = 0  # warning findings (a clean result has none and no error)
    numbers: int = 0  # printed numbers the audit read
    stderr_lines: int = 0  # lines on stderr besides the failure's own line

    @property
    def clean(self) -> bool:
        return self.outcome == "ok" and self.warnings == 0


def run_cli(argv: Sequence[str]) -> CliRun:
    """In the worker: `bulletins ARGV` with stdout and stderr caught at the descriptors (so
    that what C libraries and logging print is caught too)."""
    from pipeline.cli import main

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        start = time.perf_counter(), _cpu()
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse refusing the command line
            status = exc.code if isinstance(exc.code, int) else 2
        finally:
            wall, seconds = time.perf_counter() - start[0], _cpu() - start[1]
            _flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return CliRun(status, _read(out), _read(err), seconds, wall, peak_mb)


def init_runner(memory_mb: int, cpu_seconds: int) -> None:
    """Pool initializer: the commands' address-space cap, and a CPU-time limit."""
    from pipeline.isolate import init_worker

    init_worker(memory_mb)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _flush() -> None:
    import sys

    sys.stdout.flush()
    sys.stderr.flush()


def _read(file: Any) -> str:
    file.seek(0)
    text: str = file.read().decode("utf-8", "replace")
    return text


def audit_result(run: CliRun) -> Result:
    """Classify a `bulletins audit --format json` run."""
    lines = run.stderr.splitlines()
    if run.status == 2:
        internal = [line for line in lines if "internal error" in line]
        reason = (internal or lines or ["(nothing on stderr)"])[-1]
        outcome = "internal error" if internal else "failed"
        return Result(outcome, run.seconds, run.peak_mb, reason, stderr_lines=len(lines) - 1)
    if run.status not in (0, 1):
        return Result("internal error", run.seconds, run.peak_mb, f"exit {run.status}")
    data = json.loads(run.stdout)
    severities = [f["severity"] for f in data["findings"]]
    return Result(
        "findings" if run.status == 1 else "ok",
        run.seconds,
        run.peak_mb,
        warnings=severities.count("warning"),
        numbers=int(data["coverage"]["numbers"]),
        stderr_lines=len(lines),
    )


def lost_result(error: BaseException) -> Result:
    """The outcome of a worker the pool lost: past HANG_SECONDS of CPU (SIGXCPU) or
    WALL_SECONDS, or dead."""
    if isinstance(error, TimeoutError):
        return Result("hang", HANG_SECONDS, None, f"no answer after {WALL_SECONDS:g} s wall")
    exitcode = getattr(error, "exitcode", None)
    if exitcode is None:  # not a dead process: the runner itself failed
        return Result("died", 0.0, None, f"runner: {type(error).__name__}: {error}")
    if exitcode == -signal.SIGXCPU:
        return Result("hang", HANG_SECONDS, None, f"more than {HANG_SECONDS} s of CPU")
    return Result("died", 0.0, None, f"worker died (exit code {exitcode})")
