"""Pinyin readings that a page prints in brackets after its characters: 增长(zhǎng).

Some sites annotate characters with their reading, and a copy of such a page as text
keeps the reading in brackets after each character ("区(qū)域", "占(zhan)比"). The
readings split the words the audit reads (增长, 占比) and hold no figure. They are taken
out only when the page shows the habit: at least MIN_TONED readings carry a tone mark,
which no English or code in brackets does, or at least MIN_UNTONED are shaped as pinyin
syllables (an initial, vowels, a final n, ng or r: "(yi)", "(sheng)", never a unit such
as "(kg)" or "(ppm)"); then every bracketed syllable after a character goes.
"""

from __future__ import annotations

import re

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
READING = re.compile(rf"(?<=[\u4e00-\u9fff])\(([a-z{TONED}ü]{{1,6}})\)")
SYLLABLE = re.compile(r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouü]{1,3}(?:ng|n|r)?")
MIN_TONED = 3
MIN_UNTONED = 6


def strip_readings(text: str) -> str:
    """`text` without bracketed pinyin readings, when it carries enough of them."""
    found = [m.group(1) for m in READING.finditer(text)]
    toned = sum(1 for r in found if any(c in TONED for c in r))
    syllables = sum(1 for r in found if SYLLABLE.fullmatch(r))
    if toned < MIN_TONED and syllables < MIN_UNTONED:
        return text
    for _ in range(3):  # "生(sheng)(sheng)产": a reading printed twice
        text, n = READING.subn("", text)
        if not n:
            break
    return text
