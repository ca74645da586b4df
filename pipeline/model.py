"""Every type that crosses a stage boundary.

Stages pass these frozen values along and return new ones; nothing here imports
from the rest of `pipeline/`. Coordinates are PDF points with a top-left origin
(x0, top, x1, bottom), as pdfplumber reports them. Pages are 1-based; for
formats without pages (HTML, DOCX, text) `page` is the block index.

The few methods here (`to_json`, `from_json`, pandas views) import their implementation,
pipeline/serialize.py and pipeline/frames.py, inside the method body: this module imports
nothing of `pipeline/` at load time, and nothing heavy (pandas) until a view is asked for.
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas

BBox = tuple[float, float, float, float]


def bbox_to_json(bbox: BBox | None) -> list[float] | None:
    """A box as every JSON, CSV and dataset row writes it: [x0, top, x1, bottom] in PDF points
    (top-left origin) rounded to 2 decimals, so that outputs stay stable; None without one."""
    return None if bbox is None else [round(v, 2) for v in bbox]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a piece of text was printed and which backend read it.

    Formats without geometry (HTML, DOCX, text) give no bbox; `index` then
    locates the text inside its block: (row, column) of a table cell, (line,) of
    a paragraph's line. Text read by OCR (`backend` "ocr-rapidocr", "ocr-tesseract")
    carries the engine's `confidence` (0..1, the lowest over its characters); text
    read from a text layer carries None.
    """

    page: int
    bbox: BBox | None
    backend: str
    index: tuple[int, ...] | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of text exactly as printed, with its provenance (also a table cell)."""

    text: str
    source: Source


Cell = Span
Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line of narrative text.

    `section` indexes `Document.sections` (None before the first heading);
    lines with the same `paragraph` number form one paragraph, which may run
    across a page break.
    """

    text: str
    source: Source
    section: int | None
    paragraph: int


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered heading of the body (一、 （一） 1.) or an attachment (附件1)."""

    number: str
    heading: str
    level: int
    source: Source
    parent: int | None


@dataclass(frozen=True, slots=True)
class AttachmentNote:
    """A line in the body that announces an attachment: "附件 2：<title>"."""

    label: str
    title: str
    source: Source


@dataclass(frozen=True, slots=True)
class Table:
    """A table as printed, stitched across pages.

    `columns` holds one header path per column (top header first). Body rows keep
    the cells as printed: a row may have more or fewer cells than `columns`.
    `notes` records what extraction did (stitching, dropped repeated headers).
    """

    title: str
    attachment: str | None
    pages: tuple[int, ...]
    header_rows: tuple[Row, ...]
    columns: tuple[tuple[str, ...], ...]
    body_rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()

    @property
    def df(self) -> pandas.DataFrame:
        """The body rows as printed (strings) under a MultiIndex of the header paths."""
        return self.frame()

    def frame(self, *, numbers: bool = False) -> pandas.DataFrame:
        """`df`, or with `numbers` each printed number as a float (12.5% -> 0.125) and the
        printed frame in `attrs["printed"]` (pipeline/frames.py)."""
        from pipeline.frames import table_frame

        return table_frame(self, numbers=numbers)

    def cells_frame(self) -> pandas.DataFrame:
        """One row per body cell: row, column, text, page, bbox, backend, confidence."""
        from pipeline.frames import cells_frame

        return cells_frame(self)


@dataclass(frozen=True, slots=True)
class RawMetadata:
    """The document parts GB/T 9704 places, as printed (parsed later)."""

    issuer: Span | None
    doc_number: Span | None
    title: Span | None
    recipients: Span | None
    signature: Span | None
    date: Span | None
    # the date is the web page's posting date (发布日期 in the site's chrome), not one the
    # bulletin signs: a page may be posted before the period it reports on has ended
    date_posted: bool = False


@dataclass(frozen=True, slots=True)
class UnreadablePage:
    """A PDF page that gave no readable text and why (NO_TEXT, IMAGE_ONLY, GARBLED), or some
    with UNMAPPED glyphs lost or a DAMAGED stream; for HTML, DOCX and text, a block left out.
    `backend` is the reader that found it so ("pdfplumber", "pdfium", else the format)."""

    page: int  # 1-based
    reason: str
    backend: str


NO_TEXT = "no readable text"
IMAGE_ONLY = "image only, no text layer (needs OCR)"
GARBLED = "text is mostly control characters, NULs, surrogates or unmapped glyphs"
UNMAPPED = "part of the text has no Unicode mapping (a font without /ToUnicode), needs OCR"
DAMAGED = "a content stream is damaged (it does not inflate whole)"
WHOLE_PAGE = (NO_TEXT, IMAGE_ONLY, GARBLED)  # nothing on such a page was read


class TextLayer(enum.StrEnum):
    """A PDF page's text layer as extract/text_layer.py judges it (FOR_OCR there go to OCR)."""

    USABLE = "usable"
    BLANK = "blank"  # no glyph and no image: nothing to read
    IMAGE_ONLY = "image only"  # no glyph but an image: a scan
    UNMAPPED = "unmapped glyphs"  # too many glyphs without a Unicode mapping
    GARBAGE = "garbage"  # too many characters no bulletin prints (a wrong encoding)
    NOT_JUDGED = "not judged"  # the page was left out past a limit before it was looked at


