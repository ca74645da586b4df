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
# What runs only after the results are stored: the batch runner (but for the worker and the
# result writer), the dataset writer (but for the rows a result holds), the cross-document
# checks and the archive report.
AFTER_RESULTS = (
    "archive/",
    "dataset/",
    "validate/crossdoc/",
    "report/archive/",
    "report/templates/archive.html.j2",
)
RESULT_MODULES = frozenset(
    {"archive/worker.py", "archive/results.py", "archive/result_file.py", "dataset/rows.py"}
)


def shapes_results(rel: Path) -> bool:
    if rel.parts[0] == "commands" or rel.name == "cli.py":
        return False
    path = rel.as_posix()
    return path in RESULT_MODULES or not path.startswith(AFTER_RESULTS)


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
