"""OCR (issue 16): deciding per page, engines offline, boxes to cells, misreads, needs OCR.

Fast tests use hand-made values or one small image; those that OCR whole scans are slow.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipeline.errors import LimitError
from pipeline.extract import ocr as ocr_module
from pipeline.extract import read_document
from pipeline.extract.ocr import (
    OcrBox,
    OcrUnavailable,
    RapidOcr,
    TesseractOcr,
    ink_bands,
    ink_box,
    ocr_engine,
    tsv_to_boxes,
)
from pipeline.extract.ocr_cells import fill_unmapped
from pipeline.extract.ocr_grid import grid_lines
from pipeline.extract.ocr_page import boxes_to_chars
from pipeline.extract.ocr_rec import batches, ctc_decode, scaled_width, with_margin
from pipeline.extract.raster import MAX_PIXELS, capped_dpi, deskew, render_page, skew_angle
from pipeline.extract.raster_rules import find_rulings
from pipeline.extract.text_layer import has_unmapped, judge_text_layer
from pipeline.model import Evidence, Finding, Severity, Source, TextLayer
from pipeline.validate.misread import judge_misread, misread_reading

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.pdf"
SCANS = ROOT / "corpus" / "scans"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, check=False
    )


# --- deciding per page ---------------------------------------------------------------


def test_judge_text_layer_image_only_blank_unmapped_garbage_usable() -> None:
    assert judge_text_layer([], images=1) == TextLayer.IMAGE_ONLY
    assert judge_text_layer([" "], images=0) == TextLayer.BLANK  # nothing to read
    good = list("2月份，我区12345市民热线平台共接收工单1589件")
    assert judge_text_layer(good, images=0) == TextLayer.USABLE
    assert judge_text_layer(good + ["(cid:12)"] * 6, images=0) == TextLayer.UNMAPPED
    # a few: a warning, page kept
    assert judge_text_layer(good + ["\ufffd"] * 2, images=0) == TextLayer.USABLE
    assert judge_text_layer(list("ÃÂ¤Ã¥Â½Â¢ÃÂ©") + good[:5], images=0) == TextLayer.GARBAGE
    odd = judge_text_layer(["\ue000"] * 10 + good, images=0)
    assert odd in (TextLayer.UNMAPPED, TextLayer.GARBAGE)


# --- engines ---------------------------------------------------------------------------


def test_rapidocr_wheel_carries_its_models() -> None:
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    for name in ocr_module.RAPID_MODELS.values():
        assert (models / name).stat().st_size > 500_000, name


@pytest.fixture(scope="module")
def title_image() -> Any:
    """The seed's title lines at 200 dpi (a small image: fast to read)."""
    page = render_page(SEED, 0)
    return page[280:800, 150:1500].copy()


def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is off in this test")

    # connect and name lookup refused, the class itself kept: ssl subclasses it on import
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_rapidocr_reads_offline(monkeypatch: pytest.MonkeyPatch, title_image: Any) -> None:
    _no_network(monkeypatch)
    boxes = RapidOcr().read(title_image, 200)
    text = "".join(b.text for b in boxes)
    assert "金台区人民政府办公室" in text
    assert "12345" in text
    assert all(0.0 < b.confidence <= 1.0 for b in boxes)


def test_tesseract_reads_offline(monkeypatch: pytest.MonkeyPatch, title_image: Any) -> None:
    try:
        engine = TesseractOcr()
    except OcrUnavailable as exc:
        pytest.fail(f"make test installs tesseract-ocr-chi-sim: {exc}")
    _no_network(monkeypatch)
    text = "".join(b.text for b in engine.read(title_image, 200))
    assert "金台" in text


def test_missing_engine_is_one_line_naming_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ocr_module.shutil, "which", lambda name: None)
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr tesseract-ocr-chi-sim"):
        TesseractOcr()
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    with pytest.raises(OcrUnavailable, match=r"pip install .*rapidocr") as err:
        RapidOcr()
    assert "\n" not in str(err.value)


