"""The scoreboard on the committed corpus holds the floors of eval/floors.json.

Speed is left out: it is measured by `make eval`, never by a timed test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval import floors, scoreboard  # noqa: E402
from eval.truth import discover  # noqa: E402


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    cases = discover()
    assert cases, "no truth files under corpus/"
    return scoreboard.report(scoreboard.run(cases))


def test_scoreboard_holds_its_floors(record: dict[str, Any]) -> None:
    bounds = floors.load()
    assert bounds["floors"], "eval/floors.json is missing or empty"
    wrong = floors.violations(record["metrics"], bounds)
    assert not wrong, "\n".join([*wrong, scoreboard.render(record)])


def test_scoreboard_renders_every_metric(record: dict[str, Any]) -> None:
    table = scoreboard.render(record)
    for name in record["metrics"]:
        assert name in table


def test_floors_only_tighten_against_head() -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not available")
    shown = subprocess.run(
        [git, "show", "HEAD:eval/floors.json"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode != 0:
        pytest.skip("eval/floors.json is not in HEAD yet")
    wrong = floors.loosened(floors.parse(shown.stdout), floors.load())
    assert not wrong, wrong


def test_ratchet_raises_and_never_lowers(tmp_path: Path) -> None:
    path = tmp_path / "floors.json"
    floors.ratchet({"extraction.cells": 0.98765, "audit.false_alarms_per_clean_doc": 0.5}, path)
    assert floors.load(path) == {
        "floors": {"extraction.cells": 0.987},
        "ceilings": {"audit.false_alarms_per_clean_doc": 0.5},
    }
    changes = floors.ratchet(
        {"extraction.cells": 0.9, "audit.false_alarms_per_clean_doc": 0.25}, path
    )
    assert changes == ["ceiling audit.false_alarms_per_clean_doc: 0.5 -> 0.25"]
    assert floors.load(path)["floors"]["extraction.cells"] == 0.987
    assert floors.ratchet({"speed.pages_per_second": 10.0}, path)
    assert floors.load(path)["floors"]["speed.pages_per_second"] == 5.0


def test_only_scores_one_set_and_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    before = scoreboard.LATEST.read_bytes() if scoreboard.LATEST.exists() else None
    assert scoreboard.main(["--only", "generated-real-forms"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"scoreboard {scoreboard.datetime.date.today().isoformat()}: 12 documents"
    )
    assert "audit.daily_average.recall" in out
    after = scoreboard.LATEST.read_bytes() if scoreboard.LATEST.exists() else None
    assert after == before
