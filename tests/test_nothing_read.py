"""A text, HTML or DOCX bulletin that keeps no line and no table is never audited clean:
its blocks are named as unread (PAGE001), so the audit says nothing was read."""

from __future__ import annotations

from pathlib import Path

from pipeline import audit
from pipeline.model import Severity


def test_a_bulletin_that_keeps_nothing_warns(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text("某局工作通报\n\n2024年3月1日\n", encoding="utf-8")
    result = audit(path)
    warned = [f for f in result.findings if f.rule == "PAGE001"]
    assert warned and warned[0].severity is Severity.WARNING
    assert "kept nothing" in warned[0].message
