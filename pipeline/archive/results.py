"""OUT/results/<sha256>.json, one per processed document, and the per-document HTML reports.

Every file is written to a temporary name beside it and moved into place with os.replace,
so a killed build leaves either the whole file or none. A result is a `ResultFile`
(result_file.py): the document, its audit and its dataset rows, each stored through its own
versioned to_json, and the stamp of what made it (the pipeline version, the row layout version,
the code digest, the reader and the digest of the --gazetteer files); a later build reuses it
only when the stamp matches.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

from pipeline.archive.result_file import ResultFile, Stamp
from pipeline.errors import ParseError
from pipeline.model import Audit, AuditRecord
from pipeline.report.html import audit_html


def results_dir(out: Path) -> Path:
    return out / "results"


def result_path(out: Path, sha256: str) -> Path:
    return results_dir(out) / f"{sha256}.json"


def html_path(out: Path, sha256: str) -> Path:
    return out / "report" / "docs" / f"{sha256}.html"


def write_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding=encoding)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_result(
    out: Path, result: Audit, *, source: str, backend: str, gazetteers: str = ""
) -> None:
    """`gazetteers`: the digest of the --gazetteer files the document was read with ("" none)."""
    stored = ResultFile.of(result, Stamp.current(backend, gazetteers), source=source)
    write_atomic(result_path(out, stored.sha256), stored.to_json())


def write_html(out: Path, sha256: str, result: Audit, *, source_pdf: Path | None) -> None:
    """The document's own report, linking to its source file relative to the report."""
    target = html_path(out, sha256)
    source = Path(result.normalized.document.path).resolve()
    relative = os.path.relpath(source, target.parent.resolve())
    href = urllib.parse.quote(Path(relative).as_posix())
    write_atomic(target, audit_html(result, source_pdf=source_pdf, pdf_href=href))


def reusable_audit(
    out: Path, sha256: str, backend: str, gazetteers: str = ""
) -> AuditRecord | None:
    """The audit stored for `sha256` if this pipeline would write the same result, else None:
    a result of this schema whose stamp is this code's (version, row layout, code digest,
    reader and --gazetteer digest) and whose audit reads back."""
    stored = read_result(out, sha256)
    if stored is None or stored.stamp != Stamp.current(backend, gazetteers):
        return None
    try:
        return stored.audit()
    except (ParseError, KeyError, TypeError, ValueError):  # a damaged file is redone
        return None


def read_result(out: Path, sha256: str) -> ResultFile | None:
    """The stored result, None when it is missing, unreadable or of another schema (it is then
    redone)."""
    try:
        return ResultFile.from_json(result_path(out, sha256).read_text(encoding="utf-8"))
    except (OSError, ValueError, ParseError):  # not JSON, not UTF-8, not a result
        return None
