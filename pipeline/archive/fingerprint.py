"""A digest of the code and data that make a document's result, stored with every result.

The version number changes only at releases; between them a stored result made by other code
(a fix in a rule, a new vocabulary word) must not be reused as if this code had made it. What
runs only after the results are stored (the dataset, the cross-document checks, the archive
report, the pool) and the command line are left out, so changing them redoes nothing.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
SUFFIXES = (".py", ".json", ".txt", ".j2")
# of pipeline/archive/, what shapes a stored result; the rest of the folder runs after it
RESULT_MODULES = frozenset({"rows.py", "results.py", "worker.py"})


def shapes_results(rel: Path) -> bool:
    if rel.parts[0] == "commands" or rel.name == "cli.py":
        return False
    return rel.parts[0] != "archive" or rel.name in RESULT_MODULES


@cache
def code_digest() -> str:
    """SHA-256 over the paths and bytes of the code, data and templates that make a result."""
    digest = hashlib.sha256()
    files = sorted(
        p.relative_to(PACKAGE)
        for p in PACKAGE.rglob("*")
        if p.suffix in SUFFIXES and "__pycache__" not in p.parts
    )
    for rel in filter(shapes_results, files):
        digest.update(rel.as_posix().encode("utf-8") + b"\0")
        digest.update((PACKAGE / rel).read_bytes() + b"\0")
    return digest.hexdigest()[:16]
