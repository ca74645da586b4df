"""The figures the cross-document checks compare, read back from stored document rows.

A `Figure` is one numeric table cell that belongs to a department, with the period it speaks
for and the tolerance its printing allows. The period is the table's, except where the column
header says otherwise: a 上月 column restates the previous period, a "1-4月累计" column covers
January to April, a 环比 column compares and is left out. Words: pipeline/data/crossdoc.json.

Departments compare only within one place: the row's department id already holds the district;
the issuer's prefix before the district (the city) tells two districts of the same name apart.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.model import Evidence, Source
from pipeline.normalize.claims import text_to_channels
from pipeline.normalize.metrics import header_weight
from pipeline.normalize.periods import find_periods
from pipeline.validate.crossdoc.rows import (
    DocumentRow,
    DocumentRows,
    FindingRow,
    MetricRow,
    bbox_column,
    evidence_column,
    row_source,
)

WORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "crossdoc.json"
Key = tuple[str, str, str, str, str]  # scope, department id, metric, channel, weight


@dataclass(frozen=True, slots=True)
class Words:
    previous_period: tuple[str, ...]
    comparison: tuple[str, ...]
    year_to_date: tuple[str, ...]
    cumulative_unclear: tuple[str, ...]
    rounded_metrics: tuple[str, ...]
    additive_metrics: frozenset[str]


@lru_cache(maxsize=1)
def words(path: Path = WORDS_FILE) -> Words:
    """The shipped vocabulary, read once. Raises ConfigError when it is unreadable or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the cross-document vocabulary ({exc})") from exc
    lists = {}
    for name in Words.__slots__:
        value = data.get(name) if isinstance(data, dict) else None
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise ConfigError(f"{path}: '{name}' must be a list of non-empty strings")
        lists[name] = value
    return Words(
        previous_period=tuple(lists["previous_period"]),
        comparison=tuple(lists["comparison"]),
        year_to_date=tuple(lists["year_to_date"]),
        cumulative_unclear=tuple(lists["cumulative_unclear"]),
        rounded_metrics=tuple(lists["rounded_metrics"]),
        additive_metrics=frozenset(lists["additive_metrics"]),
    )


# --- documents ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What the checks need of a document row; `order` places it in the archive's time line."""

    document_id: str
    source: str
    title: str
    doc_number: str
    issuer: str
    district: str | None
    scope: str
    published: str
    start: date | None
    end: date | None
    rounding: str  # the convention the audit inferred: half_up, half_even, truncate
    order: int

    @property
    def name(self) -> str:
        """How messages name the document: its number, else its file name."""
        return self.doc_number or Path(self.source).name or self.document_id[:12]


def doc_infos(heads: Iterable[DocumentRow]) -> dict[str, DocInfo]:
    """document id -> DocInfo from each document's `documents` row (its head), ordered by
    publication date, period end, then id."""
    rows = list(heads)
    rows.sort(key=lambda r: (r.published or "", r.period_end or "", r.document_id))
    scopes = _scopes(rows)
    return {
        r.document_id: DocInfo(
            document_id=r.document_id,
            source=r.source or "",
            title=r.title or "",
            doc_number=r.doc_number or "",
            issuer=r.issuer or "",
            district=r.district or None,
            scope=scopes[r.document_id],
            published=r.published or "",
            start=_date(r.period_start),
            end=_date(r.period_end),
            rounding=r.rounding or "",
            order=i,
        )
        for i, r in enumerate(rows)
    }


def _date(text: Any) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def city_of(row: DocumentRow) -> str:
    """The issuer's words before the district (绵阳市 in 绵阳市涪城区人民政府办公室), else ""."""
    district = row.district
    for text in (row.issuer or "", row.title or ""):
        if district and district in text:
            return text[: text.index(district)]
    return ""


def _scopes(rows: Iterable[DocumentRow]) -> dict[str, str]:
    """The place each document speaks for: its district, told apart by city when two share a name.

    A document whose city is not printed joins its district's one city; when documents of a
    district name several cities it stays on its own (never compared) rather than guessed.
    """
    by_district: dict[str, list[DocumentRow]] = {}
    for r in rows:
        by_district.setdefault(r.district or "", []).append(r)
    scopes = {}
    for district, members in by_district.items():
        cities = {city_of(r) for r in members} - {""}
        for r in members:
            city = city_of(r) or (next(iter(cities)) if len(cities) == 1 else "")
            alone = not district or (not city and len(cities) > 1)
            scopes[r.document_id] = f"?{r.document_id}" if alone else f"{city}{district}"
    return scopes


