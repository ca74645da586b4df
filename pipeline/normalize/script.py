"""Traditional characters folded to simplified for reading the narrative.

Pages printed in traditional characters (or mirrored through a converter) carry the
same words as the vocabulary in another script: 佔 for 占, 類 for 类, 辦結 for 办结.
Claims and quantities are read from a copy of the document whose lines are folded
character for character, so every offset and every number stays where it was; the
document itself, and every piece of evidence, keeps the text as printed.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.model import Document, Line, Section
from pipeline.normalize.departments import to_simplified

# A page printed in traditional characters changes a large part of its characters when
# folded; a simplified page with one traditional name changes a handful. Only the
# first kind is read folded, so a variant name stays for the name checks to reconcile.
TRADITIONAL_SHARE = 0.05


def fold_document(doc: Document) -> Document:
    """`doc` with its narrative lines and headings in simplified characters (same lengths),
    when it is a traditional page; else `doc` itself."""
    lines = tuple(_fold_line(line) for line in doc.lines)
    cjk = sum(1 for line in doc.lines for c in line.text if "\u4e00" <= c <= "\u9fff")
    changed = sum(
        a != b
        for old, new in zip(doc.lines, lines, strict=True)
        for a, b in zip(old.text, new.text, strict=True)
    )
    if not cjk or changed < TRADITIONAL_SHARE * cjk:
        return doc
    sections = tuple(_fold_section(s) for s in doc.sections)
    return replace(doc, lines=lines, sections=sections)


def fold_text(text: str) -> str:
    """Simplified characters, one for one: a phrase conversion that changes the length is
    redone character by character."""
    if text.isascii():
        return text
    folded = to_simplified(text)
    if len(folded) == len(text):
        return folded
    return "".join(c if len(f := to_simplified(c)) != 1 else f for c in text)


def _fold_line(line: Line) -> Line:
    text = fold_text(line.text)
    return line if text == line.text else replace(line, text=text)


def _fold_section(section: Section) -> Section:
    heading = fold_text(section.heading)
    return section if heading == section.heading else replace(section, heading=heading)
