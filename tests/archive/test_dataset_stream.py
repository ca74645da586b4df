"""The dataset written from documents read one at a time: same files as from a list, Parquet row
groups independent of how rows arrive, and documents loaded only when asked for."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.archive.results import write_result
from pipeline.archive.stored import stored_documents
from pipeline.dataset import parquet as dataset_parquet
from pipeline.dataset.parquet import ParquetTable
from pipeline.dataset.rows import DocumentRows, document_rows
from pipeline.dataset.schema import METRICS
from pipeline.dataset.tables import conform, sort_rows
from pipeline.dataset.write import write_dataset
from pipeline.extract import read_document
from pipeline.model import Audit
from pipeline.normalize import normalize
from pipeline.validate import audit
from pipeline.validate.crossdoc.view import Documents, unique_documents

GEN = Path(__file__).resolve().parents[2] / "corpus" / "generated"
FILES = ("gen-0003.pdf", "gen-0004.pdf", "gen-0002.html")


@pytest.fixture(scope="module")
def audits() -> list[Audit]:
    return [audit(normalize(read_document(GEN / n))) for n in FILES]


@pytest.fixture(scope="module")
def docs(audits: list[Audit]) -> list[DocumentRows]:
    return [document_rows(a, source=str(GEN / n)) for a, n in zip(audits, FILES, strict=True)]


def store(out: Path, audits: list[Audit], docs: list[DocumentRows]) -> Documents:
    """The documents as a build stores them (OUT/results/<sha256>.json), read back lazily."""
    for a, n in zip(audits, FILES, strict=True):
        write_result(out, a, source=str(GEN / n), backend="pdfplumber")
    return stored_documents(out, [d.document for d in reversed(docs)])


def test_dataset_stream_stored_documents_give_the_files_a_list_gives(
    audits: list[Audit], docs: list[DocumentRows], tmp_path: Path
) -> None:
    listed, stored = tmp_path / "listed", tmp_path / "stored"
    counts = write_dataset(listed, docs)
    assert write_dataset(stored, store(stored, audits, docs)) == counts
    names = sorted(p.name for p in (listed / "dataset").iterdir())
    assert names == sorted(p.name for p in (stored / "dataset").iterdir())
    for name in names:
        a, b = (listed / "dataset" / name).read_bytes(), (stored / "dataset" / name).read_bytes()
        assert a == b, name


def test_dataset_stream_parquet_row_groups_do_not_depend_on_chunks(
    docs: list[DocumentRows], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dataset_parquet, "ROW_GROUP", 97)
    chunks = [sort_rows(METRICS, conform(METRICS, d.metrics)) for d in docs]
    rows = [r for chunk in chunks for r in chunk]
    assert len(rows) > 3 * 97
    with ParquetTable(tmp_path / "whole.parquet", METRICS) as whole:
        whole.write(rows)
    with ParquetTable(tmp_path / "chunked.parquet", METRICS) as chunked:
        for chunk in chunks:
            for start in range(0, len(chunk), 40):  # and smaller than a group
                chunked.write(chunk[start : start + 40])
    data = (tmp_path / "whole.parquet").read_bytes()
    assert data == (tmp_path / "chunked.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "whole.parquet").num_row_groups == -(-len(rows) // 97)
    with ParquetTable(tmp_path / "empty.parquet", METRICS):
        pass
    empty = pq.ParquetFile(tmp_path / "empty.parquet")
    assert (empty.num_row_groups, empty.metadata.num_rows) == (1, 0)


def test_dataset_stream_documents_load_only_when_asked(docs: list[DocumentRows]) -> None:
    loaded: list[int] = []
    copy = replace(
        docs[0], document=replace(docs[0].document, source="/0/copy-that-sorts-first.pdf")
    )
    twice = [docs[2], docs[0], docs[1], copy]

    def load(i: int) -> DocumentRows:
        loaded.append(i)
        return twice[i]

    lazy = Documents([d.document for d in twice], load)
    unique = unique_documents(lazy)
    assert loaded == []  # choosing and ordering reads heads only
    ids = [h.document_id for h in unique.heads]
    assert ids == sorted({d.document.document_id for d in docs})
    sources = {h.document_id: h.source for h in unique.heads}
    assert sources[docs[0].document.document_id] == "/0/copy-that-sorts-first.pdf"
    assert [d.document.document_id for d in unique] == ids
    assert sorted(loaded) == [0, 2, 3]  # each chosen document once; docs[0] itself never
