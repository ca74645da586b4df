"""A PDF file to a `Document`: body, attachments and stitched tables."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract.backends import DEFAULT_BACKEND, char_layer
from pipeline.extract.lines import TextLine, join_cjk
from pipeline.extract.ocr import DEFAULT_OCR
from pipeline.extract.ocr_page import mark_ocr
from pipeline.extract.pdf import PageContent, read_pdf
from pipeline.extract.stitch import PlacedTable, stitch_tables
from pipeline.extract.structure import Placed, attachment_label, parse_body
from pipeline.extract.turn import document_to_display
from pipeline.model import Document, Line, Section

CONTINUED = ("续表", "续上表")


@dataclass(frozen=True, slots=True)
class Part:
    """The body (label None) or one attachment, as a run of pages' lines."""

    label: str | None
    lines: list[Placed]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pdf_to_document(
    path: Path, *, backend: str = DEFAULT_BACKEND, ocr: str = DEFAULT_OCR
) -> Document:
    """Read a PDF bulletin, its tables with the named table backend.

    Narrative lines are read by the backend's character layer (`char_layer`) from the
    text layer; pages without a usable one by the OCR engine `ocr` ("off" for none).
    Raises InputError when the file cannot be read or no page has usable text,
    ConfigError for an unknown backend.
    """
    read = read_pdf(path, backend=backend, ocr=ocr)
    pages, warnings = read.pages, read.warnings
    layer = char_layer(backend)
    parts = _split_parts(pages)
    body = parse_body(parts[0].lines, layer)
    sections = list(body.sections)
    lines = list(body.lines)
    titles: dict[str, str] = {}
    for part in parts[1:]:
        assert part.label is not None
        title_lines, rest = _attachment_title(part, pages)
        titles[part.label] = _joined(title_lines)
        _add_attachment_section(part, title_lines, rest, sections, lines, layer)
    tables = stitch_tables(_placed_tables(pages, parts, titles))
    document = Document(
        path=str(path),
        sha256=file_sha256(path),
        format="pdf",
        pages=len(pages),
        metadata=body.metadata,
        sections=tuple(sections),
        lines=tuple(lines),
        attachment_notes=body.notes,
        tables=tuple(tables),
        warnings=tuple(warnings),
        unreadable_pages=read.unreadable,
        declared_pages=read.declared,
        page_sources=tuple(p.source for p in pages),
        text_layers=tuple(p.text_layer for p in pages),
    )
    document = mark_ocr(
        document,
        {p.number: p.ocr for p in pages if p.ocr is not None},
        {p.number: p.ocr_regions for p in pages if p.ocr_regions},
    )
    # Pages were read in their reading frames; boxes leave on the displayed page.
    return document_to_display(document, {p.number: p.turn for p in pages})


def _split_parts(pages: Sequence[PageContent]) -> list[Part]:
    """An attachment begins where a page opens with its "附件N" label."""
    parts = [Part(None, [])]
    for page in pages:
        for i, line in enumerate(page.lines):
            label = attachment_label(line.text) if i < 2 else None
            if label is not None:
                parts.append(Part(label, []))
            parts[-1].lines.append(Placed(page.number, line))
    return parts


def _attachment_title(
    part: Part, pages: Sequence[PageContent]
) -> tuple[list[Placed], list[Placed]]:
    """The lines between the label and the first table on the label's page."""
    label_line = part.lines[0]
    page = pages[label_line.page - 1]
    first_top = min((t.bbox[1] for t in page.tables), default=page.height)
    title = [p for p in part.lines[1:] if p.page == label_line.page and p.line.bbox[3] <= first_top]
    rest = [p for p in part.lines[1:] if p not in title]
    return title, rest


def _joined(lines: Sequence[Placed]) -> str:
    text = ""
    for p in lines:
        text = join_cjk(text, p.line.text)
    return text


def _add_attachment_section(
    part: Part,
    title: Sequence[Placed],
    rest: Sequence[Placed],
    sections: list[Section],
    lines: list[Line],
    layer: str,
) -> None:
    assert part.label is not None
    head = part.lines[0]
    sections.append(Section(part.label, _joined(title), 0, head.source(layer), None))
    paragraph = max((ln.paragraph for ln in lines), default=-1)
    for p in rest:
        if p.line.text in CONTINUED:
            continue
        paragraph += 1
        lines.append(Line(p.line.text, p.source(layer), len(sections) - 1, paragraph))


def _placed_tables(
    pages: Sequence[PageContent], parts: Sequence[Part], titles: dict[str, str]
) -> list[PlacedTable]:
    part_of_page = _part_of_page(parts, len(pages))
    placed = []
    for page in pages:
        text = [ln for ln in page.lines if ln.text not in CONTINUED]
        for k, table in enumerate(page.tables):
            label = part_of_page.get(page.number)
            above = [ln for ln in text if ln.bbox[3] <= table.bbox[1]]
            below = [ln for ln in text if ln.bbox[1] >= table.bbox[3]]
            title = titles.get(label, "") if label and k == 0 else _nearest_title(above)
            placed.append(PlacedTable(table, label, title, bool(above), bool(below)))
    return placed


def _part_of_page(parts: Sequence[Part], n_pages: int) -> dict[int, str | None]:
    """The part each page belongs to: the last one begun on or before it.

    A page that holds only a table has no lines, so it inherits from the page before.
    """
    began: dict[int, str | None] = {}
    for part in parts:
        for p in part.lines:
            began[p.page] = part.label
    owner: dict[int, str | None] = {}
    current: str | None = None
    for number in range(1, n_pages + 1):
        current = began.get(number, current)
        owner[number] = current
    return owner


def _nearest_title(above: Sequence[TextLine]) -> str:
    """A short line right above a table in the body names it."""
    if above and len(above[-1].text) <= 60:
        return above[-1].text
    return ""
