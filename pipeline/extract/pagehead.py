"""What a web page prints around a bulletin: site chrome, the title and the publication date.

A bulletin saved from a government site (as HTML or as a plain-text copy) keeps the
site's chrome: breadcrumbs (当前位置: 首页 > ...), a line of fields (发布日期, 来源,
浏览次数, 字号 大 中 小), share and print buttons, a footer. None of it is the title
or the body; the publication date it prints is the page's. The words that make a
chrome line live in `pipeline/data/chrome.json` (its description says how a line is
judged); a missing or malformed file raises ConfigError.

The title of such a page is a short line above the body that names a bulletin
(通报, 情况, 报告, ...), with the line above it when that one only opens the title
(a place and a year, broken off) and the bracketed lines below it ("(第8期)").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError

DATA = Path(__file__).resolve().parents[1] / "data" / "chrome.json"
SHORT = 80  # a line longer than this (characters) is text, never chrome
STAMP_REST = 16  # a timestamp line holds at most this many other characters
TITLE_MAX = 60  # a title line is at most this long
OPENER = (6, 30)  # a line that opens a title broken over two lines: its length range
OPENER_CJK = 4  # ... and at least this many Chinese characters (a place and a year)
CJK = re.compile(r"[\u3400-\u9fff]")
TOP_LINES = 10  # the title is looked for among this many lines above the body
PINYIN = re.compile(r"\([a-z\u00e0-\u00fc\u0101-\u01dc]+\)")  # 發(fā)布 on mirror sites
BULLETS = "•·●◆■□-*–—>》 \t\u3000\xa0"
SEPARATORS = re.compile(r"[\s|｜/·•【】\[\]〖〗()（）:：,，、\-]+")
PIXELS = re.compile(r"^\d+\s*px$")
DATE = re.compile(r"[0-9０-９]{4}\s*[-/.年]\s*[0-9０-９]{1,2}\s*[-/.月]\s*[0-9０-９]{1,2}\s*日?")
ISO_DATE = re.compile(r"(?<![0-9])[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?![0-9])")
CLOCK = re.compile(r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?")
SENTENCE = re.compile(r"[。，,；;！!？?]")
CLAUSE = re.compile(r"[。，,；;]")  # a title may exclaim or ask, never run on
SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、\s])"
)
BRACKETED = re.compile(r"^[（(][^()（）]{1,28}[)）]$")


@dataclass(frozen=True, slots=True)
class ChromeWords:
    """The chrome vocabulary, compiled."""

    starts: re.Pattern[str]  # a breadcrumbs word or a field opening the line
    field_anywhere: re.Pattern[str]  # a field and its colon anywhere in a short line
    home_path: re.Pattern[str]
    published: tuple[re.Pattern[str], ...]  # best first; group "date" is the printed date
    buttons: tuple[str, ...]  # longest first
    social: tuple[str, ...]  # buttons only beside another button
    other_dated: re.Pattern[str]  # a date printed after a field that is not a publication
    prefixes: tuple[str, ...]
    anywhere: tuple[str, ...]
    title_words: tuple[str, ...]
    field_alone: re.Pattern[str]  # a field with nothing after it: its value is below
    named: re.Pattern[str]  # a title field; group "title" is its value


def _spaced(word: str) -> str:
    """A word that may be printed with spaces between its characters (索 引 号)."""
    return r"\s*".join(re.escape(ch) for ch in word)


def _alternation(words: Sequence[str]) -> str:
    return "|".join(_spaced(w) for w in sorted(words, key=len, reverse=True))


@cache
def chrome_words() -> ChromeWords:
    """The chrome vocabulary, read once. Raises ConfigError on a bad data file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        fields = _alternation(raw["fields"])
        others = _alternation([w for w in raw["fields"] if w not in raw["published_fields"]])
        dated = _alternation(raw["dated_fields"])
        date = r"\s*[:：|]?\s*\|?\s*(?P<date>" + DATE.pattern + ")"
        return ChromeWords(
            starts=re.compile(
                rf"^(?:(?:{_alternation(raw['breadcrumbs'])})"
                rf"|(?:{fields})\s*(?:[:：|]|\s+\S)|(?:{dated}){date})"
            ),
            field_anywhere=re.compile(
                rf"(?:{fields})\s*[:：]|(?:{dated})\s*[:：]\s*{DATE.pattern}"
            ),
            home_path=re.compile(rf"(?:{_alternation(raw['home'])})\s*(?:>|＞|»|/|→)"),
            published=tuple(
                re.compile(rf"(?:^|[^\w])(?:{_spaced(w)}){date}") for w in raw["published_fields"]
            ),
            buttons=tuple(sorted(raw["buttons"], key=len, reverse=True)),
            social=tuple(raw["social"]),
            other_dated=re.compile(rf"(?:{others}){date}"),
            prefixes=tuple(raw["prefixes"]),
            anywhere=tuple(raw["anywhere"]),
            title_words=tuple(raw["title_words"]),
            field_alone=re.compile(rf"^(?:{_alternation(raw['fields_alone'])})\s*[:：]?$"),
            named=re.compile(
                rf"^(?:{_alternation(raw['title_fields'])})\s*[:：|]?\s*\|?\s*(?P<title>[^|]+)"
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"{DATA}: malformed chrome vocabulary ({exc!r})") from exc


def _fold(text: str) -> str:
    """The line as matched: NFKC, without pinyin annotations and leading bullets."""
    return PINYIN.sub("", unicodedata.normalize("NFKC", text)).strip(BULLETS)


def is_chrome(text: str) -> bool:
    """True for a line that the site prints around the article (chrome.json says which)."""
    line = _fold(text)
    if not line or len(line) > SHORT:
        return False
    words = chrome_words()
    return bool(
        words.starts.match(line)
        or words.field_alone.match(line)
        or line.startswith(words.prefixes)
        or any(w in line for w in words.anywhere)
        or PIXELS.match(line)
        or (not SENTENCE.search(line) and words.field_anywhere.search(line))
        or words.home_path.search(line)
        or _only_buttons(line, words)
        or _is_stamp(line)
    )


def _only_buttons(line: str, words: ChromeWords) -> bool:
    rest = line
    for word in words.buttons:
        rest = rest.replace(word, " ")
    if rest == line:
        return False
    rest = SEPARATORS.sub("", rest)
    for word in words.social:
        rest = rest.replace(word, "")
    return not rest


def _is_stamp(line: str) -> bool:
    """A date (and time) with a site's name or a count beside it: 2019-07-20 某某网."""
    dates = ISO_DATE.findall(line)
    if len(dates) != 1 or SENTENCE.search(line.rstrip(",，")):
        return False
    rest = CLOCK.sub("", ISO_DATE.sub("", line))
    return len(SEPARATORS.sub("", rest)) <= STAMP_REST


@dataclass(frozen=True, slots=True)
class Chrome:
    """What the chrome of a page says: which lines it is, the publication date and
    the title a field names (each with the index of the line that printed it)."""

    lines: tuple[bool, ...]
    published: tuple[int, str] | None
    named_title: tuple[int, str] | None


def read_chrome(texts: Sequence[str]) -> Chrome:
    """The chrome among the lines of a page, in reading order (see chrome.json)."""
    words = chrome_words()
    flags = [is_chrome(t) for t in texts]
    dates: list[tuple[int, int, str]] = []  # (rank, line, printed)
    named: tuple[int, str] | None = None
    for i, text in enumerate(texts):
        if not flags[i]:
            continue
        folded = _fold(text)
        value = texts[i + 1] if i + 1 < len(texts) else ""
        if words.field_alone.match(folded) and value.strip() and len(_fold(value)) <= SHORT:
            flags[i + 1] = True
            found = published_date(f"{folded}:{_fold(value)}")
            if found is not None:
                dates.append((found[0], i + 1, _fold(value)))
            continue
        found = published_date(text)
        if found is not None:
            dates.append((found[0], i, found[1]))
        m = words.named.match(folded)
        if named is None and m and names_bulletin(m.group("title")):
            named = i, m.group("title").strip()
    best = min(dates, default=None)
    return Chrome(tuple(flags), (best[1], best[2]) if best else None, named)


def published_date(text: str) -> tuple[int, str] | None:
    """The publication date a chrome line prints, as printed, with its field's rank
    (0 is the best field: 发布日期); a date after no field ranks last, one after another
    field (归档时间) is none. None when the line is no chrome or prints no such date."""
    if not is_chrome(text):
        return None
    line = PINYIN.sub("", text)
    folded = unicodedata.normalize("NFKC", line)
    fields = chrome_words().published
    for rank, pattern in enumerate(fields):
        m = pattern.search(folded)
        if m:
            return rank, _printed(line, folded, m.start("date"), m.end("date"))
    m = DATE.search(folded)
    if m is None or chrome_words().other_dated.search(folded):
        return None
    return len(fields), _printed(line, folded, m.start(), m.end())


def _printed(line: str, folded: str, start: int, end: int) -> str:
    """The printed text of a span found in the NFKC form (the same length when it is digits)."""
    printed = line[start:end] if len(line) == len(folded) else folded[start:end]
    return printed.strip()


def names_bulletin(text: str) -> bool:
    """True for a line naming a bulletin: it holds a title word (通报, 情况, 报告, ...)."""
    return any(w in text for w in chrome_words().title_words)


def title_range(texts: Sequence[str]) -> tuple[int, int] | None:
    """The title among the first lines, above the first line of body text.

    Returns (first, end) line indices, end exclusive, or None. Chrome lines must be
    left out of `texts` beforehand.
    """
    top = next((i for i, t in enumerate(texts) if _is_body(t)), len(texts))
    for i in range(min(top, TOP_LINES)):
        if _is_title(texts[i]):
            first = i - 1 if i > 0 and _opens_title(texts[i - 1]) else i
            end = i + 1
            while end < len(texts) and BRACKETED.match(texts[end].strip()):
                end += 1
            return first, end
    return None


def _is_body(text: str) -> bool:
    line = _fold(text)
    return (
        len(line) > TITLE_MAX
        or "。" in line
        or line.endswith((":", "："))
        or bool(SECTION.match(line))
    )


def _is_title(text: str) -> bool:
    line = _fold(text)
    return (
        not _is_body(text)
        and not CLAUSE.search(line)
        and not BRACKETED.match(line)
        and names_bulletin(line)
    )


def _opens_title(text: str) -> bool:
    line = _fold(text)
    return (
        OPENER[0] <= len(line) <= OPENER[1]
        and not SENTENCE.search(line)
        and not BRACKETED.match(line)
        and not names_bulletin(line)
        and any(ch.isdigit() for ch in line)
        and len(CJK.findall(line)) >= OPENER_CJK
        and not line.endswith((":", "："))
    )
