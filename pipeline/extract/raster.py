"""Page images for OCR: render a PDF page, and straighten a tilted scan.

Pages are rendered at `OCR_DPI` in grey. Why 200 dpi: PP-OCR's recognizer scales
every text line to 48 px high, and at 200 dpi body text (三号, 16 pt) is about 44 px
and table text (10.5 pt) about 29 px, close to that; 300 dpi gives it nothing more
while detection, which runs over every pixel, costs 2.25 times as much; at 150 dpi
9-point table digits are under 20 px, where 3/8 and 5/6 start to blur. A scan stored
at 150 dpi is resampled up, which costs little.

Pixels have a top-left origin; one pixel is 72 / dpi PDF points.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

OCR_DPI = 200
# A page is rendered at OCR_DPI unless that makes more pixels than this (an A3 page at
# 200 dpi): then at the dpi that makes this many. A damaged or hostile MediaBox of 200 by
# 200 inches would otherwise ask for 1.6 gigapixels, and detection's memory grows with
# the pixels (about 250 MB a megapixel at its 100 dpi: docs/ocr.md).
MAX_PIXELS = 8_000_000
# Deskew: the angles tried (degrees, either way) and the steps of the coarse and fine search.
MAX_SKEW = 4.0
COARSE_STEP, FINE_STEP = 0.5, 0.05
# The skew is measured on a copy this many pixels wide (enough for 0.05° on text rows).
MEASURE_WIDTH = 800
# A skew smaller than this (degrees) is left alone: rotating blurs glyphs a little.
MIN_SKEW = 0.08


def capped_dpi(width: float, height: float, dpi: float = OCR_DPI) -> float:
    """The dpi to render a page of `width` x `height` PDF points at: `dpi`, or less when
    that would make more than MAX_PIXELS pixels."""
    area = max(width, 1.0) * max(height, 1.0) / 72 / 72  # square inches
    return min(float(dpi), math.sqrt(MAX_PIXELS / area))


def render_page(path: Path, index: int, dpi: float = OCR_DPI) -> Any:
    """Page `index` (0-based) of the PDF as displayed, a 2-D uint8 grey array."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    pdf = pdfium.PdfDocument(str(path))
    try:
        bitmap = pdf[index].render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_numpy().copy()
    finally:
        pdf.close()
    if image.ndim == 3:  # some pdfium builds give a grey image three channels
        image = image[:, :, 0]
    return image


def skew_angle(image: Any) -> float:
    """The angle (degrees, counter-clockwise positive) text rows are tilted by.

    The angle that makes the row profile of dark pixels sharpest (largest variance
    between rows) is the one where text rows lie level. Each angle's profile is the
    histogram of the dark pixels' rows once turned about the centre (as `_rotate`
    would turn them): turning the coordinates of the ink costs a tenth of turning
    the whole image 38 times.
    """
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    scale = min(1.0, MEASURE_WIDTH / w)
    small = cv2.resize(image, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    rows = ink.shape[0]
    dx, dy = xs - ink.shape[1] / 2, ys - rows / 2

    def sharpness(angle: float) -> float:
        a = np.deg2rad(angle)
        turned = np.floor(dy * np.cos(a) - dx * np.sin(a) + rows / 2).astype(np.int64)
        inside = turned[(turned >= 0) & (turned < rows)]
        return float(np.var(np.bincount(inside, minlength=rows)[:rows]))

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, COARSE_STEP)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - COARSE_STEP, best + COARSE_STEP + 1e-9, FINE_STEP)
    return float(max(fine, key=sharpness))


def deskew(image: Any) -> tuple[Any, float]:
    """The image turned so its text rows are level, and the angle it was turned by."""
    angle = skew_angle(image)
    if abs(angle) < MIN_SKEW:
        return image, 0.0
    return _rotate(image, angle, border=255), angle


def _rotate(image: Any, angle: float, *, border: int) -> Any:
    import cv2

    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
