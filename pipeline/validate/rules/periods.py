"""Dates and periods: what the body announces, what the attachments say, when it was published."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.model import Normalized, Period, Problem, Severity
from pipeline.normalize.periods import find_periods
from pipeline.normalize.script import fold_text
from pipeline.validate.facts import evidence, table_label
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_dates import date_words


def _say(p: Period) -> str:
    if p.start.day == 1 and p.start.month == p.end.month and p.start.year == p.end.year:
        return f"{p.start.year}-{p.start.month:02d}"
    return f"{p.start.isoformat()}..{p.end.isoformat()}"


def _nested(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _year(norm: Normalized) -> int | None:
    meta = norm.metadata
    if meta.period is not None:
        return meta.period.start.year
    return meta.published.year if meta.published else None


@rule("PERIOD001", Severity.ERROR, "the body announces each attachment for the period it covers")
def check_attachment_notes(norm: Normalized) -> Iterator[Problem]:
    for note in norm.document.attachment_notes:
        announced = find_periods(note.title, default_year=_year(norm))
        tables = [t for t in norm.tables if t.table.attachment == note.label and t.period]
        if not announced or not tables:
            continue
        said, actual = announced[0][0], tables[0].period
        assert actual is not None
        if (said.start, said.end) == (actual.start, actual.end):
            continue
        table = tables[0]
        title_source = table.table.header_rows[0][0].source if table.table.header_rows else None
        proofs = [evidence(note.source, f"{note.label}：{note.title}")]
        if title_source is not None:
            proofs.append(evidence(title_source, table.table.title))
        yield Problem(
            message=(
                f"the body announces {note.label} as a table for {_say(said)}, "
                f"but the attachment is titled for {_say(actual)}"
            ),
            evidence=tuple(proofs),
            reported=said.text,
            expected=actual.text,
            explanation=_which(norm, said, actual),
            table=table_label(table),
        )


def _which(norm: Normalized, said: Period, actual: Period) -> str | None:
    doc = norm.metadata.period
    if doc is None:
        return None
    if (doc.start, doc.end) == (actual.start, actual.end):
        return f"the document reports on {_say(doc)}, as the attachment does; the note is wrong"
    if (doc.start, doc.end) == (said.start, said.end):
        return (
            f"the document reports on {_say(doc)}, as the note does; the attachment title is wrong"
        )
    return None


@rule("PERIOD002", Severity.WARNING, "each table covers the document's reporting period")
def check_table_periods(norm: Normalized) -> Iterator[Problem]:
    doc = norm.metadata.period
    if doc is None:
        return
    for table in norm.tables:
        p = table.period
        if p is None or (p.start, p.end) == (doc.start, doc.end):
            continue
        if _nested(p, doc) or _nested(doc, p):
            continue  # a part of the period, or a cumulative table that contains it
        yield Problem(
            message=(
                f"{table_label(table)} is titled for {_say(p)}, the document reports on {_say(doc)}"
            ),
            evidence=(evidence(table.table.body_rows[0][0].source, table.table.title),)
            if table.table.body_rows
            else (),
            reported=p.text,
            expected=doc.text,
            table=table_label(table),
        )


@rule("PERIOD003", Severity.ERROR, "a bulletin is published after the period it reports on")
def check_publication_date(norm: Normalized) -> Iterator[Problem]:
    meta = norm.metadata
    if meta.period is None or meta.published is None or meta.published > meta.period.end:
        return
    if meta.period.start == meta.period.end == meta.published:
        return  # a day's report (督察 cases handed over that day) is out the same day
    if _bare_year(meta.period) and not _annual_title(meta.title.text if meta.title else ""):
        return  # "2020年第三轮考评": a year printed as context, not the period reported on
    posted = meta.published_posted
    if posted and (meta.period.end - meta.period.start).days > MONTH_DAYS:
        return  # a page posted inside a year or a quarter may report part of it (1-7月)
    proofs = [
        evidence(s, t)
        for s, t in (
            (meta.published_source, str(meta.published)),
            (meta.period_source, meta.period.text),
        )
        if s is not None
    ]
    yield Problem(
        message=(
            f"published {meta.published.isoformat()}, before the reporting period "
            f"{_say(meta.period)} ends"
        ),
        evidence=tuple(proofs),
        reported=meta.published.isoformat(),
        expected=f"after {meta.period.end.isoformat()}",
        explanation=(
            "the date is the web page's posting date, which a site may set before the period "
            "ends; the bulletin's own date may differ"
            if posted
            else None
        ),
        severity=Severity.WARNING if posted else None,
    )


MONTH_DAYS = 31


def _annual_title(title: str) -> bool:
    """A title of a year's report (2016年国民经济和社会发展统计公报): its year is the period."""
    folded = fold_text(title)
    return any(w in folded for w in date_words().annual_titles)


def _bare_year(period: Period) -> bool:
    """A whole-year period read from a year alone, with no word that makes it the year's
    report (全年, 年度, 1-12月)."""
    whole = (period.start.month, period.start.day, period.end.month, period.end.day) == (
        1,
        1,
        12,
        31,
    )
    return whole and not re.search(r"全年|年度|年报|1\s*[-—–至~]\s*12\s*月|12月", period.text)
