"""The stored results of a build as the archive view the checks, dataset and report walk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.archive.results import read_result, result_path
from pipeline.errors import InputError
from pipeline.validate.crossdoc.rows import DocumentRows
from pipeline.validate.crossdoc.view import Documents, Head


def stored_documents(out: Path, heads: Sequence[Head]) -> Documents:
    """The stored results of OUT for these heads (`document_id` is the file's sha256), each
    read from OUT/results/<sha256>.json when asked for."""
    ids = [h.document_id for h in heads]
    return Documents(heads, lambda i: _read(out, ids[i]))


def _read(out: Path, sha256: str) -> DocumentRows:
    stored = read_result(out, sha256)
    if stored is None:
        raise InputError(f"{result_path(out, sha256)}: result file missing or unreadable")
    try:
        return stored.rows()
    except ValueError as exc:
        raise InputError(f"{result_path(out, sha256)}: stored rows unreadable ({exc})") from exc
