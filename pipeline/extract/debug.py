"""Debug pages: each PDF page as a PNG with what extraction found boxed on it.

Colours: table outline red, header cells blue, body cells green (orange for a
body row whose cell count differs from the header's columns, or from the columns
of the table it seems to continue), narrative lines grey; a cell read as empty is
crossed out. A label above each table says which backend found it and how it was
read (header rows, columns, body rows). Rendering goes through pdfplumber's
`page.to_image` (pypdfium2), which shows the page as displayed (its /Rotate
applied); boxes are PDF points, top-left origin, on that displayed page, as in the
model: a page read turned (`turn`) has its boxes turned back before drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.extract.backends import DEFAULT_BACKEND
from pipeline.extract.pdf import PageContent, read_pdf_pages
from pipeline.extract.tables import PageTable
from pipeline.extract.turn import page_table_to_display, reading_to_display
from pipeline.model import BBox, Cell

RESOLUTION = 100
TABLE = (220, 30, 30)
HEADER = (30, 90, 230)
BODY = (20, 160, 60)
ODD_ROW = (245, 140, 0)
LINE = (120, 120, 120)
LEGEND = (
    ("table", TABLE),
    ("header cell", HEADER),
    ("body cell", BODY),
    ("row width != header", ODD_ROW),
    ("text line", LINE),
    ("X = cell read as empty", (0, 0, 0)),
)
FONT_SIZE = 12


DEBUG_MARK = b"bulletins extract --debug-pages"  # the PNG's Software text chunk


def written_by_us(path: Path, mark: bytes) -> bool:
    """Whether the file carries `mark` in its first 4 KB (the stamp bulletins writes)."""
    try:
        with path.open("rb") as fh:
            return mark in fh.read(4096)
    except OSError:
        return False


def write_debug_pages(
    path: Path, out_dir: Path, *, backend: str = DEFAULT_BACKEND, resolution: int = RESOLUTION
) -> list[Path]:
    """Write `out_dir/page-NNN.png` for every page of the PDF; return the paths written.

    Raises InputError when the file is not a readable PDF, `out_dir` cannot be created or
    a page-NNN.png there is not one this function wrote (it never writes over other files),
    ConfigError for an unknown backend.
    """
    if path.suffix.lower() != ".pdf":
        raise InputError(f"{path}: debug pages are drawn for PDF files only")
    contents, _ = read_pdf_pages(path, backend=backend)
    for content in contents:  # all checked before the first page is written
        target = out_dir / f"page-{content.number:03d}.png"
        if target.exists() and not written_by_us(target, DEBUG_MARK):
            raise InputError(f"{target}: exists and was not written by bulletins; not replaced")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot create the debug directory ({exc})") from exc
    import pdfplumber
    from PIL.PngImagePlugin import PngInfo

    written = []
    width = 0
    with pdfplumber.open(path) as pdf:
        for page, read in zip(pdf.pages, contents, strict=True):
            image = page.to_image(resolution=resolution)
            content = content_on_display(read)
            draw_page(image, content, continued_width=width)
            _label(image, content, resolution / 72, width)
            width = _last_width(content, width)
            target = out_dir / f"page-{content.number:03d}.png"
            info = PngInfo()
            info.add_text("Software", DEBUG_MARK.decode())
            image.save(target, format="PNG", pnginfo=info)
            written.append(target)
    return written


def content_on_display(content: PageContent) -> PageContent:
    """The page's lines and tables with their boxes on the displayed page."""
    turn = content.turn
    if turn.quarters == 0:
        return content
    return replace(
        content,
        lines=tuple(replace(ln, bbox=reading_to_display(ln.bbox, turn)) for ln in content.lines),
        tables=tuple(page_table_to_display(t, turn) for t in content.tables),
    )


def draw_page(image: Any, content: PageContent, *, continued_width: int = 0) -> None:
    """Box the page's narrative lines and tables on a pdfplumber `PageImage`.

    `continued_width` is the column count of the table the previous page ended
    with: a headerless table opening this page is checked against it.
    """
    for line in content.lines:
        _box(image, line.bbox, LINE, 1)
    for k, table in enumerate(content.tables):
        inherited = continued_width if k == 0 and not table.columns else 0
        _draw_table(image, table, len(table.columns) or inherited)


def _draw_table(image: Any, table: PageTable, width: int) -> None:
    for row in table.header_rows:
        for cell in row:
            _cell(image, cell, HEADER, 2)
    for row in table.body_rows:
        colour = ODD_ROW if width and len(row) != width else BODY
        for cell in row:
            _cell(image, cell, colour, 1)
    _box(image, table.bbox, TABLE, 3)


def _cell(image: Any, cell: Cell, colour: tuple[int, int, int], width: int) -> None:
    bbox = cell.source.bbox
    _box(image, bbox, colour, width)
    if bbox is not None and not cell.text.strip():
        x0, top, x1, bottom = bbox
        image.draw_line([(x0, top), (x1, bottom)], stroke=colour, stroke_width=1)
        image.draw_line([(x0, bottom), (x1, top)], stroke=colour, stroke_width=1)


def _box(image: Any, bbox: BBox | None, colour: tuple[int, int, int], width: int) -> None:
    if bbox is None:
        return
    image.draw_rect(bbox, fill=(*colour, 24), stroke=colour, stroke_width=width)


def _last_width(content: PageContent, previous: int) -> int:
    """Columns of the table a next page may continue: this page's last table, if any."""
    if not content.tables:
        return 0
    last = content.tables[-1]
    only = len(content.tables) == 1
    return len(last.columns) or (previous if only else 0)


def _label(image: Any, content: PageContent, scale: float, continued_width: int) -> None:
    """A legend at the top left and a one-line summary above each table (ASCII only)."""
    from PIL import ImageDraw, ImageFont

    draw = ImageDraw.Draw(image.annotated)
    font = ImageFont.load_default(size=FONT_SIZE)
    x = 4.0
    for name, colour in LEGEND:
        draw.rectangle((x, 4, x + 10, 14), outline=colour, width=2)
        draw.text((x + 14, 2), name, fill=colour, font=font)
        x += 24 + draw.textlength(name, font=font)
    for k, table in enumerate(content.tables, 1):
        left, top = table.bbox[0] * scale, table.bbox[1] * scale
        inherited = continued_width if k == 1 and not table.columns else 0
        text = _summary(k, table, inherited)
        # Kept on the image: on a page displayed sideways a table may reach its right edge.
        left = max(min(left, image.annotated.width - draw.textlength(text, font=font)), 0)
        draw.text((left, max(top - FONT_SIZE - 2, 18)), text, fill=TABLE, font=font)


def _summary(k: int, table: PageTable, inherited: int) -> str:
    cells = [c for row in (*table.header_rows, *table.body_rows) for c in row]
    widths = sorted({len(r) for r in table.body_rows})
    empty = sum(1 for c in cells if not c.text.strip())
    text = (
        f"table {k} [{_backends(cells)}]: {len(table.header_rows)} header rows, "
        f"{len(table.columns)} columns, {len(table.body_rows)} body rows "
        f"of {'/'.join(map(str, widths)) or 0} cells, {empty} empty cells"
    )
    if inherited:
        text += f"; no header: may continue the previous page's {inherited} columns"
    return text


def _backends(cells: Sequence[Any]) -> str:
    return ",".join(sorted({c.source.backend for c in cells})) or "-"
