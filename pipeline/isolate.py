"""Run one document's work in a child process under the time, memory and page limits.

What `audit` and `extract` use so that a decompression bomb, a reference loop or a page of
millions of glyphs costs one document, not the command. Two ways, the same limits:

- one document (`bulletins audit FILE`, `pipeline.open`): a child forked from this process
  for it alone, capped and killed past the timeout. It starts with what this process has
  imported and imports the rest itself, so the pipeline is imported once; a fork server
  would import (and warm up) the whole pipeline a second time, which a one-file command
  pays in full (issue 15). Only from a process with one thread: forking a process whose
  other threads may hold a lock can leave the child stuck on it.
- several documents, or a process running threads: the same fork server and address-space
  cap as the archive's pool (pool.start_context, worker.init_worker), one worker at a time
  so the reports keep the order of the inputs. A worker that runs past the timeout is killed
  and replaced; the next document goes on in a fresh one.

With neither a timeout nor a memory cap there is nothing a child process could enforce, so
the work runs in this process (useful under a debugger); the page limit holds either way.
"""

from __future__ import annotations

import multiprocessing
import pickle
import resource
import signal
import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from pipeline.errors import BulletinError, InputError, LimitError
from pipeline.limits import Limits, applied, memory_message, pages_message, timeout_message

T = TypeVar("T")
MAX_TASKS = 20  # documents before the worker is replaced (memory fragmentation after a bomb)


class Isolated(Generic[T]):
    """A context manager that calls `fn(*args)` for one document at a time under `limits`.

    `documents` is how many documents the block will read: one is read in a forked child of
    its own, more share a worker pool. `call` returns what `fn` returned, or raises:
    LimitError past a limit (its message names the limit and its flag), InputError when the
    worker died, and whatever `fn` raised.
    """

    def __init__(self, fn: Callable[..., T], limits: Limits, *, documents: int) -> None:
        self._fn = fn
        self._limits = limits
        self._fork = limits.isolated and documents == 1 and can_fork()
        self._pool: Any = None

    def __enter__(self) -> Isolated[T]:
        if self._limits.isolated and not self._fork:
            from pebble import ProcessPool

            self._pool = ProcessPool(
                max_workers=1,
                max_tasks=MAX_TASKS,
                initializer=init_worker,
                initargs=(self._limits.memory_mb,),
                context=start_context(),
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is None:
            return
        if kind is None:
            self._pool.close()
        else:  # interrupted or failed: do not wait for a document in flight
            self._pool.stop()
        self._pool.join()

    def call(self, name: str, path: Path, *args: Any) -> T:
        """`fn(path, *args)` for the document shown as `name`, read from `path`."""
        limits = self._limits
        if self._fork:
            return forked(self._fn, name, path, limits, args)
        if self._pool is None:
            return run_limited(self._fn, name, path, limits, args)
        from pebble import ProcessExpired

        timeout = limits.timeout or None
        future = self._pool.schedule(
            run_limited, (self._fn, name, path, limits, args), timeout=timeout
        )
        try:
            result: T = future.result()
        except TimeoutError:
            raise LimitError(timeout_message(name, limits.timeout)) from None
        except ProcessExpired as exc:
            raise InputError(f"{name}: worker died ({exit_reason(exc.exitcode)})") from None
        return result


def can_fork() -> bool:
    """True where a child can be forked safely: the platform forks and no other thread runs."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def forked(fn: Callable[..., T], name: str, path: Path, limits: Limits, args: Any) -> T:
    """`run_limited` in a child forked for this one call, capped at `limits.memory_mb` and
    killed past `limits.timeout`; raises as `Isolated.call` says."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, fn, name, path, limits, args), daemon=True)
    child.start()
    send.close()  # the child holds the only writer: its end of the pipe closing means it died
    try:
        if not receive.poll(limits.timeout or None):
            raise LimitError(timeout_message(name, limits.timeout))
        try:
            done, value = receive.recv()
        except EOFError:
            child.join()
            raise InputError(f"{name}: worker died ({exit_reason(child.exitcode)})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if done:
        result: T = value
        return result
    raise value


def _child(
    send: Any, fn: Callable[..., Any], name: str, path: Path, limits: Limits, args: Any
) -> None:
    init_worker(limits.memory_mb)
    try:
        outcome = (True, run_limited(fn, name, path, limits, args))
    except Exception as exc:  # run_limited made it one that pickles
        outcome = (False, exc)
    send.send(outcome)
    send.close()


def run_limited(fn: Callable[..., T], name: str, path: Path, limits: Limits, args: Any) -> T:
    """In the worker: the page limit, then `fn` under the shape limits; a failed allocation
    becomes a LimitError."""
    try:
        if limits.max_pages and _is_pdf(path):
            pages = pdf_page_count(path)
            if pages is not None and pages > limits.max_pages:
                raise LimitError(pages_message(name, pages, limits.max_pages))
        with applied(limits):
            return fn(path, *args)
    except Exception as exc:
        if caused_by_memory(exc):  # pdfminer wraps a failed allocation as "unreadable"
            raise LimitError(memory_message(name, limits.memory_mb)) from None
        if isinstance(exc, BulletinError):
            raise
        if isinstance(exc, RecursionError):  # deeply nested PDF objects
            raise InputError(f"{name}: structure nested too deeply") from None
        try:  # what cannot cross back to the parent still arrives as one line
            pickle.dumps(exc)
        except Exception:
            raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
        raise


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(5) == b"%PDF-"
    except OSError:
        return False


# What a fork server loads once, so each child starts with the pipeline imported and warm
# (pipeline/warm.py). A caller adds its own task's module (the batch runner its worker).
PRELOAD = ("pipeline.warm",)


def exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        hint = ", most likely the system ran out of memory" if name == "SIGKILL" else ""
        return f"killed by {name}{hint}"
    return f"exit code {code}"


def start_context(also: Sequence[str] = ()) -> Any:
    """A fork server where the platform has one (preloaded with the modules `also` names, then
    the warm pipeline), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*also, *PRELOAD])
    return context


def init_worker(memory_mb: int) -> None:
    """Pool initializer: cap this process's address space at `memory_mb` (0 = no cap).

    A decompression bomb then fails its own allocation with MemoryError instead of
    taking the machine's memory; only this worker's document is lost.
    """
    if memory_mb > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def pdf_page_count(path: Path) -> int | None:
    """Pages of a PDF from its page tree, without reading any content (None: cannot tell)."""
    import pypdfium2  # type: ignore[import-untyped]

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except Exception:  # encrypted, damaged, not a PDF: read_document says why
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()


def caused_by_memory(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MemoryError) or any(isinstance(a, MemoryError) for a in seen.args):
            return True
        if isinstance(seen, zlib.error) and "allocate" in str(seen):  # a flate bomb, capped
            return True
        seen = seen.__cause__ or seen.__context__
    return False
