"""The common cut: the OFL CJK font reduced once, ahead of time, to the characters reports print.

Subsetting the whole Noto Sans CJK face for every page costs 0.3-1 s, mostly parsing its
65,535 glyphs and stripping each glyph's hints and subroutines. The common cut does that work
once: it keeps about 8,100 characters (all of GB2312, the characters of the vocabularies in
pipeline/data, and the punctuation, digits and Latin letters pages use), desubroutinized and
unhinted, and is shipped in the package (COMMON_CUT, about 1.3 MB, with its licence beside it).
A page whose characters it covers is cut from it in about 0.1 s (fonts.py). Regenerate it
with `make font-cut` after changing the characters here:
`python -m pipeline.report.font_cut` writes COMMON_CUT from the font `find_font` picks.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.report.fonts import COMMON_CUT, FontChoice, find_font, subset_woff

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data"
# Blocks a report may print besides Han characters (the font keeps what it has of them):
# ASCII and Latin-1, general punctuation, number forms (Ⅳ), arrows, enclosed numbers (①),
# box drawing and shapes (■ ●), CJK symbols and punctuation, full-width forms.
BLOCKS = (
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2010, 0x205E),
    (0x2150, 0x218B),
    (0x2190, 0x21FF),
    (0x2460, 0x24FF),
    (0x2500, 0x25FF),
    (0x3000, 0x303F),
    (0xFF01, 0xFFEF),
)


def gb2312() -> set[str]:
    """Every character of GB2312: its symbols and both levels of Han characters (6,763)."""
    found = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # an unassigned code
    return found


def vocabulary_characters(folder: Path = DATA) -> set[str]:
    """The characters of the vocabularies (department names, places, metric words) the
    pipeline prints back in its reports."""
    found: set[str] = set()
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".json", ".txt"):
            found |= set(path.read_text(encoding="utf-8"))
    return {c for c in found if c.isprintable()}


def common_characters() -> str:
    chars = gb2312() | vocabulary_characters()
    for first, last in BLOCKS:
        chars |= {chr(c) for c in range(first, last + 1)}
    return "".join(sorted(chars))


def write_common_cut(source: FontChoice, target: Path = COMMON_CUT) -> int:
    """Cut `source` to `common_characters()` into `target` (WOFF); return its size in bytes."""
    woff = subset_woff(source, common_characters())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(woff)
    return len(woff)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.report.font_cut", description=__doc__)
    parser.add_argument("--output", type=Path, default=COMMON_CUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter narrates at INFO
    source = find_font()
    if source is None:
        log.error("no OFL CJK font installed to cut from (Debian: fonts-noto-cjk)")
        return 2
    size = write_common_cut(source, args.output)
    log.info("%s: %s cut to %d characters, %d bytes", args.output, source.path,
             len(common_characters()), size)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
