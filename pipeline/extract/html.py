"""HTML (a bulletin saved from a government web site) to a `Document`, through lxml.

Paragraphs are the text of block elements (<p>, <div>, <h1>..<h6>, <li>, ...),
split into lines at <br>; an empty line (<br><br>) or a line opened by an
ideographic space or &nbsp; after a <br> starts a new paragraph, as on pages
that set a whole article in one <div>. Whitespace collapses as a browser
shows it, and a line break between two Chinese characters in the source is no
space. Tables are
<table> elements with rowspan/colspan (<caption> becomes a paragraph above);
a table that holds another table is page layout and is read as paragraphs.
Left out: <script>, <style>, <nav>, <aside>, forms, ruby readings (<rt>), hidden
elements, the page <header>/<footer> outside <article>/<main>, and site chrome recognized by its
class or id (nav, menu, breadcrumb, share, footer, article-meta, ...).
Not supported: text drawn by scripts, frames, CSS-generated content.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.extract.blocks import Block, Paragraph, TableBlock, TableCell
from pipeline.extract.flow import blocks_to_document
from pipeline.extract.lines import join_cjk
from pipeline.extract.text import decode_bytes, read_bytes
from pipeline.model import Document

BACKEND = "html"
SKIPPED = frozenset(
    {
        *("head", "script", "style", "noscript", "template", "nav", "aside", "form", "button"),
        *("select", "textarea", "input", "iframe", "frame", "object", "embed", "svg", "canvas"),
        *("rt", "rp"),  # a ruby's reading (pinyin over a character) is no part of the text
    }
)
PAGE_PARTS = frozenset({"header", "footer"})
BLOCKS = frozenset(
    {
        *("html", "body", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol"),
        *("dl", "dt", "dd", "section", "article", "main", "blockquote", "pre", "center"),
        *("address", "figure", "figcaption", "hr", "caption", "table", "thead", "tbody"),
        *("tfoot", "tr", "td", "th"),
    }
)
CHROME = re.compile(
    r"^(?:(?:site|page|top|main|sub|left|right|bottom|global|g)[-_]?)?"
    r"(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location|header|footer|foot|share|"
    r"sidebar|toolbar|tools|print|copyright|search|login|skip|related|friendlinks?|"
    r"(?:article|news|doc|post|page)?[-_]?(?:meta|info|attrs?|property))"
    r"(?:[-_]?(?:bar|box|wrap|wrapper|list|links|area|container|inner))?\d*$",
    re.IGNORECASE,
)
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(rf"(?<=[{CJK}])\s*\n\s*(?=[{CJK}])")
INDENT = re.compile(r"^[ \t\r\n]*[\u3000\xa0]")  # "　　" or "&nbsp;" opening a line
MAX_SPAN = 1000


def html_to_document(path: Path) -> Document:
    """Read an HTML bulletin; raises InputError when the file has no readable text."""
    root = _parse(path)
    blocks = html_to_blocks(root)
    if not any(isinstance(b, Paragraph) and any(t.strip() for t in b.lines) for b in blocks):
        raise InputError(f"{path}: no text in the HTML page")
    return blocks_to_document(blocks, path=path, backend=BACKEND)


def _parse(path: Path) -> Any:
    import lxml.etree
    import lxml.html

    data = read_bytes(path)
    found = CHARSET.search(data[:4096])
    declared = found.group(1).decode("ascii") if found else None
    text = decode_bytes(data, path, kind="HTML file", declared=declared)
    # huge_tree: without it libxml2 drops, without a word, whatever is nested deeper than 256
    # elements; depth is bounded by our walk instead (MAX_DEPTH)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(XML_DECLARATION.sub("", text), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"{path}: not an HTML file ({exc})") from exc
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # even with huge_tree libxml2 stops at 2,048 levels and drops the rest: say so
        raise InputError(f"{path}: elements nested more than 2,048 deep; the page is not read")
    return root


# Elements nested deeper than this are read as plain text (their blocks and tables are not
# told apart): real pages nest a few dozen deep, and the walk is recursive.
MAX_DEPTH = 400


def html_to_blocks(root: Any) -> list[Block]:
    """Paragraph and table blocks of a parsed page, in reading order."""
    out = _Collector()
    _walk(root, out)
    out.flush()
    return out.blocks


class _Collector:
    """Blocks read so far and the lines of the paragraph being read."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines = [""]

    def text(self, text: str | None) -> None:
        if text:
            self.lines[-1] += text

    def newline(self) -> None:
        self.lines.append("")

    def flush(self) -> None:
        """End the paragraph; <br><br> or a line indented by <br>　　 ends one inside it."""
        group: list[str] = []
        for raw in self.lines:
            line = _squash(raw)
            if group and (not line or INDENT.match(raw)):
                self.blocks.append(Paragraph(tuple(group)))
                group = []
            if line:
                group.append(line)
        if group:
            self.blocks.append(Paragraph(tuple(group)))
        self.lines = [""]

    def table(self, block: TableBlock) -> None:
        self.flush()
        self.blocks.append(block)


