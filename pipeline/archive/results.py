"""OUT/results/<sha256>.json, one per processed document, and the per-document HTML reports.

Every file is written to a temporary name beside it and moved into place with os.replace,
so a killed build leaves either the whole file or none. A result holds the audit, stored
through the model's versioned Audit.to_json and read back with stored_audit, and the document's
dataset rows. It names the pipeline version, the row layout version, the table backend and the
digest of the --gazetteer files that produced it; a later build reuses it only when all four
match.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.archive.fingerprint import code_digest
from pipeline.dataset.rows import ROWS_VERSION, document_rows
from pipeline.errors import ParseError
from pipeline.model import Audit, AuditRecord
from pipeline.report.html import audit_html
from pipeline.validate.crossdoc.rows import DocumentRows

# /2: the audit itself is stored, as Audit.to_json writes it (bulletins.audit/1)
# /3: that audit is bulletins.audit/2, whose evidence names its backend
# /4: that audit is bulletins.audit/3, whose findings name their department's identity
RESULT_SCHEMA = "bulletins.result/4"


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
    doc = result.normalized.document
    payload = {
        "schema": RESULT_SCHEMA,
        "pipeline_version": __version__,
        "rows_version": ROWS_VERSION,
        "code": code_digest(),
        "backend": backend,
        "gazetteers": gazetteers,
        "sha256": doc.sha256,
        "audit": json.loads(result.to_json()),
        "rows": document_rows(result, source=source).to_json(),
    }
    write_atomic(result_path(out, doc.sha256), json.dumps(payload, ensure_ascii=False))


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
    same result schema, version, row layout, code digest, backend and --gazetteer digest (a
    result without one had none), and an audit that reads back."""
    payload = read_result(out, sha256)
    if payload is None:
        return None
    same = (
        payload.get("schema") == RESULT_SCHEMA
        and payload.get("pipeline_version") == __version__
        and payload.get("rows_version") == ROWS_VERSION
        and payload.get("code") == code_digest()
        and payload.get("backend") == backend
        and payload.get("gazetteers", "") == gazetteers
    )
    if not same:
        return None
    try:
        return stored_audit(payload)
    except (ParseError, KeyError, TypeError, ValueError):  # a damaged file is redone
        return None


def read_result(out: Path, sha256: str) -> dict[str, Any] | None:
    """The parsed result file, None when it is missing or unreadable (it is then redone)."""
    try:
        data = json.loads(result_path(out, sha256).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("rows"), dict) else None


def stored_audit(payload: dict[str, Any]) -> AuditRecord:
    """The audit a result stores, read back into the model (its findings, coverage and the
    document's metadata; raises ParseError when the result holds none)."""
    return Audit.from_json(payload.get("audit") or {})


def result_rows(payload: dict[str, Any]) -> DocumentRows:
    """The document's dataset rows a result stores, read back typed; ValueError when they are
    not one document's rows."""
    return DocumentRows.from_json(payload["rows"])
