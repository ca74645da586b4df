"""Departments have one identity, made in normalize and used by the dataset as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline.dataset.rows import DocumentRows, document_rows

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

# A department column headed by a word the metrics vocabulary does not know (镇街): normalize
# takes it as the department column (the first mostly-text one), and so must the dataset.
TOWNS = """\
东川区12345热线2024年3月工单办理情况通报
各镇街工单办理情况如下。
镇街      工单量    按期办结率
青山镇    210      99.05%
白水镇    150      98.67%
合计      360      98.89%
排名靠后的是白水镇。
"""


def rows_of(path: Path) -> DocumentRows:
    return document_rows(pipeline.audit(path), source=str(path))


def unnamed(rows: DocumentRows) -> list[str]:
    """Metric rows that print a department but carry no department id."""
    return [
        f"{m.table} row {m.row} {m.department}"
        for m in rows.metrics
        if m.department is not None and not m.is_total and m.department_id is None
    ]


def test_identity_name_column_under_an_unknown_header_has_ids(tmp_path: Path) -> None:
    path = tmp_path / "towns.txt"
    path.write_text(TOWNS, encoding="utf-8")
    result = pipeline.audit(path)
    identities = result.normalized.department_identities
    assert [d.canonical for d in identities] == ["白水镇", "青山镇"]
    rows = document_rows(result, source=str(path))
    assert unnamed(rows) == []
    ids = {m.department: m.department_id for m in rows.metrics if not m.is_total}
    by_name = {d.canonical: d.id for d in identities}
    assert ids == {"青山镇": by_name["青山镇"], "白水镇": by_name["白水镇"]}
    # the sentence's name is the same department as the table's row, with both places kept
    white = next(d for d in identities if d.canonical == "白水镇")
    assert [s.printed for s in white.spellings] == ["白水镇"]
    assert white.spellings[0].source.index == (2, 0)  # the table cell, printed first
    assert {a.department_id for a in rows.aliases} == set(by_name.values())


def corpus_sample() -> list[Path]:
    """Every text and HTML bulletin of the corpus, the seed in its three formats and one
    generated PDF of each family: quick to read, and every way a table is printed."""
    paths = sorted(CORPUS.glob("patterns/**/*.txt"))
    paths += sorted(CORPUS.glob("generated*/*.html"))
    paths += [p for s in ("pdf", "html", "docx") for p in sorted(CORPUS.glob(f"seed/*.{s}"))]
    for family in ("generated", "generated-growth", "generated-forms"):
        paths += sorted((CORPUS / family).glob("*.pdf"))[:1]
    return paths


@pytest.mark.parametrize("path", corpus_sample(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_identity_corpus_metric_rows_with_a_department_have_its_id(path: Path) -> None:
    rows = rows_of(path)
    assert unnamed(rows) == []
    known = {a.department_id for a in rows.aliases}
    used = {m.department_id for m in rows.metrics} - {None}
    assert used <= known, used - known


def corpus_rest() -> list[Path]:
    """Every other bulletin of the corpus but the OCR'd scans (minutes: `pytest -m slow`)."""
    sample = set(corpus_sample())
    found = [
        p
        for p in sorted(CORPUS.rglob("*"))
        if p.suffix in {".pdf", ".html", ".docx", ".txt"}
        and p.relative_to(CORPUS).parts[0] not in {"generate", "scans"}
    ]
    return [p for p in found if p not in sample]


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus_rest(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_identity_whole_corpus_metric_rows_with_a_department_have_its_id(path: Path) -> None:
    rows = rows_of(path)
    assert unnamed(rows) == []
    used = {m.department_id for m in rows.metrics} - {None}
    assert used <= {a.department_id for a in rows.aliases}
