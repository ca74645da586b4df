"""corpus/generate/notdef.py: a .notdef box in a source PDF is drawn as the truth spells it."""

from __future__ import annotations

from typing import Any

import numpy as np

from corpus.generate.notdef import NOTDEF, draw_missing, missing_chars, truth_texts


def _line(text: str, top: float = 100.0, size: float = 10.0) -> list[dict[str, Any]]:
    chars, x = [], 50.0
    for ch in text:
        width = size / 2 if ch == NOTDEF else size
        chars.append({"text": ch, "x0": x, "x1": x + width, "top": top,
                      "bottom": top + size, "size": size})  # fmt: skip
        x += width
    return chars


def test_truth_texts_collects_every_string() -> None:
    truth = {"tables": [{"body_rows": [["1", "东岭镇"]]}], "title": "通报", "n": 3}
    assert sorted(truth_texts(truth)) == ["1", "东岭镇", "通报"]


def test_missing_chars_takes_the_one_character_between_the_neighbours() -> None:
    chars = _line("1 东岭\x00街道") + _line("西坡\x00", top=130)
    found = dict(missing_chars(chars, ["东岭塅街道", "西坡村", "西坡岭"]))
    assert found == {4: "塅"}  # 西坡□ is ambiguous (村 or 岭): left alone


def test_draw_missing_inks_the_box_and_moves_the_rest_of_the_run() -> None:
    k = 200 / 72
    chars = _line("东岭\x00街道")
    image = np.full((400, 400), 255, np.uint8)
    for c in chars:  # each glyph a block of ink, the .notdef box an outline
        x0, x1 = int(c["x0"] * k) + 2, int(c["x1"] * k) - 2
        top, bottom = int(c["top"] * k) + 2, int(c["bottom"] * k) - 2
        if c["text"] == NOTDEF:
            image[top:bottom, x0] = image[top:bottom, x1] = 0
        else:
            image[top:bottom, x0:x1] = 0
    before = image.copy()
    assert draw_missing(image, chars, ["东岭塅街道"], 200) == 1
    box = chars[2]
    half_em = round(5 * k)
    rows = slice(int(box["top"] * k) + 2, int(box["bottom"] * k) - 2)
    # the glyph is drawn where the box and the half em after it were
    assert (image[rows, int(box["x0"] * k) : int(box["x0"] * k) + 2 * half_em] < 128).sum() > 50
    # 街道 moved right by half an em
    tail = slice(int(box["x1"] * k), int(chars[-1]["x1"] * k))
    moved = slice(tail.start + half_em, tail.stop + half_em)
    assert np.array_equal(image[rows, moved], before[rows, tail])
