"""OCR engines: what reads the text of a page image, chosen by name.

An engine is made once per document (`ENGINES[name]()`) and asked for the text
boxes of each page image in turn. The heavy import happens inside the adapter,
so choosing an engine that is not installed fails with `OcrUnavailable`, whose
message is one line naming what to install. Nothing is downloaded: rapidocr is
given the model files its wheel carries, Tesseract reads Debian's `chi_sim`.

Boxes are in pixels of the image given (top-left origin); `ocr_page` scales them
to PDF points.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import ConfigError
from pipeline.extract.heap import return_freed
from pipeline.extract.ocr_grid import GridLine
from pipeline.extract.ocr_rec import LineRecognizer, OcrStopped

log = logging.getLogger(__name__)

DEFAULT_OCR = "rapidocr"
OCR_OFF = "off"
OCR_CHOICES = ("rapidocr", "tesseract", OCR_OFF)

# rapidocr's own files: PP-OCRv6 detection and recognition (the recognizer carries its
# character list) and the text-direction classifier, all inside the wheel.
RAPID_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
# Detection runs at this resolution: DB finds 10.5-point table text (15 px high here) as
# surely as at 200 dpi, for a quarter of the pixels (docs/ocr.md has the measurements).
DET_DPI = 100
# Ink, for finding the part of a page worth searching: grey levels under INK_LEVEL, in at
# least INK_SHARE of a row or column; the box found is widened by INK_MARGIN_IN inches.
INK_LEVEL, INK_SHARE, INK_MARGIN_IN = 160, 0.004, 0.15
# A line recognised with less confidence than this is noise (a stamp's edge, a speck):
# rapidocr's own default.
MIN_CONFIDENCE = 0.5
TESSERACT_LANG = "chi_sim"
TESSERACT_TIMEOUT = 120.0  # seconds a page may take


class OcrUnavailable(ConfigError):
    """The chosen OCR engine cannot run here; the message says what to install."""


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One run of text the engine read: pixels (x0, top, x1, bottom), confidence 0..1."""

    text: str
    bbox: tuple[float, float, float, float]
    confidence: float


PixelBox = tuple[float, float, float, float]


class OcrEngine(Protocol):
    """Reads the text of page images and of single text lines (2-D uint8 grey arrays)."""

    name: str
    # Whether `read` takes the lines of ruled tables' cells found from their grid
    # (`ocr_grid`) in place of searching those tables: cheaper for an engine that reads
    # line crops in batches, not for one that reads a page in one call.
    reads_grid: bool

    def read(
        self,
        image: Any,
        dpi: float,
        stop: Callable[[], bool] | None = None,
        *,
        lines: Sequence[GridLine] = (),
        skip: Sequence[PixelBox] = (),
    ) -> list[OcrBox]:
        """The text boxes of `image`, rendered at `dpi`, in no particular order: those
        found outside the boxes of `skip` (pixels), and the readings of `lines`, crops
        known to hold one line each, at their boxes (only when `reads_grid`; a line that
        carries its text, a dash, is taken as it is).

        Raises OcrStopped when `stop()` turns true while the engine can still stop (a
        spent OCR budget): between recognition batches for rapidocr, before the page's
        one call for Tesseract.
        """
        ...

    def read_line(self, image: Any) -> OcrBox | None:
        """The text of an image holding one line (a cell), or None when nothing was read."""
        ...


