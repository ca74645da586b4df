"""Nothing unreadable is reported clean: blank, image-only and unmapped pages, a page count
that differs from the declared one, a PDF with no readable page, and pages whose text layer
was unusable, read by OCR or as they stand (issue 12)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import pipeline
from pipeline.archive.build import BuildOptions, QuietProgress, build
from pipeline.archive.manifest import read_manifest
from pipeline.model import (
    DAMAGED,
    GARBLED,
    NO_TEXT,
    UNMAPPED,
    Document,
    TextLayer,
    UnreadablePage,
)
from pipeline.validate.rules.pages import page_runs

ROOT = Path(__file__).resolve().parents[1]
TEXT_PDF = ROOT / "corpus" / "generated" / "gen-0003.pdf"  # 8 pages with a text layer


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def audit_json(path: Path) -> tuple[int, dict[str, object]]:
    proc = run("audit", str(path), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    data: dict[str, object] = json.loads(proc.stdout)
    return proc.returncode, data


def findings(data: dict[str, object], rule: str | None = None) -> list[dict[str, object]]:
    found: list[dict[str, object]] = data["findings"]  # type: ignore[assignment]
    return [f for f in found if rule is None or f["rule"] == rule]


def image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A scan: each page one picture of printed-looking text, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for n in range(pages):
        image = Image.new("RGB", (600, 800), "white")
        ImageDraw.Draw(image).text((50, 50), f"12345 hotline bulletin page {n + 1}", fill="black")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, 595, 842)
        pdf.showPage()
    pdf.save()
    return path


def with_blank_page(path: Path, index: int = 1) -> Path:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(TEXT_PDF))
    pdf.new_page(595, 842, index=index)
    pdf.save(str(path))
    pdf.close()
    return path


def test_pages_runs_group_consecutive_pages_with_one_reason() -> None:
    pages = [UnreadablePage(p, NO_TEXT, "pdfplumber") for p in (2, 3, 4, 7)]
    pages += [UnreadablePage(5, GARBLED, "pdfplumber")]
    assert page_runs(pages) == [(2, 4, NO_TEXT), (5, 5, GARBLED), (7, 7, NO_TEXT)]


def test_audit_image_only_pdf_needs_ocr_exit_2(tmp_path: Path) -> None:
    scan = image_only_pdf(tmp_path / "scan.pdf")
    proc = run("audit", "--ocr", "off", str(scan))
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"bulletins: {scan}: needs OCR"), line
    assert proc.stdout == ""


def test_audit_pdf_of_blank_pages_is_unreadable(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "blank.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.showPage()
    pdf.save()
    proc = run("audit", str(path), "--format", "summary")
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"bulletins: {path}: unreadable"), line


def test_audit_blank_page_among_text_pages_warns_and_audits_the_rest(tmp_path: Path) -> None:
    code, whole = audit_json(TEXT_PDF)
    holed_code, holed = audit_json(with_blank_page(tmp_path / "holed.pdf"))
    (page,) = findings(holed, "PAGE001")
    assert page["severity"] == "warning"
    assert page["message"] == f"p.2: {NO_TEXT}; nothing on it was audited"
    assert [e["page"] for e in page["evidence"]] == [2]  # type: ignore[attr-defined,index]
    # the reader that found the page empty: the character layer of the default backend
    assert [e["backend"] for e in page["evidence"]] == ["pdfium"]  # type: ignore[attr-defined,index]
    rules = Counter(f["rule"] for f in findings(whole))
    assert Counter(f["rule"] for f in findings(holed) if f["rule"] != "PAGE001") == rules
    assert holed_code == code


def test_audit_declared_page_count_differs_from_pages_read(tmp_path: Path) -> None:
    data = TEXT_PDF.read_bytes()
    assert data.count(b"/Count 8") == 1
    path = tmp_path / "count.pdf"
    path.write_bytes(data.replace(b"/Count 8", b"/Count 9"))  # same length: xref stays right
    _, result = audit_json(path)
    (count,) = findings(result, "PAGE002")
    assert count["message"] == "the PDF declares 9 pages; 8 were read"
    summary = run("audit", str(path), "--format", "summary").stdout
    assert "numbers; read 8 of 9 pages; " in summary, summary
    assert "PAGE002" in summary.rsplit("pages; ", 1)[1], summary
    _, whole = audit_json(TEXT_PDF)
    assert not findings(whole, "PAGE002")
    # the audit JSON names a declared count only when it is not the count read
    assert result["document"]["declared_pages"] == 9  # type: ignore[index]
    assert "declared_pages" not in whole["document"]  # type: ignore[operator]
    assert pipeline.Audit.from_json(result).declared_pages == 9
    assert pipeline.Audit.from_json(whole).declared_pages == 8


def test_build_manifest_has_pages_read_and_declared_fresh_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "count.pdf"
    path.write_bytes(TEXT_PDF.read_bytes().replace(b"/Count 8", b"/Count 9"))
    text = tmp_path / "plain.txt"
    text.write_text("关于热线的通报\n本月受理诉求56件，办结55件。\n", encoding="utf-8")
    inputs, out = [str(path), str(TEXT_PDF), str(text)], tmp_path / "out"
    for reused in ("false", "true"):  # the second build reads the stored audit JSON
        build(inputs, out, BuildOptions(workers=1, ocr="off"), QuietProgress())
        rows = read_manifest(out / "manifest.csv")
        assert [(r["pages"], r["declared_pages"], r["reused"]) for r in rows] == [
            ("8", "9", reused),
            ("8", "8", reused),
            ("2", "", reused),
        ]


def test_audit_fonts_without_tounicode_give_a_warning_not_a_traceback(tmp_path: Path) -> None:
    data = TEXT_PDF.read_bytes()
    path = tmp_path / "nocmap.pdf"
    path.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))  # text reads as (cid:N)
    proc = run("audit", str(path), "--format", "json", "--ocr", "off")
    assert proc.returncode in (0, 1), proc.stderr
    assert "internal error" not in proc.stderr
    (page,) = findings(json.loads(proc.stdout), "PAGE001")
    assert UNMAPPED in str(page["message"])


def test_build_image_only_pdf_is_a_failed_row_saying_needs_ocr(tmp_path: Path) -> None:
    scan = image_only_pdf(tmp_path / "scan.pdf", pages=1)
    summary = build(
        [str(scan)], tmp_path / "out", BuildOptions(workers=1, ocr="off"), QuietProgress()
    )
    (row,) = read_manifest(tmp_path / "out" / "manifest.csv")
    assert row["status"] == "failed" and "needs OCR" in row["error_message"], row
    assert summary.statuses["ok"] == 0


# --- a text layer not fit to read ----------------------------------------------------------


@pytest.fixture(scope="module")
def unmapped_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1 of gen-0003 as printed, then its pages 2 (text) and 4 (a table) from a copy
    whose fonts lost their /ToUnicode maps: there the text layer reads (cid:N) or U+FFFD for
    every glyph."""
    import pypdfium2

    folder = tmp_path_factory.mktemp("unmapped")
    nocmap = folder / "nocmap.pdf"
    nocmap.write_bytes(TEXT_PDF.read_bytes().replace(b"/ToUnicode", b"/ToUnicodX"))
    text, lost = pypdfium2.PdfDocument(str(TEXT_PDF)), pypdfium2.PdfDocument(str(nocmap))
    out = pypdfium2.PdfDocument.new()
    out.import_pages(text, [0])
    out.import_pages(lost, [1, 3])
    path = folder / "mixed.pdf"
    out.save(str(path))
    return path


