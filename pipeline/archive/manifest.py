"""OUT/manifest.csv: one row per input file, whatever became of it.

UTF-8 with a byte-order mark, so that Excel (the tool most readers of such archives open it
with) shows Chinese paths correctly; Python reads it with encoding="utf-8-sig". The file is
rewritten atomically during the build and at its end, so an interrupted build leaves a
complete manifest of what was known at the last write (the results files are the truth).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields, replace
from pathlib import Path

from pipeline.archive.inputs import InputFile
from pipeline.archive.results import write_atomic
from pipeline.archive.worker import WorkerOutcome, severity_counts
from pipeline.model import AuditRecord

OK, FAILED, DUPLICATE, PENDING = "ok", "failed", "skipped-duplicate", "pending"
MANIFEST = "manifest.csv"


@dataclass(frozen=True, slots=True)
class ManifestRow:
    path: str
    sha256: str  # "" when the file could not be read
    format: str
    status: str  # OK, FAILED, DUPLICATE, or PENDING while the build runs
    error_class: str = ""
    error_message: str = ""
    pages: int | None = None  # read: PDF pages, or blocks of HTML, DOCX and text
    declared_pages: int | None = None  # what a PDF's page tree declares (its /Count)
    seconds: float | None = None  # worker time for this document; None when reused
    errors: int | None = None
    warnings: int | None = None
    infos: int | None = None
    reused: bool = False  # the result of an earlier build was kept (same pipeline version)
    duplicate_of: str = ""  # for DUPLICATE: the path processed in its place

    @classmethod
    def pending(cls, item: InputFile) -> ManifestRow:
        return cls(str(item.path), item.sha256 or "", item.format, PENDING)

    @classmethod
    def unreadable(cls, item: InputFile) -> ManifestRow:
        message = f"{item.path}: {item.problem}"
        return cls(str(item.path), item.sha256 or "", item.format, FAILED, "InputError", message)

    def duplicate(self, original: str) -> ManifestRow:
        return replace(self, status=DUPLICATE, duplicate_of=original)

    def failed_as_copy(self, original: ManifestRow) -> ManifestRow:
        """A duplicate whose original failed: same error, said to be a copy."""
        message = (
            f"{self.path}: same content as {original.path}, which failed: {original.error_message}"
        )
        return replace(self, status=FAILED, error_class=original.error_class, error_message=message)

    def finished(self, outcome: WorkerOutcome) -> ManifestRow:
        return replace(
            self,
            status=outcome.status,
            error_class=outcome.error_class,
            error_message=outcome.message,
            pages=outcome.pages,
            declared_pages=outcome.declared_pages,
            seconds=round(outcome.seconds, 3),
            errors=outcome.errors if outcome.status == OK else None,
            warnings=outcome.warnings if outcome.status == OK else None,
            infos=outcome.infos if outcome.status == OK else None,
        )

    def reused_from(self, record: AuditRecord) -> ManifestRow:
        """Filled from a stored result's audit."""
        errors, warnings, infos = severity_counts(record.findings)
        return replace(
            self,
            status=OK,
            pages=record.pages,
            declared_pages=record.declared_pages,
            errors=errors,
            warnings=warnings,
            infos=infos,
            reused=True,
        )


COLUMNS = tuple(f.name for f in fields(ManifestRow))


def manifest_csv(rows: Sequence[ManifestRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_cell(v) for v in astuple(row))
    return buffer.getvalue()


def write_manifest(out: Path, rows: Sequence[ManifestRow]) -> Path:
    path = out / MANIFEST
    write_atomic(path, manifest_csv(rows), encoding="utf-8-sig")
    return path


def read_manifest(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
