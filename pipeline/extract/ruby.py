"""Pinyin readings that a page prints in brackets after its characters: 增长(zhǎng).

Some sites annotate characters with their reading, and a copy of such a page as text
keeps the reading in brackets after each character ("区(qū)域", "占(zhan)比"). The
readings split the words the audit reads (增长, 占比) and hold no figure. They are taken
out only when the page shows the habit: at least MIN_TONED readings carry a tone mark,
which no English or code in brackets does; then every bracketed syllable after a
character goes, toned or not.
"""

from __future__ import annotations

import re

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
READING = re.compile(rf"(?<=[\u4e00-\u9fff])\(([a-z{TONED}ü]{{1,6}})\)")
MIN_TONED = 3


def strip_readings(text: str) -> str:
    """`text` without bracketed pinyin readings, when it carries enough of them."""
    toned = sum(1 for m in READING.finditer(text) if any(c in TONED for c in m.group(1)))
    return READING.sub("", text) if toned >= MIN_TONED else text
