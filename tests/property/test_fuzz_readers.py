"""Fuzzing (issue 12): the number and period parsers, the HTML, DOCX and text readers and claim
extraction take any input and end in a value or in a documented input error, in bounded time.

Inputs are drawn from an alphabet weighted towards what bulletins print (digits, Chinese
numerals, units, punctuation, markup) so that the parsers' interesting paths are reached;
each test keeps max_examples modest and a deadline, so the file runs in seconds.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import BulletinError, ParseError
from pipeline.extract.docx import docx_to_document
from pipeline.extract.html import html_to_document
from pipeline.extract.text import text_to_document
from pipeline.model import Document
from pipeline.normalize.claims import extract_claims
from pipeline.normalize.numbers import find_numbers, parse_number
from pipeline.normalize.periods import find_periods, parse_period

BULLETIN_CHARS = (
    "0123456789０１２３４５６７８９.．,，%％-−+ "
    "零〇一二两三四五六七八九十百千万亿点负第年月日季度上下半同比环比增长下降"
    "件个次受理办结率占比其中分别合计总计（）()：:；;。、\n\t"
    "<>/&#;=\"'tdrabpl"
)
text = st.text(alphabet=st.sampled_from(BULLETIN_CHARS), max_size=300) | st.text(max_size=120)
FUZZ = settings(
    max_examples=60,
    deadline=2_000,  # ms per example: a reader that grows faster than its input fails here
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(text)
def test_fuzz_parse_number_returns_a_number_or_parse_error(printed: str) -> None:
    try:
        number = parse_number(printed)
    except ParseError:
        return
    assert number.text  # what was printed is kept


@FUZZ
@given(text)
def test_fuzz_find_numbers_never_raises_and_spans_hold(printed: str) -> None:
    for number, start, end in find_numbers(printed):
        assert 0 <= start < end <= len(printed)
        assert number.text


@FUZZ
@given(text, st.none() | st.integers(min_value=1900, max_value=2100))
def test_fuzz_periods(printed: str, year: int | None) -> None:
    for period, start, end in find_periods(printed, default_year=year):
        assert 0 <= start < end <= len(printed)
        assert period.start <= period.end
    with contextlib.suppress(ParseError):  # the documented error; anything else fails
        parse_period(printed, default_year=year)


def _read(reader: object, path: Path) -> Document | None:
    """The reader's Document, or None after a documented input error (BulletinError)."""
    try:
        doc: Document = reader(path)  # type: ignore[operator]
    except BulletinError:
        return None
    return doc


@FUZZ
@given(st.binary(max_size=400) | text.map(lambda t: t.encode("utf-8")))
def test_fuzz_text_reader_and_claims(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    doc = _read(text_to_document, path)
    if doc is not None:
        extract_claims(doc)  # claim extraction takes whatever the reader made


@FUZZ
@given(text, st.lists(st.lists(text, min_size=1, max_size=4), max_size=5))
def test_fuzz_html_reader_and_claims(tmp_path: Path, body: str, rows: list[list[str]]) -> None:
    cells = "".join(
        "<tr>" + "".join(f"<td rowspan={len(c)} colspan={len(row)}>{c}</td>" for c in row) + "</tr>"
        for row in rows
    )
    path = tmp_path / "fuzz.html"
    path.write_text(f"<html><body><p>{body}</p><table>{cells}</table>{body}</body></html>", "utf-8")
    doc = _read(html_to_document, path)
    if doc is not None:
        extract_claims(doc)


@FUZZ
@given(st.binary(max_size=300), st.lists(text, max_size=4))
def test_fuzz_docx_reader(tmp_path: Path, junk: bytes, paragraphs: list[str]) -> None:
    path = tmp_path / "fuzz.docx"
    path.write_bytes(junk)
    assert _read(docx_to_document, path) is None  # junk is never a DOCX
    path.write_bytes(_docx(paragraphs))
    doc = _read(docx_to_document, path)
    if doc is not None:
        extract_claims(doc)


def _docx(paragraphs: list[str]) -> bytes:
    """A minimal DOCX whose body holds the paragraphs, as XML text (escaped, any characters)."""
    from xml.sax.saxutils import escape

    body = "".join(
        f"<w:p><w:r><w:t>{escape(''.join(c for c in p if c.isprintable()))}</w:t></w:r></w:p>"
        for p in paragraphs
    )
    main = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", main)
    return buffer.getvalue()
