"""A stored result made by other code is redone, even under the same version number."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pipeline.archive import results
from pipeline.archive.result_file import ResultFile, Stamp
from pipeline.archive.results import result_path
from pipeline.model import Audit


def test_fingerprint_result_from_other_code_is_not_reused(
    tmp_path: Path, seed_audit: Audit
) -> None:
    stamp = Stamp.current("pdfplumber")
    stored = ResultFile.of(seed_audit, stamp, source="seed.pdf")
    sha = stored.sha256
    path = result_path(tmp_path, sha)
    path.parent.mkdir(parents=True)
    path.write_text(stored.to_json(), encoding="utf-8")
    audit = results.reusable_audit(tmp_path, sha, "pdfplumber")
    assert audit is not None and audit.to_json() == seed_audit.to_json()  # read back typed
    assert results.reusable_audit(tmp_path, sha, "pdfplumber", "another digest") is None
    other = replace(stored, stamp=replace(stamp, code="0" * 16))
    path.write_text(other.to_json(), encoding="utf-8")
    assert results.reusable_audit(tmp_path, sha, "pdfplumber") is None
    damaged = replace(stored, audit_json={"schema": "x"})
    path.write_text(damaged.to_json(), encoding="utf-8")
    assert results.reusable_audit(tmp_path, sha, "pdfplumber") is None  # damaged: redone
    older = {**json.loads(stored.to_json()), "schema": "bulletins.result/4"}
    path.write_text(json.dumps(older), encoding="utf-8")
    assert results.reusable_audit(tmp_path, sha, "pdfplumber") is None  # another schema
    path.write_text(stored.to_json()[:-1], encoding="utf-8")
    assert results.reusable_audit(tmp_path, sha, "pdfplumber") is None  # cut short


def test_fingerprint_covers_what_makes_a_result_and_not_what_runs_after() -> None:
    from pipeline.archive.fingerprint import shapes_results

    assert shapes_results(Path("validate/rules/growth.py"))
    assert shapes_results(Path("data/metrics.json"))
    assert shapes_results(Path("report/templates/audit.html.j2"))
    assert shapes_results(Path("dataset/rows.py"))
    assert shapes_results(Path("archive/worker.py"))
    assert shapes_results(Path("archive/result_file.py"))
    assert not shapes_results(Path("validate/crossdoc/values.py"))
    assert not shapes_results(Path("dataset/write.py"))
    assert not shapes_results(Path("archive/pool.py"))
    assert not shapes_results(Path("report/archive/page.py"))
    assert not shapes_results(Path("report/templates/archive.html.j2"))
    assert not shapes_results(Path("commands/build.py"))
