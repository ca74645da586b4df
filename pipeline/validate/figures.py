"""The printed numbers that are figures: what the audit's coverage counts.

Text is read paragraph by paragraph (a number broken across a line end is one
number, placed on the line where it starts, as claims are), so the coverage of a
narrative number matches the span a rule reports for it. Numbers that are not
figures are left out: positions and list sizes (前3名, 以下5个方面), lengths of
time (2小时内), numbers in Chinese numerals (连续两次), and the serial numbers of a
序号 column. Which words say so is `pipeline/data/figures.json`; a missing or
malformed file raises ConfigError.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Document, Normalized, NormalizedTable, Number, Paragraph, Span
from pipeline.normalize.numbers import find_numbers
from pipeline.normalize.paragraphs import document_to_paragraphs
from pipeline.normalize.ratios import structure_ratios
from pipeline.validate.facts import is_total_record

DATA = Path(__file__).resolve().parents[1] / "data" / "figures.json"
SERIAL_METRIC = "row_number"
# units after which 前/后 make a position ("前3名") rather than a comparison
POSITION_UNITS = ("", "位", "名", "个", "家")


@dataclass(frozen=True, slots=True)
class FigureWords:
    before: tuple[str, ...]
    after: tuple[str, ...]


@cache
def figure_words() -> FigureWords:
    """The words of figures.json, read once. Raises ConfigError on a bad data file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return FigureWords(
            before=tuple(sorted(raw["before"], key=len, reverse=True)),
            after=tuple(sorted(raw["after"], key=len, reverse=True)),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed figure words ({exc!r})") from exc


def figures(norm: Normalized) -> tuple[Span, ...]:
    """Every figure the document prints: in its narrative, then in its table bodies."""
    return (*text_figures(norm.document, norm.paragraphs), *table_figures(norm.tables))


def text_figures(doc: Document, paragraphs: Sequence[Paragraph] | None = None) -> Iterator[Span]:
    """The narrative's figures, read from `paragraphs` when given (the normalized reading:
    a traditional page folded, as its quantities are, so that the two name a number alike)."""
    for paragraph in document_to_paragraphs(doc) if paragraphs is None else paragraphs:
        text = paragraph.text
        read = set()
        for number, start, end in find_numbers(text):
            read.add(start)
            if is_figure(number, text[:start], text[end:]):
                yield figure_span(doc, paragraph, number.text, start)
        for ratio in structure_ratios(text, earlier=True):  # "9.2:37.6:53.2" reads as times
            for part in ratio.parts:
                if part.start not in read:
                    yield figure_span(doc, paragraph, part.number.text, part.start)


def figure_span(doc: Document, paragraph: Paragraph, text: str, start: int) -> Span:
    """A narrative figure as coverage names it (a rule that checks it names it alike): its
    text and the source of the line it starts on."""
    return Span(text, doc.lines[paragraph.line_at(start)].source)


def is_figure(number: Number, before: str, after: str) -> bool:
    """Whether a number printed between `before` and `after` is a figure (see the module)."""
    if not any(ch.isdigit() and ch.isascii() for ch in unicodedata.normalize("NFKC", number.text)):
        return False
    words = figure_words()
    unit = number.unit or ""
    tail = unit + after.lstrip()
    if unit not in ("件", "%") and tail.startswith(words.after):
        return False
    lead = before.rstrip()
    return not (unit in POSITION_UNITS and lead.endswith(words.before))


def table_figures(tables: tuple[NormalizedTable, ...]) -> Iterator[Span]:
    for table in tables:
        serial = _serial_cells(table)
        for record in table.records:
            # a merged cell's value fills two columns of its record: it is one figure
            printed = {id(v): v for v in record.values if v is not None}
            for value in printed.values():
                if value.number is None or id(value) in serial:
                    continue
                yield value.cell


def _serial_cells(table: NormalizedTable) -> set[int]:
    """The cells (by id) of 序号 columns that number the body rows 1, 2, 3, ... in order."""
    found: set[int] = set()
    for c, column in enumerate(table.columns):
        if column.metric != SERIAL_METRIC:
            continue
        k = 0
        for record in table.records:
            if record.unaligned or is_total_record(record) or c >= len(record.values):
                continue
            k += 1
            value = record.values[c]
            if value is not None and value.number is not None and value.number.exact == k:
                found.add(id(value))
    return found
