"""PP-OCR's line recognizer on onnxruntime: crops of text lines to text and a confidence.

rapidocr's own recognizer pads every batch to at least 320 px (a 6.7:1 line), so a
table cell of two digits costs as much as a line of ten characters; on a table page
that padding is two thirds of the work. Here crops are sorted by width, batched with
crops of similar width and padded only to the widest of their batch.

Crops are also narrowed to `SQUEEZE` of their width before recognition. The model
scales each line to 48 px high and costs the same for every 8 px of width (one CTC
step); a Han character is about as wide as the line is high, so it spans five steps
where two suffice. At 0.7, a half-width digit keeps about two steps, enough for CTC
to keep "00" apart (measured on corpus/scans: docs/ocr.md).

Images are 2-D uint8 grey arrays, top-left origin.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REC_HEIGHT = 48
SQUEEZE = 0.7
# Width (px, after scaling) of the padded batch tensor: large enough that a batch amortises
# the call, small enough that crops of very different widths are not padded together.
BATCH_WIDTH = 3200
# Narrowest tensor (one line height, six CTC steps): at 32 px some lone zeros of seed-200
# p.5 fell under confidence 0.5; from 48 px on every cell of that page reads as at 320.
MIN_WIDTH = 48


class OcrStopped(Exception):
    """Reading was stopped between two batches because the caller's `stop` said so."""


class LineRecognizer:
    """The recognizer model of `path` (PP-OCR CTC, its character list in the metadata)."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        # one core per worker: the archive runs one worker per core
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        listed = self._session.get_modelmeta().custom_metadata_map["character"].splitlines()
        # index 0 is CTC's blank; PaddleOCR appends the space as the last class
        self._characters = ["", *listed, " "]

    def read(
        self, crops: Sequence[Any], stop: Callable[[], bool] | None = None
    ) -> list[tuple[str, float]]:
        """(text, confidence 0..1) for each crop, in order; ("", 0.0) for an empty crop.

        Raises OcrStopped when `stop()` is true before a batch (a spent OCR budget).
        """
        widths = [scaled_width(c) for c in crops]
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        for batch in batches(widths):
            if stop is not None and stop():
                raise OcrStopped
            tensor = _tensor([crops[i] for i in batch], [widths[i] for i in batch])
            probs = self._session.run(None, {self._input: tensor})[0]
            for row, i in enumerate(batch):
                out[i] = ctc_decode(probs[row], self._characters)
        return out


def scaled_width(crop: Any) -> int:
    """The crop's width once scaled to the model's height and narrowed (px), 0 if empty."""
    h, w = crop.shape[:2]
    if h == 0 or w == 0:
        return 0
    return max(1, math.ceil(REC_HEIGHT * int(w) / int(h) * SQUEEZE))


def batches(widths: Sequence[int]) -> list[list[int]]:
    """Indices of non-empty crops grouped by similar width, narrowest first.

    A batch is filled up to BATCH_WIDTH whatever the spread of its widths. Bounding the
    spread (a crop at most a tenth wider than the narrowest of its batch) padded a tenth
    less, but the padding a crop gets changes how it reads: two cells of gen-0008-200 read
    `00.00` and `50,00` for 100.00 and 50.00 (docs/ocr.md). Left as it is measured.
    """
    order = sorted((i for i, w in enumerate(widths) if w), key=lambda i: widths[i])
    groups: list[list[int]] = []
    for i in order:
        group = groups[-1] if groups else None
        # sorted by width, so the crop just added is the widest of its batch
        if group is not None and (len(group) + 1) * max(widths[i], MIN_WIDTH) <= BATCH_WIDTH:
            group.append(i)
        else:
            groups.append([i])
    return groups


def _tensor(crops: Sequence[Any], widths: Sequence[int]) -> Any:
    """The batch as PaddleOCR's input: 3 channels scaled to -1..1, padded right with 0."""
    import cv2
    import numpy as np

    width = max(MIN_WIDTH, *widths)
    tensor = np.zeros((len(crops), 3, REC_HEIGHT, width), np.float32)
    for row, (crop, w) in enumerate(zip(crops, widths, strict=True)):
        line = cv2.resize(crop, (w, REC_HEIGHT), interpolation=cv2.INTER_LINEAR)
        tensor[row, :, :, :w] = line.astype(np.float32) / 127.5 - 1.0
    return tensor


def ctc_decode(probs: Any, characters: Sequence[str]) -> tuple[str, float]:
    """Greedy CTC: the best class per step, repeats merged, blanks dropped; confidence is
    the mean probability of the steps kept."""
    best = probs.argmax(axis=1)
    keep = best != 0
    keep[1:] &= best[1:] != best[:-1]
    if not keep.any():
        return "", 0.0
    text = "".join(characters[k] for k in best[keep])
    return text, float(probs.max(axis=1)[keep].mean())
