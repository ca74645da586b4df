"""Districts and their departments (data/places.json), and how offices print the names.

A department has one canonical name. Printing habits give other, correct forms (with or
without the district prefix, 街道 for 街道办事处); mistakes give variant forms (a traditional
character, a doubled character, a misspelling), which are name_variant errors.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

DATA = Path(__file__).resolve().parent / "data" / "places.json"
Habit = Literal["plain", "prefixed", "mixed"]


@dataclass(frozen=True)
class Variant:
    canonical: str
    printed: str
    kind: str  # traditional | misspelt | doubled | full_prefix


@dataclass(frozen=True)
class District:
    id: str
    province: str
    city: str
    district: str  # 渭滨区
    short: str  # 渭滨
    abbr: str  # 渭 (for document numbers)
    departments: tuple[str, ...]
    variants: tuple[Variant, ...]


@cache
def _places() -> dict[str, object]:
    data: dict[str, object] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


@cache
def districts() -> tuple[District, ...]:
    raw = _places()["districts"]
    assert isinstance(raw, list)
    out = []
    for d in raw:
        variants = tuple(Variant(**v) for v in d["variants"])
        fields = {k: d[k] for k in ("id", "province", "city", "district", "short", "abbr")}
        out.append(District(**fields, departments=tuple(d["departments"]), variants=variants))
    return tuple(out)


@cache
def traditional() -> dict[str, str]:
    table = _places()["traditional"]
    assert isinstance(table, dict)
    return {str(k): str(v) for k, v in table.items()}


def prefixed(name: str, d: District) -> str:
    """The form with the district's own name: 区司法局 -> 渭滨区司法局, 马营镇 -> 渭滨区马营镇."""
    if name.startswith("区"):
        return d.district + name[1:]
    if name.endswith("镇"):
        return d.district + name
    return name


def ordinary_forms(name: str, d: District) -> set[str]:
    """Every correct way an office prints `name`."""
    forms = {name, prefixed(name, d)}
    if name.endswith("街道办事处"):
        forms.add(name.removesuffix("办事处"))
    forms.update(v.printed for v in d.variants if v.canonical == name and v.kind == "full_prefix")
    return forms


def all_ordinary(d: District) -> set[str]:
    return set().union(*(ordinary_forms(n, d) for n in d.departments))


class Namer:
    """Prints department names by one habit (a table's or the body text's)."""

    def __init__(self, d: District, habit: Habit, rng: random.Random, short_streets: bool = False):
        self.d, self.habit, self.rng, self.short_streets = d, habit, rng, short_streets
        self.printed: dict[str, str] = {}  # printed -> canonical

    def __call__(self, name: str) -> str:
        out = name
        if self.habit == "prefixed" or (self.habit == "mixed" and self.rng.random() < 0.15):
            out = prefixed(name, self.d)
        full = [v.printed for v in self.d.variants if v.canonical == name]
        full = [p for p in full if p in ordinary_forms(name, self.d) and p != name]
        if full and self.habit != "plain" and self.rng.random() < 0.3:
            out = full[0]
        if self.short_streets and name.endswith("街道办事处"):
            out = name.removesuffix("办事处")
        self.printed[out] = name
        return out


def error_variant(
    printed: str, canonical: str, d: District, rng: random.Random
) -> tuple[str, str] | None:
    """A mistaken form of a printed name, and its kind; None if none can be made."""
    taken = all_ordinary(d)
    options: list[tuple[str, str]] = [
        (v.printed, v.kind)
        for v in d.variants
        if v.canonical == canonical and v.kind != "full_prefix" and printed == canonical
    ]
    trad = traditional()
    spots = [i for i, ch in enumerate(printed) if ch in trad and i > 0]
    if spots:
        i = rng.choice(spots)
        options.append((printed[:i] + trad[printed[i]] + printed[i + 1 :], "traditional"))
    if len(printed) > 3:
        i = rng.randrange(1, len(printed) - 1)
        options.append((printed[: i + 1] + printed[i:], "doubled"))
    options = [o for o in options if o[0] not in taken and o[0] != printed]
    if not options:
        return None
    # the district's recorded variants first: they are the misspellings real offices make
    return (
        options[0] if options[0][1] != "traditional" and rng.random() < 0.5 else rng.choice(options)
    )
