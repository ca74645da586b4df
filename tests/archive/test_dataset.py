"""The archive dataset from real corpus bulletins: rows, CSV + Data Package, Parquet, SQLite."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from pipeline.dataset import load
from pipeline.dataset import write as dataset_module
from pipeline.dataset.rows import (
    ClaimRow,
    DepartmentRow,
    DocumentRow,
    FindingRow,
    MetricRow,
    document_rows,
)
from pipeline.dataset.schema import (
    CLAIMS,
    DEPARTMENTS,
    DOCUMENTS,
    FINDINGS,
    METRICS,
    TABLES,
    TableSpec,
)
from pipeline.dataset.write import write_dataset
from pipeline.errors import InputError
from pipeline.extract import read_document
from pipeline.model import Audit
from pipeline.normalize import normalize
from pipeline.validate import audit
from pipeline.validate.crossdoc.rows import DocumentRows as TypedRows
from pipeline.validate.crossdoc.rows import row_from_json

ROOT = Path(__file__).resolve().parents[2]
SEED_TRUTH = ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.truth.json"
# Two bulletins of one district (宝鸡市渭滨区) that spell some departments differently, and an
# HTML bulletin (no geometry: cells located by block index instead of a box).
SAME_DISTRICT = ("corpus/generated/gen-0019.pdf", "corpus/generated/gen-0025.pdf")
HTML = "corpus/generated/gen-0002.html"
SPECS = {spec.name: spec for spec in TABLES}
# A document's rows as its stored result holds them (DocumentRows.to_json), which the tests
# inspect; the dataset is written from them read back typed, as a build does.
DocumentRows = dict[str, list[dict[str, Any]]]


def rows_of(path: str) -> DocumentRows:
    return document_rows(audit(normalize(read_document(ROOT / path))), source=path).to_json()


def write_stored(
    out: Path, docs: list[DocumentRows], extra_findings: list[dict[str, Any]] | None = None
) -> dict[str, int]:
    """write_dataset over the stored rows read back, the extra findings as finding rows."""
    extra = [row_from_json(FindingRow, f) for f in extra_findings or []]
    return write_dataset(out, [TypedRows.from_json(d) for d in docs], extra)


@pytest.fixture(scope="module")
def seed_rows(seed_audit: Audit) -> DocumentRows:
    source = "corpus/seed/jintai_2023_02_hotline_bulletin.pdf"
    return document_rows(seed_audit, source=source).to_json()


@pytest.fixture(scope="module")
def docs(seed_rows: DocumentRows) -> list[DocumentRows]:
    return [seed_rows, *(rows_of(p) for p in (*SAME_DISTRICT, HTML))]


@pytest.fixture(scope="module")
def built(docs: list[DocumentRows], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("archive")
    write_stored(out, docs, extra_findings=[cross_document_finding()])
    return out / "dataset"


def cross_document_finding() -> dict[str, Any]:
    """A finding shaped like the cross-document rules' rows (no document, empty columns)."""
    return {
        "finding_id": "arch-test-1",
        "document_id": None,
        "rule": "ARCH001",
        "severity": "warning",
        "message": "same department-month reported differently",
        "reported": None,
        "expected": None,
        "explanation": None,
        "table": None,
        "row": None,
        "column": None,
        "department": "区司法局",
        "department_id": None,
        "page": None,
        "bbox": None,
        "evidence": "[]",
    }


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        header, *body = list(csv.reader(f))
    return header, body


def parse_cell(kind: str, text: str) -> Any:
    """A CSV cell by its Table Schema type (missing value: empty string)."""
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    if kind == "date":
        return date.fromisoformat(text)
    return text


def csv_records(directory: Path, spec: TableSpec) -> list[dict[str, Any]]:
    header, body = read_csv(directory / f"{spec.name}.csv")
    kinds = [f.type for f in spec.fields]
    return [
        {name: parse_cell(k, cell) for name, k, cell in zip(header, kinds, row, strict=True)}
        for row in body
    ]


