"""Table rules on the committed seed bulletin: its tables are consistent.

Attachment 1's row 2 prints 96.80 while its rounded parts add to 96.79; the
unrounded parts add to 96.795, so the total is right and must not be reported.
Rows 6–35 print one more cell than the header (the received count, unheaded).
"""

from __future__ import annotations

import pytest

from pipeline.model import Audit, Document, Finding, Severity
from pipeline.normalize import normalize
from pipeline.validate.audit import audit
from pipeline.validate.registry import RULES

CODES = ("TBL001", "TBL002", "TBL003", "TBL004", "TBL005", "TBL006", "ALN001")


@pytest.fixture(scope="module")
def tables_audit(seed_document: Document) -> Audit:
    return audit(normalize(seed_document), rules=[RULES[c] for c in CODES])


def found(result: Audit, code: str, column: str | None = None) -> list[Finding]:
    return [f for f in result.findings if f.rule == code and column in (None, f.column)]


def test_seed_tables_no_formula_total_or_rank_error(tables_audit: Audit) -> None:
    for code in ("TBL002", "TBL003", "TBL005"):
        assert found(tables_audit, code) == [], code


def test_seed_tables_no_problem_at_all(tables_audit: Audit) -> None:
    assert [f.message for f in tables_audit.findings if f.severity is not Severity.INFO] == []


def test_seed_tables_row_2_total_not_reported(tables_audit: Audit) -> None:
    assert not [f for f in tables_audit.findings if f.table == "附件1" and f.row == 2]


def test_seed_tables_workload_formula(tables_audit: Audit) -> None:
    messages = [
        f.message for f in found(tables_audit, "TBL001") if f.column == "工作量得分(5分)/得分"
    ]
    assert messages == [
        "附件1 工作量得分(5分)/得分 = 5 × 工作量得分(5分)/办结工单数量"
        " / 工作量得分(5分)/办结最高分, holds on 35 of 35 rows"
    ]


def test_seed_tables_on_time_formula(tables_audit: Audit) -> None:
    messages = [
        f.message for f in found(tables_audit, "TBL001") if f.column == "按期办结得分(40分)/得分"
    ]
    assert messages == [
        "附件1 按期办结得分(40分)/得分 = 40 × 按期办结得分(40分)/工单数 / 办结得分(35分)/工单数,"
        " holds on 35 of 35 rows"
    ]


def test_seed_tables_total_is_sum_of_scores(tables_audit: Audit) -> None:
    totals = [f.message for f in found(tables_audit, "TBL001", "最终得分")]
    assert len(totals) == 1 and totals[0].startswith("附件1 最终得分 = 办结得分(35分)/得分 + ")
    assert totals[0].endswith("holds on 35 of 35 rows")


def test_seed_tables_alignment_reported(tables_audit: Audit) -> None:
    alignments = found(tables_audit, "ALN001")
    assert [(f.table, f.row, f.severity) for f in alignments] == [("附件1", 6, Severity.INFO)]
    assert alignments[0].message.startswith(
        "附件1 body rows 6–35 print 16 cells where the header has 15 columns; read with an "
        "unheaded column at position 3 (before 办结得分(35分)/工单数)"
    )
    assert len(alignments[0].evidence) == 30


def test_seed_tables_table_numbers_checked(tables_audit: Audit) -> None:
    """Every number of attachment 1 but the all-zero 逾期退单 counts took part in a check."""
    unchecked = [e for e in tables_audit.coverage.unchecked if e.page in (4, 5)]
    assert all(e.text == "0" for e in unchecked)
