"""The examples of docs/api.md and the README's Python API section run as doctests."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["docs/api.md", "README.md"])
def test_api_docs_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples name corpus files relative to the checkout
    path = ROOT / name
    examples = doctest.DocTestParser().get_examples(path.read_text(encoding="utf-8"))
    assert examples, f"{name} has no example"
    result = doctest.testfile(
        str(path),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"
