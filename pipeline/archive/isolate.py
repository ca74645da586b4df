"""Run one document's work in a child process under the time, memory and page limits.

What `audit` and `extract` use so that a decompression bomb, a reference loop or a page of
millions of glyphs costs one document, not the command: the same fork server and address-space
cap as the archive's pool (pool.start_context, worker.init_worker), one worker at a time so the
reports keep the order of the inputs. A worker that runs past the timeout is killed and
replaced; the next document goes on in a fresh one.

With neither a timeout nor a memory cap there is nothing a child process could enforce, so
the work runs in this process (useful under a debugger); the page limit holds either way.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from pipeline.archive.pool import exit_reason, start_context
from pipeline.archive.worker import caused_by_memory, init_worker, pdf_page_count
from pipeline.errors import BulletinError, InputError, LimitError
from pipeline.limits import Limits, applied, memory_message, pages_message, timeout_message

T = TypeVar("T")
MAX_TASKS = 20  # documents before the worker is replaced (memory fragmentation after a bomb)


class Isolated(Generic[T]):
    """A context manager that calls `fn(*args)` for one document at a time under `limits`.

    `call` returns what `fn` returned, or raises: LimitError past a limit (its message names
    the limit and its flag), InputError when the worker died, and whatever `fn` raised.
    """

    def __init__(self, fn: Callable[..., T], limits: Limits) -> None:
        self._fn = fn
        self._limits = limits
        self._pool: Any = None

    def __enter__(self) -> Isolated[T]:
        if self._limits.isolated:
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
