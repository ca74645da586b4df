"""A document's printing habits for numbers, and exact rounding (never float).

Every rate, share and score a document prints goes through `Style.fixed`, so one document
uses one rounding convention and one number of decimals throughout.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Rounding = Literal["half_up", "truncate"]

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
_CJK_THEN_NUM = re.compile(r"([\u4e00-\u9fff])(\d)")
_NUM_THEN_CJK = re.compile(r"(\d[%％]?)([\u4e00-\u9fff])")


def quantize(x: Fraction, decimals: int, mode: Rounding) -> Fraction:
    """`x` rounded to `decimals` places: half away from zero, or toward zero."""
    scale = 10**decimals
    v = abs(x) * scale
    n = math.floor(v + Fraction(1, 2)) if mode == "half_up" else math.floor(v)
    return Fraction(n if x >= 0 else -n, scale)


def plain(x: Fraction, decimals: int) -> str:
    """An exact decimal (already quantized) written with `decimals` places."""
    scale = 10**decimals
    n = x * scale
    if n.denominator != 1:
        raise ValueError(f"{x} has more than {decimals} decimals")
    sign = "-" if n < 0 else ""
    digits = str(abs(n.numerator)).rjust(decimals + 1, "0")
    if decimals == 0:
        return sign + digits
    return f"{sign}{digits[:-decimals]}.{digits[-decimals:]}"


def percent(part: int, whole: int) -> Fraction:
    return Fraction(100 * part, whole)


def ulp(decimals: int) -> Fraction:
    return Fraction(1, 10**decimals)


@dataclass(frozen=True)
class Style:
    """How one document prints numbers."""

    decimals: int  # places for every rate, share and score
    rounding: Rounding
    pct: str  # "%" or "％"
    fw_text: bool  # full-width digits in the body text
    fw_table: bool  # full-width digits in table cells
    space_text: bool  # "1589 件": spaces between digits and Chinese in the body text
    wan: bool  # big totals in the text as "2.42万"
    minus: str  # "-" or "－"

    def fixed(self, x: Fraction) -> str:
        """`x` rounded the document's way, as ASCII digits."""
        return plain(quantize(x, self.decimals, self.rounding), self.decimals)

    def value(self, x: Fraction) -> Fraction:
        """The value a reader sees once `x` is printed."""
        return quantize(x, self.decimals, self.rounding)

    def cell_num(self, n: int | str) -> str:
        s = str(n)
        return s.translate(FULL_WIDTH) if self.fw_table else s

    def cell_fixed(self, x: Fraction, pct: bool = False) -> str:
        s = self.fixed(x).replace("-", self.minus)
        return self.cell_num(s) + (self.pct if pct else "")

    def text_pct(self, x: Fraction) -> str:
        """A rate or share for the body text (ASCII digits; `finish` converts them)."""
        return self.fixed(x) + self.pct

    def text_count(self, n: int) -> tuple[str, bool]:
        """A count for the body text; True when printed in 万 (so rounded)."""
        if self.wan and n >= 10000:
            return plain(quantize(Fraction(n, 10000), 2, self.rounding), 2) + "万", True
        return str(n), False

    def finish(self, text: str) -> str:
        """Body text as printed: spaces around numbers and full-width digits by habit."""
        text = self.spaced(text)
        return text.translate(FULL_WIDTH) if self.fw_text else text

    def spaced(self, text: str) -> str:
        """Spaces between ASCII digits and Chinese characters, when the document has them."""
        if not self.space_text:
            return text
        text = _CJK_THEN_NUM.sub(r"\1 \2", text)
        return _NUM_THEN_CJK.sub(
            lambda m: m.group(1) + ("" if m.group(2) == "万" else " ") + m.group(2), text
        )


def choose_style(rng: random.Random) -> Style:
    decimals = rng.choices([0, 1, 2], weights=[10, 25, 65])[0]
    fw_text = rng.random() < 0.15
    return Style(
        decimals=decimals,
        rounding="truncate" if rng.random() < 0.15 else "half_up",
        pct="％" if rng.random() < 0.3 else "%",
        fw_text=fw_text,
        fw_table=fw_text and rng.random() < 0.35,
        space_text=not fw_text and rng.random() < 0.3,
        wan=rng.random() < 0.5,
        minus="－" if fw_text and rng.random() < 0.5 else "-",
    )