def test_tesseract_words_join_into_runs_split_at_column_gaps() -> None:
    head = "\t".join(
        [
            "level",
            "page_num",
            "block_num",
            "par_num",
            "line_num",
            "word_num",
            "left",
            "top",
            "width",
            "height",
            "conf",
            "text",
        ]
    )
    rows = [
        "5\t1\t1\t1\t1\t1\t10\t10\t20\t20\t96\t部",
        "5\t1\t1\t1\t1\t2\t32\t10\t20\t20\t90\t门",
        "5\t1\t1\t1\t1\t3\t200\t10\t30\t20\t80\t408",
    ]
    boxes = tsv_to_boxes("\n".join([head, *rows]))
    assert [(b.text, b.confidence) for b in boxes] == [("部门", 0.9), ("408", 0.8)]


def test_engine_is_made_once_per_process() -> None:
    assert ocr_engine("rapidocr") is ocr_engine("rapidocr")


def test_recognition_batches_hold_lines_of_one_width_so_none_is_padded() -> None:
    widths = [32, 896, 0, 40, 3000, 48, 896, 896, 896, 896]
    groups = batches(widths)
    assert groups[0] == [0, 3, 5]  # three cells, one tensor 48 px wide, narrowest first
    assert 2 not in [i for g in groups for i in g]  # an empty crop is not read
    assert groups[1:] == [[1, 6, 7], [8, 9], [4]]  # 3 x 896 fill 3,200 px; none padded
    assert all(len({max(widths[i], 48) for i in g}) == 1 for g in groups)


def test_scaled_width_is_whole_ctc_steps_of_the_narrowed_line() -> None:
    line = np.full((40, 100), 255, np.uint8)
    assert scaled_width(line) == 88  # 48 / 40 * 100 * 0.7 = 84 px, rounded up to 8
    assert scaled_width(line[:, :0]) == 0
    assert scaled_width(np.full((40, 1000), 255, np.uint8)) == 720  # prose: 1,200 px at 0.6
    assert with_margin(line).shape == (40, 104)  # 0.05 of the height each side


def test_ink_box_skips_the_margins_and_ignores_a_speck() -> None:
    page = np.full((1170, 828), 250, np.uint8)  # A4 at 100 dpi
    page[150:1090, 100:730:3] = 0  # text columns inside the margins
    page[20, 20] = 0  # dust in the margin
    assert ink_box(page, margin=10) == (90, 140, 738, 1100)
    assert ink_box(np.full((50, 40), 255, np.uint8), margin=5) == (0, 0, 40, 50)


def test_ink_bands_cut_the_page_where_white_runs_across_it() -> None:
    page = np.full((1170, 828), 250, np.uint8)  # A4 at 100 dpi
    page[150:400:20, 100:730] = 0  # text rows, 20 px apart: one part
    page[700:760, 300:500] = 0  # a table's title (or what detection still searches)
    page[1100:1110, 400:430] = 0  # the page number
    assert ink_bands(page, margin=15) == [
        (85, 135, 745, 406),
        (285, 685, 515, 775),
        (385, 1085, 445, 1125),
    ]
    assert ink_bands(np.full((50, 40), 255, np.uint8), margin=5) == []


def test_ctc_confidence_doubts_a_run_a_blank_nearly_split() -> None:
    chars = ["", "0", "%"]

    def steps(*best: tuple[int, float]) -> Any:
        probs = np.zeros((len(best), 3), np.float32)
        for i, (k, p) in enumerate(best):
            probs[i, k], probs[i, 0 if k else 1] = p, 1 - p
        return probs

    # four steps of "0" whose middle two had a blank nearly as likely: "00" or "0"
    text, confidence = ctc_decode(steps((1, 1.0), (1, 0.51), (1, 0.55), (1, 1.0)), chars)
    assert text == "0" and confidence == pytest.approx(0.51)
    assert ctc_decode(steps((1, 1.0), (0, 0.9), (1, 1.0)), chars)[0] == "00"
    # a second, doubtful step of "%" changes nothing if it were a blank
    assert ctc_decode(steps((2, 1.0), (2, 0.6)), chars) == ("%", 1.0)


# --- ruled tables read from their grid ---------------------------------------------------


