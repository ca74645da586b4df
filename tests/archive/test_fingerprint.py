"""A stored result made by other code is redone, even under the same version number."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.archive import results
from pipeline.archive.fingerprint import code_digest
from pipeline.archive.results import result_path
from pipeline.model import Audit


def test_fingerprint_result_from_other_code_is_not_reused(
    tmp_path: Path, seed_audit: Audit
) -> None:
    sha = "ab" * 32
    payload = {
        "schema": results.RESULT_SCHEMA,
        "pipeline_version": results.__version__,
        "rows_version": results.ROWS_VERSION,
        "code": code_digest(),
        "backend": "pdfplumber",
        "gazetteers": "",
        "sha256": sha,
        "audit": json.loads(seed_audit.to_json()),
        "rows": {},
    }
    path = result_path(tmp_path, sha)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(payload), encoding="utf-8")
    stored = results.reusable_audit(tmp_path, sha, "pdfplumber")
    assert stored is not None and stored.to_json() == seed_audit.to_json()  # read back typed
    path.write_text(json.dumps({**payload, "code": "0" * 16}), encoding="utf-8")
    assert results.reusable_audit(tmp_path, sha, "pdfplumber") is None
    path.write_text(json.dumps({**payload, "audit": {"schema": "x"}}), encoding="utf-8")
    assert results.reusable_audit(tmp_path, sha, "pdfplumber") is None  # damaged: redone


def test_fingerprint_covers_what_makes_a_result_and_not_what_runs_after() -> None:
    from pipeline.archive.fingerprint import shapes_results

    assert shapes_results(Path("validate/rules/growth.py"))
    assert shapes_results(Path("data/metrics.json"))
    assert shapes_results(Path("report/templates/audit.html.j2"))
    assert shapes_results(Path("dataset/rows.py"))
    assert shapes_results(Path("archive/worker.py"))
    assert not shapes_results(Path("validate/crossdoc/values.py"))
    assert not shapes_results(Path("dataset/write.py"))
    assert not shapes_results(Path("archive/pool.py"))
    assert not shapes_results(Path("report/archive/page.py"))
    assert not shapes_results(Path("report/templates/archive.html.j2"))
    assert not shapes_results(Path("commands/build.py"))
