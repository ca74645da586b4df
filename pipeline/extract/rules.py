"""Horizontal rules of a page: what bounds a three-line table and its header.

A three-line table (a "partly ruled" table) draws a rule above the header, one
below it and one below the body, and no vertical rules, so pdfplumber's line
strategy finds no table there. Rules come as line objects or as thin filled
rectangles; pieces of one rule at the same height are joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.model import BBox

# A rule is at least this long (points) and at most this thick.
MIN_LENGTH = 20.0
MAX_THICKNESS = 2.5
# Pieces closer than this (points) in height and along the line are one rule.
JOIN = 1.5


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule from x0 to x1 at height y (top-left origin)."""

    x0: float
    x1: float
    y: float

    def spans(self, left: float, right: float, share: float = 0.8) -> bool:
        """True when the rule covers at least `share` of the range left..right."""
        covered = min(self.x1, right) - max(self.x0, left)
        return covered >= share * max(right - left, 1.0)


def horizontal_rules(page: Any, taken: Sequence[BBox] = ()) -> list[Rule]:
    """The page's horizontal rules outside the boxes in `taken`, top to bottom."""
    pieces: list[Rule] = []
    for obj in (*page.lines, *page.rects):
        x0, x1 = float(obj["x0"]), float(obj["x1"])
        top, bottom = float(obj["top"]), float(obj["bottom"])
        if bottom - top > MAX_THICKNESS or x1 - x0 < MIN_LENGTH:
            continue
        rule = Rule(x0, x1, (top + bottom) / 2)
        if not any(_inside(rule, box) for box in taken):
            pieces.append(rule)
    return _joined(pieces)


def _inside(rule: Rule, box: BBox) -> bool:
    return (
        box[1] - JOIN <= rule.y <= box[3] + JOIN
        and rule.x0 >= box[0] - JOIN
        and rule.x1 <= box[2] + JOIN
    )


def _joined(pieces: Sequence[Rule]) -> list[Rule]:
    levels: list[list[Rule]] = []
    for piece in sorted(pieces, key=lambda r: r.y):
        if levels and piece.y - levels[-1][0].y <= JOIN:
            levels[-1].append(piece)
        else:
            levels.append([piece])
    rules: list[Rule] = []
    for level in levels:
        start = len(rules)
        for piece in sorted(level, key=lambda r: r.x0):
            last = rules[-1] if len(rules) > start else None
            if last and piece.x0 <= last.x1 + JOIN:
                rules[-1] = Rule(last.x0, max(last.x1, piece.x1), last.y)
            else:
                rules.append(piece)
    return rules
