"""Characters a bulletin's font could not draw, drawn in a scan with a font that has them.

LibreOffice set some generated bulletins in AR PL UMing, which has no 塅: the PDF shows
the font's .notdef (an empty half-em box, text U+0000) where 董家塅 was written. A scan
of such a page would carry the box, and no reader can give back a character that was
never printed. A scan made with `Scan.draw_notdef` draws the character instead, as a
printer whose font had it would: the box is whitened, the rest of its run of text moves
right by the missing half em, and the character is drawn one em wide from Noto Serif
CJK (Debian's fonts-noto-cjk, installed by `make system-packages`), as tall as the
character before it.

Which character a box stands for comes from the source's truth: the one text there
that holds the box's neighbours (up to two characters each side) around one character.
Coordinates are PDF points with a top-left origin (pdfplumber's), pixels at the scan's
dpi.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

NOTDEF = "\x00"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FONT_FAMILY = "Noto Serif CJK SC"
INK = 128  # grey levels under this are ink, when measuring a neighbour's height


def truth_texts(truth: Any) -> list[str]:
    """Every string in a truth file (cells, names, lines), where missing characters are
    looked up."""
    if isinstance(truth, str):
        return [truth]
    if isinstance(truth, dict):
        return [t for v in truth.values() for t in truth_texts(v)]
    if isinstance(truth, list):
        return [t for v in truth for t in truth_texts(v)]
    return []


def missing_chars(
    chars: Sequence[dict[str, Any]], texts: Sequence[str]
) -> Iterator[tuple[int, str]]:
    """(index in `chars`, the character it stands for) for each .notdef glyph whose
    neighbours on its line occur in `texts` around exactly one character."""
    for i, ch in enumerate(chars):
        if ch["text"] != NOTDEF:
            continue
        before = "".join(c["text"] for c in _same_line(chars, i, -1))
        after = "".join(c["text"] for c in _same_line(chars, i, 1))
        if not before and not after:
            continue
        pattern = re.compile(re.escape(before) + "(.)" + re.escape(after))
        found = {m.group(1) for t in texts for m in pattern.finditer(t)}
        if len(found) == 1:
            yield i, found.pop()


def _same_line(chars: Sequence[dict[str, Any]], i: int, step: int) -> list[dict[str, Any]]:
    """Up to two characters next to chars[i] in reading order on its line (`step` -1: the
    ones before, in order; 1: the ones after)."""
    out: list[dict[str, Any]] = []
    j = i + step
    while 0 <= j < len(chars) and len(out) < 2:
        c = chars[j]
        if abs(c["top"] - chars[i]["top"]) > 0.5 * chars[i]["size"] or c["text"] == NOTDEF:
            break
        out.append(c)
        j += step
    return out[::-1] if step < 0 else out


def draw_missing(
    image: Any, chars: Sequence[dict[str, Any]], texts: Sequence[str], dpi: int
) -> int:
    """Draw, in the grey page `image` rendered at `dpi`, each .notdef glyph of `chars` (the
    page's pdfplumber chars) as the character the truth says it stands for; how many."""
    drawn = 0
    for i, real in missing_chars(chars, texts):
        _draw_one(image, chars, i, real, dpi / 72)
        drawn += 1
    return drawn


def _draw_one(image: Any, chars: Sequence[dict[str, Any]], i: int, real: str, k: float) -> None:
    box = chars[i]
    em = float(box["size"])
    shift = em - (box["x1"] - box["x0"])
    top, bottom = int((box["top"] - 0.2 * em) * k), int((box["bottom"] + 0.2 * em) * k) + 1
    x0 = int(box["x0"] * k)
    run_end = int(_run_end(chars, i) * k) + 1
    move = round(shift * k)
    # the rest of the run moves right by the missing half em; the box goes
    tail = image[top:bottom, int(box["x1"] * k) : run_end].copy()
    image[top:bottom, x0 : run_end + move] = 255
    image[top:bottom, int(box["x1"] * k) + move : run_end + move] = tail
    height = _ink_height(image, chars[i - 1], k) if i > 0 else int(em * k * 0.9)
    _glyph(image, real, x0, top, bottom, int(em * k), height)


def _run_end(chars: Sequence[dict[str, Any]], i: int) -> float:
    """Where the run of text holding chars[i] ends on its line (points): the last of the
    characters after it with gaps under half an em."""
    end = float(chars[i]["x1"])
    for c in chars[i + 1 :]:
        if (
            abs(c["top"] - chars[i]["top"]) > 0.5 * chars[i]["size"]
            or c["x0"] - end > 0.5 * c["size"]
        ):
            break
        end = float(c["x1"])
    return end


def _ink_height(image: Any, ch: dict[str, Any], k: float) -> int:
    """Pixel rows the character `ch` inks in `image`."""
    import numpy as np

    crop = image[
        int(ch["top"] * k) : int(ch["bottom"] * k) + 1, int(ch["x0"] * k) : int(ch["x1"] * k) + 1
    ]
    rows = np.flatnonzero((crop < INK).any(axis=1))
    return int(rows[-1] - rows[0] + 1) if len(rows) else int((ch["bottom"] - ch["top"]) * k)


def _glyph(image: Any, real: str, x0: int, top: int, bottom: int, em_px: int, height: int) -> None:
    """`real` drawn black on white in the em square at x0, its ink `height` pixels tall and
    centred between `top` and `bottom`, darkening what is there."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    # drawn at the size that makes its ink `height` tall, not drawn large and shrunk: the
    # font's own rendering at the page's size keeps its strokes as a printer's would
    size = em_px
    for _ in range(3):
        font = ImageFont.truetype(str(FONT), size=size, index=_face_index())
        canvas = Image.new("L", (3 * size, 3 * size), 255)
        ImageDraw.Draw(canvas).text((size, size), real, font=font, fill=0)
        ink = np.asarray(canvas)
        rows = np.flatnonzero((ink < INK).any(axis=1))
        cols = np.flatnonzero((ink < INK).any(axis=0))
        size = max(4, round(size * height / (rows[-1] - rows[0] + 1)))
    glyph = canvas.crop((int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1))
    height, width = glyph.height, glyph.width
    y = top + (bottom - top - height) // 2
    x = x0 + (em_px - width) // 2
    region = image[y : y + height, x : x + width]
    np.minimum(region, np.asarray(glyph)[: region.shape[0], : region.shape[1]], out=region)


def _face_index() -> int:
    """The index of the Simplified Chinese face in the Noto Serif CJK collection."""
    from PIL import ImageFont

    for index in range(10):
        if ImageFont.truetype(str(FONT), size=10, index=index).getname()[0] == FONT_FAMILY:
            return index
    raise FileNotFoundError(f"{FONT} has no {FONT_FAMILY}: install fonts-noto-cjk")
