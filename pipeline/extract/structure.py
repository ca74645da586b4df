"""Printed lines to the parts of a GB/T 9704 document.

Head (issuer mark, document number, title, recipients), body paragraphs and
numbered sections, attachment notes, signature and date, then the attachments,
each starting on a new page under a "附件N" label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.extract.lines import TextLine, join_cjk
from pipeline.model import AttachmentNote, Line, RawMetadata, Section, Source, Span

ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*(\d*)\s*[:：]?$")
ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*(\d*)\s*[:：]\s*(?:\d+\s*[.．、]\s*)?(.+)$")
DOC_NUMBER = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号")
FULL_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
SECTION_MARKS = (
    (1, re.compile(r"^([一二三四五六七八九十]+)、")),
    (2, re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")),
    (3, re.compile(r"^(\d+)[.．、](?!\d)")),
    (4, re.compile(r"^[（(](\d+)[)）]")),
)
HEADING_MAX = 25
# A line ending exactly 1.5 em short of the widest line sits on the paragraph-break
# threshold; float noise (pdfminer computes in 64 bits, pdfium in 32) put it on either side.
# It must end clearly short, by more than this many points, to end a paragraph.
LINE_END_TOLERANCE = 0.01


@dataclass(frozen=True, slots=True)
class Placed:
    """A printed line and the page it sits on.

    Flow formats (HTML, DOCX, text) have no geometry: `page` is the index of the
    block (paragraph) holding the line, `boxed` is False and sources carry no bbox.
    """

    page: int
    line: TextLine
    boxed: bool = True
    index: int = 0

    def source(self, backend: str) -> Source:
        if self.boxed:
            return Source(page=self.page, bbox=self.line.bbox, backend=backend)
        return Source(page=self.page, bbox=None, backend=backend, index=(self.index,))


# Decides whether `cur` opens a new paragraph after `prev` (numbered headings and
# attachment notes always do).
BreakRule = Callable[[Placed, Placed], bool]


@dataclass(frozen=True, slots=True)
class Body:
    """The body of a document: metadata spans, sections, lines, attachment notes."""

    metadata: RawMetadata
    sections: tuple[Section, ...]
    lines: tuple[Line, ...]
    notes: tuple[AttachmentNote, ...]
    # lines printed after the closing date, which the body does not read (a trailer such
    # as 抄送, or an attachment no table was found in)
    after_date: tuple[Placed, ...] = ()


def attachment_label(text: str) -> str | None:
    """ "附件N" for a line that starts an attachment ("附件 1:"), else None."""
    m = ATTACHMENT_LABEL.match(text.strip())
    return f"附件{m.group(1)}" if m else None


def span(lines: Sequence[Placed], backend: str) -> Span | None:
    """The lines joined as one span, boxed by the union of those on the first page."""
    if not lines:
        return None
    text = ""
    for p in lines:
        text = join_cjk(text, p.line.text)
    page = lines[0].page
    if not lines[0].boxed:
        return Span(text=text, source=Source(page=page, bbox=None, backend=backend))
    boxes = [p.line.bbox for p in lines if p.page == page]
    bbox = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    return Span(text=text, source=Source(page=page, bbox=bbox, backend=backend))


def parse_body(lines: Sequence[Placed], backend: str, *, breaks: BreakRule | None = None) -> Body:
    """Split the body lines into head, paragraphs and sections, and tail.

    `breaks` says where a paragraph starts; by default it is read from the page
    geometry (indented first line, short last line).
    """
    recipients_at = _recipients_index(lines)
    head = list(lines[:recipients_at]) if recipients_at is not None else []
    start = recipients_at + 1 if recipients_at is not None else 0
    date_at = _date_index(lines, start)
    end = date_at if date_at is not None else len(lines)
    signature_at = _signature_index(lines, start, end) if date_at is not None else None
    text_end = signature_at if signature_at is not None else end
    after = lines[date_at + 1 :] if date_at is not None else []
    if date_at is not None and _dateline(lines, start, text_end, date_at):
        # issuer and date printed under the title, the body after them
        start, end, text_end, after = date_at + 1, len(lines), len(lines), []
    issuer, doc_number, title = _split_head(head, backend)
    metadata = RawMetadata(
        issuer=issuer,
        doc_number=doc_number,
        title=title,
        recipients=span(lines[recipients_at : recipients_at + 1], backend)
        if recipients_at is not None
        else None,
        signature=span(lines[signature_at:end], backend) if signature_at is not None else None,
        date=span(lines[date_at : date_at + 1], backend) if date_at is not None else None,
    )
    text = lines[start:text_end]
    sections, out_lines, notes = _paragraphs(text, backend, breaks or _geometric_breaks(text))
    return Body(metadata, sections, out_lines, notes, tuple(after))


def _recipients_index(lines: Sequence[Placed]) -> int | None:
    """The salutation: an early short line ending in a colon, below nothing but the head.

    A colon closing a line below a sentence or a numbered heading ends a lead-in of
    the body ("具体情况如下："), not a salutation.
    """
    for i, p in enumerate(lines[:15]):
        text = p.line.text
        if text.endswith(("：", ":")) and len(text) <= 80 and _section_level(text) is None:
            return i
        if text.endswith("。") or _section_level(text) is not None:
            return None
    return None


def _date_index(lines: Sequence[Placed], start: int) -> int | None:
    hits = [i for i in range(start, len(lines)) if FULL_DATE.match(lines[i].line.text)]
    return hits[-1] if hits else None


def _dateline(lines: Sequence[Placed], start: int, text_end: int, date_at: int) -> bool:
    """The date closes no body but opens one: no sentence is printed before it (a title
    at most), and prose follows it, as statistics bulletins and press releases print
    "title / issuer / date / body"."""
    before = [p.line.text for p in lines[start:text_end]]
    if len(before) > DATELINE_HEAD or any(t.endswith("。") for t in before):
        return False
    after = [p.line.text for p in lines[date_at + 1 :]]
    if not after or attachment_label(after[0]) is not None:
        return False
    return sum(map(len, after)) >= DATELINE_BODY and any(t.endswith("。") for t in after)


# At most a title's lines above a dateline, and enough prose below it to be a body.
DATELINE_HEAD = 3
DATELINE_BODY = 10  # one sentence: a title alone above a date leaves it nothing to close


def _signature_index(lines: Sequence[Placed], start: int, end: int) -> int | None:
    """Short unpunctuated lines right above the date are the issuer's signature (without
    a date, the short lines closing a text are no signature: a table's cells, a byline)."""
    i = end
    while i - 1 >= start and _looks_like_signature(lines[i - 1].line.text):
        i -= 1
    return i if i < end else None


