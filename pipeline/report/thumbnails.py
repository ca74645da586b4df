"""Evidence thumbnails for the HTML report: a crop of the PDF page with the evidence boxed.

Each page is rendered once (pdfplumber through pypdfium2) and every finding that points at
it gets its own crop with its boxes drawn in the colour of its severity, encoded as a PNG
data URI so the report stays one self-contained file. Crops keep some context around the
boxes and are scaled down to at most MAX_WIDTH x MAX_HEIGHT pixels, which keeps a report with
fifty findings in the hundreds of kilobytes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from PIL import Image, ImageDraw

from pipeline.model import BBox, Finding, Severity

RESOLUTION = 110  # dpi: 10.5 pt table text is about 16 px high, legible
MARGIN_X, MARGIN_Y = 72.0, 36.0  # points of context kept around the boxes
MIN_WIDTH = 320.0  # points: a lone cell still shows most of its row
MAX_WIDTH, MAX_HEIGHT = 900, 700  # pixels after scaling down
CROP_COLOURS = 64  # at most this many before the boxes are drawn: the PNG keeps a palette
PAD = 1.5  # points between the printed text and its box

# Opaque stroke colours, also used by the report's CSS; unlikely to occur exactly in a render.
BOX_RGB: dict[Severity, tuple[int, int, int]] = {
    Severity.ERROR: (214, 39, 40),
    Severity.WARNING: (230, 120, 0),
    Severity.INFO: (31, 119, 180),
}


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """One finding's evidence on one page: a PNG data URI and its pixel size."""

    page: int
    data_uri: str
    width: int
    height: int
    boxes: int


ThumbKey = tuple[int, int]  # (index of the finding in the audit, page)


def evidence_thumbnails(
    pdf: Path, findings: Sequence[Finding], *, resolution: int = RESOLUTION
) -> dict[ThumbKey, Thumbnail]:
    """Thumbnails keyed by (finding index, page) for every evidence item with a bbox.

    Pages are 1-based; bboxes are PDF points with a top-left origin. Raises whatever
    pdfplumber raises for an unreadable file.
    """
    wanted = _boxes_by_page(findings)
    thumbs: dict[ThumbKey, Thumbnail] = {}
    with pdfplumber.open(pdf) as doc:
        for page_no in sorted(wanted):
            if not 1 <= page_no <= len(doc.pages):
                continue
            page = doc.pages[page_no - 1]
            image = page.to_image(resolution=resolution)  # rendered once per page
            size = (float(page.width), float(page.height))
            for index, boxes in wanted[page_no]:
                colour = BOX_RGB[findings[index].severity]
                picture = boxed_crop(image.original, image.scale, boxes, size, colour)
                thumbs[index, page_no] = Thumbnail(
                    page_no, png_data_uri(picture), picture.width, picture.height, len(boxes)
                )
    return thumbs


def _boxes_by_page(findings: Sequence[Finding]) -> dict[int, list[tuple[int, list[BBox]]]]:
    by_page: dict[int, list[tuple[int, list[BBox]]]] = {}
    for index, finding in enumerate(findings):
        for page_no, boxes in _finding_boxes(finding):
            by_page.setdefault(page_no, []).append((index, boxes))
    return by_page


def _finding_boxes(finding: Finding) -> Iterator[tuple[int, list[BBox]]]:
    pages: dict[int, list[BBox]] = {}
    for e in finding.evidence:
        if e.bbox is not None and e.bbox[2] > e.bbox[0] and e.bbox[3] > e.bbox[1]:
            pages.setdefault(e.page, []).append(e.bbox)
    yield from sorted(pages.items())


def boxes_to_crop(boxes: Sequence[BBox], page_size: tuple[float, float]) -> BBox:
    """The region (points) shown for these boxes: their union with context, inside the page."""
    width, height = page_size
    x0 = min(b[0] for b in boxes) - MARGIN_X
    x1 = max(b[2] for b in boxes) + MARGIN_X
    if x1 - x0 < MIN_WIDTH:
        grow = (MIN_WIDTH - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    top = min(b[1] for b in boxes) - MARGIN_Y
    bottom = max(b[3] for b in boxes) + MARGIN_Y
    return (max(0.0, x0), max(0.0, top), min(width, x1), min(height, bottom))


def boxed_crop(
    page_image: Image.Image,
    scale: float,
    boxes: Sequence[BBox],
    page_size: tuple[float, float],
    colour: tuple[int, int, int],
) -> Image.Image:
    """Crop the rendered page around `boxes`, scale it down to fit, then draw the boxes.

    `scale` is pixels per point of `page_image`. Boxes are drawn after scaling so that
    their outline keeps exactly `colour`.
    """
    crop = boxes_to_crop(boxes, page_size)
    picture = page_image.convert("RGB").crop(
        (int(crop[0] * scale), int(crop[1] * scale), int(crop[2] * scale), int(crop[3] * scale))
    )
    ratio = min(1.0, MAX_WIDTH / picture.width, MAX_HEIGHT / picture.height)
    if ratio < 1.0:
        size = (max(1, round(picture.width * ratio)), max(1, round(picture.height * ratio)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    picture = _few_colours(picture)
    draw = ImageDraw.Draw(picture, "RGBA")
    px = scale * ratio
    for x0, top, x1, bottom in boxes:
        rect = (
            (x0 - PAD - crop[0]) * px,
            (top - PAD - crop[1]) * px,
            (x1 + PAD - crop[0]) * px,
            (bottom + PAD - crop[1]) * px,
        )
        draw.rectangle(rect, fill=(*colour, 28), outline=(*colour, 255), width=2)
    return picture


def _few_colours(picture: Image.Image) -> Image.Image:
    """Reduce a crop (scaled down, or showing a photo) to CROP_COLOURS; a plain render has fewer.

    Drawing the boxes then adds at most one tinted copy of each colour and the outline, so
    the image still fits a 256-entry palette and the outline keeps its exact colour.
    """
    if picture.getcolors(CROP_COLOURS) is not None:
        return picture
    return picture.quantize(CROP_COLOURS, dither=Image.Dither.NONE).convert("RGB")


def png_data_uri(picture: Image.Image) -> str:
    """A PNG data URI; an image of at most 256 colours is stored losslessly with a palette."""
    colours = picture.convert("RGB").getcolors(256)
    if colours is not None:
        palette = Image.new("P", (1, 1))
        palette.putpalette([c for _, rgb in colours if isinstance(rgb, tuple) for c in rgb])
        picture = picture.quantize(palette=palette, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