def test_grid_lines_finds_each_cells_lines_without_rulings_or_neighbours() -> None:
    image = np.full((230, 410), 255, np.uint8)
    for y in (10, 110, 210):
        image[y : y + 5, 10:395] = 0  # thick rulings: insets do not clear them
    for x in (10, 200, 390):
        image[10:215, x : x + 5] = 0
    image[50:70, 60:120] = 40  # one line
    image[35:55, 240:330] = 40  # two lines in one cell
    image[70:90, 240:300] = 40
    image[160, 100] = 0  # a speck: no line
    image[150:170, 215:235] = 40  # two runs far apart in one line
    image[150:170, 330:370] = 40
    cells = [(12, 12, 202, 112), (202, 12, 392, 112), (12, 112, 202, 212), (202, 112, 392, 212)]
    lines = grid_lines(image, 1.0, cells)  # one pixel a point
    assert [line.bbox for line in lines] == [
        (49.0, 39.0, 131.0, 81.0),  # the ink widened by 0.55 of its height (11 px)
        (229.0, 24.0, 341.0, 66.0),
        (229.0, 59.0, 311.0, 101.0),
        (204.0, 139.0, 246.0, 181.0),
        (319.0, 139.0, 381.0, 181.0),
    ]
    # each crop holds its own ink and nothing else: not the line below, not a ruling
    inked = [int((line.crop < 160).sum()) for line in lines]
    assert inked == [20 * 60, 20 * 90, 20 * 60, 20 * 20, 20 * 40]


def test_a_cell_whose_only_ink_is_a_thin_stroke_is_a_dash_not_read() -> None:
    image = np.full((60, 420), 255, np.uint8)
    image[:2, :] = image[-2:, :] = 0  # the row's rulings
    for x in (0, 100, 200, 300, 418):
        image[:, x : x + 2] = 0
    image[29:31, 30:62] = 170  # a faint dash: two grey rows across the cell's middle
    image[29:31, 33:58] = 140
    image[22:24, 130:160] = 60  # 二: two strokes, two lines of the cell
    image[36:38, 125:165] = 60
    image[20:40, 230:242] = 40  # a digit-like stroke: tall
    image[8:10, 320:350] = 60  # a stroke against the cell's top: not where text sits
    image[20:40, 380:395] = 40
    cells = [(0, 0, 100, 60), (100, 0, 200, 60), (200, 0, 300, 60), (300, 0, 420, 60)]
    lines = grid_lines(image, 1.0, cells)
    assert [line.text for line in lines] == ["—", None, None, None, None, None]
    # the recognizer is not asked about the dash; the rest are read
    boxes = ocr_engine("rapidocr").read(image, 200, lines=lines[:1])
    assert [(b.text, b.confidence) for b in boxes] == [("—", 1.0)]


def test_an_empty_cell_holding_a_dash_is_a_dash() -> None:
    from pipeline.extract.ocr_gaps import _read_cell

    image = np.full((100, 200), 255, np.uint8)
    image[49:51, 85:115] = 120  # two rows: under the eight a line needs, but a dash
    box = _read_cell(image, (50, 20, 150, 80), ocr_engine("rapidocr"))
    assert box is not None and box.text == "—" and box.confidence == 1.0