def _looks_like_signature(text: str) -> bool:
    return (
        len(text) <= 30
        and not text.endswith(("。", "：", ":", "；"))
        and ATTACHMENT_NOTE.match(text) is None
        and "：" not in text
    )


def _split_head(head: Sequence[Placed], backend: str) -> tuple[Span | None, ...]:
    numbered = [p for p in head if DOC_NUMBER.search(p.line.text)]
    rest = [p for p in head if p not in numbered]
    about = next((i for i, p in enumerate(rest) if "关于" in p.line.text), None)
    title_at = _title_start(rest, about) if about is not None else _largest_font_run(rest)
    issuer = span(rest[:title_at], backend)
    doc_number = span(numbered, backend)
    title = span(rest[title_at:], backend)
    return issuer, doc_number, title


def _title_start(lines: Sequence[Placed], about: int) -> int:
    """Where the title begins: it may open with the issuer's name above "关于".

    In a PDF such a line is set in the title's font; in a flow format it is in
    the title's paragraph.
    """
    start = about
    while start > 0 and _same_title(lines[start - 1], lines[about]):
        start -= 1
    return start


def _same_title(above: Placed, about: Placed) -> bool:
    if not about.boxed:
        return above.page == about.page
    return abs(above.line.size - about.line.size) < 0.5


def _largest_font_run(lines: Sequence[Placed]) -> int:
    """Index where the last run of lines in the title's (largest) font begins."""
    if not lines:
        return 0
    biggest = max(p.line.size for p in lines)
    first = next(i for i, p in enumerate(lines) if p.line.size >= biggest - 0.5)
    return first if first > 0 or len(lines) == 1 else 1


def _section_level(text: str) -> tuple[int, str] | None:
    for level, pattern in SECTION_MARKS:
        m = pattern.match(text)
        if m:
            return level, m.group(0)
    return None


def _heading(text: str, mark: str) -> str:
    """A short paragraph is all heading; else the lead-in before "：" or "。"."""
    rest = text[len(mark) :]
    if len(text) <= HEADING_MAX and not text.endswith("。"):
        return rest
    m = re.match(r"^([^：:。]{1,20})[：:。]", rest)
    return m.group(1) if m else ""


def _paragraphs(
    lines: Sequence[Placed], backend: str, breaks: BreakRule
) -> tuple[tuple[Section, ...], tuple[Line, ...], tuple[AttachmentNote, ...]]:
    sections: list[Section] = []
    out: list[Line] = []
    notes: list[AttachmentNote] = []
    paragraph = -1
    prev: Placed | None = None
    for p in lines:
        text = p.line.text
        if prev is None or _marks_paragraph(prev, p) or breaks(prev, p):
            paragraph += 1
            _open_section(sections, p, backend)
        note = ATTACHMENT_NOTE.match(text)
        if note:
            label = f"附件{note.group(1) or len(notes) + 1}"
            notes.append(AttachmentNote(label, note.group(2).strip(), p.source(backend)))
        section = len(sections) - 1 if sections else None
        out.append(Line(text=text, source=p.source(backend), section=section, paragraph=paragraph))
        prev = p
    return tuple(sections), tuple(out), tuple(notes)


def _open_section(sections: list[Section], p: Placed, backend: str) -> None:
    found = _section_level(p.line.text)
    if found is None:
        return
    level, mark = found
    parent = next((i for i in reversed(range(len(sections))) if sections[i].level < level), None)
    heading = _heading(p.line.text, mark)
    sections.append(Section(mark, heading, level, p.source(backend), parent))


def _margins(lines: Sequence[Placed]) -> tuple[float, float]:
    """The body's left edge (most common line start) and right edge (widest line)."""
    if not lines:
        return 0.0, 0.0
    lefts = Counter(round(p.line.bbox[0]) for p in lines)
    return float(lefts.most_common(1)[0][0]), max(p.line.bbox[2] for p in lines)


def _geometric_breaks(lines: Sequence[Placed]) -> BreakRule:
    left, right = _margins(lines)
    return lambda prev, cur: _starts_paragraph(prev, cur, left, right)


def _marks_paragraph(prev: Placed, cur: Placed) -> bool:
    """Numbered headings and attachment notes are paragraphs of their own."""
    text = cur.line.text
    return bool(
        _section_level(text) or ATTACHMENT_NOTE.match(text) or ATTACHMENT_NOTE.match(prev.line.text)
    )


def _starts_paragraph(prev: Placed, cur: Placed, left: float, right: float) -> bool:
    size = max(cur.line.size, 1.0)
    if cur.line.bbox[0] > left + 0.8 * size:
        return True
    return prev.line.bbox[2] < right - 1.5 * size - LINE_END_TOLERANCE