# --- periods -------------------------------------------------------------------


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_of(start: date, end: date) -> list[tuple[int, int]] | None:
    """The calendar months a period covers, when it runs from a first to a last day of a month."""
    if start.day != 1 or end != month_end(end.year, end.month) or end < start:
        return None
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [
        ((start.month - 1 + i) // 12 + start.year, (start.month - 1 + i) % 12 + 1)
        for i in range(count)
    ]


def previous_period(start: date, end: date) -> tuple[date, date] | None:
    """The period of the same number of whole months just before; None for other spans."""
    months = months_of(start, end)
    if months is None:
        return None
    last = start - timedelta(days=1)
    first_index = last.year * 12 + last.month - 1 - (len(months) - 1)
    return date(first_index // 12, first_index % 12 + 1, 1), last


def period_label(start: date, end: date) -> str:
    """2021-03 for a month, 2021-01..2021-04 for whole months, else the two dates."""
    months = months_of(start, end)
    if months is None:
        return f"{start.isoformat()}..{end.isoformat()}"
    first, last = months[0], months[-1]
    label = f"{first[0]}-{first[1]:02d}"
    return label if first == last else f"{label}..{last[0]}-{last[1]:02d}"


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=4096)  # a few hundred distinct headers and periods per archive
def column_period(header: str, start: date, end: date) -> tuple[date, date, bool] | None:
    """The period a column's figures are for, and whether they restate an earlier bulletin's.

    None when the column compares periods, restates a year-ago figure, or totals an unclear span.
    """
    text, vocab = _compact(header), words()
    if any(w in text for w in vocab.comparison):
        return None
    if any(w in text for w in vocab.previous_period):
        prev = previous_period(start, end)
        return (*prev, True) if prev else None
    found = find_periods(text, default_year=end.year)
    if found:
        period = found[0][0]
        inside = period.start.year == end.year and period.end <= end
        return (period.start, period.end, False) if inside else None
    if any(w in text for w in vocab.year_to_date):
        return date(end.year, 1, 1), end, False
    if any(w in text for w in vocab.cumulative_unclear):
        return None
    return start, end, False


# --- figures -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """A department's printed figure for one period, with the interval its printing allows.

    `value` is in plain units (0.933 for 93.3%); [lo, hi) is the interval a rounded figure
    stands for under its document's rounding; an exact count has lo = hi = value.
    """

    doc: DocInfo
    department_id: str
    department: str
    metric: str
    channel: str
    weight: str
    start: date
    end: date
    value: Decimal
    text: str  # the cell exactly as printed
    shown: str  # its digits in ASCII with the % sign: how messages quote it
    lo: Decimal
    hi: Decimal
    exact: bool
    restated: bool
    table: str
    table_index: int
    row: int
    column: int
    header: str
    source: Source  # where the cell was printed, as its dataset row says (row_source)

    @property
    def key(self) -> Key:
        return (self.doc.scope, self.department_id, self.metric, self.channel, self.weight)

    @property
    def where(self) -> str:
        """Where it was printed: "gen-0007.pdf p.4 附件1 row 3 最终得分"."""
        page = f" p.{self.source.page}"
        return f"{Path(self.doc.source).name}{page} {self.table} row {self.row} {self.column_label}"

    @property
    def column_label(self) -> str:
        return self.header.replace(" / ", "/")

    def agrees(self, other: Figure) -> bool:
        """Both printings can stand for the same true value."""
        if self.exact and other.exact:
            return self.value == other.value
        if self.exact:
            return other.lo <= self.value < other.hi
        if other.exact:
            return self.lo <= other.value < self.hi
        return self.lo < other.hi and other.lo < self.hi


def document_figures(doc: DocumentRows, info: DocInfo) -> list[Figure]:
    """One document's department figures with a known period and metric."""
    metrics = doc.metrics
    channels = table_channels(metrics)
    return [f for row in metrics if (f := _figure(row, info, channels)) is not None]


def table_channels(metrics: Iterable[MetricRow]) -> dict[int, str]:
    """table index -> the channels its title or headers name (hotline, mailbox, ...).

    A table that names none is keyed by its label instead, so that it meets only the table of
    the same label in another bulletin of the same series, never a table of another channel.
    """
    texts: dict[int, list[str]] = {}
    labels: dict[int, str] = {}
    for row in metrics:
        index = row.table_index
        labels.setdefault(index, row.table or "")
        title = row.table_title or row.table or ""
        texts.setdefault(index, [title]).append(row.header or "")
    out = {}
    for index, parts in texts.items():
        title_channels = text_to_channels(parts[0])
        found = title_channels or tuple(c for p in parts[1:] for c in text_to_channels(p))
        names = sorted(set(found))
        out[index] = sys.intern("+".join(names) if names else f"table {labels[index]}")
    return out


def _figure(row: MetricRow, info: DocInfo, channels: dict[int, str]) -> Figure | None:
    metric, dept = row.metric, row.department_id
    start, end = _date(row.period_start), _date(row.period_end)
    if not metric or not dept or row.is_total or row.unaligned:
        return None
    if start is None or end is None or row.value is None:
        return None
    header = row.header or ""
    period = column_period(header, start, end)
    if period is None:
        return None
    try:
        digits = Decimal(str(row.value))
    except InvalidOperation:
        return None
    factor = Decimal(row.scale or 1) / (100 if row.percent else 1)
    ulp = _unit_in_last_place(digits) * factor
    exact = ulp == 1 and factor == 1 and not metric.startswith(words().rounded_metrics)
    value = digits * factor
    lo, hi = (value, value) if exact else rounding_interval(value, ulp, info.rounding)
    weight = _weight(header) if metric.startswith("score") else ""
    text = row.text or str(row.value)
    shown = str(row.value) + ("%" if row.percent else "")
    # An archive's figures are held together per place: names repeat in every row, so each
    # distinct string is kept once.
    return Figure(
        doc=info,
        department_id=sys.intern(str(dept)),
        department=sys.intern(row.department or ""),
        metric=sys.intern(str(metric)),
        channel=channels[row.table_index],
        weight=weight,
        start=period[0],
        end=period[1],
        value=value,
        text=text,
        shown=text if text == shown else shown,
        lo=lo,
        hi=hi,
        exact=exact,
        restated=period[2],
        table=sys.intern(row.table or ""),
        table_index=int(row.table_index),
        row=int(row.row),
        column=int(row.column_index or 0),
        header=sys.intern(header),
        source=row_source(row),
    )


def rounding_interval(value: Decimal, ulp: Decimal, rounding: str) -> tuple[Decimal, Decimal]:
    """[lo, hi) of the true values that print as `value` under the document's rounding.

    Half-up (and half-even) centre the interval on the printed value, truncation starts it
    there; an unknown convention allows either.
    """
    if rounding in ("half_up", "half_even"):
        return value - ulp / 2, value + ulp / 2
    if rounding == "truncate":
        return value, value + ulp
    return value - ulp / 2, value + ulp


@lru_cache(maxsize=4096)
def _weight(header: str) -> str:
    """The points a score column is worth, "" when its header prints none."""
    weight = header_weight(tuple(header.split(" / ")))
    return str(weight) if weight is not None else ""


def _unit_in_last_place(digits: Decimal) -> Decimal:
    exponent = digits.as_tuple().exponent
    return Decimal(1).scaleb(exponent) if isinstance(exponent, int) else Decimal(1)


def representative(group: Sequence[Figure]) -> Figure | None:
    """The figure a document prints for a key and period, None when its printings disagree.

    A document may print the same count in several tables; when they differ the document is
    ambiguous (its own rules report that) and the cross-document checks leave it out.
    """
    ordered = sorted(group, key=lambda f: (f.restated, f.table_index, f.row, f.column))
    first = ordered[0]
    return first if all(first.agrees(f) for f in ordered[1:]) else None


def by_document(group: Iterable[Figure]) -> list[Figure]:
    """One representative figure per document (documents with ambiguous printings dropped)."""
    per_doc: dict[str, list[Figure]] = {}
    for f in group:
        per_doc.setdefault(f.doc.document_id, []).append(f)
    reps = [representative(g) for g in per_doc.values()]
    return sorted((r for r in reps if r is not None), key=lambda f: f.doc.order)


def consensus(group: Iterable[Figure]) -> list[Figure] | None:
    """The documents' figures for one key and period when they all agree, else None."""
    reps = by_document(group)
    if not reps or not all(reps[0].agrees(r) for r in reps[1:]):
        return None
    return reps


# --- finding rows --------------------------------------------------------------


# A piece of evidence and the document it is in.
DocumentEvidence = tuple[str, Evidence]


def evidence_of(f: Figure) -> DocumentEvidence:
    """One piece of evidence of a cross-document finding, naming its document."""
    return f.doc.document_id, Evidence(f.source, f"{f.where}: {f.text}")


def finding_row(
    rule: str,
    severity: str,
    *,
    at: Figure | None,
    message: str,
    explanation: str,
    evidence: Sequence[DocumentEvidence],
    places: Sequence[Any],
    reported: str | None = None,
    expected: str | None = None,
    document_id: str | None = None,
    department_id: str | None = None,
    department: str | None = None,
) -> FindingRow:
    """A row of the findings table; `at` is the figure the finding points at.

    The id hashes the rule and every place involved, so the same conflict keeps its id
    from one build to the next whatever order the documents were processed in.
    """
    first = evidence[0][1] if evidence else None
    return FindingRow(
        finding_id=finding_id(rule, places),
        document_id=document_id
        if document_id is not None
        else (at.doc.document_id if at else None),
        rule=rule,
        severity=severity,
        message=message,
        reported=reported,
        expected=expected,
        explanation=explanation,
        table=at.table if at else None,
        row=at.row if at else None,
        column=at.column_label if at else None,
        department=department if department is not None else (at.department if at else None),
        department_id=department_id or (at.department_id if at else None),
        page=first.page if first else None,
        bbox=bbox_column(first.bbox) if first else None,
        evidence=evidence_column(evidence),
    )


def finding_id(rule: str, places: Sequence[Any]) -> str:
    text = json.dumps([rule, *places], ensure_ascii=False, sort_keys=True, default=str)
    return rule + "-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def place(f: Figure) -> list[Any]:
    """A figure's location for finding ids: document, table, row, column."""
    return [f.doc.document_id, f.table_index, f.row, f.column]
