"""Copies of a PDF whose pages carry a /Rotate entry, made the ways real files get one.

- redrawn (the default): how Word and WPS save a landscape section. The page's
  MediaBox is turned (portrait for a landscape page), its content is drawn turned
  the other way onto it, and /Rotate turns it back, so the page displays exactly as
  the original does while every coordinate in the file differs.
- not redrawn: only /Rotate is set, as when a page is turned in a viewer and saved;
  the page then displays turned, its text sideways or upside down.

Both go through pdfium (pypdfium2, which pdfplumber depends on): the content is
wrapped in a transformation (`FPDFPage_TransFormWithClip`), nothing is re-typeset,
so fonts, text and rulings stay the producer's own.
"""

from __future__ import annotations

import ctypes
from collections.abc import Collection
from pathlib import Path

ROTATIONS = (90, 180, 270)


def rotate_pdf(
    src: Path,
    dst: Path,
    rotation: int,
    *,
    pages: Collection[int] | None = None,
    redraw: bool = True,
) -> None:
    """Write `dst`: `src` with /Rotate `rotation` on `pages` (1-based; all when None).

    With `redraw` the content is turned against the rotation so the pages display
    as before. Raises ValueError for a rotation other than 90, 180 or 270.
    """
    import pypdfium2 as pdfium

    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}, not {rotation}")
    pdf = pdfium.PdfDocument(str(src))
    try:
        for index in range(len(pdf)):
            if pages is not None and index + 1 not in pages:
                continue
            page = pdf[index]
            if redraw:
                _redraw_turned(page, rotation)
            page.set_rotation(rotation)
        pdf.save(str(dst))
    finally:
        pdf.close()


def _redraw_turned(page: object, rotation: int) -> None:
    """Turn the page's content and MediaBox counter to `rotation` (which turns them back)."""
    import pypdfium2.raw as raw

    x0, y0, x1, y1 = page.get_mediabox()  # type: ignore[attr-defined]
    w, h = x1 - x0, y1 - y0
    a, b, c, d, e, f = _content_matrix(rotation, w, h)
    # Move the MediaBox's origin to (0, 0) first: e' = e - (a x0 + c y0), likewise f.
    matrix = raw.FS_MATRIX(a, b, c, d, e - (a * x0 + c * y0), f - (b * x0 + d * y0))
    box = (0.0, 0.0, h, w) if rotation in (90, 270) else (0.0, 0.0, w, h)
    clip = raw.FS_RECTF(box[0], box[3], box[2], box[1])  # left, top, right, bottom
    if not raw.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(matrix), ctypes.byref(clip)):  # type: ignore[attr-defined]
        raise RuntimeError("pdfium could not transform the page content")
    page.set_mediabox(*box)  # type: ignore[attr-defined]
    page.set_cropbox(*box)  # type: ignore[attr-defined]


def _content_matrix(rotation: int, w: float, h: float) -> tuple[float, ...]:
    """The PDF matrix drawing a w x h page turned counter-clockwise by `rotation`.

    /Rotate r turns the displayed page clockwise by r, so content drawn turned
    counter-clockwise by r displays upright.
    """
    if rotation == 90:
        return (0.0, 1.0, -1.0, 0.0, h, 0.0)
    if rotation == 270:
        return (0.0, -1.0, 1.0, 0.0, 0.0, w)
    return (-1.0, 0.0, 0.0, -1.0, w, h)