UNUSABLE = (TextLayer.UNMAPPED, TextLayer.GARBAGE)  # a text layer there, but not to be read


@dataclass(frozen=True, slots=True)
class Document:
    """What extraction makes of one file."""

    path: str
    sha256: str
    format: str
    pages: int
    metadata: RawMetadata
    sections: tuple[Section, ...]
    lines: tuple[Line, ...]
    attachment_notes: tuple[AttachmentNote, ...]
    tables: tuple[Table, ...]
    warnings: tuple[str, ...] = ()
    unreadable_pages: tuple[UnreadablePage, ...] = ()  # PDF pages read with no usable text
    declared_pages: int | None = None  # the page count a PDF's page tree declares (/Count)
    # PDF only, in page order: TEXT_LAYER, "ocr-<engine>" or NEEDS_OCR (nothing read)
    page_sources: tuple[str, ...] = ()
    text_layers: tuple[TextLayer, ...] = ()  # PDF only: each page's, in page order

    @property
    def text_backend(self) -> str:
        """The backend of the document's first line not read by OCR, else the format."""
        found = (ln.source.backend for ln in self.lines if not ln.source.backend.startswith("ocr"))
        return next(found, self.format)

    def to_json(self, *, indent: int | None = None) -> str:
        """What `bulletins extract [--indent N]` prints: schema bulletins.document/1, one line
        unless `indent` is given."""
        from pipeline.serialize import document_to_json

        return document_to_json(self, indent=indent)

    @staticmethod
    def from_json(data: str | bytes | Mapping[str, Any]) -> Document:
        """The Document a bulletins.document/1 JSON describes (what it cannot restore:
        docs/api.md); raises ParseError for another schema."""
        from pipeline.serialize import document_from_json

        return document_from_json(data)


TEXT_LAYER = "text"
NEEDS_OCR = "needs OCR"


# --- normalization -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Number:
    """A printed number: the digits as an exact decimal plus how it was printed.

    `value` is what the digits say (97.25 for "97.25%", 9.67 for "9.67万");
    `scale` multiplies it (10000 for 万); `percent` means value is in hundredths.
    `decimals` is the count of printed decimal places, which fixes the interval.
    """

    text: str
    value: Decimal
    decimals: int
    percent: bool = False
    scale: int = 1
    unit: str | None = None

    @property
    def exact(self) -> Decimal:
        """The quantity in plain units: 0.9725 for 97.25%, 96700 for 9.67万."""
        v = self.value * self.scale
        return v / 100 if self.percent else v


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period with inclusive start and end dates."""

    start: date
    end: date
    text: str


@dataclass(frozen=True, slots=True)
class Metadata:
    """Document metadata with dates resolved."""

    issuer: Span | None
    doc_number: Span | None
    title: Span | None
    recipients: Span | None
    signature: Span | None
    period: Period | None
    period_source: Source | None
    published: date | None
    published_source: Source | None
    district: str | None
    published_posted: bool = False  # `published` is a web page's posting date (RawMetadata)


@dataclass(frozen=True, slots=True)
class DepartmentName:
    """A printed department name and the canonical identity it was given."""

    printed: str
    canonical: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Spelling:
    """One way a department was printed, where first, and how it was resolved."""

    printed: str
    reason: str  # DepartmentName.reason: how the printed name became the canonical one
    source: Source


@dataclass(frozen=True, slots=True)
class DepartmentIdentity:
    """One department of a document, made once by normalize and used as it is by the audit,
    the dataset and the reports.

    `id` is the dataset's key for it; it is an opaque key: read `canonical` and `district`
    from here, never from the id. `spellings` holds every spelling the document prints for it
    (in a department column or in a sentence), in the order first printed.
    """

    id: str
    canonical: str
    district: str | None
    spellings: tuple[Spelling, ...]


@dataclass(frozen=True, slots=True)
class Column:
    """A column after normalization: header path, canonical metric and weight."""

    path: tuple[str, ...]
    metric: str | None
    weight: Decimal | None
    group: str
    inserted: bool = False


@dataclass(frozen=True, slots=True)
class Value:
    """A cell read as a number (None when the cell is not numeric)."""

    number: Number | None
    cell: Cell


@dataclass(frozen=True, slots=True)
class Alignment:
    """How a row with a different cell count was placed under the columns.

    `position` is the 0-based column of the extra cell or of the missing one. When
    `merged`, nothing is missing: the cell before `position` was printed once across
    two columns and the record holds its value in both.
    """

    printed: int
    expected: int
    position: int
    confirmed: int
    tried: int
    description: str
    merged: bool = False


@dataclass(frozen=True, slots=True)
class Record:
    """A body row placed under the table's columns (None where no value)."""

    row: int
    department: DepartmentName | None
    values: tuple[Value | None, ...]
    alignment: Alignment | None = None
    unaligned: bool = False


