"""The scanned copies hold the floors of eval/scans-floors.json (issue 16).

The default run reads one scan (gen-0008-300, the 300 dpi group on its own: four pages
of a clean bulletin) and checks it against its group's floors; the slow run scores
every scan as `make eval` does. Speed is left out: `python -m eval.scans`
checks it, never a timed test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval import floors, scans  # noqa: E402


def _manifest() -> dict[str, dict[str, object]]:
    listed = json.loads((scans.SCANS / "scans.json").read_text(encoding="utf-8"))["scans"]
    return {entry["id"]: entry for entry in listed}


def test_every_dpi_group_and_the_300_dpi_copy_have_floors() -> None:
    bounds = floors.load(scans.FLOORS)
    for group in ("150dpi", "200dpi", "300dpi", "no-tounicode"):
        assert f"scans.{group}.cells" in bounds["floors"], group
        assert f"scans.{group}.errors_on_clean_scans" in bounds["ceilings"], group
    assert bounds["floors"]["scans.200dpi.cells"] >= 0.98
    assert bounds["floors"]["scans.150dpi.cells"] >= 0.95
    assert bounds["floors"]["scans.200dpi.numbers"] >= 0.995


def test_one_scan_holds_its_groups_floors() -> None:
    score = scans.score_scan(_manifest()["gen-0008-300"])
    metrics = scans.scan_metrics(scans.summarize([score]))
    bounds = floors.load(scans.FLOORS)
    mine = {
        kind: {name: bound for name, bound in table.items() if name.startswith("scans.300dpi.")}
        for kind, table in bounds.items()
    }
    wrong = floors.violations(metrics, mine)
    assert not wrong, "\n".join([*wrong, *score.misses])


@pytest.mark.slow
def test_every_scan_holds_the_floors() -> None:
    summary = scans.summarize([scans.score_scan(entry) for entry in _manifest().values()])
    wrong = floors.violations(scans.scan_metrics(summary), floors.load(scans.FLOORS))
    assert not wrong, "\n".join([*wrong, scans.render(summary)])


def test_scan_floors_only_tighten_against_head() -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    shown = subprocess.run(
        [git, "show", "HEAD:eval/scans-floors.json"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode != 0:
        pytest.skip("eval/scans-floors.json is not in HEAD yet")
    wrong = floors.loosened(floors.parse(shown.stdout), floors.load(scans.FLOORS))
    assert not wrong, "\n".join(wrong)


def test_ratchet_tightens_shares_and_errors_and_doubles_cpu(tmp_path: Path) -> None:
    path = tmp_path / "scans-floors.json"
    metrics: dict[str, float | None] = {
        "scans.200dpi.cells": 0.99876,
        "scans.200dpi.errors_on_clean_scans": 0,
        "speed.scans.200dpi.cpu_seconds_per_page": 1.234,
    }
    scans.ratchet(metrics, path)
    assert floors.load(path) == {
        "floors": {"scans.200dpi.cells": 0.998},
        "ceilings": {
            "scans.200dpi.errors_on_clean_scans": 0,
            "speed.scans.200dpi.cpu_seconds_per_page": 2.47,
        },
    }
    # a worse run never loosens a bound
    assert not scans.ratchet({"scans.200dpi.cells": 0.9}, path)
    assert floors.load(path)["floors"]["scans.200dpi.cells"] == 0.998


def test_a_scan_finding_matches_an_error_printed_in_full_width() -> None:
    """A scan reads the full-width １６．０％ of the text PDF as 16.0%: on paper they look
    alike, so the scan's finding is the text's (gen-0014-150 missed it before)."""
    from eval.audit_match import at_place
    from pipeline.model import Evidence, Finding, Severity, Source

    error = {"type": "wrong_base", "printed": "１６．０％", "page": 2, "row": None}
    source = Source(2, (90.0, 300.0, 500.0, 316.0), "ocr-rapidocr", confidence=0.98)

    def finding(reported: str, text: str) -> Finding:
        evidence = (Evidence(source, text),)
        return Finding("F1", "SHARE001", Severity.ERROR, "m", reported, "15.6%", None, evidence)

    assert at_place(error, finding("16.0%", "占到全部诉求的16.0%；"), {})
    assert at_place(error, finding("350", "占到全部诉求的16.0%；"), {})  # quoted, not reported
    assert not at_place(error, finding("16.0", "占到全部诉求的16.01%；"), {})