@pytest.fixture(scope="module")
def dash_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An invented bulletin table, printed with a faint grey dash in one cell, scanned at
    200 dpi (JPEG at quality 30) into an image-only PDF."""
    import cv2
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Body", "/usr/share/fonts/truetype/arphic/uming.ttc"))
    folder = tmp_path_factory.mktemp("dash")
    printed = folder / "printed.pdf"
    c = canvas.Canvas(str(printed), pagesize=(595, 842))
    c.setFont("Body", 16)
    c.drawString(72, 780, "附件：各单位工单办理情况")
    rows = [
        ["序号", "承办单位", "受理件数", "办结率"],
        ["1", "青石街道", "84", "97.62%"],
        ["2", "河口镇", "0", "—"],
        ["3", "园区管委会", "31", "100.00%"],
    ]
    xs, top, pitch = (72, 130, 300, 400, 500), 740, 26
    for i in range(len(rows) + 1):
        c.line(xs[0], top - pitch * i, xs[-1], top - pitch * i)
    for x in xs:
        c.line(x, top, x, top - pitch * len(rows))
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            c.setFillGray(0.15 if text == "—" else 0.0)  # a faint dash
            c.setFont("Body", 10.5)
            c.drawString(xs[k] + 8, top - pitch * r - 17, text)
    c.save()
    grey = pdfium.PdfDocument(str(printed))[0].render(scale=200 / 72, grayscale=True).to_numpy()
    ok, jpeg = cv2.imencode(".jpg", grey[:, :, 0] if grey.ndim == 3 else grey, [1, 30])
    assert ok
    scan = cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)
    path = folder / "scan.pdf"
    Image.fromarray(scan).save(path, resolution=200)
    return path


def test_a_faint_dash_in_a_scanned_grid_cell_reads_as_a_dash(dash_scan: Path) -> None:
    doc = read_document(dash_scan)
    assert doc.page_sources == ("ocr-rapidocr",)
    (table,) = doc.tables
    assert [[c.text for c in row] for row in table.body_rows] == [
        ["1", "青石街道", "84", "97.62%"],
        ["2", "河口镇", "0", "—"],
        ["3", "园区管委会", "31", "100.00%"],
    ]


def test_a_ruled_scanned_table_is_read_from_its_grid_not_searched(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    scan = pdfium.PdfDocument(str(SCANS / "seed-200.pdf"))
    one = pdfium.PdfDocument.new()
    one.import_pages(scan, [3])  # p.4: the first five rows of the ruled 附件1, landscape
    path = tmp_path / "p4.pdf"
    one.save(str(path))
    truth = json.loads((ROOT / "corpus" / "seed" / "seed.truth.json").read_text("utf-8"))
    doc = read_document(path)
    table = next(t for t in doc.tables if t.attachment == "附件1")
    rows = [[c.text for c in row] for row in table.body_rows]
    assert rows == truth["tables"][0]["body_rows"][:5]
    # detection, told to leave the table out, finds nothing inside it
    image, _ = deskew(render_page(path, 0))
    engine = RapidOcr()
    found = engine.detect(image, 200)
    boxes = [c.source.bbox for row in (*table.header_rows, *table.body_rows) for c in row]
    x0, top = (min(b[i] for b in boxes if b) * 200 / 72 for i in (0, 1))
    x1, bottom = (max(b[i] for b in boxes if b) * 200 / 72 for i in (2, 3))
    inside = [b for b in found if x0 < (b[0] + b[2]) / 2 < x1 and top < (b[1] + b[3]) / 2 < bottom]
    rest = engine.detect(image, 200, skip=[(x0, top, x1, bottom)])
    assert len(inside) > 80 and len(rest) == len(found) - len(inside)


# --- boxes to characters, rulings, deskew -----------------------------------------------


def test_boxes_to_chars_share_the_width_by_print_width() -> None:
    chars = boxes_to_chars([OcrBox("工单408件", (0, 0, 400, 40), 0.93)], points_per_px=0.5)
    assert "".join(c["text"] for c in chars) == "工单408件"
    widths = [c["x1"] - c["x0"] for c in chars]
    assert widths[0] == pytest.approx(widths[-1]) and widths[2] < 0.6 * widths[0]
    assert chars[-1]["x1"] == pytest.approx(200) and chars[0]["confidence"] == 0.93


def test_find_rulings_sees_a_grid_and_ignores_text_strokes() -> None:
    image = np.full((2339, 1654), 255, np.uint8)  # A4 at 200 dpi
    for y in (100, 200, 300):
        image[y : y + 2, 100:700] = 0
    for x in (100, 400, 700):
        image[100:302, x : x + 2] = 0
    image[500:544, 300:304] = 0  # a 16 pt glyph's stroke: too short for a ruling
    rulings = find_rulings(image, 72 / 200)
    assert len(rulings.horizontal) == 3 and len(rulings.vertical) == 3
    assert rulings.horizontal[0]["x1"] - rulings.horizontal[0]["x0"] == pytest.approx(216, abs=2)


def test_skew_angle_finds_the_tilt_of_text_rows() -> None:
    import cv2

    image = np.full((1200, 900), 255, np.uint8)
    for y in range(100, 1100, 40):
        for x in range(80, 820, 24):
            image[y : y + 16, x : x + 16] = 0  # rows of "glyphs"
    matrix = cv2.getRotationMatrix2D((450, 600), -1.5, 1.0)
    tilted = cv2.warpAffine(image, matrix, (900, 1200), borderValue=255)
    assert skew_angle(tilted) == pytest.approx(1.5, abs=0.15)


# --- misreads --------------------------------------------------------------------------


def test_misread_reading_one_confusion_or_a_lost_point() -> None:
    assert misread_reading("86.1", "86.7") == "86.7"  # 1/7
    assert misread_reading("98.38%", "98.88%") == "98.88%"  # 3/8
    assert misread_reading("867", "86.7") == "86.7"  # lost decimal point
    assert misread_reading("56 / 56 / 55", "56 / 56 / 56") == "56 / 56 / 56"  # 5/6
    assert misread_reading("56", "53") is None
    assert misread_reading("98.11%", "98.21%") is None  # two digits apart: no single confusion
    assert misread_reading("12", "12") is None


def _finding(reported: str, expected: str) -> Finding:
    return Finding(
        id="x",
        rule="RATE001",
        severity=Severity.ERROR,
        message="rate 86.1% is not 1300/1500",
        reported=reported,
        expected=expected,
        explanation=None,
        evidence=(Evidence(Source(2, (10.0, 20.0, 300.0, 35.0), "ocr-rapidocr"), "办结率86.1%"),),
    )


def test_judge_misread_downgrades_only_ocr_evidence() -> None:
    ocr = {(2, (10.0, 20.0, 300.0, 35.0)): 0.97}
    judged = judge_misread(_finding("86.1%", "86.7%"), ocr)
    assert judged.severity is Severity.WARNING
    assert "possible misread: 86.7% would hold" in judged.message
    assert judge_misread(_finding("86.1%", "86.7%"), {}).severity is Severity.ERROR
    # read with confidence and no confusion explains it: printed wrong, still an error
    assert judge_misread(_finding("86.1%", "91.2%"), ocr).severity is Severity.ERROR
    low = {(2, (10.0, 20.0, 300.0, 35.0)): 0.6}
    assert "may be misread" in judge_misread(_finding("86.1%", "91.2%"), low).message


# --- no silent results -----------------------------------------------------------------


def test_scan_with_ocr_off_fails_needing_ocr() -> None:
    done = run("audit", "--ocr", "off", str(SCANS / "gen-0014-150.pdf"))
    assert done.returncode == 2
    assert "needs OCR" in done.stderr and "--ocr off" in done.stderr
    assert done.stderr.count("\n") == 1


def test_no_tounicode_copy_no_longer_crashes() -> None:
    done = run(
        "audit", "--ocr", "off", "--format", "summary", str(SCANS / "gen-0008-nounicode.pdf")
    )
    assert "internal error" not in done.stderr
    # with no OCR, the part of the text layer that reads is read, and PAGE001 says the rest
    # was lost: never a clean bill
    assert done.returncode in (0, 1), done.stderr
    assert "PAGE001" in done.stdout


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gen-0008 with its page 2 replaced by the scanned page: a mixed document."""
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(str(ROOT / "corpus" / "generated" / "gen-0008.pdf"))
    scan = pdfium.PdfDocument(str(SCANS / "gen-0008-200.pdf"))
    out = pdfium.PdfDocument.new()
    out.import_pages(text, [0])
    out.import_pages(scan, [1])
    out.import_pages(text, list(range(2, len(text))))
    path = tmp_path_factory.mktemp("mixed") / "mixed.pdf"
    out.save(str(path))
    return path


