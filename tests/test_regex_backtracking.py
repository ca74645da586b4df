"""Regular expressions are checked for catastrophic backtracking (issue 12).

Every pattern the pipeline compiles, module-level ones and those built at run time from the
vocabularies (tests/regex_census.py finds them by watching `re` while pipeline is imported and
the seed and pattern bulletins are audited), is read as a parse tree for the shapes that
backtrack exponentially (tests/regex_shapes.py), and searched in 50,000-character hostile
strings (digit runs, repeated punctuation, spaces, numerals) under a time bound, which also
catches the quieter blow-up of a pattern tried at each start of a long run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.regex_census import HOSTILE, N
from tests.regex_shapes import unsafe_shapes

ROOT = Path(__file__).resolve().parents[1]
# CPU seconds one search of one 50,000-character string may take: a linear pattern takes
# milliseconds; one tried from each start of a run takes tens of seconds
BOUND = 0.5


def _python(*args: str, stdin: str = "", timeout: float) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.regex_census", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=True,
    )
    return proc.stdout


@pytest.fixture(scope="module")
def census() -> list[dict[str, Any]]:
    return [json.loads(line) for line in _python(timeout=300).splitlines()]


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+",
        r"(?:\d+\s*)+",
        r"(?:\s*\d+)+",
        r"(\d+\d)+",
        r"(?:\d+,?)*",
        r"(?:x|)*",
        r"(a|ab)*",
        r"(?:\d|x|\d件)*",
        r"(?:共|共计|计)+",
        r"(?:ab|a|ba)*",
        r"句(?:[^，]+)*$",
    ],
)
def test_shapes_that_backtrack_exponentially_are_found(pattern: str) -> None:
    assert unsafe_shapes(pattern), pattern


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:\d+件)+",
        r"(?:\d+\d件)+",
        r"(?:[^，]+，)*",
        r"\d+(?:\.\d+)?%",
        r"(?:a|b)*",
        r"(?:\d++)+",
        r"(?:本月|本期|共|共计)*",
        r"(?:第\d+名[，、]?)+",
    ],
)
def test_shapes_with_one_way_to_match_pass(pattern: str) -> None:
    assert unsafe_shapes(pattern) == []


def test_census_sees_module_patterns_and_patterns_built_from_vocabularies(
    census: list[dict[str, Any]],
) -> None:
    modules = {p["module"] for p in census}
    assert len(census) >= 150 and len(modules) >= 30
    # built at run time from pipeline/data/claims.json
    assert any(p["module"] == "pipeline.normalize.claim_words" for p in census)
    assert any("受理量" in p["pattern"] for p in census)


def test_no_pipeline_pattern_has_an_exponential_shape(census: list[dict[str, Any]]) -> None:
    found = {p["pattern"]: unsafe_shapes(p["pattern"], p["flags"]) for p in census}
    assert {pattern: shapes for pattern, shapes in found.items() if shapes} == {}


def test_every_pipeline_pattern_searches_hostile_text_in_bounded_time(
    census: list[dict[str, Any]],
) -> None:
    assert all(len(text) <= N for text in HOSTILE.values())
    stdin = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in census)
    try:
        out = _python("--probe", stdin=stdin, timeout=600)
    except subprocess.TimeoutExpired as exc:  # the last start line names the pattern
        started = str(exc.stdout or b"", "utf-8").strip().splitlines()
        pytest.fail(f"a search did not end: {started[-1] if started else 'none began'}")
    timed = [json.loads(line) for line in out.splitlines() if '"seconds"' in line]
    assert len(timed) == len(census) * len(HOSTILE)
    slow = [(t["seconds"], t["text"], t["module"], t["pattern"]) for t in timed]
    assert [s for s in slow if s[0] > BOUND] == []
