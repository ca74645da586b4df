"""Where a piece of evidence was printed, in words, read from its Source alone.

Every human-readable report (text, Markdown, HTML) names places the same way: a PDF page as
"p.6", with its box "p.6 [72,140,310,152]" (PDF points, top-left origin, rounded to whole
points) where the report has room for it; a block of an HTML, DOCX or text bulletin as
"block 12", with the cell "block 12, cell 3,1" (row, column) or the line "block 4, line 0"
(0-based, as the audit JSON's `index`).
"""

from __future__ import annotations

from pipeline.model import Source


def where_printed(source: Source, *, paged: bool, box: bool = True) -> str:
    """`paged`: the document has pages (a PDF), so `source.page` is a page, not a block.
    `box`: add the page box when the source has one."""
    if paged:
        if not box or source.bbox is None:
            return f"p.{source.page}"
        x0, top, x1, bottom = (round(v) for v in source.bbox)
        return f"p.{source.page} [{x0},{top},{x1},{bottom}]"
    if source.index is None:
        return f"block {source.page}"
    place = "cell" if len(source.index) == 2 else "line"
    return f"block {source.page}, {place} " + ",".join(map(str, source.index))
