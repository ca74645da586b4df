"""Findings on figures read by OCR: a possible misread is said, never a bare error.

OCR confuses some digits more than others (3/8, 1/7, 0/6/9, 5/6) and loses or
invents decimal points. When a finding's evidence was read by OCR and its printed
figure, read with one such confusion, equals the figure the rule expected, the
finding becomes a warning that names that reading ("possible misread: 86.7 would
hold"). When no such reading exists but the engine's confidence in the evidence is
low, it becomes a warning that says so. A finding on text-layer evidence is left
as it is, and so is one on OCR'd evidence read with confidence and no confusion
that explains it: that figure is printed wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from pipeline.model import Document, Finding, Severity, Source

# Digits OCR takes for one another.
CONFUSABLE = {
    "0": "69",
    "1": "7",
    "3": "8",
    "5": "6",
    "6": "095",
    "7": "1",
    "8": "3",
    "9": "06",
}
# Under this confidence (0..1) an OCR'd figure is not trusted on its own.
LOW_CONFIDENCE = 0.9
# A list of figures as findings print them: "56 / 56 / 55" or "36.71%, 22.67%".
# from a character that is no space or the start of a run of spaces, so that a long run is
# not tried from each of its characters (its cost would grow with the square of its length)
SEPARATOR = re.compile(r"(?:(?!\s)|(?<!\s))\s*[/,，、]\s*")
NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")

Key = tuple[int, tuple[float, ...]]


def ocr_confidences(doc: Document) -> dict[Key, float]:
    """The confidence of every span read by OCR, by page and box (1 decimal)."""
    sources: list[Source] = [ln.source for ln in doc.lines]
    sources += [s.source for s in doc.sections]
    sources += [c.source for t in doc.tables for row in t.body_rows for c in row]
    sources += [c.source for t in doc.tables for row in t.header_rows for c in row]
    return {
        _key(s.page, s.bbox): s.confidence
        for s in sources
        if s.confidence is not None and s.bbox is not None
    }


def _key(page: int, bbox: tuple[float, ...]) -> Key:
    return page, tuple(round(v, 1) for v in bbox)


def judge_misread(finding: Finding, confidences: dict[Key, float]) -> Finding:
    """The finding as it stands, or a warning naming the OCR reading that would make it hold."""
    if finding.severity is Severity.INFO or not confidences:
        return finding
    read = [
        confidences[k]
        for e in finding.evidence
        if e.bbox is not None and (k := _key(e.page, e.bbox)) in confidences
    ]
    if not read:
        return finding
    confidence = min(read)
    alternative = misread_reading(finding.reported, finding.expected)
    if alternative is not None:
        note = (
            f"possible misread: {alternative} would hold (read by OCR, confidence {confidence:.2f})"
        )
    elif confidence < LOW_CONFIDENCE:
        note = f"read by OCR with confidence {confidence:.2f}: the printed figure may be misread"
    else:
        return finding
    return replace(
        finding,
        severity=Severity.WARNING,
        message=f"{finding.message}; {note}",
        explanation=f"{finding.explanation} {note}." if finding.explanation else f"{note}.",
    )


def misread_reading(reported: str | None, expected: str | None) -> str | None:
    """`expected` when every figure of `reported` that differs from it is one OCR confusion
    away from it (one confusable digit, or a lost or invented decimal point); else None."""
    if not reported or not expected:
        return None
    got, want = SEPARATOR.split(reported.strip()), SEPARATOR.split(expected.strip())
    if len(got) != len(want):
        return None
    differing = [(g, w) for g, w in zip(got, want, strict=True) if _value(g) != _value(w)]
    if not differing:
        return None
    for g, w in differing:
        target = _value(w)
        if target is None or not any(_value(v) == target for v in readings(_bare(g))):
            return None
    return expected.strip()


def readings(text: str) -> Iterator[str]:
    """`text` read with one OCR confusion: a confusable digit, or a decimal point lost or added."""
    for i, ch in enumerate(text):
        for other in CONFUSABLE.get(ch, ""):
            yield text[:i] + other + text[i + 1 :]
    if "." in text:
        yield text.replace(".", "", 1)
    else:
        for i in range(1, len(text)):
            if text[i - 1].isdigit() and text[i].isdigit():
                yield f"{text[:i]}.{text[i:]}"


def _bare(text: str) -> str:
    return text.strip().rstrip("%％").replace(",", "").strip()


def _value(text: str) -> Decimal | None:
    bare = _bare(text)
    if not NUMBER.match(bare):
        return None
    try:
        return Decimal(bare)
    except InvalidOperation:
        return None
