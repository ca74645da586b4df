"""PP-OCR's line recognizer on onnxruntime: crops of text lines to text and a confidence.

rapidocr's own recognizer pads every batch to at least 320 px (a 6.7:1 line), so a
table cell of two digits costs as much as a line of ten characters; on a table page
that padding is two thirds of the work. Here each line is scaled to a whole number of
CTC steps (8 px) and batched only with lines of the same width: no line is padded by
another's width (an eighth of the work when batches mixed widths), and how a line reads
no longer depends on which lines it was batched with.

Crops are also narrowed to `SQUEEZE` of their width before recognition. The model
scales each line to 48 px high and costs the same for every 8 px of width (one CTC
step); a Han character is about as wide as the line is high, so it spans five steps
where two suffice. At 0.7, a half-width digit keeps about two steps, enough for CTC
to keep "00" apart (measured on corpus/scans: docs/ocr.md). A white margin of
`MARGIN` of the line's height on either side gives the first and last character a
step of their own: without it a lone `100.00` cell could read `00.00`.

Images are 2-D uint8 grey arrays, top-left origin.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REC_HEIGHT = 48
SQUEEZE = 0.7
# A line wider than LONG_LINE px at SQUEEZE (about twelve Han characters: prose, not a
# table cell) is narrowed to LONG_SQUEEZE instead: Han text is nearly all of such a line.
# On the scans no digit of a long line changed at 0.5 or 0.4, but at 0.5 the rare 塅 of
# tests/test_ocr.py's line read 嘏; at 0.6 it reads right (docs/ocr.md).
LONG_LINE, LONG_SQUEEZE = 400, 0.6
# One CTC step of the model (px of the scaled line): line widths are rounded up to it.
STEP = 8
# White added left and right of each crop, in its height: 0.05 keeps `100.00` whole;
# at 0.1 lone zeros of seed-200 p.5 read `O` (docs/ocr.md).
MARGIN = 0.05
# A short line read with less confidence than RETRY_BELOW is read again at RETRY_SQUEEZE
# (not narrowed). When both readings have as many characters, each character is the
# class most likely over both (`blend`): gen-0006-200's 董家塅 read 董家圾 at 0.7 (圾 0.52,
# 塅 0.30) and 董家塅 unnarrowed (塅 0.42, 圾 0.14), and at 0.6 to 1.0 its reading flipped
# between the two. Otherwise the second reading is kept when it reaches RETRY_BELOW: at
# 0.7 a cell `99.32%` 94 px wide had nine CTC steps for six characters and read `9932%`
# (0.92), unnarrowed `99.32%` (1.00). About four lines a page are read twice.
RETRY_BELOW, RETRY_SQUEEZE = 0.95, 1.0
# Width (px, after scaling) a batch tensor is filled up to: enough to amortise the call.
BATCH_WIDTH = 3200
# Narrowest tensor (one line height, six CTC steps): a narrower line is padded to it. At
# 32 px some lone zeros of seed-200 p.5 fell under confidence 0.5.
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
        lines = [with_margin(c) for c in crops]
        out, peaks = self._read(lines, [scaled_width(c) for c in lines], stop)
        doubtful = [i for i in peaks if not is_long(lines[i])]
        widths = [scaled_width(lines[i], RETRY_SQUEEZE) for i in doubtful]
        again, again_peaks = self._read([lines[i] for i in doubtful], widths, stop)
        for k, i in enumerate(doubtful):
            if len(again[k][0]) == len(out[i][0]) != 0 and k in again_peaks:
                out[i] = blend(peaks[i], again_peaks[k], self._characters)
            elif again[k][1] >= RETRY_BELOW:
                out[i] = again[k]
        return out

    def _read(
        self, lines: Sequence[Any], widths: Sequence[int], stop: Callable[[], bool] | None
    ) -> tuple[list[tuple[str, float]], dict[int, Any]]:
        """Each line read at its scaled width, in batches of one width; and for each line
        read with confidence under RETRY_BELOW, its characters' peak steps (`ctc_peaks`)."""
        out: list[tuple[str, float]] = [("", 0.0)] * len(lines)
        peaks: dict[int, Any] = {}
        for batch in batches(widths):
            if stop is not None and stop():
                raise OcrStopped
            tensor = _tensor([lines[i] for i in batch], [widths[i] for i in batch])
            probs = self._session.run(None, {self._input: tensor})[0]
            for row, i in enumerate(batch):
                out[i] = ctc_decode(probs[row], self._characters)
                if out[i][1] < RETRY_BELOW:
                    peaks[i] = ctc_peaks(probs[row])
        return out, peaks


def with_margin(crop: Any) -> Any:
    """The crop with MARGIN of its height in white added left and right."""
    import cv2

    h, w = crop.shape[:2]
    pad = round(MARGIN * h)
    if h == 0 or w == 0 or pad == 0:
        return crop
    return cv2.copyMakeBorder(crop, 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=255)


