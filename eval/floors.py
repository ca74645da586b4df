"""eval/floors.json: the figures the scoreboard must keep, which only ever tighten.

`floors` are lower bounds (a metric must be >= its floor), `ceilings` upper bounds for
the metrics where less is better. Floors are the measured figure rounded down to 3
decimals, ceilings rounded up; speed bounds are generous (half today's pages per
second, twice today's seconds per document) since machines differ.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from eval.truth import ROOT

FLOORS = ROOT / "eval" / "floors.json"
LOWER_IS_BETTER = frozenset(
    {
        "audit.false_alarms_per_clean_doc",
        "speed.seconds_per_document",
        "documents.failed",
        "normalize.departments.wrong_merges",
        "normalize.gazetteer.wrong_merges",
    }
)
SPEED_SLACK = 2.0


def load(path: Path = FLOORS) -> dict[str, dict[str, float]]:
    if not path.exists():
        return {"floors": {}, "ceilings": {}}
    return parse(path.read_text(encoding="utf-8"))


def parse(text: str) -> dict[str, dict[str, float]]:
    data: dict[str, Any] = json.loads(text)
    return {k: dict(data.get(k) or {}) for k in ("floors", "ceilings")}


def bound_for(name: str, value: float) -> float:
    """The floor (or ceiling) that `value` justifies."""
    if name.startswith("speed."):
        value = value * SPEED_SLACK if name in LOWER_IS_BETTER else value / SPEED_SLACK
    if name in LOWER_IS_BETTER:
        return math.ceil(round(value * 1000, 6)) / 1000
    return math.floor(round(value * 1000, 6)) / 1000


def ratchet(
    metrics: Mapping[str, float | None],
    path: Path = FLOORS,
    *,
    is_ceiling: Callable[[str], bool] = LOWER_IS_BETTER.__contains__,
    bound: Callable[[str, float], float] = bound_for,
) -> list[str]:
    """Tighten every bound the metrics beat (never loosen one); returns what changed.
    `is_ceiling` says which metrics are better lower, `bound` what bound a value justifies
    (eval.scans has its own)."""
    bounds = load(path)
    changes = []
    for name, value in metrics.items():
        if value is None:
            continue
        kind = "ceilings" if is_ceiling(name) else "floors"
        new, old = bound(name, value), bounds[kind].get(name)
        better = old is None or (new < old if kind == "ceilings" else new > old)
        if better:
            bounds[kind][name] = new
            changes.append(f"{kind[:-1]} {name}: {old} -> {new}")
    if changes:
        out = {k: dict(sorted(v.items())) for k, v in bounds.items()}
        path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return changes


def violations(
    metrics: Mapping[str, float | None],
    bounds: Mapping[str, Mapping[str, float]],
    *,
    speed: bool = False,
) -> list[str]:
    """Every metric that falls below its floor or above its ceiling (speed only if asked)."""
    wrong = []
    for kind, table in bounds.items():
        for name, bound in table.items():
            if name.startswith("speed.") and not speed:
                continue
            value = metrics.get(name)
            if value is None:
                wrong.append(f"{name}: not measured (bound {bound})")
            elif (value > bound) if kind == "ceilings" else (value < bound):
                wrong.append(f"{name}: {value:.4f} beyond its {kind[:-1]} {bound}")
    return wrong


def loosened(
    old: Mapping[str, Mapping[str, float]], new: Mapping[str, Mapping[str, float]]
) -> list[str]:
    """Bounds of `old` that `new` drops or loosens (a ratchet must never do either)."""
    wrong = []
    for kind, table in old.items():
        for name, bound in table.items():
            now = new.get(kind, {}).get(name)
            if now is None:
                wrong.append(f"{kind} {name} removed (was {bound})")
            elif (now > bound) if kind == "ceilings" else (now < bound):
                wrong.append(f"{kind} {name} loosened: {bound} -> {now}")
    return wrong
