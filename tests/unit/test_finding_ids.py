"""Finding ids are unique within a document, even for two findings at one printed location."""

from __future__ import annotations

from pipeline.model import Evidence, Problem, Source
from pipeline.validate.audit import to_finding, unique_ids
from pipeline.validate.registry import RULES


def test_finding_ids_two_columns_with_one_header_get_two_ids() -> None:
    # A table printing two columns headed 分(10分): the rule reports the same place twice.
    rule = RULES["TBL001"]
    problem = Problem(
        message="附件1 分(10分): no formula over the counts explains it",
        evidence=(Evidence(Source(3, (10.0, 20.0, 30.0, 40.0), "pdfplumber"), "分(10分)"),),
        table="附件1",
        column="分(10分)",
    )
    first, second = to_finding(rule, problem, {}), to_finding(rule, problem, {})
    assert first.id == second.id
    ids = [f.id for f in unique_ids([first, second, first])]
    assert len(set(ids)) == 3 and ids[0] == first.id
    assert ids == [f.id for f in unique_ids([first, second, first])]  # stable on a re-run


def test_finding_ids_a_department_finding_gets_its_identity_and_keeps_its_id() -> None:
    rule = RULES["TBL002"]
    problem = Problem(
        message="附件1 row 2 (甲镇) 办结率: expected 95.00%, found 96.00%",
        evidence=(Evidence(Source(2, (10.0, 20.0, 30.0, 40.0), "pdfplumber"), "96.00%"),),
        table="附件1",
        row=2,
        department="甲镇",
    )
    known = to_finding(rule, problem, {"甲镇": "某区/甲镇", "乙镇": "某区/乙镇"})
    unknown = to_finding(rule, problem, {})
    assert (known.department, known.department_id) == ("甲镇", "某区/甲镇")
    assert unknown.department_id is None
    assert known.id == unknown.id  # the id hashes the place, not the identity