def test_mixed_document_with_ocr_off_warns_for_the_image_page(mixed_pdf: Path) -> None:
    done = run("audit", "--ocr", "off", "--format", "json", str(mixed_pdf))
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [f["message"][:4] for f in findings if f["rule"] == "PAGE001"] == ["p.2:"]


def test_mixed_document_reads_the_image_page_by_ocr(mixed_pdf: Path) -> None:
    done = run("extract", str(mixed_pdf))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["page_sources"] == ["text", "ocr-rapidocr", "text", "text"]
    on_p2 = [ln for ln in doc["lines"] if ln["page"] == 2]
    assert on_p2 and all(ln["backend"] == "ocr-rapidocr" for ln in on_p2)
    assert all(0 < ln["confidence"] <= 1 for ln in on_p2)
    assert all("backend" not in ln for ln in doc["lines"] if ln["page"] != 2)


def test_mixed_document_past_the_ocr_budget_names_the_page_and_audits_the_rest(
    mixed_pdf: Path,
) -> None:
    # a budget spent before the scanned page's first recognition batch: that page stops
    done = run("audit", "--ocr-budget", "0.001", "--format", "json", str(mixed_pdf))
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    messages = [f["message"] for f in report["findings"] if f["rule"] == "PAGE001"]
    assert messages == [
        "p.2: needs OCR past the document's OCR budget of 0.001 s CPU (--ocr-budget), "
        "not read; that text was not audited"
    ]
    assert report["coverage"]["numbers"] > 0  # the text pages were read and audited


