"""Characters to printed lines, with Chinese-aware spacing.

pdfplumber's word grouping inserts a space wherever two glyphs sit further apart
than a fixed tolerance, which breaks justified Chinese text into "2 月 份".
Here a space is kept where the PDF drew one. Producers that draw no space glyphs
at all position words by gaps instead; only for those is a space inferred, where
a gap separates a digit or Latin letter from its neighbour (as in "2046 件").
Word processors also add a small gap between CJK and Latin text by themselves
("autospace"), which is why a page with space glyphs never infers one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.model import BBox

Char = dict[str, Any]

# A gap wider than this share of the font size between a digit/Latin glyph and
# its neighbour reads as a printed space.
SPACE_GAP = 0.2
# ... by more than float noise (points). Some producers set exactly 0.2 em between
# CJK and Latin text, and the last bits of a computed gap (which differ when a page
# is read turned) must not decide it: a gap equal to the threshold is not a space.
# Positions come in thousandths of a point at the finest, so nothing else moves.
GAP_TOLERANCE = 1e-4


@dataclass(frozen=True, slots=True)
class TextLine:
    """One visual line: its text, bounding box (top-left origin) and font size."""

    text: str
    bbox: BBox
    size: float


def is_cjk(ch: str) -> bool:
    """True for Han characters and full-width CJK punctuation.

    A glyph may read as several characters (a ligature, "(cid:12)" from a font without
    /ToUnicode): its first character decides.
    """
    if not ch:
        return False
    ch = ch[0]
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK", "FULLWIDTH", "IDEOGRAPHIC")) or "\u3000" <= ch <= "\u303f"


def centre_in(c: Char, bbox: BBox) -> bool:
    """True when the centre of a character lies inside `bbox` (edges included)."""
    x = (c["x0"] + c["x1"]) / 2
    y = (c["top"] + c["bottom"]) / 2
    return bool(bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3])


def outside(chars: Sequence[Char], bboxes: Sequence[BBox]) -> list[Char]:
    """The characters whose centre lies in none of `bboxes` (as `centre_in`), in order."""
    if not bboxes:
        return list(chars)
    kept = []
    for c in chars:
        x = (c["x0"] + c["x1"]) / 2
        y = (c["top"] + c["bottom"]) / 2
        if not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in bboxes):
            kept.append(c)
    return kept


def join_cjk(left: str, right: str) -> str:
    """Join two pieces of one wrapped text: no space between CJK characters."""
    if not left or not right:
        return left + right
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    return f"{left} {right}"


def draws_spaces(chars: Iterable[Char]) -> bool:
    """True when the producer drew space glyphs (then gaps are not spaces)."""
    return any(c["text"] == " " for c in chars)


def chars_to_lines(chars: Iterable[Char], *, infer_spaces: bool) -> list[TextLine]:
    """Group characters into lines by vertical overlap, left to right."""
    rows: list[list[Char]] = []
    top = bottom = 0.0  # extent of the last row
    for ch in sorted(chars, key=_reading_order):
        if rows and _overlaps(top, bottom, ch):
            rows[-1].append(ch)
            # min() and max() written out, comparing as they do
            if ch["top"] < top:
                top = ch["top"]
            if ch["bottom"] > bottom:
                bottom = ch["bottom"]
        else:
            rows.append([ch])
            top, bottom = ch["top"], ch["bottom"]
    lines = [_row_to_line(sorted(r, key=_left), infer_spaces) for r in rows]
    return [ln for ln in lines if ln.text]


def _reading_order(c: Char) -> tuple[float, float]:
    return round(c["top"], 1), c["x0"]


def _left(c: Char) -> float:
    return c["x0"]  # type: ignore[no-any-return]


def row_text(row: Sequence[Char], *, infer_spaces: bool) -> str:
    """The text of characters on one printed line, given left to right."""
    parts: list[str] = []
    prev: Char | None = None
    for ch in row:
        text = ch["text"]
        if infer_spaces and prev is not None and not text.isspace() and _gap_is_space(prev, ch):
            parts.append(" ")
        parts.append(" " if text.isspace() else text)
        prev = ch
    return " ".join("".join(parts).split())


def _overlaps(top: float, bottom: float, ch: Char) -> bool:
    """True when `ch` overlaps a row spanning top..bottom by half the smaller height."""
    overlap = min(bottom, ch["bottom"]) - max(top, ch["top"])
    return bool(overlap > 0.5 * min(bottom - top, ch["bottom"] - ch["top"]))


def _row_to_line(row: Sequence[Char], infer_spaces: bool) -> TextLine:
    text = row_text(row, infer_spaces=infer_spaces)
    # one pass for min() and max() of each edge, comparing as they do (the first of equals)
    first = row[0]
    x0, top, x1, bottom = first["x0"], first["top"], first["x1"], first["bottom"]
    size = first.get("size", 0.0)
    for c in row[1:]:
        if c["x0"] < x0:
            x0 = c["x0"]
        if c["top"] < top:
            top = c["top"]
        if c["x1"] > x1:
            x1 = c["x1"]
        if c["bottom"] > bottom:
            bottom = c["bottom"]
        if c.get("size", 0.0) > size:
            size = c.get("size", 0.0)
    return TextLine(text=text, bbox=(x0, top, x1, bottom), size=float(size))


def _gap_is_space(prev: Char, ch: Char) -> bool:
    if prev["text"].isspace():
        return False
    gap = ch["x0"] - prev["x1"]
    size = max(float(prev.get("size", 0.0)), 1.0)
    if is_cjk(prev["text"]) and is_cjk(ch["text"]):
        return False
    return bool(gap > SPACE_GAP * size + GAP_TOLERANCE)
