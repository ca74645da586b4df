"""A rule that raises costs the document none of the other rules' findings, and is reported.

A defect of one rule (an unforeseen shape of a real page) used to end the whole audit of the
document; now the rule's place in the findings is a warning naming it and the exception, and
what it would have checked stays unchecked. Limits met (memory, time) still end the document.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.errors import LimitError
from pipeline.extract import read_document
from pipeline.model import Checked, Normalized, Problem, Severity
from pipeline.normalize import normalize
from pipeline.validate.audit import RULE_FAILED, audit
from pipeline.validate.registry import RULES, Rule

BULLETIN = "某区热线情况通报\n本月共受理诉求200件，办结196件，办结率99.00%。\n"


def _norm(tmp_path: Path) -> Normalized:
    path = tmp_path / "b.txt"
    path.write_text(BULLETIN, encoding="utf-8")
    return normalize(read_document(path))


def _raising(exc: BaseException) -> Rule:
    def check(norm: Normalized) -> Iterator[Problem | Checked]:
        yield from ()
        raise exc

    return Rule("TST999", Severity.ERROR, "a rule that raises", check)


def test_a_failing_rule_is_a_warning_and_the_others_still_report(tmp_path: Path) -> None:
    norm = _norm(tmp_path)
    rules = [_raising(ZeroDivisionError("Fraction(14, 0)")), RULES["RATE001"]]
    result = audit(norm, rules=rules)
    failed = [f for f in result.findings if f.rule == "TST999"]
    assert len(failed) == 1 and failed[0].severity is Severity.WARNING
    assert RULE_FAILED in failed[0].message and "ZeroDivisionError" in failed[0].message
    # 196/200 is 98.00%: RATE001 still finds the printed 99.00% wrong
    assert any(f.rule == "RATE001" and f.reported == "99.00%" for f in result.findings)


def test_a_limit_met_inside_a_rule_still_ends_the_document(tmp_path: Path) -> None:
    norm = _norm(tmp_path)
    for exc in (MemoryError(), LimitError("b.txt: past --timeout")):
        with pytest.raises(type(exc)):
            audit(norm, rules=[_raising(exc)])
