"""Find the corpus's truth files (schema bulletins.truth/1) and the PDF beside each."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TRUTH_SCHEMA = "bulletins.truth/1"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Case:
    """One document of the corpus: its truth file and the PDF it describes."""

    id: str
    truth_path: Path
    pdf: Path

    def truth(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.truth_path.read_text(encoding="utf-8"))
        return data


def squash(text: str | None) -> str:
    """Text with all whitespace removed (cells are compared this way)."""
    return _SPACE.sub("", text or "")


def label(text: str | None) -> str:
    """A table label or header path for comparison: NFKC, no whitespace, no trailing colon."""
    return squash(unicodedata.normalize("NFKC", text or "")).rstrip(":")


def _pdf_for(truth_path: Path, data: dict[str, Any]) -> Path:
    source = data.get("source")
    if isinstance(source, str) and source:
        return truth_path.parent / source
    return truth_path.with_name(truth_path.name.removesuffix(".truth.json") + ".pdf")


def discover(root: Path = CORPUS) -> list[Case]:
    """Every `*.truth.json` of schema bulletins.truth/1 under `root`, sorted by path."""
    cases = []
    for path in sorted(root.rglob("*.truth.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("schema") != TRUTH_SCHEMA:
            continue
        case_id = str(data.get("id") or path.name.removesuffix(".truth.json"))
        cases.append(Case(case_id, path, _pdf_for(path, data)))
    return cases


def select(cases: list[Case], limit: int | None) -> list[Case]:
    """Non-generated cases (the seed) plus the first `limit` generated ones, by id, from
    `generated/` and the sets beside it (`generated-growth/`, `generated-forms/`, ...)."""
    if limit is None:
        return cases
    generated = sorted((c for c in cases if _generated(c)), key=lambda c: c.id)
    others = [c for c in cases if not _generated(c)]
    return others + generated[:limit]


def _generated(case: Case) -> bool:
    return case.truth_path.parent.name.startswith("generated")