class RapidOcr:
    """PP-OCRv6 (small) through rapidocr on onnxruntime, one thread, models from the wheel.

    Detection runs on a copy of the page scaled to `DET_DPI`; the lines it finds are cut
    from the full-resolution page and recognised by `ocr_rec.LineRecognizer`.
    """

    name = "rapidocr"
    reads_grid = True

    def __init__(self) -> None:
        try:
            import onnxruntime  # noqa: F401  rapidocr does not depend on it; say so clearly
            import rapidocr
        except ImportError as exc:
            raise OcrUnavailable(
                f"OCR engine rapidocr is not installed ({exc.name} missing): "
                "pip install 'rapidocr==3.10.0' 'onnxruntime==1.32.0', i.e. the extra .[ocr]"
            ) from exc
        models = Path(rapidocr.__file__).parent / "models"
        missing = [n for n in RAPID_MODELS.values() if not (models / n).is_file()]
        if missing:
            raise OcrUnavailable(f"rapidocr's wheel lacks {', '.join(missing)}: reinstall .[ocr]")
        params: dict[str, Any] = {
            f"{task}.model_path": str(models / name) for task, name in RAPID_MODELS.items()
        }
        params.update(
            {
                # rapidocr warns, in colour on stderr, when a page has no text to detect: we
                # say that ourselves (PAGE001, or the document's one line), so errors only
                "Global.log_level": "error",
                # Pages are deskewed and upright; the per-line 180° classifier only costs time.
                "Global.use_cls": False,
                "Global.use_rec": False,
                # The page is scaled here (DET_DPI); rapidocr must not scale it again.
                "Global.max_side_len": 100_000,
                "Det.limit_type": "max",
                "Det.limit_side_len": 100_000,
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        # Only rapidocr's DB detector is used, called below its pipeline (which would also
        # cut and warp a crop of every box, and normalise the page in float64 on 3 channels).
        # The larger model first, its parsed copy handed back before the smaller one is built:
        # building a session peaks above what it keeps (docs/ocr.md, peak memory).
        self._recognizer = LineRecognizer(models / RAPID_MODELS["Rec"])
        return_freed()
        rapid: Any = rapidocr.RapidOCR(params=params)
        self._detector: Any = rapid._load_det_model()
        return_freed()

    def read(
        self,
        image: Any,
        dpi: float,
        stop: Callable[[], bool] | None = None,
        *,
        lines: Sequence[GridLine] = (),
        skip: Sequence[PixelBox] = (),
    ) -> list[OcrBox]:
        found = self.detect(image, dpi, skip)
        crops = [image[int(t) : math.ceil(b), int(x0) : math.ceil(x1)] for x0, t, x1, b in found]
        unread = [line for line in lines if line.text is None]
        boxes = [*found, *(line.bbox for line in unread)]
        read = self._recognizer.read([*crops, *(line.crop for line in unread)], stop)
        # a line whose text its ink's shape gave (a dash) is certain as far as shape goes
        known = [OcrBox(line.text, line.bbox, 1.0) for line in lines if line.text is not None]
        return [
            *(
                OcrBox(text, box, confidence)
                for box, (text, confidence) in zip(boxes, read, strict=True)
                if text.strip() and confidence >= MIN_CONFIDENCE
            ),
            *known,
        ]

    def detect(self, image: Any, dpi: float, skip: Sequence[PixelBox] = ()) -> list[PixelBox]:
        """Boxes (pixels of `image`, clipped to it) of the text lines found at DET_DPI
        outside the boxes of `skip` (pixels).

        Only the parts of the page that hold ink are searched (`ink_bands`): a bulletin's
        margins are about 40% of an A4 page, and detection costs the same for every pixel.
        """
        import cv2

        scale = min(1.0, DET_DPI / dpi)
        small = image
        if scale < 1.0:
            small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        if skip:
            small = small.copy()
            for x0, top, x1, bottom in skip:
                small[
                    int(top * scale) : math.ceil(bottom * scale),
                    int(x0 * scale) : math.ceil(x1 * scale),
                ] = 255
        h, w = image.shape[:2]
        bands = ink_bands(small, margin=round(INK_MARGIN_IN * DET_DPI))
        if not bands and not skip:  # no ink as dark as INK_LEVEL (a faint scan): search it all
            bands = [(0, 0, small.shape[1], small.shape[0])]
        boxes = []
        for x0, y0, x1, y1 in bands:
            for quad in self._detect_quads(small[y0:y1, x0:x1]):
                xs = [(float(p[0]) + x0) / scale for p in quad]
                ys = [(float(p[1]) + y0) / scale for p in quad]
                box = (max(0.0, min(xs)), max(0.0, min(ys)), min(w, max(xs)), min(h, max(ys)))
                if box[2] - box[0] >= 1 and box[3] - box[1] >= 1:
                    boxes.append(box)
        return boxes

    def _detect_quads(self, grey: Any) -> Any:
        """DB's text quadrilaterals (pixels of `grey`, top to bottom) as rapidocr finds them.

        The network wants sides in multiples of 32 and each channel scaled as
        (v / 255 - 0.5) / 0.5; a grey page gives three equal channels, made once in float32.
        """
        import cv2
        import numpy as np

        h, w = grey.shape[:2]
        size = (max(32, round(w / 32) * 32), max(32, round(h / 32) * 32))
        plane = cv2.resize(grey, size).astype(np.float32) * np.float32(2 / 255) - np.float32(1)
        tensor = np.ascontiguousarray(np.broadcast_to(plane, (1, 3, size[1], size[0])))
        quads, _ = self._detector.postprocess_op(self._detector.session(tensor), (h, w))
        return self._detector.sorted_boxes(quads) if len(quads) else quads

    def read_line(self, image: Any) -> OcrBox | None:
        h, w = image.shape[:2]
        text, confidence = self._recognizer.read([image])[0]
        return OcrBox(text, (0.0, 0.0, float(w), float(h)), confidence) if text.strip() else None


class TesseractOcr:
    """Tesseract 5 with `chi_sim` through its command line (TSV out), one word per box."""

    name = "tesseract"
    reads_grid = False

    def __init__(self) -> None:
        exe = shutil.which("tesseract")
        if exe is None:
            raise OcrUnavailable(
                "OCR engine tesseract is not installed: apt-get install tesseract-ocr "
                "tesseract-ocr-chi-sim"
            )
        langs = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, check=False, timeout=30
        ).stdout.split()
        if TESSERACT_LANG not in langs:
            raise OcrUnavailable(
                "tesseract has no chi_sim data: apt-get install tesseract-ocr-chi-sim"
            )
        self._exe = exe

    def read(
        self,
        image: Any,
        dpi: float,
        stop: Callable[[], bool] | None = None,
        *,
        lines: Sequence[GridLine] = (),
        skip: Sequence[PixelBox] = (),
    ) -> list[OcrBox]:
        if lines or skip:
            raise ValueError("tesseract reads whole pages, not a table's grid (reads_grid)")
        if stop is not None and stop():
            raise OcrStopped
        return tsv_to_boxes(self._run(image, "6"))

    def read_line(self, image: Any) -> OcrBox | None:
        boxes = tsv_to_boxes(self._run(image, "7"))
        if not boxes:
            return None
        text = "".join(b.text for b in sorted(boxes, key=lambda b: b.bbox[0]))
        h, w = image.shape[:2]
        return OcrBox(text, (0.0, 0.0, float(w), float(h)), min(b.confidence for b in boxes))

    def _run(self, image: Any, psm: str) -> str:
        """Tesseract's TSV for `image` read in page segmentation mode `psm`."""
        import cv2

        ok, png = cv2.imencode(".png", image)
        if not ok:
            raise RuntimeError("could not encode the page image for tesseract")
        done = subprocess.run(
            [self._exe, "stdin", "stdout", "-l", TESSERACT_LANG, "--psm", psm, "tsv"],
            input=png.tobytes(),
            capture_output=True,
            check=True,
            timeout=TESSERACT_TIMEOUT,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        )
        return done.stdout.decode("utf-8", errors="replace")


def ink_box(image: Any, *, margin: int) -> tuple[int, int, int, int]:
    """The part of a grey page image (x0, y0, x1, y1 in pixels) that holds ink, widened by
    `margin`: rows and columns where at least INK_SHARE of the pixels are dark (a speck
    of scanner dust is not ink). The whole image when it holds none."""
    import numpy as np

    h, w = image.shape[:2]
    dark = image < INK_LEVEL
    rows = np.flatnonzero(dark.sum(axis=1) >= INK_SHARE * w)
    cols = np.flatnonzero(dark.sum(axis=0) >= INK_SHARE * h)
    if not len(rows) or not len(cols):
        return 0, 0, w, h
    return (
        max(0, int(cols[0]) - margin),
        max(0, int(rows[0]) - margin),
        min(w, int(cols[-1]) + 1 + margin),
        min(h, int(rows[-1]) + 1 + margin),
    )


def ink_bands(image: Any, *, margin: int) -> list[tuple[int, int, int, int]]:
    """The parts of a grey page image (x0, y0, x1, y1 in pixels) that hold ink, top to
    bottom: its rows with ink (as `ink_box` takes them) cut where more than 2 * `margin`
    rows without ink run between them (under a table read from its grid, above the page
    number: white costs detection as much as text), each part's `ink_box`; empty when it
    holds none."""
    import numpy as np

    h, w = image.shape[:2]
    rows = np.flatnonzero((image < INK_LEVEL).sum(axis=1) >= INK_SHARE * w)
    if not len(rows):
        return []
    cuts = np.flatnonzero(np.diff(rows) > 2 * margin)
    bands = []
    for start, end in zip([0, *(cuts + 1)], [*(cuts + 1), len(rows)], strict=True):
        top = max(0, int(rows[start]) - margin)
        bottom = min(h, int(rows[end - 1]) + 1 + margin)
        x0, _, x1, _ = ink_box(image[top:bottom], margin=margin)
        bands.append((x0, top, x1, bottom))
    return bands


def tsv_to_boxes(tsv: str) -> list[OcrBox]:
    """Tesseract's TSV words (level 5) as boxes; its 0..100 confidence scaled to 0..1.

    Tesseract gives Chinese one character per word: the words of one of its lines join
    into a box while the gap between them is under one character height, which keeps
    table columns (wider gaps) apart.
    """
    lines: dict[tuple[str, ...], list[OcrBox]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        x, y = float(row["left"]), float(row["top"])
        w, h = float(row["width"]), float(row["height"])
        conf = max(0.0, float(row["conf"])) / 100
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append(OcrBox(text, (x, y, x + w, y + h), conf))
    return [box for words in lines.values() for box in merge_words(words)]


def merge_words(words: Sequence[OcrBox]) -> list[OcrBox]:
    """The words of one line joined into runs: a gap under one character height joins."""
    merged: list[OcrBox] = []
    for w in sorted(words, key=lambda b: b.bbox[0]):
        last = merged[-1] if merged else None
        height = max(w.bbox[3] - w.bbox[1], 1.0)
        if last is not None and w.bbox[0] - last.bbox[2] < height:
            sep = "" if _cjk_edge(last.text[-1]) or _cjk_edge(w.text[0]) else " "
            box = (
                last.bbox[0],
                min(last.bbox[1], w.bbox[1]),
                max(last.bbox[2], w.bbox[2]),
                max(last.bbox[3], w.bbox[3]),
            )
            merged[-1] = OcrBox(last.text + sep + w.text, box, min(last.confidence, w.confidence))
        else:
            merged.append(w)
    return merged


def _cjk_edge(ch: str) -> bool:
    return ord(ch) > 0x2E7F


ENGINES: dict[str, Callable[[], OcrEngine]] = {
    "rapidocr": RapidOcr,
    "tesseract": TesseractOcr,
}


def check_ocr(name: str) -> None:
    """Raises ConfigError naming the choices when `name` is not an engine or "off"."""
    if name not in ENGINES and name != OCR_OFF:
        raise ConfigError(f"unknown OCR engine {name!r} (known: {', '.join(OCR_CHOICES)})")


# Engines made in this process: loading PP-OCR's models takes most of a second, so a
# worker that reads many documents loads them once.
_MADE: dict[str, OcrEngine] = {}


def ocr_engine(name: str) -> OcrEngine:
    """The engine `name`, made once per process; raises OcrUnavailable when it cannot run."""
    check_ocr(name)
    if name not in _MADE:
        _MADE[name] = ENGINES[name]()
    return _MADE[name]
