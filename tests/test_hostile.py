"""The fast part of the hostile set (bench/hostile_inputs.py; the whole set: `make hostile`).

About thirty inputs, one of each kind of damage, go through one real `bulletins audit`
command under its own limits, as a user would run it. Each must end as a report or as one
line naming the file and the reason: no traceback, no internal error, no hang, and no
damaged file reported clean.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.hostile_inputs import HostileInput, write_inputs

ROOT = Path(__file__).resolve().parents[1]
FAST = (
    "loop-root-self.pdf",
    "loop-kids-cycle.pdf",
    "loop-parent-loop.pdf",
    "box-zero.pdf",
    "box-three-numbers.pdf",
    "font-bfrange-billions.pdf",
    "font-bfchar-two-chars.pdf",
    "encrypted-rc4.pdf",
    "struct-empty.pdf",
    "struct-html-named-pdf.pdf",
    "struct-count-2-billion.pdf",
    "text-nul.pdf",
    "bomb-64mb.pdf",
    "nested-array-100000.pdf",
    "glyphs-300000.pdf",
    "pages-3-declared-5000.pdf",
    "span-r5000-c5000.html",
    "deep-300.html",
    "deep-50000.html",
    "nan-cell-NaN.html",
    "enc-gbk-as-none.html",
    "rows-5001.html",
    "markup-name-0.html",
    "digits-3000.txt",
    "digits-flood-1mb.txt",  # hung: paragraphs merged at the cost of their length squared
    "regex-stress-0.txt",
    "numerals-3.txt",
    "garbage-nul.txt",
    "enc-utf16.txt",
    "xml-bomb.docx",
    "gridspan-huge.docx",
    "with space.txt",
    "-leading-dash.txt",
    "中文 文件名.txt",
)


def audit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "audit", "--ocr", "off", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_hostile_fast_subset_ends_in_reports_or_one_line_each(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path, only=FAST)
    assert sorted(i.name for i in inputs) == sorted(FAST)
    paths = [str(i.path(tmp_path)) for i in inputs]
    start = time.monotonic()
    # a hang would show as the timeout's line; 60 s of wall time leaves room for a shared machine
    proc = audit("--format", "json", "--timeout", "60", *paths)
    seconds = time.monotonic() - start
    assert proc.returncode == 2
    reports = {
        json.loads(line)["document"]["source"]: json.loads(line)
        for line in proc.stdout.splitlines()
    }
    failures = _failure_lines(proc.stderr, paths)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert not [line for line in failures.values() if "took more than" in line]
    for item in inputs:
        path = str(item.path(tmp_path))
        assert (path in reports) != (path in failures), f"{item.name}: reported once"
        if item.damaged and path in reports:
            assert not _clean(reports[path]), f"{item.name} is damaged but reported clean"
    assert seconds < 300  # about 40 s on a quiet machine with 2 cores


def _failure_lines(stderr: str, paths: list[str]) -> dict[str, str]:
    """The failure line of each failed input. Besides those, stderr holds at most one pdfminer
    summary per file (extract/pdf.py) and nothing else."""
    failures: dict[str, str] = {}
    for line in stderr.splitlines():
        if ": pdfminer: " in line:  # logged in the child process, without the CLI's prefix
            continue
        assert line.startswith("bulletins: "), line
        path = next(
            p for p in sorted(paths, key=len, reverse=True) if line.startswith(f"bulletins: {p}")
        )
        assert path not in failures, f"two lines for {path}"
        failures[path] = line
    return failures


def _clean(report: dict[str, object]) -> bool:
    findings: list[dict[str, str]] = report["findings"]  # type: ignore[assignment]
    return not any(f["severity"] in ("error", "warning") for f in findings)


def test_hostile_markdown_prints_markup_from_names_as_text(tmp_path: Path) -> None:
    (item,) = write_inputs(tmp_path, only={"markup-name-0.html"})
    proc = audit("--format", "md", "--timeout", "0", "--memory-mb", "0", str(item.path(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    assert "onerror" in proc.stdout  # the name is shown,
    assert not re.search(r"(?<!\\)<", proc.stdout)  # but never as a tag: every < is escaped
    assert "\\<img src=x onerror=alert(1)\\>局" in proc.stdout


def test_hostile_inputs_are_the_same_for_the_same_seed(tmp_path: Path) -> None:
    names = {"flip-gen-0003-00-x1.pdf", "ok-3.txt", "image-dct.pdf", "rows-2000.html"}
    first: list[HostileInput] = write_inputs(tmp_path / "a", only=names)
    write_inputs(tmp_path / "b", only=names)
    whole = write_inputs(tmp_path / "c", seed=12)
    assert len(whole) >= 300
    for item in first:
        data = item.path(tmp_path / "a").read_bytes()
        assert (
            data == item.path(tmp_path / "b").read_bytes() == item.path(tmp_path / "c").read_bytes()
        )
    other = write_inputs(tmp_path / "d", seed=13, only=names)
    assert any(
        i.path(tmp_path / "d").read_bytes() != i.path(tmp_path / "a").read_bytes() for i in other
    )
