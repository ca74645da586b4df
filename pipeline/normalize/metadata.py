"""Raw metadata spans to resolved metadata: publication date, reporting period, district."""

from __future__ import annotations

import re
from datetime import date

from pipeline.errors import ParseError
from pipeline.model import Document, Metadata, Period, Source
from pipeline.normalize.periods import find_periods, parse_date

# An issuer such as "<city>市<district>区人民政府办公室": the county-level unit.
DISTRICT = re.compile(r"^(?:.+?省)?(?:.+?(?:市|州|盟))?(?P<district>[^市省]+?(?:区|县|旗))")
BODY_LINES_FOR_PERIOD = 6


def district_of(issuer: str | None) -> str | None:
    """The county-level unit named at the start of an issuer, if any."""
    if not issuer:
        return None
    m = DISTRICT.match(issuer.replace(" ", ""))
    return m.group("district") if m else None


def resolve_metadata(doc: Document) -> Metadata:
    """Parse the publication date and the reporting period the document states."""
    raw = doc.metadata
    published = None
    if raw.date is not None:
        try:
            published = parse_date(raw.date.text)
        except ParseError:
            published = None
    period, period_source = _reporting_period(doc, published)
    return Metadata(
        issuer=raw.issuer,
        doc_number=raw.doc_number,
        title=raw.title,
        recipients=raw.recipients,
        signature=raw.signature,
        period=period,
        period_source=period_source,
        published=published,
        published_source=raw.date.source if raw.date else None,
        published_posted=raw.date_posted,
        district=district_of(raw.issuer.text if raw.issuer else None),
    )


def _reporting_period(doc: Document, published: date | None) -> tuple[Period | None, Source | None]:
    """The period the title names; failing that, the first one the body opens with."""
    candidates = []
    if doc.metadata.title is not None:
        candidates.append((doc.metadata.title.text, doc.metadata.title.source))
    candidates.extend((ln.text, ln.source) for ln in doc.lines[:BODY_LINES_FOR_PERIOD])
    for text, source in candidates:
        period = _first_period(text, published)
        if period is not None:
            return period, source
    return None, None


def _first_period(text: str, published: date | None) -> Period | None:
    """The first period of `text`; one printed without a year takes the publication's,
    or the year before when that would start it after publication ("12月" published in
    January)."""
    year = published.year if published else None
    found = find_periods(text, default_year=year)
    if not found:
        return None
    period = found[0][0]
    if published is not None and year is not None and period.start > published:
        earlier = find_periods(text, default_year=year - 1)
        if earlier and earlier[0][0].start <= published:
            return earlier[0][0]
    return period
