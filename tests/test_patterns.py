"""Pattern fixtures: each construct real bulletins print, as a short bulletin of our own words.

corpus/patterns/audit/<name>.txt holds invented numbers; <name>.truth.json says which findings the
audit must give at error level (exactly those), which warnings it must give at least (exactly
those with "exact_warnings": true), and which printed figures a check must touch. No real
page's text is in them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import read_document
from pipeline.model import Audit, Severity
from pipeline.normalize import normalize
from pipeline.validate import audit
from pipeline.validate.figures import figures

PATTERNS = Path(__file__).resolve().parents[1] / "corpus" / "patterns" / "audit"
CASES = sorted(p for p in PATTERNS.glob("*.txt") if p.with_suffix(".truth.json").exists())


def _audit(path: Path) -> Audit:
    return audit(normalize(read_document(path)))


def _said(result: Audit, severity: Severity) -> set[tuple[str, str | None]]:
    return {(f.rule, f.reported) for f in result.findings if f.severity is severity}


def test_patterns_cover_the_constructs() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_patterns_findings_match_truth(path: Path) -> None:
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    result = _audit(path)
    assert _said(result, Severity.ERROR) == {tuple(e) for e in truth["errors"]}
    warnings = {tuple(w) for w in truth["warnings"]}
    if truth.get("exact_warnings"):  # the construct is about a warning that must not come
        assert _said(result, Severity.WARNING) == warnings
    else:
        assert warnings <= _said(result, Severity.WARNING)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_patterns_figures_are_recomputed(path: Path) -> None:
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    result = _audit(path)
    printed = {s.text.strip() for s in figures(result.normalized)}
    unchecked = {e.text.strip() for e in result.coverage.unchecked}
    for figure in truth["checked"]:
        assert figure in printed, figure
        assert figure not in unchecked, figure
