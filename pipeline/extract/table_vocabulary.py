"""The words that tell a plain-text table (`pipeline/data/plain_tables.json`), read once.

Shared by the readers of tables in plain text: one cell per line or split by spaces
(plain_tables.py), flattened into one line (flat_tables.py), and the caption below a
table (flow.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pipeline.errors import ConfigError

DATA = Path(__file__).resolve().parents[1] / "data" / "plain_tables.json"
T = TypeVar("T")


def _entry(key: str, make: Callable[[Any], T]) -> T:
    """One entry of plain_tables.json, read once, made into what its reader needs. Raises
    ConfigError on a bad data file."""
    try:
        return make(_vocabulary()[key])
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ConfigError(f"{DATA}: malformed table vocabulary ({exc!r})") from exc


@cache
def _vocabulary() -> dict[str, Any]:
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{DATA}: malformed table vocabulary ({exc!r})") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{DATA}: malformed table vocabulary (not an object)")
    return raw


def vocabulary_entry(key: str, make: Callable[[Any], T]) -> T:
    """One entry of plain_tables.json for another reader of plain text (flat_tables.py)."""
    return _entry(key, make)


def _words(value: Any) -> tuple[str, ...]:
    return tuple(str(w) for w in value)


@cache
def numeric_header_words() -> tuple[str, ...]:
    """Header words naming a quantity."""
    return _entry("numeric_header_words", _words)


@cache
def rank_header_words() -> tuple[str, ...]:
    """Header words naming a rank column."""
    return _entry("rank_header_words", _words)


@cache
def total_labels() -> frozenset[str]:
    """Labels of a totals row."""
    return _entry("total_labels", lambda v: frozenset(_words(v)))


@cache
def caption_words() -> re.Pattern[str]:
    """What a caption printed below a table says (排名前五的…, …统计表)."""
    return _entry("caption_below", lambda v: re.compile(str(v)))
