"""Shares of one department stated in the text, against the document's total (SHARE001/002)."""

from __future__ import annotations

import pytest

from pipeline.model import Finding
from pipeline.normalize import normalize
from pipeline.validate import audit
from tests.unit.test_figures import document, line, table

# A held-out bulletin: 960 received, 956 completed; 红梅街道 received 179, its share printed
# over the completed count (179 / 956 = 18.72%) instead of the total (179 / 960 = 18.65%).
ROWS = [["1", "红梅街道", "179", "178"], ["2", "区财政局", "95", "95"]]


def share_findings(share: str) -> list[Finding]:
    lines = (
        line("8月份，转办工单总量达960件，办理完毕956件。", 0, 0),
        line(f"从受理量看，红梅街道承办工单最多，受理179件，占比为{share}。", 1, 1),
    )
    found = audit(normalize(document(lines, (table(ROWS, title="各单位工单统计表"),)))).findings
    return [f for f in found if f.rule.startswith("SHARE")]


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        ("18.65%", []),
        ("18.72%", [("SHARE002", "warning", "18.72%")]),
        ("22.00%", [("SHARE001", "error", "22.00%")]),
    ],
)
def test_shares_of_a_department_are_over_the_documents_first_total(
    share: str, expected: list[tuple[str, str, str]]
) -> None:
    found = share_findings(share)
    assert [(f.rule, f.severity.value, f.reported) for f in found] == expected
