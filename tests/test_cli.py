"""The command line on real files: output formats, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FINDING_KEYS = {
    "id",
    "rule",
    "severity",
    "message",
    "reported",
    "expected",
    "explanation",
    "evidence",
    "table",
    "row",
    "column",
    "department",
    "department_id",
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, check=False
    )


def test_cli_audit_json_contract(seed_pdf: Path) -> None:
    proc = run("audit", str(seed_pdf), "--format", "json")
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["schema"] == "bulletins.audit/3"
    assert data["document"]["source"] == str(seed_pdf)
    assert len(data["document"]["sha256"]) == 64
    assert data["document"]["period"] == {
        "start": "2023-02-01",
        "end": "2023-02-28",
        "text": "2023 年 2 月份",
    }
    assert all(set(f) == FINDING_KEYS for f in data["findings"])
    evidence = [e for f in data["findings"] for e in f["evidence"]]
    assert all(set(e) == {"page", "bbox", "text", "backend"} for e in evidence)
    assert {e["backend"] for e in evidence} == {"pdfium"}
    assert data["coverage"]["checked"] <= data["coverage"]["numbers"]


def test_cli_audit_text_and_markdown(seed_pdf: Path) -> None:
    text = run("audit", str(seed_pdf))
    assert text.returncode == 1
    assert "RATE001" in text.stdout and "98.21%" in text.stdout
    md = run("audit", str(seed_pdf), "--format", "md")
    assert "| severity | rule |" in md.stdout


def test_cli_unreadable_input_is_one_line_and_exit_2(tmp_path: Path, seed_pdf: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf at all")
    proc = run("audit", str(bad), str(seed_pdf), "--format", "json")
    assert proc.returncode == 2
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0] and "Traceback" not in proc.stderr
    assert len(proc.stdout.strip().splitlines()) == 1  # the good file was still audited


def test_cli_missing_and_unsupported_files(tmp_path: Path) -> None:
    note = tmp_path / "notes.xyz"
    note.write_text("x", encoding="utf-8")
    proc = run("audit", str(tmp_path / "missing.pdf"), str(note))
    assert proc.returncode == 2
    assert "no such file" in proc.stderr and "unsupported format" in proc.stderr


def test_cli_extract_document_json(seed_pdf: Path) -> None:
    proc = run("extract", str(seed_pdf))
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["schema"] == "bulletins.document/1"
    att1 = data["tables"][0]
    assert att1["pages"] == [4, 5] and len(att1["body_rows"]) == 35
    cell = att1["body_rows"][5][0]
    assert set(cell) == {"text", "page", "bbox"} and cell["page"] == 5
    assert data["metadata"]["published"] == "2023-03-06"
    assert all({"text", "page", "bbox"} <= set(line) for line in data["lines"])


def test_cli_summary_is_one_line_per_file(seed_pdf: Path) -> None:
    proc = run("audit", str(seed_pdf), "--format", "summary")
    assert proc.returncode == 1
    (line,) = proc.stdout.strip().splitlines()
    assert line.startswith(str(seed_pdf)) and "3 errors" in line and "RATE001" in line


def test_cli_every_command_and_format_is_documented() -> None:
    from pipeline.cli import build_parser
    from pipeline.commands.audit import FORMATS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for command in sub.choices:  # type: ignore[union-attr]
        assert f"bulletins {command}" in readme, command
    for fmt in FORMATS:
        assert fmt in readme, fmt


def test_cli_build_refuses_negative_limits(tmp_path: Path) -> None:
    for option, value in (("--timeout", "-1"), ("--memory-mb", "-5"), ("--max-pages", "-1")):
        proc = run("build", "x.pdf", "-o", str(tmp_path / "out"), option, value)
        assert proc.returncode == 2
        (error,) = [ln for ln in proc.stderr.splitlines() if "error:" in ln]
        assert f"argument {option}: must be 0 (no limit)" in error
    assert not (tmp_path / "out").exists()
