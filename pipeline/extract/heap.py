"""Give the C heap's freed memory back to the operating system.

Building an onnxruntime session parses its model file into a protobuf, copies the weights
into tensors and optimises the graph; the parsed copy is then freed, but glibc keeps the
pages, so the process's resident size stays up by tens of megabytes and every later page
raster lands on top of it. A process audits one document under a memory cap and its peak
RSS is what `make bench` reports, so after loading a model the freed pages are returned
(`malloc_trim`). Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
from typing import Any


@functools.cache
def _libc() -> Any:
    """The C library this process runs on (its own symbols: no search, no subprocess)."""
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def return_freed() -> None:
    """Return the heap's free pages to the OS (glibc's `malloc_trim(0)`), where there is one."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