def test_scan_past_the_ocr_budget_on_its_first_page_fails_naming_the_flag() -> None:
    import pipeline

    scan = SCANS / "gen-0008-200.pdf"
    with pytest.raises(LimitError) as raised:
        pipeline.open(scan, limits=pipeline.Limits(ocr_budget=0.001))
    assert str(raised.value) == (
        f"{scan}: p.1: needs OCR past the document's OCR budget of 0.001 s CPU (--ocr-budget)"
    )


def test_a_huge_page_is_rendered_under_the_pixel_cap() -> None:
    assert capped_dpi(595, 842) == 200  # A4 at the OCR dpi
    dpi = capped_dpi(14_400, 14_400)  # the largest page PDF allows: 200 by 200 inches
    assert dpi < 15 and (200 * dpi) ** 2 == pytest.approx(MAX_PIXELS)  # 200 in at dpi per in


def test_scanned_cells_detection_missed_are_read_and_the_drawn_name_reads_right(
    tmp_path: Path,
) -> None:
    # gen-0006-200 p.4 and p.5: 董家塅 drawn with a font that has 塅 (corpus/generate/
    # notdef.py), four cells; p.6: detection at 100 dpi misses the thin serif "1" heading
    # the rank column
    import pypdfium2 as pdfium

    scan = pdfium.PdfDocument(str(SCANS / "gen-0006-200.pdf"))
    pages = pdfium.PdfDocument.new()
    pages.import_pages(scan, [3, 4, 5])
    path = tmp_path / "p4-p6.pdf"
    pages.save(str(path))
    doc = read_document(path)
    tables = [[[c.text for c in row] for row in t.body_rows] for t in doc.tables]
    rows = [row[:2] for table in tables for row in table]
    assert rows.count(["5", "董家塅街道办事处"]) == 2  # 附件1 and 附件2 (read 董家圾 before)
    assert rows.count(["13", "董家塅高科园管委会"]) == 2
    assert ["1", "区民政局"] in rows
    # p.4's unruled 附件1 is one table under its two-row header: its rows' OCR'd sizes
    # vary from 11.0 to 13.0 points, which split it in two at 1.15 (ALN001 on the rest)
    first = doc.tables[0]
    assert first.columns[3] == ("办结情况", "件数")
    assert first.columns[6] == ("按期办结情况", "按期办结率")
    assert [row[0].text for row in first.body_rows[:16]] == [str(n) for n in range(1, 17)]


def test_an_empty_cell_with_a_speck_or_a_neighbours_ink_is_not_read() -> None:
    from pipeline.extract.ocr_gaps import _read_cell

    engine = ocr_engine("rapidocr")
    image = np.full((100, 200), 255, np.uint8)
    image[50, 100] = 60  # a toner speck
    assert _read_cell(image, (50, 20, 150, 80), engine) is None
    image[30:70, 140:150] = 0  # a stroke running over the cell's right side
    assert _read_cell(image, (50, 20, 150, 80), engine) is None


@pytest.mark.slow
def test_scan_tables_come_through_stitching_with_ocr_cells() -> None:
    done = run("extract", str(SCANS / "gen-0014-150.pdf"))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert set(doc["page_sources"]) == {"ocr-rapidocr"}
    tables = [t for t in doc["tables"] if t["attachment"]]
    assert [t["attachment"] for t in tables] == ["附件1", "附件2"]
    cells = [c for t in tables for row in t["body_rows"] for c in row]
    assert all(c["backend"] == "ocr-rapidocr" for c in cells)
    # a cell printed empty (the 合计 row's name) has no character to be sure of
    assert all(c["confidence"] for c in cells if c["text"])


