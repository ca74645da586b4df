"""Is a page's text layer good enough to read, or does the page need OCR?

A page needs OCR when it is only an image (no glyph, some image), when its glyphs
are unmapped (`(cid:N)` from a font without /ToUnicode, U+FFFD, control
characters) or when its text is garbage: characters no Chinese bulletin prints
(private-use code points, unassigned ones, accented Latin from a wrong encoding).
A blank page (no glyph, no image) has nothing to read and needs nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from pipeline.model import UNUSABLE, TextLayer

# pages to read by OCR when an engine runs: scans, and text layers not fit to read
FOR_OCR = (TextLayer.IMAGE_ONLY, *UNUSABLE)

# What a glyph without a Unicode mapping reads as: "(cid:N)", a control character
# (a font that maps it to U+0000), a lone surrogate or the replacement character.
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
# A page needs OCR when at least this share of its glyphs (and this many) is unmapped;
# fewer are reported on the page, and the lines and cells holding them are read by OCR.
UNMAPPED_SHARE, UNMAPPED_MIN = 0.05, 5
# ... or when this share of its glyphs is characters a bulletin does not print.
GARBAGE_SHARE = 0.3
# Code point ranges a Chinese bulletin prints: ASCII, Latin-1 punctuation and signs,
# general punctuation, letterlike and number forms, circled numbers, box drawing and
# shapes, CJK symbols, CJK ideographs (with extension A) and full-width forms.
EXPECTED = (
    (0x20, 0x7E),
    (0xA0, 0xBF),
    (0xD7, 0xD7),
    (0xF7, 0xF7),
    (0x2000, 0x2BFF),
    (0x3000, 0x30FF),
    (0x3200, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3134F),
)


def judge_text_layer(texts: Sequence[str], images: int) -> TextLayer:
    """What the text layer of a page with these glyph texts and `images` images is: IMAGE_ONLY,
    UNMAPPED and GARBAGE pages need OCR, a BLANK one has nothing to read."""
    glyphs = [t for t in texts if t and not t.isspace()]
    if not glyphs:
        return TextLayer.IMAGE_ONLY if images else TextLayer.BLANK
    # the page's text at once first: a glyph's match is one in the whole, so a clean whole
    # means no glyph to count (the common case), and each distinct character is judged once
    joined = "".join(glyphs)
    if UNMAPPED_GLYPH.search(joined) or not joined.isprintable():
        unmapped = sum(1 for t in glyphs if UNMAPPED_GLYPH.search(t) or not t.isprintable())
        if unmapped >= max(UNMAPPED_MIN, UNMAPPED_SHARE * len(glyphs)):
            return TextLayer.UNMAPPED
    if all(_expected(ch) for ch in set(joined)):
        return TextLayer.USABLE
    odd = sum(1 for t in glyphs if not all(_expected(ch) for ch in t))
    if odd >= GARBAGE_SHARE * len(glyphs):
        return TextLayer.GARBAGE
    return TextLayer.USABLE


def has_unmapped(text: str) -> bool:
    """True when `text` holds a glyph without a Unicode mapping."""
    return bool(UNMAPPED_GLYPH.search(text))


# a page prints a few hundred distinct characters thousands of times: each judged once
@lru_cache(maxsize=8192)
def _expected(ch: str) -> bool:
    cp = ord(ch)
    if unicodedata.category(ch) in ("Co", "Cn"):
        return False
    return any(lo <= cp <= hi for lo, hi in EXPECTED)
