"""Peak memory of a whole `bulletins audit` process that OCRs part of its document (issue 15:
at most 200 MB a process).

gen-0006 draws some glyphs without a Unicode mapping, so its audit loads both OCR models.
Building an onnxruntime session leaves the parsed model freed but held by the C heap; the
engine builds the larger model first and hands those pages back after each
(pipeline/extract/heap.py), which took this peak from 200-203 MB to about 187 MB. Measured
by GNU time as `make bench` measures it: the test process's own peak would carry over into
a child's `ru_maxrss`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.process import TIME, measure

ROOT = Path(__file__).resolve().parents[1]
BULLETINS = Path(sys.executable).parent / "bulletins"


@pytest.mark.skipif(not Path(TIME).exists(), reason="needs GNU time")
def test_memory_peak_of_an_audit_that_ocrs_stays_under_200_mb() -> None:
    pytest.importorskip("rapidocr")
    pytest.importorskip("onnxruntime")
    pdf = ROOT / "corpus" / "generated" / "gen-0006.pdf"
    argv = [str(BULLETINS), "audit", str(pdf), "--format", "json"]
    without_ocr = measure([*argv, "--ocr", "off"])[2]
    with_ocr = min(measure(argv)[2] for _ in range(2))
    assert with_ocr > without_ocr + 60  # the models were loaded: OCR ran
    assert with_ocr <= 195, with_ocr  # the target is 200; before this change 198-203
