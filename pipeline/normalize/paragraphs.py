"""Document lines to narrative paragraphs and sentences, for the claim extractor.

A paragraph is the run of `Document.lines` that share one `paragraph` number;
one that stops mid-sentence ("较上月（", "占热线工单总量的") continues into the
next paragraph of its section, unless that one opens a new item (a section
mark, an attachment label) or the first is a section heading. Lines are joined
without a space where a side is CJK.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.extract.lines import is_cjk
from pipeline.model import Document, Paragraph
from pipeline.normalize.claim_words import vocabulary

# Characters that may wrap inside one printed number ("98." / "76%").
NUMBER_CHARS = frozenset("0123456789.%")


def _needs_space(left: str, right: str) -> bool:
    """A wrapped line joins without a space unless Latin words meet across the break."""
    if left.isspace() or right.isspace() or is_cjk(left) or is_cjk(right):
        return False
    return not (left in NUMBER_CHARS and right in NUMBER_CHARS)


def _is_heading(doc: Document, text: str, section: int | None) -> bool:
    if section is None:
        return False
    head = doc.sections[section]
    if len(text) > HEADING_MAX:  # no heading is this long: spare a pass over a long paragraph
        return False
    return "".join(text.split()) == "".join(f"{head.number}{head.heading}".split())


HEADING_MAX = 500  # characters, spaces included, a section heading line can have (< END_TAIL)
# How far from its end a paragraph's closing mark (and a note after it) is looked for: the
# paragraph grows line by line, and searching all of it each time would cost its square.
END_TAIL = 2_000


@dataclass(slots=True)
class _Run:
    """A paragraph being merged from the lines of several: their indexes, and what is asked
    of their joined text (its tail, whether it is blank, its first CJK characters).

    The text grows line by line, so none of that looks at the whole of it again: asking
    anew at each line would cost the square of a long paragraph. The text itself is joined
    once, at the end (`_paragraph`).
    """

    number: int
    indexes: list[int]
    tail: str = ""  # the last END_TAIL characters of the text (all of it, up to a heading's)
    blank: bool = True  # the text is empty or whitespace
    cjk: int = 0  # CJK characters of the text, counted up to SENTENCE_CJK

    def add(self, indexes: list[int], text: str) -> None:
        """The lines `indexes`, whose joined text is `text`, run on this paragraph."""
        self.indexes.extend(indexes)
        self.tail = (self.tail + text)[-END_TAIL:]
        self.blank = self.blank and (text == "" or text.isspace())
        if self.cjk < SENTENCE_CJK and not text.isascii():
            for ch in text:
                self.cjk += is_cjk(ch)
                if self.cjk == SENTENCE_CJK:
                    break


def _continues(doc: Document, run: _Run, nxt: int) -> bool:
    """Whether the paragraph `run` runs on into the one starting at line `nxt`.

    It does when it stops mid-sentence ("较上月（" / "占热线工单总量的"), the next
    one is in the same section and does not open a new item (a section mark,
    an attachment label), and it is not itself a section heading.
    """
    vocab = vocabulary()
    section = doc.lines[run.indexes[0]].section
    return (
        not run.blank
        and doc.lines[nxt].section == section
        and not vocab.paragraph_end.search(run.tail)
        and not vocab.paragraph_start.match(doc.lines[nxt].text)
        and not _is_heading(doc, run.tail, section)
        and not _ends_on_figure(doc, run)
    )


# Formats whose paragraphs are blocks their author wrote, not lines a layout wrapped.
AUTHORED_BLOCKS = frozenset({"html", "docx", "text"})
FIGURE_END = re.compile(r"[0-9０-９][%％]?$")


def _ends_on_figure(doc: Document, run: _Run) -> bool:
    """A web or text paragraph that ends on a figure ("…占投诉总量的22.73%") has lost
    only its full stop: the next paragraph is a new one, not its continuation."""
    if doc.lines[run.indexes[0]].source.backend not in AUTHORED_BLOCKS:
        return False
    # the last two characters but trailing space: searching the whole tail for a figure at
    # its end would try every digit of a paragraph of numbers
    if not FIGURE_END.search(run.tail.rstrip()[-2:]):
        return False
    # a bare figure (a table cell printed one a line) is no sentence: cells still run on
    return run.cjk >= SENTENCE_CJK


SENTENCE_CJK = 4


# The last document whose paragraphs were asked for, and them. Normalizing and auditing one
# document asks for its paragraphs some twenty times (claims, quantities, coverage, a dozen
# rules): building them each time multiplied the cost of a long text by as much. Kept by
# identity, one document at a time: a Document is frozen, so its paragraphs cannot change.
_last: tuple[Document, tuple[Paragraph, ...]] | None = None


def document_to_paragraphs(doc: Document) -> tuple[Paragraph, ...]:
    """The narrative paragraphs of `doc` in reading order."""
    global _last
    last = _last
    if last is not None and last[0] is doc:
        return last[1]
    paragraphs = _paragraphs(doc)
    _last = (doc, paragraphs)
    return paragraphs


def line_paragraphs(doc: Document) -> dict[int, int]:
    """Line index -> the number of the paragraph holding it, paragraphs broken mid-sentence
    rejoined (a line no paragraph holds keeps its own number)."""
    numbers = {line: p.number for p in document_to_paragraphs(doc) for line in p.lines}
    return {i: numbers.get(i, line.paragraph) for i, line in enumerate(doc.lines)}


def _paragraphs(doc: Document) -> tuple[Paragraph, ...]:
    groups: dict[int, list[int]] = {}
    for i, line in enumerate(doc.lines):
        groups.setdefault(line.paragraph, []).append(i)
    merged: list[_Run] = []
    for number, indexes in groups.items():
        own = "".join(doc.lines[i].text for i in indexes)
        if not merged or not _continues(doc, merged[-1], indexes[0]):
            merged.append(_Run(number, []))
        merged[-1].add(indexes, own)
    return tuple(_paragraph(doc, run.number, run.indexes) for run in merged)


def _paragraph(doc: Document, number: int, indexes: list[int]) -> Paragraph:
    """The lines `indexes` of `doc` joined, a space where Latin words meet across a break."""
    pieces: list[str] = []
    starts, size, last = [], 0, ""
    for i in indexes:
        piece = doc.lines[i].text
        if last and piece and _needs_space(last, piece[0]):
            pieces.append(" ")
            size += 1
        starts.append(size)
        pieces.append(piece)
        size += len(piece)
        last = piece[-1] if piece else last
    return Paragraph(number, "".join(pieces), tuple(indexes), tuple(starts))


_LEADING_NOTE = re.compile(r"[（(][^（）()]*[）)]")  # after the sentence's leading spaces


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) spans of the sentences of `text`, empty ones left out.

    A bracketed reference that opens a sentence ("。（详见附件3）政府网站…") closes the
    one before it: it is a sentence of its own, which then speaks for its paragraph.
    """
    vocab = vocabulary()
    for m in vocab.sentence.finditer(text):
        if not m.group().strip():
            continue
        start, end = m.span()
        # spaces skipped here, not by the pattern: tried at every start of a long run of
        # spaces, a leading \s* costs the square of its length
        lead = end - start - len(text[start:end].lstrip())
        note = _LEADING_NOTE.match(text, start + lead)
        if note and note.end() < end and vocab.references.search(note.group()):
            yield start, note.end()
            start = note.end()
        yield start, end