def page_findings(doc: Document, rule: str) -> list[tuple[str, list[int]]]:
    found = pipeline.audit(doc).findings
    return [(f.message, [e.source.page for e in f.evidence]) for f in found if f.rule == rule]


def test_pages_with_unmapped_text_layers_read_by_ocr_are_named_with_how(
    unmapped_pdf: Path,
) -> None:
    doc = pipeline.open(unmapped_pdf)
    usable, unmapped = TextLayer.USABLE, TextLayer.UNMAPPED
    assert doc.text_layers == (usable, unmapped, unmapped)
    assert doc.page_sources == ("text", "ocr-rapidocr", "ocr-rapidocr")
    cells = [c for t in doc.tables for row in t.body_rows for c in row]
    read = {s.source.page for s in (*doc.lines, *cells) if s.source.backend == "ocr-rapidocr"}
    assert read == {2, 3}  # OCR read those pages, and only those
    assert page_findings(doc, "PAGE003") == [
        ("p.2–3: text layer unusable (unmapped glyphs), read by OCR (ocr-rapidocr)", [2, 3])
    ]
    assert not page_findings(doc, "PAGE001")  # every page gave readable text
    # the document JSON carries each page's text layer, and reads it back
    layers = json.loads(doc.to_json())["text_layers"]
    assert layers == ["usable", "unmapped glyphs", "unmapped glyphs"]
    assert Document.from_json(doc.to_json()).text_layers == doc.text_layers


