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
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import ConfigError

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


class OcrEngine(Protocol):
    """Reads the text boxes of one page image (a 2-D uint8 grey array)."""

    name: str

    def read(self, image: Any) -> list[OcrBox]:
        """The text boxes of `image`, in no particular order."""
        ...


class RapidOcr:
    """PP-OCRv6 (small) through rapidocr on onnxruntime, one thread, models from the wheel."""

    name = "rapidocr"

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
        params: dict[str, Any] = {
            f"{task}.model_path": str(models / name) for task, name in RAPID_MODELS.items()
        }
        missing = [n for n in RAPID_MODELS.values() if not (models / n).is_file()]
        if missing:
            raise OcrUnavailable(f"rapidocr's wheel lacks {', '.join(missing)}: reinstall .[ocr]")
        params.update(
            {
                "Global.log_level": "warning",
                # Pages are deskewed and upright; the per-line 180° classifier only costs time.
                "Global.use_cls": False,
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        self._engine: Any = rapidocr.RapidOCR(params=params)

    def read(self, image: Any) -> list[OcrBox]:
        result = self._engine(image)
        if result.boxes is None:
            return []
        boxes = []
        for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) for p in quad]
            boxes.append(OcrBox(str(text), (min(xs), min(ys), max(xs), max(ys)), float(score)))
        return boxes


class TesseractOcr:
    """Tesseract 5 with `chi_sim` through its command line (TSV out), one word per box."""

    name = "tesseract"

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

    def read(self, image: Any) -> list[OcrBox]:
        import cv2

        ok, png = cv2.imencode(".png", image)
        if not ok:
            raise RuntimeError("could not encode the page image for tesseract")
        done = subprocess.run(
            [self._exe, "stdin", "stdout", "-l", TESSERACT_LANG, "--psm", "6", "tsv"],
            input=png.tobytes(),
            capture_output=True,
            check=True,
            timeout=TESSERACT_TIMEOUT,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        )
        return tsv_to_boxes(done.stdout.decode("utf-8", errors="replace"))


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


def ocr_engine(name: str) -> OcrEngine:
    """The engine `name`, made now; raises OcrUnavailable when it cannot run here."""
    check_ocr(name)
    return ENGINES[name]()