def _squash(text: str) -> str:
    return " ".join(CJK_BREAK.sub("", text).split())


def _walk(el: Any, out: _Collector, depth: int = 0) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if not tag or _skipped(el, tag):
        return
    if depth > MAX_DEPTH:  # read what is nested deeper as one run of text, without recursion
        out.text("".join(el.itertext()))
        return
    if tag == "br":
        out.newline()
        return
    if tag == "table" and not _is_layout(el):
        _walk_table(el, out)
        return
    block = tag in BLOCKS
    if block:
        out.flush()
    out.text(el.text)
    for child in el:
        _walk(child, out, depth + 1)
        out.text(child.tail)
    if block:
        out.flush()


def _skipped(el: Any, tag: str) -> bool:
    if tag in SKIPPED or el.get("hidden") is not None:
        return True
    if "display:none" in (el.get("style") or "").replace(" ", "").lower():
        return True
    if tag in PAGE_PARTS and next(el.iterancestors("article", "main"), None) is None:
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return any(CHROME.match(name) for name in names)


def _is_layout(table: Any) -> bool:
    """A table holding a table, or a single cell, only lays out the page."""
    # Walked, not XPath: libxml2 merges the node sets of ".//td|.//th" in time that grows
    # with the square of the cells (5 s for a table of 8,000 rows), and two cells are enough.
    if next(table.iterdescendants("table"), None) is not None:
        return True
    cells = table.iterdescendants("td", "th")
    return next(cells, None) is None or next(cells, None) is None


def _walk_table(table: Any, out: _Collector) -> None:
    for caption in table.iterchildren("caption"):
        _walk(caption, out)
    rows = tuple(tuple(_cell(td) for td in _cells(tr)) for tr in _rows(table))
    out.table(TableBlock(rows))


def _rows(table: Any) -> list[Any]:
    """The table's rows in document order, directly or in its head, bodies and foot."""
    rows: list[Any] = []
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
        rows.extend([child] if child.tag == "tr" else child.iterchildren("tr"))
    return rows


def _cells(tr: Any) -> list[Any]:
    return [td for td in tr.iterchildren("td", "th") if not _skipped(td, td.tag)]


def _cell(td: Any) -> TableCell:
    inner = _Collector()
    inner.text(td.text)
    for child in td:
        _walk(child, inner)
        inner.text(child.tail)
    inner.flush()
    text = ""
    for block in inner.blocks:
        for line in block.lines if isinstance(block, Paragraph) else ():
            text = join_cjk(text, line)
    return TableCell(text, _span(td, "colspan"), _span(td, "rowspan"))


def _span(td: Any, name: str) -> int:
    value = (td.get(name) or "").strip()
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1
