"""OUT/results/<sha256>.json as one typed value, `ResultFile`: the one form the worker writes
and the build reads back.

A result holds what made it (its `Stamp`), the document as `Document.to_json` writes it
(schema bulletins.document/1), its audit as `Audit.to_json` writes it (bulletins.audit/3) and
its dataset rows as `DocumentRows.to_json` writes them. `ResultFile.from_json` checks the
schema and the shape and keeps each of the three parts as stored; `document()`, `audit()` and
`rows()` read a part back into the model when asked for. The finishing stage of a build reads
every result several times (about six) and needs only its rows each time; building the
Document (about 13 ms a generated bulletin) and the audit (about 4 ms) on every read would
double the cost of reading the rows (about 17 ms) for nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from pipeline import __version__
from pipeline.archive.fingerprint import code_digest
from pipeline.dataset.rows import ROWS_VERSION, document_rows
from pipeline.errors import ParseError
from pipeline.model import Audit, AuditRecord, Document
from pipeline.validate.crossdoc.rows import DocumentRows

# /2: the audit itself is stored, as Audit.to_json writes it (bulletins.audit/1)
# /3: that audit is bulletins.audit/2, whose evidence names its backend
# /4: that audit is bulletins.audit/3, whose findings name their department's identity
# /5: the document is stored too (bulletins.document/1), so a result reads back into the
#     model's Document and AuditRecord. A result of an older schema is not read: the code that
#     wrote it was other code, so the build redoes it.
RESULT_SCHEMA = "bulletins.result/5"
PARTS = ("document", "audit", "rows")


@dataclass(frozen=True, slots=True)
class Stamp:
    """What made a result; a later build reuses the result only when its own stamp is equal."""

    pipeline_version: str  # the package version
    rows_version: str  # the dataset row layout, pipeline.dataset.rows.ROWS_VERSION
    code: str  # the digest of the code and data that make a result (fingerprint.py)
    backend: str  # the reader: table backend, and the OCR engine when not the default
    gazetteers: str = ""  # the digest of the --gazetteer files ("": none)

    @classmethod
    def current(cls, backend: str, gazetteers: str = "") -> Stamp:
        """The stamp this code gives a result read with `backend` and those gazetteers."""
        return cls(__version__, ROWS_VERSION, code_digest(), backend, gazetteers)


@dataclass(frozen=True, slots=True)
class ResultFile:
    """One document's stored result; the parts are JSON objects as their own to_json wrote
    them (read with `document()`, `audit()` and `rows()`)."""

    sha256: str
    stamp: Stamp
    document_json: Mapping[str, Any]
    audit_json: Mapping[str, Any]
    rows_json: Mapping[str, Any]

    @classmethod
    def of(cls, result: Audit, stamp: Stamp, *, source: str) -> ResultFile:
        """The result of an audit; `source` is the input path as the user gave it."""
        doc = result.normalized.document
        return cls(
            sha256=doc.sha256,
            stamp=stamp,
            document_json=json.loads(doc.to_json()),
            audit_json=json.loads(result.to_json()),
            rows_json=document_rows(result, source=source).to_json(),
        )

    def to_json(self) -> str:
        """One line of JSON, schema bulletins.result/5: the stamp's fields at the top."""
        data = {
            "schema": RESULT_SCHEMA,
            **{f.name: getattr(self.stamp, f.name) for f in fields(Stamp)},
            "sha256": self.sha256,
            "document": self.document_json,
            "audit": self.audit_json,
            "rows": self.rows_json,
        }
        return json.dumps(data, ensure_ascii=False)

    @staticmethod
    def from_json(data: str | bytes | Mapping[str, Any]) -> ResultFile:
        """The result `to_json` wrote; raises ParseError for another schema, a stamp field that
        is not a string or a part that is not an object (the parts are read when asked for)."""
        obj = json.loads(data) if isinstance(data, str | bytes) else data
        if not isinstance(obj, Mapping) or obj.get("schema") != RESULT_SCHEMA:
            found = obj.get("schema") if isinstance(obj, Mapping) else type(obj).__name__
            raise ParseError(f"expected a result of schema {RESULT_SCHEMA}, found {found!r}")
        texts = ("sha256", *(f.name for f in fields(Stamp)))
        bad = [k for k in texts if not isinstance(obj.get(k), str)]
        bad += [k for k in PARTS if not isinstance(obj.get(k), Mapping)]
        if bad:
            raise ParseError(f"a result of schema {RESULT_SCHEMA} without a valid {bad[0]!r}")
        return ResultFile(
            sha256=obj["sha256"],
            stamp=Stamp(*(obj[f.name] for f in fields(Stamp))),
            document_json=obj["document"],
            audit_json=obj["audit"],
            rows_json=obj["rows"],
        )

    def document(self) -> Document:
        """The stored document (what bulletins.document/1 keeps: docs/api.md, Round trips);
        ParseError when it is not a document JSON."""
        return Document.from_json(self.document_json)

    def audit(self) -> AuditRecord:
        """The stored audit; ParseError when it is not an audit JSON."""
        return Audit.from_json(self.audit_json)

    def rows(self) -> DocumentRows:
        """The stored dataset rows; ValueError when they are not one document's rows."""
        return DocumentRows.from_json(self.rows_json)