@pytest.mark.slow
def test_no_tounicode_copy_read_by_ocr_audits_like_the_text() -> None:
    text = run("audit", "--format", "summary", str(ROOT / "corpus" / "generated" / "gen-0008.pdf"))
    copy = run("audit", "--format", "summary", str(SCANS / "gen-0008-nounicode.pdf"))
    assert copy.returncode == text.returncode == 0
    assert copy.stdout.split(":")[1].split(";")[0] == text.stdout.split(":")[1].split(";")[0]


# --- unmapped glyphs on a text page, read cell by cell ----------------------------------


def test_fill_unmapped_takes_only_han_readings_that_agree_with_the_text_layer() -> None:
    assert fill_unmapped("董家(cid:7)街道", "董家塅街道") == "董家塅街道"
    assert fill_unmapped("董家\ufffd街道 12件", "董家塅街道12件") == "董家塅街道 12件"
    # an empty .notdef box reads as punctuation or a digit: no character is made up
    assert fill_unmapped("董家\ufffd街道", "董家·街道") is None
    assert fill_unmapped("董家\ufffd街道", "董家0街道") is None
    # OCR that misreads a mapped character, or loses one, is not taken
    assert fill_unmapped("董家\ufffd街道", "董宋塅街道") is None
    assert fill_unmapped("董家\ufffd街道", "董家塅街") is None
    # full-width and ASCII forms of a mapped sign agree (NFKC)
    assert fill_unmapped("(\ufffd)：", "（塅）:") == "(塅)："


@pytest.fixture(scope="module")
def rare_glyph_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A made-up bulletin line and a ruled table whose rare character 塅 is drawn by a
    font whose /ToUnicode was removed: the text layer reads it as (cid:N)."""
    import re

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Body", "/usr/share/fonts/truetype/arphic/uming.ttc"))
    pdfmetrics.registerFont(TTFont("Rare", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
    path = tmp_path_factory.mktemp("rare") / "rare.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))

    def write(x: float, y: float, text: str, size: float) -> None:
        for piece in re.split("(塅)", text):
            font = "Rare" if piece == "塅" else "Body"
            c.setFont(font, size)
            c.drawString(x, y, piece)
            x += pdfmetrics.stringWidth(piece, font, size)

    write(72, 760, "三月份，董家塅街道办事处共受理工单126件，办结率为98.41%。", 14)
    rows = [["序号", "部门", "工单数"], ["1", "董家塅街道办事处", "126"], ["2", "城南街道", "57"]]
    xs, top = (72, 130, 330, 420), 700
    for i in range(len(rows) + 1):
        c.line(xs[0], top - 24 * i, xs[-1], top - 24 * i)
    for x in xs:
        c.line(x, top, x, top - 24 * len(rows))
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            write(xs[k] + 6, top - 24 * r - 17, text, 12)
    c.save()

    def blank(font: re.Match[bytes]) -> bytes:
        entry = re.compile(rb"/ToUnicode\s+\d+\s+\d+\s+R")
        return entry.sub(lambda m: b" " * len(m.group(0)), font.group(0))

    data = re.sub(rb"<<[^<>]*/BaseFont\s*/\w+\+WenQuanYi[^<>]*>>", blank, path.read_bytes())
    path.write_bytes(data)
    return path


def test_unmapped_glyph_is_read_by_ocr_in_its_line_and_cell_alone(rare_glyph_pdf: Path) -> None:
    off = read_document(rare_glyph_pdf, ocr="off")
    # the glyph is marked unmapped: "(cid:N)" from pdfminer, U+FFFD from pdfium (the default)
    assert has_unmapped(off.lines[0].text) and off.page_sources == ("text",)
    doc = read_document(rare_glyph_pdf)
    assert doc.page_sources == ("text",)  # the page keeps its text layer
    (line,) = doc.lines
    assert line.text == "三月份，董家塅街道办事处共受理工单126件，办结率为98.41%。"
    assert line.source.backend == "ocr-rapidocr" and 0.9 < (line.source.confidence or 0) <= 1
    cells = {c.text: c.source for row in doc.tables[0].body_rows for c in row}
    assert cells["董家塅街道办事处"].backend == "ocr-rapidocr"
    assert cells["董家塅街道办事处"].confidence
    # cells without an unmapped glyph keep the text layer's reading and backend
    assert cells["126"].backend != "ocr-rapidocr" and cells["126"].confidence is None
    assert "2 lines or cells holding them read by OCR" in doc.warnings[0]
