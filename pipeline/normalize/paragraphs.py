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


HEADING_MAX = 500  # characters, spaces included, a section heading line can have
# How far from its end a paragraph's closing mark (and a note after it) is looked for: the
# paragraph grows line by line, and searching all of it each time would cost its square.
END_TAIL = 2_000


def _continues(doc: Document, text: str, first: int, nxt: int) -> bool:
    """Whether the paragraph `text` (first line `first`) runs on into the one starting at `nxt`.

    It does when it stops mid-sentence ("较上月（" / "占热线工单总量的"), the next
    one is in the same section and does not open a new item (a section mark,
    an attachment label), and it is not itself a section heading.
    """
    vocab = vocabulary()
    section = doc.lines[first].section
    return (
        bool(text.strip())
        and doc.lines[nxt].section == section
        and not vocab.paragraph_end.search(text[-END_TAIL:])
        and not vocab.paragraph_start.match(doc.lines[nxt].text)
        and not _is_heading(doc, text, section)
        and not _ends_on_figure(doc, text, first)
    )


# Formats whose paragraphs are blocks their author wrote, not lines a layout wrapped.
AUTHORED_BLOCKS = frozenset({"html", "docx", "text"})
FIGURE_END = re.compile(r"[0-9０-９][%％]?\s*$")


def _ends_on_figure(doc: Document, text: str, first: int) -> bool:
    """A web or text paragraph that ends on a figure ("…占投诉总量的22.73%") has lost
    only its full stop: the next paragraph is a new one, not its continuation."""
    if doc.lines[first].source.backend not in AUTHORED_BLOCKS or not FIGURE_END.search(text):
        return False
    # a bare figure (a table cell printed one a line) is no sentence: cells still run on
    return sum(map(is_cjk, text)) >= SENTENCE_CJK


SENTENCE_CJK = 4


def document_to_paragraphs(doc: Document) -> tuple[Paragraph, ...]:
    """The narrative paragraphs of `doc` in reading order."""
    groups: dict[int, list[int]] = {}
    for i, line in enumerate(doc.lines):
        groups.setdefault(line.paragraph, []).append(i)
    merged: list[tuple[int, list[int]]] = []
    text = ""  # the lines of merged[-1], joined as they grow (joining anew would be quadratic)
    for number, indexes in groups.items():
        own = "".join(doc.lines[i].text for i in indexes)
        if merged:
            first = merged[-1][1]
            if _continues(doc, text, first[0], indexes[0]):
                first.extend(indexes)
                text += own
                continue
        merged.append((number, list(indexes)))
        text = own
    paragraphs = []
    for number, indexes in merged:
        text, starts = "", []
        for i in indexes:
            piece = doc.lines[i].text
            if text and piece and _needs_space(text[-1], piece[0]):
                text += " "
            starts.append(len(text))
            text += piece
        paragraphs.append(Paragraph(number, text, tuple(indexes), tuple(starts)))
    return tuple(paragraphs)


_LEADING_NOTE = re.compile(r"\s*[（(][^（）()]*[）)]")


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
        note = _LEADING_NOTE.match(text, start)
        if note and note.end() < end and vocab.references.search(note.group()):
            yield start, note.end()
            start = note.end()
        yield start, end
