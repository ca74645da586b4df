"""DOCX (Word 2007 and later) to a `Document`, through python-docx.

The body XML is read in order, so tables stay where they are printed among the
paragraphs; content controls (w:sdt) are read through. A paragraph's line
breaks (w:br, w:cr) split it into lines; tabs read as spaces. In tables,
w:gridSpan gives a cell's colspan and a w:vMerge chain its rowspan; a cell's
paragraphs are joined into one text ("办结得分" + "(35分)"). Page headers and
footers, footnotes, comments and text boxes' placement are not read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.extract.blocks import Block, Paragraph, TableBlock, TableCell
from pipeline.extract.flow import blocks_to_document
from pipeline.extract.lines import join_cjk
from pipeline.model import Document

BACKEND = "docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Text boxes are written twice (mc:Choice and a VML mc:Fallback): read the first only.
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def docx_to_document(path: Path) -> Document:
    """Read a DOCX bulletin; raises InputError when the file is not a readable DOCX."""
    body = _open_body(path)
    return blocks_to_document(list(body_to_blocks(body)), path=path, backend=BACKEND)


def _open_body(path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not a DOCX (bad zip)")
    try:
        return docx.Document(str(path)).element.body
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: not a DOCX ({_first_line(exc)})") from exc
    except XMLSyntaxError as exc:
        raise InputError(f"{path}: not a DOCX (damaged XML: {_first_line(exc)})") from exc


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().strip("'\"") or type(exc).__name__
    return text.splitlines()[0]


def body_to_blocks(body: Any) -> Iterator[Block]:
    """Paragraphs and tables of a w:body (or w:sdtContent) in document order."""
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            yield Paragraph(paragraph_lines(child))
        elif child.tag == f"{W}tbl":
            yield table_block(child)
        elif child.tag == f"{W}sdt":
            for content in child.iterchildren(f"{W}sdtContent"):
                yield from body_to_blocks(content)


def paragraph_lines(p: Any) -> tuple[str, ...]:
    """The paragraph's text split at line breaks (w:br of any type, w:cr)."""
    lines = [""]
    for el in p.iter(f"{W}t", f"{W}br", f"{W}cr", f"{W}tab"):
        if next(el.iterancestors(FALLBACK), None) is not None:
            continue
        if el.tag == f"{W}t":
            lines[-1] += el.text or ""
        elif el.tag == f"{W}tab":
            lines[-1] += " "
        else:
            lines.append("")
    return tuple(lines)


@dataclass(slots=True)
class _Cell:
    """A cell being read: its rowspan grows with each w:vMerge continuation below it."""

    text: str
    colspan: int
    rowspan: int = 1


def table_block(tbl: Any) -> TableBlock:
    rows: list[list[_Cell]] = []
    starts: dict[int, _Cell] = {}  # grid column -> the cell that last began there
    for tr in tbl.iterchildren(f"{W}tr"):
        row: list[_Cell] = []
        col = _int_prop(tr.find(f"{W}trPr"), "gridBefore", 0)
        for tc in tr.iterchildren(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span = max(_int_prop(props, "gridSpan", 1), 1)
            above = starts.get(col)
            if _continues_merge(props) and above is not None:
                above.rowspan += 1
            else:
                cell = _Cell(_cell_text(tc), span)
                row.append(cell)
                starts.update({c: cell for c in range(col, col + span)})
            col += span
        rows.append(row)
    return TableBlock(
        tuple(tuple(TableCell(c.text, c.colspan, c.rowspan) for c in row) for row in rows)
    )


def _int_prop(props: Any, name: str, default: int) -> int:
    el = props.find(f"{W}{name}") if props is not None else None
    value = el.get(f"{W}val") if el is not None else None
    return int(value) if value is not None and value.isdigit() else default


def _continues_merge(props: Any) -> bool:
    """w:vMerge without val="restart" continues the cell above."""
    el = props.find(f"{W}vMerge") if props is not None else None
    return el is not None and el.get(f"{W}val", "continue") != "restart"


def _cell_text(tc: Any) -> str:
    text = ""
    for p in tc.iterchildren(f"{W}p"):
        for line in paragraph_lines(p):
            text = join_cjk(text, line.strip())
    return text