def numeric_cells(row: list[str]) -> Iterator[str]:
    return (c for c in row[2:] if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?%?", c))


# --- rows ----------------------------------------------------------------------------------


def test_rows_hold_exactly_the_schema_columns_as_json_values(docs: list[DocumentRows]) -> None:
    for doc in docs:
        assert json.loads(json.dumps(doc, allow_nan=False)) == doc
        assert len(doc["documents"]) == 1
        for name, spec in SPECS.items():
            for row in doc.get(name, []):
                assert tuple(row) == spec.names, name


def test_rows_seed_metrics_keep_every_attachment_cell_exactly(seed_rows: DocumentRows) -> None:
    """Every numeric cell of the seed's attachments, by department, with page, box, exact digits."""
    truth = json.loads(SEED_TRUTH.read_text(encoding="utf-8"))
    metrics = seed_rows["metrics"]
    for table in truth["tables"]:
        label = table["label"].replace(" ", "").rstrip(":：")
        pages = {part["page"] for part in table["parts"]}
        for row in table["body_rows"]:
            found = [m for m in metrics if m["table"] == label and m["department"] == row[1]]
            assert Counter(numeric_cells(row)) <= Counter(m["text"] for m in found), row
            for m in found:
                assert m["page"] in pages and None not in (m["x0"], m["top"], m["x1"], m["bottom"])
                assert m["value"] == m["text"].rstrip("%")  # "35.00" stays "35.00"
                assert Decimal(m["value"]) == Decimal(repr(m["number"]))
                assert m["period_start"] == "2023-02-01" and m["period_end"] == "2023-02-28"


def test_rows_seed_departments_resolve_to_canonical_ids(seed_rows: DocumentRows) -> None:
    by_printed = {m["department"]: m["department_id"] for m in seed_rows["metrics"]}
    assert by_printed["区教育局体育局"] == "金台区/区教育体育局"
    aliases = {a["printed"]: a for a in seed_rows["aliases"]}
    assert aliases["区教育局体育局"]["department_id"] == "金台区/区教育体育局"
    assert aliases["区教育局体育局"]["reason"] != "exact"


def test_rows_findings_equal_the_audit(seed_rows: DocumentRows, seed_audit: Audit) -> None:
    rows = seed_rows["findings"]
    assert [(r["finding_id"], r["rule"], r["severity"]) for r in rows] == [
        (f.id, f.rule, f.severity.value) for f in seed_audit.findings
    ]
    for r, f in zip(rows, seed_audit.findings, strict=True):
        assert (r["reported"], r["expected"], r["message"]) == (f.reported, f.expected, f.message)
        evidence = json.loads(r["evidence"])
        assert [e["text"] for e in evidence] == [e.text for e in f.evidence]
        assert r["page"] == (f.evidence[0].page if f.evidence else None)


def test_rows_claims_keep_exact_values_and_lines(
    seed_rows: DocumentRows, seed_audit: Audit
) -> None:
    claims = seed_audit.normalized.claims
    assert len(seed_rows["claims"]) == len(claims)
    for row, claim in zip(seed_rows["claims"], claims, strict=True):
        assert row["sentence"] == claim.sentence and row["page"] == claim.source.page
        if claim.value is not None:
            assert Decimal(row["value"]) == claim.value.value
            assert row["text"] == claim.value.text


def test_rows_html_cells_are_located_by_block_index(docs: list[DocumentRows]) -> None:
    (html,) = [d for d in docs if d["documents"][0]["format"] == "html"]
    assert html["metrics"]
    for m in html["metrics"]:
        assert m["x0"] is None and len(json.loads(m["block_index"])) == 2


# --- the dataset ---------------------------------------------------------------------------


def test_dataset_datapackage_is_a_valid_v2_package(built: Path) -> None:
    package = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert [r["name"] for r in package["resources"]] == [s.name for s in TABLES]
    tables = {}
    for resource in package["resources"]:
        path = built / resource["path"]
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and resource["encoding"] == "utf-8"
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        schema = resource["schema"]
        header, body = read_csv(path)
        assert header == [f["name"] for f in schema["fields"]]
        tables[resource["name"]] = rows = [
            {f["name"]: parse_cell(f["type"], c) for f, c in zip(schema["fields"], r, strict=True)}
            for r in body
        ]
        check_constraints(schema, rows)
    for resource in package["resources"]:
        for fk in resource["schema"].get("foreignKeys", []):
            (field,), ref = fk["fields"], fk["reference"]
            targets = {r[ref["fields"][0]] for r in tables[ref["resource"]]}
            values = {r[field] for r in tables[resource["name"]]} - {None}
            assert values <= targets, (resource["name"], field, sorted(values - targets)[:5])


def check_constraints(schema: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    key = schema.get("primaryKey")
    if key:
        keys = [tuple(r[k] for k in key) for r in rows]
        assert all(None not in k for k in keys) and len(set(keys)) == len(keys)
    for unique in schema.get("uniqueKeys", []):
        keys = [tuple(r[k] for k in unique) for r in rows]
        keys = [k for k in keys if None not in k]
        assert len(set(keys)) == len(keys)
    for f in schema["fields"]:
        constraints = f.get("constraints", {})
        values = [r[f["name"]] for r in rows if r[f["name"]] is not None]
        if "enum" in constraints:
            assert set(values) <= set(constraints["enum"]), f["name"]
        if "pattern" in constraints:
            assert all(re.fullmatch(constraints["pattern"], v) for v in values), f["name"]


def test_dataset_counts_and_cross_document_findings(built: Path, docs: list[DocumentRows]) -> None:
    findings = csv_records(built, SPECS["findings"])
    assert len(findings) == sum(len(d["findings"]) for d in docs) + 1
    last = findings[-1]
    assert (last["finding_id"], last["document_id"], last["rule"]) == (
        "arch-test-1",
        None,
        "ARCH001",
    )
    metrics = csv_records(built, SPECS["metrics"])
    assert len(metrics) == sum(len(d["metrics"]) for d in docs)


def test_dataset_parquet_reads_back_the_csv_rows(built: Path) -> None:
    for spec in TABLES:
        table = pq.read_table(built / f"{spec.name}.parquet")
        assert table.column_names == list(spec.names)
        assert table.to_pylist() == csv_records(built, spec), spec.name
    metrics = pq.read_table(built / "metrics.parquet").schema
    assert str(metrics.field("value").type) == "string"
    assert str(metrics.field("number").type) == "double"
    assert str(metrics.field("period_start").type) == "date32[day]"


def test_dataset_load_gives_the_csv_rows_as_frames(built: Path) -> None:
    tables = load(built.parent)  # OUT, as the build was given it
    assert list(tables) == [spec.name for spec in TABLES]
    for spec in TABLES:
        frame = tables[spec.name]
        assert list(frame.columns) == list(spec.names), spec.name
        assert len(frame) == len(csv_records(built, spec)), spec.name
    assert load(built)["metrics"]["value"].tolist() == tables["metrics"]["value"].tolist()


def test_dataset_load_of_a_folder_without_a_dataset_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"documents\.parquet: no such file"):
        load(tmp_path)


def test_dataset_sqlite_holds_the_same_rows(built: Path) -> None:
    with closing(sqlite3.connect(built / "bulletins.sqlite")) as db:
        for spec in TABLES:
            (count,) = db.execute(f'SELECT count(*) FROM "{spec.name}"').fetchone()
            assert count == len(csv_records(built, spec)), spec.name
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        kinds = db.execute("SELECT DISTINCT typeof(value), typeof(number) FROM metrics").fetchall()
        assert kinds == [("text", "real")]
        indexed = {row[1] for row in db.execute("PRAGMA index_list(metrics)")}
        assert {"metrics_document_id", "metrics_department_id", "metrics_metric"} <= indexed
        exact = db.execute("SELECT value FROM metrics WHERE value LIKE '%.%0'").fetchall()
        assert exact, "trailing zeros of printed decimals are kept"
    metadata = json.loads((built / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["bulletins"]["tables"]
    assert set(tables) == set(SPECS)
    assert set(tables["metrics"]["columns"]) == set(SPECS["metrics"].names)


def test_dataset_departments_gather_aliases_across_documents(
    built: Path, docs: list[DocumentRows]
) -> None:
    spelled: dict[str, dict[str, set[str]]] = {}
    for doc in docs:
        for a in doc["aliases"]:
            spelled.setdefault(a["department_id"], {}).setdefault(a["document_id"], set())
            spelled[a["department_id"]][a["document_id"]].add(a["printed"])
    departments = {d["department_id"]: d for d in csv_records(built, SPECS["departments"])}
    assert set(departments) == set(spelled)
    for dep, by_doc in spelled.items():
        row = departments[dep]
        assert json.loads(row["aliases"]) == sorted(set().union(*by_doc.values()))
        assert row["documents"] == len(by_doc)
    a, b = (rows_id(d) for d in docs[1:3])
    differ = [
        d
        for d, by_doc in spelled.items()
        if by_doc.get(a, set()) - by_doc.get(b, set())
        and by_doc.get(b, set()) - by_doc.get(a, set())
    ]
    assert differ, "the two bulletins of one district print some department differently"
    row = departments[differ[0]]
    assert row["first_period"] < row["last_period"]


def rows_id(doc: DocumentRows) -> str:
    return str(doc["documents"][0]["document_id"])


def test_dataset_is_identical_whatever_the_document_order(
    built: Path, docs: list[DocumentRows], tmp_path: Path
) -> None:
    write_stored(tmp_path, [*reversed(docs), docs[0]], extra_findings=[cross_document_finding()])
    again = tmp_path / "dataset"
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        if name != "bulletins.sqlite":
            assert (built / name).read_bytes() == (again / name).read_bytes(), name
    assert sqlite_dump(built) == sqlite_dump(again)


def sqlite_dump(directory: Path) -> list[str]:
    with closing(sqlite3.connect(directory / "bulletins.sqlite")) as db:
        return list(db.iterdump())


def test_dataset_failed_build_keeps_the_previous_dataset(
    docs: list[DocumentRows], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_stored(tmp_path, docs[:1])
    before = {p.name: p.read_bytes() for p in (tmp_path / "dataset").iterdir()}

    def killed(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(dataset_module, "write_datasette_metadata", killed)
    with pytest.raises(KeyboardInterrupt):
        write_stored(tmp_path, docs)
    after = {p.name: p.read_bytes() for p in (tmp_path / "dataset").iterdir()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


def test_dataset_refuses_a_value_of_the_wrong_type(
    docs: list[DocumentRows], tmp_path: Path
) -> None:
    bad = {**cross_document_finding(), "row": "3"}
    with pytest.raises(ValueError, match=r"findings\.row: expected integer"):
        write_stored(tmp_path, docs[:1], extra_findings=[bad])
    assert not (tmp_path / "dataset").exists()


def test_dataset_every_table_and_column_is_documented() -> None:
    text = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"### `(\w+)`\n(.*?)(?=\n### |\n## |\Z)", text, flags=re.S))
    assert set(sections) == set(SPECS)
    for name, spec in SPECS.items():
        documented = re.findall(r"^\| `(\w+)` \|", sections[name], flags=re.M)
        assert documented == list(spec.names), name


# The Python type a row's field holds for each Table Schema type (dates are ISO strings).
PYTHON_TYPES = {
    "string": "str",
    "date": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
}


@pytest.mark.parametrize(
    ("row_type", "spec"),
    [
        (DocumentRow, DOCUMENTS),
        (MetricRow, METRICS),
        (ClaimRow, CLAIMS),
        (FindingRow, FINDINGS),
        (DepartmentRow, DEPARTMENTS),
    ],
    ids=lambda v: getattr(v, "name", ""),
)
def test_dataset_row_types_are_the_schema_columns(row_type: type, spec: TableSpec) -> None:
    """A table's typed row has the table's columns, in order, each of the column's type."""
    declared = [(f.name, str(f.type).split(" |")[0]) for f in fields(row_type)]
    assert declared == [(f.name, PYTHON_TYPES[f.type]) for f in spec.fields]
