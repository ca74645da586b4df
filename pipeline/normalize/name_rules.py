"""What makes two printed department names one department or two.

The rules are data (`pipeline/data/gazetteers/rules/naming.json`):

- `short_forms`: endings printed for a longer official one ("X街道" for "X街道办事处");
  a name is compared, and known, by the long form;
- `endings`: the kind of body a name ends in (局, 分局, 中心, 镇, 街道办事处, ...); two
  names with different endings are different bodies, however alike the rest;
- `distinguishing_chars`: characters that tell places and bodies apart (directions,
  numerals, 分 of 分局): a near match that inserts or drops one of them is refused
  ("中山路街道" / "中山西路街道", "第一中学" / "第十一中学").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Indel

from pipeline.errors import ConfigError
from pipeline.normalize.numbers import DATA_DIR

NAMING_FILE = DATA_DIR / "gazetteers" / "rules" / "naming.json"


@dataclass(frozen=True, slots=True)
class NamingRules:
    """Short endings with their full forms, body endings (longest first), telling characters."""

    short_forms: tuple[tuple[str, str], ...]
    endings: tuple[str, ...]
    distinguishing: frozenset[str]


def load_naming_rules(path: Path = NAMING_FILE) -> NamingRules:
    """Read the naming rules. Raises ConfigError when the file is unreadable or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read naming rules ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object")
    shorts = data.get("short_forms", {})
    if not isinstance(shorts, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.startswith(k) and v != k
        for k, v in shorts.items()
    ):
        raise ConfigError(f"{path}: 'short_forms' values must extend their keys")
    endings = _strings(data.get("endings"), path, "endings")
    chars = data.get("distinguishing_chars", "")
    if not isinstance(chars, str):
        raise ConfigError(f"{path}: 'distinguishing_chars' must be a string")
    return NamingRules(
        short_forms=tuple(sorted(shorts.items(), key=lambda kv: -len(kv[0]))),
        endings=tuple(sorted(set(endings), key=len, reverse=True)),
        distinguishing=frozenset(chars) - {" "},
    )


def _strings(value: Any, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: '{key}' must be a non-empty list of non-empty strings")
    return list(value)


@lru_cache(maxsize=1)
def naming_rules() -> NamingRules:
    """The shipped rules, read once."""
    return load_naming_rules()


def full_form(name: str) -> tuple[str, tuple[str, str] | None]:
    """`name` with a short ending written out, and (short, full) ending (None if none was).

    "朝阳街道" -> ("朝阳街道办事处", ("街道", "街道办事处")); a full name is kept.
    """
    for short, full in naming_rules().short_forms:
        if name.endswith(short) and not name.endswith(full) and len(name) > len(short):
            return name + full[len(short) :], (short, full)
    return name, None


def ending(name: str) -> str:
    """The kind of body `name` ends in ("分局", "中心", "镇"), or "" when none is known."""
    return next((e for e in naming_rules().endings if name.endswith(e)), "")


def distinguishing_difference(a: str, b: str) -> str | None:
    """Why `a` and `b` name different bodies though spelled alike, or None.

    Different endings ("局" / "分局"), or characters inserted or dropped between
    them that tell places or bodies apart (directions, numerals, 分).
    """
    ends = ending(a), ending(b)
    if ends[0] != ends[1]:
        return f"ends in {ends[0] or '?'} vs {ends[1] or '?'}"
    telling = naming_rules().distinguishing
    changed = [
        a[op.src_pos] if op.tag == "delete" else b[op.dest_pos] for op in Indel.editops(a, b)
    ]
    found = sorted({c for c in changed if c in telling})
    return f"differs by {'、'.join(found)}" if found else None