def test_pages_with_unmapped_text_layers_and_ocr_off_are_named_twice(unmapped_pdf: Path) -> None:
    doc = pipeline.open(unmapped_pdf, ocr="off")
    assert doc.text_layers == (TextLayer.USABLE, TextLayer.UNMAPPED, TextLayer.UNMAPPED)
    # pdfium maps most of the glyphs to something printable, so the pages are read as they
    # stand: PAGE001 says what had no mapping, PAGE003 that the rest is not to be trusted
    assert doc.page_sources == ("text", "text", "text")
    assert page_findings(doc, "PAGE001") == [
        (f"p.2–3: {UNMAPPED}; that text was not audited", [2, 3])
    ]
    assert page_findings(doc, "PAGE003") == [
        ("p.2–3: text layer unusable (unmapped glyphs), read as it stands, not by OCR", [2, 3])
    ]


def test_a_garbage_text_layer_read_with_ocr_off_is_not_clean(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    # a made-up line of Chinese decoded in the wrong encoding: every glyph maps to a
    # printable character, most of them ones no Chinese bulletin prints
    path = tmp_path / "mojibake.pdf"
    pdf = canvas.Canvas(str(path))
    for k in range(6):
        pdf.drawString(72, 760 - 20 * k, f"Ã¦Å“Â¬Ã¦Å“Ë† Ã¥â€¦Â±Ã¥Â�â€”Ã§Ââ€  {120 + k} Ã¤Â»Â¶")
    pdf.save()
    doc = pipeline.open(path, ocr="off")
    assert doc.text_layers == (TextLayer.GARBAGE,) and doc.page_sources == ("text",)
    assert page_findings(doc, "PAGE003") == [
        ("p.1: text layer unusable (garbage), read as it stands, not by OCR", [1])
    ]


def two_pages_second_flipped(path: Path, *, flipped: bool) -> Path:
    """Two pages of our own bulletin, each its own flate content stream; with `flipped`, one
    bit of page 2's compressed stream is flipped (the hostile generator's bit_flips)."""
    import random
    import zlib

    from bench import hostile_pdf

    packed = zlib.compress(hostile_pdf.text_ops(), 9)
    if flipped:
        packed = hostile_pdf.bit_flips(packed, random.Random(3), 1)
        with pytest.raises(zlib.error):  # the flip is damage zlib can see
            zlib.decompress(packed)
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [6 0 R 7 0 R] /Count 2 >>",
        hostile_pdf.stream(hostile_pdf.text_ops(), deflate=True),
        hostile_pdf.stream(packed, b" /Filter /FlateDecode"),
        hostile_pdf.FONT_CID,
        page % 3,
        page % 4,
    ]
    path.write_bytes(hostile_pdf.pdf_bytes(objects))
    return path


@pytest.mark.parametrize("backend", ["pdfium", "pdfplumber"])
def test_a_page_whose_content_stream_does_not_inflate_whole_is_named(
    tmp_path: Path, backend: str
) -> None:
    # pdfium reads what inflates and says nothing; pdfminer at most logs a line
    damaged = pipeline.open(
        two_pages_second_flipped(tmp_path / "flip.pdf", flipped=True), backend=backend, ocr="off"
    )
    assert [(p.page, p.reason) for p in damaged.unreadable_pages if p.reason == DAMAGED] == [
        (2, DAMAGED)
    ]
    assert page_findings(damaged, "PAGE001")[-1] == (
        f"p.2: {DAMAGED}; what it held past the damage was not read, and what was read may be"
        " wrong",
        [2],
    )
    intact = pipeline.open(
        two_pages_second_flipped(tmp_path / "intact.pdf", flipped=False), backend=backend, ocr="off"
    )
    assert intact.unreadable_pages == ()
    assert not page_findings(intact, "PAGE001")