@dataclass(frozen=True, slots=True)
class NormalizedTable:
    """A table whose rows are aligned records over typed columns."""

    index: int
    table: Table
    columns: tuple[Column, ...]
    records: tuple[Record, ...]
    period: Period | None
    # the column of department names records' `department` comes from (None: e.g. categories)
    department_column: int | None = None


class ClaimKind(enum.StrEnum):
    COUNT = "count"
    RATE = "rate"
    SHARE = "share"
    GROWTH = "growth"
    POINTS = "points"
    RANK_LIST = "rank_list"
    MENTION = "mention"  # departments a sentence names without a figure ("区A局表现突出")


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure stated in the narrative, attached to what it measures.

    `metric` is canonical (received, completed, rate_completed, ...); `subject` names what
    is counted (a category, a channel); `refers_to` the attachments the sentence points at;
    `scope` the channels its section covers. `names` holds the departments it is about, as
    printed (a rank list's, or a MENTION's: then `value` is None, as for rank lists).
    """

    kind: ClaimKind
    metric: str | None
    subject: str | None
    value: Number | None
    sentence: str
    line: int
    source: Source
    section: int | None
    refers_to: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    direction: str | None = None


class QuantityKind(enum.StrEnum):
    """What a printed number of the narrative is, judged from the number alone and its unit."""

    COUNT = "count"  # an exact count of something (件, 人次, 个)
    PERCENT = "percent"  # a rate or share; `Quantity.role` says which when the words do
    CHANGE = "change"  # a growth rate or a change in a count (同比增长 12%, 增加 30 件)
    POINTS = "points"  # a change in percentage points
    AMOUNT = "amount"  # money and other measures (万元, 小时)
    OTHER = "other"  # a number whose unit says nothing (list sizes, Chinese numerals)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Joined text of one paragraph; `starts[k]` is where `lines[k]` (a doc.lines index) begins."""

    number: int
    text: str
    lines: tuple[int, ...]
    starts: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        """The doc.lines index of the visual line holding character `offset`."""
        return self.lines[max(bisect_right(self.starts, offset) - 1, 0)]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number printed in the narrative, read on its own ("number-first").

    `paragraph` indexes `Normalized.paragraphs`, `start`/`end` locate the number in its text
    and `sentence`/`clause` count the sentences and clauses before it. `label` is the clause
    text between the previous number (or the clause start) and this one: what the number
    measures, as printed. `role` is what a percentage's words make it ("share", "rate").
    `bracketed` marks a number printed in brackets right after another one
    ("32件（6.1%）"); `series` numbers the runs of like quantities joined by 、 or
    listed after 分别 ("a、b、c"), with `position` its place in the run.
    """

    value: Number
    kind: QuantityKind
    label: str
    paragraph: int
    sentence: int
    clause: int
    start: int
    end: int
    source: Source
    role: str | None = None
    bracketed: bool = False
    series: int | None = None
    position: int = 0


@dataclass(frozen=True, slots=True)
class Normalized:
    document: Document
    metadata: Metadata
    tables: tuple[NormalizedTable, ...]
    claims: tuple[Claim, ...]
    departments: tuple[DepartmentName, ...]
    # the office's rounding ("half_up", "half_even", "truncate"); relations held under each
    rounding: str = "half_up"
    rounding_support: tuple[tuple[str, int], ...] = ()
    quantities: tuple[Quantity, ...] = ()  # every narrative number (normalize/quantities.py)
    # each department of the tables and sentences, once, in id order (normalize/identities.py)
    department_identities: tuple[DepartmentIdentity, ...] = ()
    # the narrative's paragraphs, joined once, folded like the quantities; validate reads here
    paragraphs: tuple[Paragraph, ...] = ()


# --- audit -------------------------------------------------------------------


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos: the order findings are listed in."""
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a finding's figure was printed (its Source: page or block, bbox, backend, the
    cell's or line's `index`, OCR confidence), and the text quoted."""

    source: Source
    text: str

    @property
    def page(self) -> int:
        return self.source.page

    @property
    def bbox(self) -> BBox | None:
        return self.source.bbox

    @property
    def backend(self) -> str:
        return self.source.backend

    @property
    def index(self) -> tuple[int, ...] | None:
        return self.source.index


def evidence_to_json(e: Evidence) -> dict[str, Any]:
    """Evidence as every JSON writes it: page, bbox, text; a block's cell [row, column] or
    [line] index; the backend; an OCR engine's confidence."""
    found: dict[str, Any] = {"page": e.page, "bbox": bbox_to_json(e.bbox), "text": e.text}
    if e.index is not None:
        found["index"] = list(e.index)
    found["backend"] = e.backend
    if e.source.confidence is not None:
        found["confidence"] = e.source.confidence
    return found


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule reports; `audit()` adds the rule code, severity and id."""

    message: str
    evidence: tuple[Evidence, ...]
    reported: str | None = None
    expected: str | None = None
    explanation: str | None = None
    table: str | None = None
    row: int | None = None
    column: str | None = None
    department: str | None = None
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Checked:
    """Rules yield this for the printed numbers a relation touched (for coverage)."""

    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    rule: str
    severity: Severity
    message: str
    reported: str | None
    expected: str | None
    explanation: str | None
    evidence: tuple[Evidence, ...]
    table: str | None = None
    row: int | None = None
    column: str | None = None
    department: str | None = None  # its canonical name, as printed in messages
    department_id: str | None = None  # the DepartmentIdentity.id of that department


@dataclass(frozen=True, slots=True)
class Coverage:
    numbers: int
    checked: int
    unchecked: tuple[Evidence, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Audit:
    normalized: Normalized
    findings: tuple[Finding, ...]
    coverage: Coverage

    def to_json(self) -> str:
        """What `bulletins audit --format json` prints: one line, schema bulletins.audit/3."""
        from pipeline.serialize import audit_to_json

        return audit_to_json(self)

    @staticmethod
    def from_json(data: str | bytes | Mapping[str, Any]) -> AuditRecord:
        """The AuditRecord a bulletins.audit/3 (or /2, /1) JSON holds (AuditRecord.from_json)."""
        return AuditRecord.from_json(data)

    def record(self) -> AuditRecord:
        """What of this audit its JSON keeps."""
        doc = self.normalized.document
        return AuditRecord(
            source=doc.path,
            sha256=doc.sha256,
            format=doc.format,
            pages=doc.pages,
            metadata=self.normalized.metadata,
            findings=self.findings,
            coverage=self.coverage,
            declared_pages=doc.declared_pages,
        )

    def findings_frame(self) -> pandas.DataFrame:
        """One row per finding (pipeline/frames.py: FINDING_COLUMNS)."""
        from pipeline.frames import findings_frame

        return findings_frame(self.findings)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """An audit as its JSON (bulletins.audit/3) keeps it, without Document or Normalized; read
    back, its metadata's `period_source`, `published_source` are None, `published_posted` False."""

    source: str
    sha256: str
    format: str
    pages: int  # read: PDF pages, or blocks of HTML, DOCX and text
    metadata: Metadata
    findings: tuple[Finding, ...]
    coverage: Coverage
    declared_pages: int | None = None  # a PDF's page tree's /Count (Document.declared_pages)

    def to_json(self) -> str:
        """The same line `Audit.to_json` gave for the audit this record keeps."""
        from pipeline.serialize import audit_to_json

        return audit_to_json(self)

    @staticmethod
    def from_json(data: str | bytes | Mapping[str, Any]) -> AuditRecord:
        """The record a bulletins.audit/3 (or /2, /1) JSON holds; ParseError for another."""
        from pipeline.serialize import audit_from_json

        return audit_from_json(data)

    def findings_frame(self) -> pandas.DataFrame:
        """One row per finding (pipeline/frames.py: FINDING_COLUMNS)."""
        from pipeline.frames import findings_frame

        return findings_frame(self.findings)
