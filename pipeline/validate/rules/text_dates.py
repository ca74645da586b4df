"""Dates and periods the narrative prints: dates that cannot exist, dates after the
publication date, and a body that speaks of another period than its title.

DATE001: "2月30日", "4月31日", "13月5日": a date no calendar has is a misprint.

DATE002: a bulletin cannot be published before a day its text speaks of as past: the
day its figures were counted to ("截至9月3日"), a day that opens a sentence saying
something was counted ("9月3日，……经统计显示"), or the end of the span its figures
cover ("（7月1日-8月31日）"). A date printed without a year takes the publication's;
one more than six months after it is read as last year's and left alone. A web page's
posting date (RawMetadata.date_posted) may differ from the bulletin's own: then the
finding is a warning, as PERIOD003's is.

PERIOD004: the title names a period ("2025年3月") and the body opens its figures with
another that does not overlap it ("2月份，共受理…"): one of the two is misprinted, or
the body names the month it was written in. A warning, since either may be meant.

The words live in `pipeline/data/text_dates.json`; a missing or malformed file raises
ConfigError.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import (
    Checked,
    Evidence,
    Normalized,
    Paragraph,
    Period,
    Problem,
    QuantityKind,
    Severity,
    Source,
    Span,
)
from pipeline.normalize.periods import find_periods
from pipeline.normalize.script import fold_text
from pipeline.validate.registry import rule

DATA = Path(__file__).resolve().parents[2] / "data" / "text_dates.json"
DAY = re.compile(r"(?:(?<!\d)((?:19|20)\d{2})\s*年\s*)?(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# not from inside a run of spaces (its cost would grow with the square of the run)
RANGE_TAIL = re.compile(r"(?:(?!\s)|(?<!\s))\s*[-—–~～至到]\s*$")
LAST_YEAR_MONTHS = 6  # a yearless date this far after publication is last year's


@dataclass(frozen=True, slots=True)
class DateWords:
    cutoff: tuple[str, ...]
    counted: tuple[str, ...]
    reference: tuple[str, ...]  # 为标准时点: the moment a census counted to
    future: tuple[str, ...]  # 将以…为标准时点: a count still to come
    announce: tuple[str, ...]  # 通报如下: the sentence that introduces the figures
    announced: tuple[str, ...]  # 情况 after the period of the figures it introduces
    annual_titles: tuple[str, ...]  # 统计公报: a title that reports on the year it names


@cache
def date_words() -> DateWords:
    """The words of text_dates.json, read once. Raises ConfigError on a bad file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return DateWords(
            cutoff=tuple(raw["cutoff"]),
            counted=tuple(raw["counted"]),
            reference=tuple(raw["reference"]),
            future=tuple(raw["future"]),
            announce=tuple(raw["announce"]),
            announced=tuple(raw["announced"]),
            annual_titles=tuple(raw["annual_titles"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed date words ({exc!r})") from exc


@dataclass(frozen=True, slots=True)
class PrintedDay:
    text: str
    year: int | None
    month: int
    day: int
    start: int
    end: int
    paragraph: Paragraph

    def exists(self) -> bool:
        if not 1 <= self.month <= 12 or self.day < 1:
            return False
        year = self.year if self.year is not None else 2000  # a leap year: 2月29日 may exist
        return self.day <= calendar.monthrange(year, self.month)[1]

    def evidence(self, norm: Normalized) -> Evidence:
        source = norm.document.lines[self.paragraph.line_at(self.start)].source
        return Evidence(source, self.text)

    def span(self, norm: Normalized) -> Span:
        return Span(self.text, norm.document.lines[self.paragraph.line_at(self.start)].source)


def printed_days(norm: Normalized) -> Iterator[PrintedDay]:
    for paragraph in norm.paragraphs:
        for m in DAY.finditer(fold_text(paragraph.text)):
            year = int(m.group(1)) if m.group(1) else None
            yield PrintedDay(
                paragraph.text[m.start() : m.end()],
                year,
                int(m.group(2)),
                int(m.group(3)),
                m.start(),
                m.end(),
                paragraph,
            )


@rule("DATE001", Severity.ERROR, "a date printed in the text exists")
def check_impossible_dates(norm: Normalized) -> Iterator[Problem | Checked]:
    for d in printed_days(norm):
        if d.exists():
            continue
        yield Problem(
            message=f"the text prints {d.text}, a date no calendar has",
            evidence=(d.evidence(norm),),
            reported=d.text,
            expected="a day of the month",
            explanation=f"month {d.month} has no day {d.day}" if d.month <= 12 else None,
        )


REFERENCE_REACH = 12  # "2024年11月1日零时为标准时点": the words follow the day closely


def _past(d: PrintedDay) -> str | None:
    """Why the text speaks of `d` as past, or None."""
    text = fold_text(d.paragraph.text)
    words = date_words()
    before = text[max(0, d.start - 6) : d.start]
    if any(before.rstrip("：: ").endswith(w) for w in words.cutoff):
        return "the day its figures were counted to"
    if RANGE_TAIL.search(text[max(0, d.start - 3) : d.start]) and DAY.search(
        text[max(0, d.start - 14) : d.start]
    ):
        return "the end of the span its figures cover"
    if any(w in text[d.end : d.end + REFERENCE_REACH] for w in words.reference):
        ahead = any(w in text[max(0, d.start - REFERENCE_REACH) : d.start] for w in words.future)
        return None if ahead else "the reference time its count was taken at"
    opens = d.start == 0 or text[d.start - 1] in "。！？\n" or not text[: d.start].strip()
    after = text[d.end : d.end + 24]
    if opens and after[:1] in "，," and any(w in after for w in words.counted):
        return "a day on which the text says figures were counted"
    return None


def _when(d: PrintedDay, published: date) -> date | None:
    if not d.exists():
        return None
    year = d.year if d.year is not None else published.year
    day = date(year, d.month, d.day)
    if d.year is None and (day - published).days > LAST_YEAR_MONTHS * 30:
        return None  # "12月31日" in a January bulletin: last year's
    return day


@rule("DATE002", Severity.ERROR, "a bulletin is published after the days its text reports as past")
def check_dates_before_publication(norm: Normalized) -> Iterator[Problem | Checked]:
    meta = norm.metadata
    if meta.published is None:
        return
    for d in printed_days(norm):
        why = _past(d)
        day = _when(d, meta.published) if why else None
        if day is None or why is None:
            continue
        yield Checked((d.span(norm),))
        if day <= meta.published:
            continue
        posted = meta.published_posted
        yield Problem(
            message=(
                f"published {meta.published.isoformat()}, before {d.text} ({day.isoformat()}), "
                f"{why}"
            ),
            evidence=(d.evidence(norm),),
            reported=meta.published.isoformat(),
            expected=f"on or after {day.isoformat()}",
            explanation=(
                "the date is the web page's posting date, which may differ from the bulletin's"
                if posted
                else "the publication date or the date in the text is misprinted"
            ),
            severity=Severity.WARNING if posted else None,
        )


MIN_PERIOD_DAYS = 27  # a month or longer: a single day in the body is an event, not a period


@rule("PERIOD004", Severity.WARNING, "the body's first figures are for the period the title names")
def check_body_period(norm: Normalized) -> Iterator[Problem | Checked]:
    title, published = norm.metadata.title, norm.metadata.published
    if title is None:
        return
    # a yearless period takes the year the other one prints: "1-12月" under a "2020年"
    # title is 2020's; a title without a year ("二月情况通报") takes the body's
    said = find_periods(title.text, default_year=None)
    year = said[0][0].start.year if said else published.year if published else None
    found = _opening_period(norm, year)
    if found is None:
        return
    body, source = found
    said = said or find_periods(title.text, default_year=body.start.year)
    if not said:
        return
    period = said[0][0]
    if (body.end - body.start).days < MIN_PERIOD_DAYS:
        return
    if body.end >= period.start and body.start <= period.end:
        # the same period, a part of it or one holding it; but the sentence that announces
        # the figures names the whole (a quarter's words left in a half-year's bulletin)
        yield from _announced_part(norm, period, title.source, body.start.year)
        return
    yield Problem(
        message=(
            f"the title reports on {period.text} ({period.start.isoformat()}.."
            f"{period.end.isoformat()}), but the body's first figures are for {body.text}"
        ),
        evidence=(
            Evidence(title.source, period.text),
            Evidence(source, body.text),
        ),
        reported=period.text,
        expected=body.text,
        explanation="the title or the body names the wrong period; the body's period may also "
        "be the month it was written in",
    )


def _opening_period(norm: Normalized, year: int | None) -> tuple[Period, Source] | None:
    """The period printed before the first count of the first paragraph that has one."""
    paragraphs = norm.paragraphs
    first = next((q for q in norm.quantities if q.kind is QuantityKind.COUNT), None)
    if first is None:
        return None
    paragraph = paragraphs[first.paragraph]
    found = find_periods(fold_text(paragraph.text[: first.start]), default_year=year)
    if not found:
        return None
    period, start, _ = found[0]
    return period, norm.document.lines[paragraph.line_at(start)].source


def _announced_part(
    norm: Normalized, period: Period, title: Source, year: int
) -> Iterator[Problem]:
    """The sentence that announces the figures (…情况通报如下), printed before the first
    count, names one period of them only (第一季度情况), a strict part of the title's: the
    title's half year announced as its first quarter."""
    first = next((q for q in norm.quantities if q.kind is QuantityKind.COUNT), None)
    words = date_words().announce
    for paragraph in norm.paragraphs[: first.paragraph if first is not None else None]:
        text = fold_text(paragraph.text)
        end = min((i for w in words if (i := text.find(w)) >= 0), default=-1)
        if end < 0:
            continue
        start = max(text.rfind(c, 0, end) for c in "。！？") + 1
        sentence = text[start:end]
        found = [
            f
            for f in find_periods(sentence, default_year=year)
            if sentence[f[2] :].startswith(date_words().announced)
        ]
        if len(found) != 1:
            return
        part = found[0][0]
        inside = period.start <= part.start and part.end <= period.end
        if not inside or (part.start, part.end) == (period.start, period.end):
            return
        if (part.end - part.start).days < MIN_PERIOD_DAYS:
            return
        source = norm.document.lines[paragraph.line_at(start + found[0][1])].source
        yield Problem(
            message=(
                f"the title reports on {period.text}, but the sentence that announces the "
                f"figures names {part.text}, a part of it"
            ),
            evidence=(Evidence(title, period.text), Evidence(source, part.text)),
            reported=period.text,
            expected=part.text,
            explanation="words of a shorter period's bulletin may be left in the text",
        )
        return
