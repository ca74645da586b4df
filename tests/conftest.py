"""Shared fixtures: the committed seed PDF, read and audited once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract import read_document
from pipeline.model import Audit, Document
from pipeline.normalize import normalize
from pipeline.validate import audit

ROOT = Path(__file__).resolve().parents[1]
SEED_PDF = ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.pdf"
SEED_TRUTH = ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.truth.json"


@pytest.fixture(scope="session")
def seed_document() -> Document:
    return read_document(SEED_PDF)


@pytest.fixture(scope="session")
def seed_audit(seed_document: Document) -> Audit:
    return audit(normalize(seed_document))


@pytest.fixture(scope="session")
def seed_pdf() -> Path:
    return SEED_PDF


@pytest.fixture(scope="session")
def seed_truth() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED_TRUTH.read_text(encoding="utf-8"))
    return data
