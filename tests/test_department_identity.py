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


@pytest.mark.parametrize("path", corpus_sample(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_identity_findings_about_a_department_carry_its_id(path: Path) -> None:
    """The audit gives a finding the identity of the department it names, and the dataset's
    finding row takes that id from the finding."""
    result = pipeline.audit(path)
    by_name = {d.canonical: d.id for d in result.normalized.department_identities}
    named = [f for f in result.findings if f.department is not None]
    assert [f.department_id for f in named] == [by_name[str(f.department)] for f in named]
    assert all(f.department_id is None for f in result.findings if f.department is None)
    rows = document_rows(result, source=str(path)).findings
    assert [r.department_id for r in rows] == [f.department_id for f in result.findings]


# A town's completion rate printed one point off (190 / 200 is 95.00%): TBL002 on its row.
RATES = """\
东川区12345热线2024年3月工单办理情况通报
各镇街工单办理情况如下。
镇街      受理量    办结量    办结率
青山镇    200      190      96.00%
白水镇    150      147      98.00%
红石镇    120      114      95.00%
黄沙镇    80       76       95.00%
合计      550      527      95.82%
"""


def test_identity_finding_of_a_table_row_carries_the_rows_department(tmp_path: Path) -> None:
    path = tmp_path / "rates.txt"
    path.write_text(RATES, encoding="utf-8")
    result = pipeline.audit(path)
    green = next(d for d in result.normalized.department_identities if d.canonical == "青山镇")
    (wrong,) = [f for f in result.findings if f.rule == "TBL002"]
    assert (wrong.department, wrong.department_id, wrong.reported) == ("青山镇", green.id, "96.00%")
    stored = pipeline.Audit.from_json(result.to_json())
    assert stored.findings == result.findings  # the id is in the JSON and read back
    (row,) = [r for r in document_rows(result, source="rates.txt").findings if r.rule == "TBL002"]
    assert row.department_id == green.id


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
