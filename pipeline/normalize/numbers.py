"""Printed numbers to exact decimals, and recomputed decimals back to print.

A printed number keeps how it was printed: "1,234 件" is value 1234 with 0
decimals and unit 件; "87.65％" is value 87.65, 2 decimals, percent; "4.56万" is
value 4.56 with scale 10000. Values are `Decimal`, never float. Units come from
`pipeline/data/units.txt`; hotline numbers, which name a channel rather than
count anything, from `pipeline/data/hotlines.txt`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from pipeline.errors import ConfigError, ParseError
from pipeline.limits import active
from pipeline.model import Number

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

SCALES = {"万": 10_000, "亿": 100_000_000}
SCALE_MARKS = {v: k for k, v in SCALES.items()}
CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"亿": 100_000_000, "万": 10_000}  # larger first: 一亿二千万
CN_NUMERAL = "[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
# Folding for scanning: full-width digits and signs to ASCII, one char for one
# char so spans stay valid. The full-width comma is left alone: in running text
# "1234，567" is a list, not a thousands separator.
SCAN_FOLD = str.maketrans("０１２３４５６７８９．％－＋", "0123456789.%-+")
# after folding: hyphen-minus, U+2212 (NFKC keeps it), plus, and the arrows change tables
# print for a rise or a fall ("↓0.86%", "▲12")
SIGNS = "-−+↑↓▲▼"
FALLING = ("-", "−", "↓", "▼")
SPACE = r"[ \t\u3000]*"
# More significant digits than the active limit (pipeline.limits, --max-digits, default 15)
# is text, not a count (docs/audit.md). With the limit off, Python's own ceiling on turning
# digits into an int still holds.
DIGITS_CEILING = 4_000
# Units a Chinese numeral may take in running text: 个 and 分 are left out
# because "三个环节" and "十分重要" are not quantities.
CN_UNIT_EXCLUDED = frozenset({"个", "分"})


def read_word_list(path: Path) -> tuple[str, ...]:
    """The non-blank, non-comment lines of a data file. Raises ConfigError."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read word list ({exc})") from exc
    words = tuple(s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#"))
    if not words:
        raise ConfigError(f"{path}: word list is empty")
    return words


@lru_cache(maxsize=1)
def units() -> tuple[str, ...]:
    """Known units, longest first (so 个百分点 wins over 个)."""
    return tuple(sorted(read_word_list(DATA_DIR / "units.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def hotlines() -> frozenset[str]:
    """Hotline numbers that are names of a channel, such as the citizens' hotline."""
    return frozenset(read_word_list(DATA_DIR / "hotlines.txt"))


def _unit_alternatives(exclude: frozenset[str] = frozenset()) -> str:
    return "|".join(re.escape(u) for u in units() if u not in exclude)


# Units that make a number after Latin letters a count of items, not part of a code.
COUNT_UNITS = "件|条|人次|次|户|宗|起|单|封|通|批|家"


@lru_cache(maxsize=1)
def _arabic_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?:(?<![0-9A-Za-z])(?P<sign>[{SIGNS}]))?"
        # digits glued to Latin letters are a code (G20), unless a count unit follows them
        rf"(?<![0-9.])(?:(?<![A-Za-z])|(?=[0-9,]+\s*(?:{COUNT_UNITS})))"
        r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?"
        r"(?![0-9])"
        rf"(?:{SPACE}(?P<scale>[万亿]))?"
        rf"(?:{SPACE}(?P<pct>%))?"
        rf"(?:{SPACE}(?P<unit>{_unit_alternatives()}))?"
    )


@lru_cache(maxsize=1)
def _chinese_re() -> re.Pattern[str]:
    return re.compile(
        r"(?P<neg>负)?(?P<pct>百分之)?"
        r"(?P<int>[零〇一二两三四五六七八九十百千万亿]+)(?:点(?P<frac>[零〇一二三四五六七八九]+))?"
        r"(?P<scale>[万亿])?"
        rf"(?:{SPACE}(?P<unit>{_unit_alternatives()}))?"
    )


def parse_number(text: str) -> Number:
    """Read one printed number: digits, optional 万/亿 scale, % sign and unit.

    Accepts ASCII and full-width digits (NFKC is applied to the token only;
    `Number.text` keeps the raw text), thousands separators, the signs -, －
    and − (U+2212), and Chinese numerals (一千二百, 百分之九十八, 五个百分点).
    Raises ParseError when `text` is not exactly one number.
    """
    raw = text.strip()
    if not raw:
        raise ParseError("empty text where a number was expected")
    cn = _chinese_re().fullmatch(raw)
    if cn:
        return _chinese_number(raw, cn)
    match = _arabic_re().fullmatch(unicodedata.normalize("NFKC", raw))
    if not match:
        raise ParseError(f"not a number: {raw!r}")
    return _arabic_number(raw, match)


def significant_digits(digits: str, frac: str = "") -> int:
    """Digits printed from the first non-zero one on: 0.05 -> 1, 1200 -> 4."""
    whole = digits.lstrip("0")
    return len(whole) + len(frac) if whole else len(frac.lstrip("0"))


def max_digits() -> int:
    """Significant digits a number may have under the active limits (--max-digits)."""
    return min(active().max_digits or DIGITS_CEILING, DIGITS_CEILING)


def _check_size(raw: str, digits: str, frac: str) -> None:
    """A run of more than max_digits() digits is text (an ID, two numbers run together
    when extraction lost the space between them), not a count: ParseError."""
    n = significant_digits(digits, frac)
    if n > max_digits():
        shown = raw if len(raw) <= 40 else f"{raw[:20]}...{raw[-8:]}"
        raise ParseError(
            f"not a number: {shown!r} has {n} significant digits (at most {max_digits()})"
        )


def _arabic_number(raw: str, match: re.Match[str]) -> Number:
    digits = match["int"].replace(",", "")
    frac = match["frac"] or ""
    _check_size(raw, digits, frac)
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    return _number(raw, value, frac, match, negative=match["sign"] in FALLING)


def _chinese_number(raw: str, match: re.Match[str]) -> Number:
    frac = "".join(str(CN_DIGITS[c]) for c in match["frac"] or "")
    whole = chinese_to_int(match["int"])
    _check_size(raw, str(whole), frac)
    value = Decimal(whole) + (Decimal(f"0.{frac}") if frac else 0)
    return _number(raw, value, frac, match, negative=bool(match["neg"]))


def _number(raw: str, value: Decimal, frac: str, match: re.Match[str], *, negative: bool) -> Number:
    """The printed number with the percent sign, scale and unit the match found."""
    return Number(
        text=raw,
        value=-value if negative else value,
        decimals=len(frac),
        percent=match["pct"] is not None,
        scale=SCALES.get(match["scale"] or "", 1),
        unit=match["unit"],
    )


def chinese_to_int(text: str) -> int:
    """An integer written in Chinese numerals: 一千二百 -> 1200, 二〇二一 -> 2021.

    A run of three or more bare digits reads digit by digit (years). A trailing
    digit after a unit without 零 counts in the next lower unit (一千二 -> 1200,
    三万五 -> 35000). Raises ParseError when `text` is not a well-formed numeral.
    """
    if len(text) >= 3 and all(c in CN_DIGITS for c in text):
        if len(text) > max_digits():
            raise ParseError(f"not a number: {len(text)} numerals in a row")
        return int("".join(str(CN_DIGITS[c]) for c in text))
    for mark, size in CN_BIG.items():
        head, found, tail = text.partition(mark)
        if found:
            if not head:
                raise ParseError(f"not a Chinese numeral: {text!r}")
            if len(tail) == 1 and tail in CN_DIGITS:
                return chinese_to_int(head) * size + CN_DIGITS[tail] * size // 10
            return chinese_to_int(head) * size + (chinese_to_int(tail) if tail else 0)
    return _chinese_below_10000(text)


def _chinese_below_10000(text: str) -> int:
    if not text or not (text[0] == "十" or any(c in CN_DIGITS for c in text)):
        raise ParseError(f"not a Chinese numeral: {text!r}")
    section, digit, last_unit = 0, None, 1
    for ch in text:
        if ch in CN_DIGITS:
            if digit not in (None, 0) and ch not in "零〇":
                raise ParseError(f"two digits in a row in Chinese numeral {text!r}")
            digit, last_unit = CN_DIGITS[ch], (1 if ch in "零〇" else last_unit)
        elif ch in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[ch]
            digit, last_unit = None, CN_SMALL[ch]
        else:
            raise ParseError(f"not a Chinese numeral: {text!r}")
    if digit and last_unit >= 100:
        digit *= last_unit // 10
    return section + (digit or 0)


def format_like(value: Decimal, like: Number) -> str:
    """Print `value` the way `like` was printed: same decimals, scale mark, % sign.

    `value` is in the units of `like.value` (87.65 for a percent, 4.56 for
    4.56万); use `exact_to_printed` to convert an exact quantity first. Rounds
    half-up; thousands separators only when `like` had them; no unit.
    """
    rounded = value.quantize(Decimal(1).scaleb(-like.decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    folded = unicodedata.normalize("NFKC", like.text)
    body = f"{rounded:,f}" if "," in folded else f"{rounded:f}"
    if like.scale != 1:
        body += SCALE_MARKS.get(like.scale, "")
    if like.percent:
        body += "％" if "％" in like.text else "%"
    return body


def exact_to_printed(exact: Decimal, like: Number) -> Decimal:
    """An exact quantity (0.8765) in the units `like` prints (87.65 for a percent)."""
    value = exact * 100 if like.percent else exact
    return value / like.scale


def find_numbers(text: str) -> list[tuple[Number, int, int]]:
    """Every quantity printed in a narrative sentence, with its [start, end) char span.

    Skips digits that are not quantities: dates and periods, hotline names,
    phone numbers, document numbers, attachment labels, standard codes and
    ordinal markers. A unit after a space stays with its number ("1234 件").
    Chinese numerals count only with 百分之, 百分点 or a unit. Never raises.
    """
    folded = text.translate(SCAN_FOLD)
    masked = _masked_spans(folded)
    found = [*_scan_arabic(text, folded), *_scan_chinese(text)]
    return sorted(_outside(found, masked), key=lambda f: f[1])


def _outside(
    found: list[tuple[Number, int, int]], masked: list[tuple[int, int]]
) -> list[tuple[Number, int, int]]:
    """The numbers that overlap no masked span (in n log n: a paragraph may hold thousands
    of each)."""
    merged: list[list[int]] = []
    for s, e in sorted(masked):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        elif s < e:
            merged.append([s, e])
    starts = [s for s, _ in merged]
    kept = []
    for f in found:
        i = bisect.bisect_left(starts, f[2]) - 1  # the last masked span starting before f ends
        if i < 0 or merged[i][1] <= f[1]:
            kept.append(f)
    return kept


def _scan_arabic(text: str, folded: str) -> Iterator[tuple[Number, int, int]]:
    for match in _arabic_re().finditer(folded):
        start, end = match.span()
        try:
            yield _arabic_number(text[start:end], match), start, end
        except ParseError:  # too many digits: text, not a figure
            continue


@lru_cache(maxsize=1)
def _chinese_scan_re() -> re.Pattern[str]:
    lead = "(?<![第零〇一二两三四五六七八九十百千万亿])"
    return re.compile(
        rf"负?百分之{CN_NUMERAL}"
        rf"|{lead}负?{CN_NUMERAL}(?:个)?百分点"
        rf"|{lead}{CN_NUMERAL}[万亿]?(?:{_unit_alternatives(CN_UNIT_EXCLUDED)})"
    )


def _scan_chinese(text: str) -> Iterator[tuple[Number, int, int]]:
    for match in _chinese_scan_re().finditer(text):
        try:
            number = parse_number(match[0])
        except ParseError:
            continue
        unit = number.unit or ""
        if match[0] == "一" + unit and "百分点" not in unit:
            continue  # "一次性", "一件件": the article, not a count
        yield number, match.start(), match.end()


# A footnote mark after a figure's words (常住人口[4]55.27万人): no number, and no word. A web
# page that drops the superscript leaves a bare digit between the words and 为 and the
# figure (总人口2为545597人); a 第/前/后/近/约 before it makes it a place or an amount.
FOOTNOTE_MARK = (
    r"(?:[\[［]\s*[0-9]{1,2}\s*[\]］]"
    r"|(?<=[\u4e00-\u9fff])(?<![第前后近约共占达超])[1-9](?=为\s*[0-9]))"
)


@lru_cache(maxsize=1)
def _mask_res() -> tuple[re.Pattern[str], ...]:
    sep = r"\s*[-—–~～至到]+\s*"
    return tuple(
        re.compile(p, re.MULTILINE)
        for p in (
            r"(?<![0-9])[0-9]{4}\s*年",
            r"(?<![0-9])[0-9]{4}\s*[-./]\s*[0-9]{1,2}\s*[-./]\s*[0-9]{1,2}(?![0-9])",
            rf"(?<![0-9.])[0-9]{{1,2}}{sep}[0-9]{{1,2}}\s*[月日号]",
            rf"(?<![0-9.])(?:1[0-2]|0?[1-9])\.[0-3]?[0-9]{sep}(?:1[0-2]|0?[1-9])\.[0-3]?[0-9](?![0-9])",
            r"(?<![0-9.])[0-9]{1,2}\s*(?:月|日(?!均)|号|季度)",
            r"(?<![0-9])[0-9]{1,2}[:：][0-9]{2}(?![0-9])",
            r"(?:电话|手机|传真|联系方式)\s*[:：]?\s*[0-9()（）\- ]{7,}",
            r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])",
            r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])",
            r"[〔\[［(（]\s*[0-9]{4}\s*[〕\]］)）]\s*[0-9]+\s*号",
            r"[（(]\s*[0-9]{1,2}\s*[)）]",
            FOOTNOTE_MARK,
            r"^\s*[0-9]{1,2}\s*[.、](?![0-9])",
            r"附\s*[件表]\s*[0-9]+",
            # a code or model (PM2.5, G20), unless a count unit follows ("手机APP114件"); from
            # a word's first letter only: tried at every letter of a long run of letters,
            # [A-Za-z]+ would cost the square of its length
            rf"(?<![A-Za-z])[A-Za-z]+(?:/[A-Za-z]+)?\s*[0-9][0-9.\-]*(?![0-9.\-]*\s*(?:{COUNT_UNITS}))",
            r"(?<![0-9])[0-9]{3,5}\s*[”\"」]?\s*(?:热线|服务热线)",
        )
    )


def _masked_spans(folded: str) -> list[tuple[int, int]]:
    spans = [m.span() for rx in _mask_res() for m in rx.finditer(folded)]
    spans += [m.span() for m in _hotline_re().finditer(folded) if m[1] in hotlines()]
    return spans


@lru_cache(maxsize=1)
def _hotline_re() -> re.Pattern[str]:
    # A hotline number followed by a unit ("12315 件") is a count after all, and so is one
    # with a sign, a decimal part or a percent sign ("-12319.00%").
    return re.compile(
        rf"(?<![0-9.\-−+])([0-9]{{3,5}})(?![0-9]|[.][0-9]|\s*%)"
        rf"(?!{SPACE}(?:{_unit_alternatives()}))"
    )
