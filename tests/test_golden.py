"""Golden files: the rule registry and the seed's findings, reviewed like code.

Regenerate with `UPDATE_GOLDEN=1 make test`; CI refuses that flag.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.model import Audit
from pipeline.report.audit_json import audit_json
from pipeline.validate import crossdoc  # noqa: F401  (registers the archive rules in RULES)
from pipeline.validate.registry import RULES

GOLDEN = Path(__file__).parent / "golden"
UPDATING = os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(name: str, data: Any) -> None:
    path = GOLDEN / name
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if UPDATING:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run UPDATE_GOLDEN=1 make test"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


def test_golden_update_is_refused_in_ci() -> None:
    if os.environ.get("CI") and UPDATING:
        pytest.fail("UPDATE_GOLDEN=1 is for developers; CI must compare, not rewrite")


def test_golden_rule_registry() -> None:
    registry = {code: [r.severity.value, r.title] for code, r in sorted(RULES.items())}
    check_golden("rules.json", registry)


def test_golden_seed_findings(seed_audit: Audit) -> None:
    data = audit_json(seed_audit)
    data["document"]["source"] = Path(data["document"]["source"]).name
    data["coverage"] = {k: data["coverage"][k] for k in ("numbers", "checked")}
    check_golden("seed_audit.json", data)