def is_long(crop: Any) -> bool:
    """Whether the crop is a long line (prose), narrowed to LONG_SQUEEZE."""
    h, w = crop.shape[:2]
    return h > 0 and REC_HEIGHT * int(w) / int(h) * SQUEEZE > LONG_LINE


def scaled_width(crop: Any, squeeze: float | None = None) -> int:
    """The crop's width once scaled to the model's height, narrowed (by `squeeze`, else
    SQUEEZE, or LONG_SQUEEZE for a long line) and rounded up to a whole CTC step (px);
    0 if empty."""
    h, w = crop.shape[:2]
    if h == 0 or w == 0:
        return 0
    if squeeze is None:
        squeeze = LONG_SQUEEZE if is_long(crop) else SQUEEZE
    return STEP * math.ceil(REC_HEIGHT * int(w) / int(h) * squeeze / STEP)


def batches(widths: Sequence[int]) -> list[list[int]]:
    """Indices of non-empty crops in batches of one tensor width, narrowest first.

    Lines narrower than MIN_WIDTH share a tensor MIN_WIDTH wide; every other batch holds
    lines of one width, as many as fill BATCH_WIDTH, so none is padded.
    """
    by_width: dict[int, list[int]] = {}
    for i, w in enumerate(widths):
        if w:
            by_width.setdefault(max(w, MIN_WIDTH), []).append(i)
    groups: list[list[int]] = []
    for width in sorted(by_width):
        same, size = by_width[width], max(1, BATCH_WIDTH // width)
        groups.extend(same[k : k + size] for k in range(0, len(same), size))
    return groups


def _tensor(crops: Sequence[Any], widths: Sequence[int]) -> Any:
    """The batch as PaddleOCR's input: 3 channels scaled to -1..1; a line narrower than
    MIN_WIDTH is padded right with 0 (PaddleOCR's padding)."""
    import cv2
    import numpy as np

    width = max(MIN_WIDTH, *widths)
    tensor = np.zeros((len(crops), 3, REC_HEIGHT, width), np.float32)
    for row, (crop, w) in enumerate(zip(crops, widths, strict=True)):
        line = cv2.resize(crop, (w, REC_HEIGHT), interpolation=cv2.INTER_LINEAR)
        tensor[row, :, :, :w] = line.astype(np.float32) / 127.5 - 1.0
    return tensor


def ctc_peaks(probs: Any) -> Any:
    """The class probabilities (characters x classes) of each character greedy CTC keeps,
    at the step of its run where its class is likeliest."""

    best = probs.argmax(axis=1)
    rows = []
    start = 0
    for end in range(1, len(best) + 1):
        if end == len(best) or best[end] != best[start]:
            if best[start] != 0:
                rows.append(start + int(probs[start:end, best[start]].argmax()))
            start = end
    return probs[rows]


def blend(first: Any, second: Any, characters: Sequence[str]) -> tuple[str, float]:
    """Two readings of one line with as many characters, as peak steps (`ctc_peaks`):
    each character the class of the highest mean probability (not the blank), its
    confidence the higher of its two probabilities (a lone `0` read 0.55, then `O` 0.53,
    stays `0` at 0.55, not the mean 0.47 under which it would be dropped as noise); the
    line's, their mean."""
    import numpy as np

    mean = (first + second) / 2
    mean[:, 0] = 0.0
    best = mean.argmax(axis=1)
    text = "".join(characters[k] for k in best)
    rows = np.arange(len(best))
    sure = np.maximum(first[rows, best], second[rows, best])
    return text, float(sure.mean())


def ctc_decode(probs: Any, characters: Sequence[str]) -> tuple[str, float]:
    """Greedy CTC: the best class per step, repeats merged, blanks dropped.

    Confidence is the mean over the characters kept of the lowest probability among the
    steps of its run but the last. A run of one class is one character only because no
    blank won a step inside it: on a narrowed line `100.00%` held its "00" as one run of
    four zeros whose two middle steps were 0.51 and 0.55 (blank nearly as likely), and
    read `100.0%` with a mean of 1.00 over the first steps of its runs. The last step
    does not count: a blank there would not change the text (a `%` often spans two steps,
    the second at 0.6).
    """
    import numpy as np

    best = probs.argmax(axis=1)
    top = probs.max(axis=1)
    keep = best != 0
    keep[1:] &= best[1:] != best[:-1]
    if not keep.any():
        return "", 0.0
    starts = np.flatnonzero(keep)
    text = "".join(characters[k] for k in best[starts])
    lows = []
    for start in starts:
        end = start + 1
        while end < len(best) and best[end] == best[start]:
            end += 1
        lows.append(float(top[start : max(start + 1, end - 1)].min()))
    return text, float(np.mean(lows))
