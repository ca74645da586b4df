"""A build's stored result reads back into the model: the Document and the audit it stores are
the ones a fresh run of the Python API gives, and so are its dataset rows; the dataset built
from the stored results names every department by its id."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import pipeline
from pipeline.archive.build import BuildOptions, QuietProgress, build
from pipeline.archive.result_file import RESULT_SCHEMA, ResultFile, Stamp
from pipeline.archive.results import read_result, result_path
from pipeline.dataset.rows import document_rows
from pipeline.errors import ParseError

ROOT = Path(__file__).resolve().parents[2]
# A PDF with tables, an HTML page and a text bulletin: each format's Sources come back.
FILES = [
    ROOT / "corpus" / "generated" / "gen-0003.pdf",
    ROOT / "corpus" / "generated" / "gen-0002.html",
    ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.txt",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("archive") / "out"
    summary = build([str(p) for p in FILES], out, BuildOptions(workers=1), QuietProgress())
    assert summary.statuses["ok"] == len(FILES)
    return out


def stored(out: Path, path: Path) -> ResultFile:
    found = read_result(out, hashlib.sha256(path.read_bytes()).hexdigest())
    assert found is not None, path
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_result_file_reads_back_what_a_fresh_run_gives(built: Path, path: Path) -> None:
    result = stored(built, path)
    doc = pipeline.open(path)
    fresh = pipeline.audit(doc)
    assert result.stamp == Stamp.current(result.stamp.backend)
    assert result.document().to_json() == doc.to_json()
    assert result.audit().to_json() == fresh.to_json()
    assert result.rows() == document_rows(fresh, source=str(path))
    # the stored document is enough to audit the bulletin again
    assert pipeline.audit(result.document()).to_json() == fresh.to_json()


def test_result_file_is_written_as_its_to_json_and_reads_back_equal(built: Path) -> None:
    result = stored(built, FILES[0])
    text = result_path(built, result.sha256).read_text(encoding="utf-8")
    assert result.to_json() == text
    assert ResultFile.from_json(text) == result
    assert json.loads(text)["schema"] == RESULT_SCHEMA


def test_result_file_of_another_schema_or_without_a_part_is_refused(built: Path) -> None:
    data = json.loads(stored(built, FILES[1]).to_json())
    with pytest.raises(ParseError, match=r"bulletins\.result/5.*'bulletins\.result/4'"):
        ResultFile.from_json({**data, "schema": "bulletins.result/4"})
    with pytest.raises(ParseError, match="'document'"):
        ResultFile.from_json({k: v for k, v in data.items() if k != "document"})
    with pytest.raises(ParseError, match="'code'"):
        ResultFile.from_json({**data, "code": None})
    with pytest.raises(ParseError, match=r"bulletins\.document/1"):
        ResultFile.from_json({**data, "document": data["audit"]}).document()


def test_result_file_build_dataset_names_every_department_by_its_id(built: Path) -> None:
    """The dataset the build wrote from the stored results: no metric row and no finding that
    names a department lacks its id, and every id is a department of the departments table."""
    from pipeline.dataset import load

    tables = load(built)
    metrics, findings = tables["metrics"], tables["findings"]
    named = metrics[metrics["department"].notna() & ~metrics["is_total"]]
    about = findings[findings["department"].notna()]
    assert len(named) > 100 and len(about) > 0
    assert named["department_id"].notna().all()
    assert about["department_id"].notna().all()
    known = set(tables["departments"]["department_id"])
    assert set(named["department_id"]) | set(about["department_id"]) <= known
