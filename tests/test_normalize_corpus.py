"""Normalization outcomes on committed corpus PDFs, checked against their truth files.

- a table of topics (诉求类别) has no department column: its rows name no department;
- a row printing two equal counts once, in a cell spanning both columns, is read with that
  value in both, as the truth's row has it, and its 合计 row adds up;
- department names the running text prints (with a district prefix the tables leave out,
  or without one the tables print) come back with the truth's canonical name;
- a generic 工单数 beside 办结数 under 办结得分 is the received count.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract import read_document
from pipeline.model import Audit, ClaimKind, Normalized
from pipeline.normalize import normalize
from pipeline.validate import audit

GENERATED = Path(__file__).resolve().parents[1] / "corpus" / "generated"


@cache
def normalized(doc_id: str) -> Normalized:
    return normalize(read_document(GENERATED / f"{doc_id}.pdf"))


@cache
def audited(doc_id: str) -> Audit:
    return audit(normalized(doc_id))


def truth(doc_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GENERATED / f"{doc_id}.truth.json").read_text("utf-8"))
    return data


def test_normalize_corpus_topic_rows_are_not_departments() -> None:
    norm = normalized("gen-0001")
    topics = next(t for t in norm.tables if t.columns[1].metric == "category")
    assert all(r.department is None for r in topics.records)
    assert not [d.printed for d in norm.departments if d.printed.endswith("类")]
    assert set(d.printed for d in norm.departments) <= set(truth("gen-0001")["departments"])


@pytest.mark.parametrize(("doc_id", "row"), [("gen-0004", 1), ("gen-0023", 32)])
def test_normalize_corpus_merged_cell_fills_both_columns(doc_id: str, row: int) -> None:
    table = normalized(doc_id).tables[0]
    rec = table.records[row - 1]
    assert rec.alignment is not None and rec.alignment.merged
    values = [v.cell.text if v is not None else "" for v in rec.values]
    want = truth(doc_id)["tables"][0]["body_rows"][row - 1]
    assert len(want) == len(values) - 1  # the truth prints the row one cell short
    assert values[2] == values[3] == want[2]
    label = (table.table.attachment or "").replace(" ", "")
    assert [f for f in audited(doc_id).findings if (f.rule, f.table) == ("TBL004", label)] == []


@pytest.mark.parametrize(
    ("doc_id", "printed"),
    [
        ("gen-0026", "天宁区市场监督管理局"),  # "从受理量看，天宁区市场监督管理局承办工单最多"
        ("gen-0026", "天宁区应急管理局"),  # "…、天宁区应急管理局能及时联系市民…表现突出"
        ("gen-0020", "吴兴区农业农村局"),  # "…吴兴区农业农村局还需持续改进"
        ("gen-0030", "区卫生健康局"),  # the table prints 西工区卫生健康局
    ],
)
def test_normalize_corpus_names_in_running_text(doc_id: str, printed: str) -> None:
    norm = normalized(doc_id)
    got = {d.printed: d.canonical for d in norm.departments}
    assert got.get(printed) == truth(doc_id)["departments"][printed]
    assert any(printed in c.names for c in norm.claims)


def test_normalize_corpus_figures_carry_the_department_they_are_about() -> None:
    claims = [c for c in normalized("gen-0026").claims if "天宁区市场监督管理局" in c.names]
    kinds = [(c.kind, c.value.text if c.value else None) for c in claims]
    assert kinds == [(ClaimKind.COUNT, "3104件"), (ClaimKind.SHARE, "44.1％")]


def test_normalize_corpus_generic_count_beside_completed_is_received() -> None:
    table = normalized("gen-0038").tables[0]
    metrics = {"/".join(c.path): c.metric for c in table.columns}
    assert metrics["办结得分（40分）/工单数"] == "received"
    assert metrics["办结得分（40分）/办结数"] == "completed"
