"""The pdfium character layer reads every corpus PDF as the pdfplumber backend does.

Differential: the document JSON (`bulletins extract`) from `--backend pdfium` must equal
the pdfplumber backend's, except that sources name pdfium and that boxes may differ by
up to `TOLERANCE` points (pdfium keeps glyph widths as integers and coordinates as
32-bit floats). Run on the seed, the generated corpus, rotated copies (made as
tests/test_rotation.py makes them) and fake-bold copies (every page drawn a second
time, shifted by a fraction of a point, as WPS and Word imitate bold).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus.generate.rotate import rotate_pdf
from pipeline.extract import read_document
from pipeline.normalize import resolve_metadata
from pipeline.report.document_json import document_json

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus" / "seed").glob("*.pdf")) + sorted(
    (ROOT / "corpus").glob("generated*/*.pdf")
)
TOLERANCE = 0.5
BACKEND_NAMES = {"pdfium": "pdfplumber"}
TURNED = ["seed", "gen-0009", "gen-0025"]
VARIANTS = [(90, True), (270, True), (90, False), (180, False), (270, False)]
BOLD_SHIFTS = [(0.3, 0.0), (0.4, -0.3)]


def json_differences(a: Any, b: Any, path: str = "", tolerance: float = TOLERANCE) -> Iterator[str]:
    """Where two document JSONs differ: boxes beyond `tolerance`, anything else at all.

    A "bbox" compares coordinate by coordinate within `tolerance` points; "backend" and
    "backends" compare after naming pdfium as pdfplumber. Yields one line per difference.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            yield f"{path}: keys {sorted(a.keys() ^ b.keys())}"
            return
        for key in a:
            yield from _field_differences(key, a[key], b[key], f"{path}.{key}", tolerance)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items, {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            yield from json_differences(x, y, f"{path}[{i}]", tolerance)
    elif a != b:
        yield f"{path}: {a!r} != {b!r}"


def _field_differences(key: str, a: Any, b: Any, path: str, tolerance: float) -> Iterator[str]:
    if key == "bbox" and isinstance(a, list) and isinstance(b, list) and len(a) == len(b) == 4:
        if any(abs(x - y) > tolerance for x, y in zip(a, b, strict=True)):
            yield f"{path}: {a} != {b}"
    elif key in ("backend", "backends"):
        if _named(a) != _named(b):
            yield f"{path}: {a!r} != {b!r}"
    else:
        yield from json_differences(a, b, path, tolerance)


def _named(value: Any) -> Any:
    if isinstance(value, list):
        return [_named(v) for v in value]
    return BACKEND_NAMES.get(value, value) if isinstance(value, str) else value


def document(path: Path, backend: str) -> dict[str, Any]:
    doc = read_document(path, backend=backend)
    data = document_json(doc, resolve_metadata(doc))
    data["source"] = path.name
    return data


def differences(path: Path) -> list[str]:
    return list(json_differences(document(path, "pdfplumber"), document(path, "pdfium")))


def test_json_differences_tolerate_boxes_and_backend_names() -> None:
    a = {"bbox": [1.0, 2.0, 3.0, 4.0], "backend": "pdfplumber", "text": "12件"}
    assert not list(json_differences(a, {**a, "bbox": [1.4, 2.0, 3.0, 3.6], "backend": "pdfium"}))
    assert list(json_differences(a, {**a, "bbox": [1.6, 2.0, 3.0, 4.0]}))
    assert list(json_differences(a, {**a, "text": "12 件"}))
    assert list(json_differences([a], [a, a]))


# In gen-0030, gen-0046, gen-0061, gen-0068 and gen-0084 body lines end exactly 1.5 em short
# of the widest line, the paragraph-break threshold: pdfminer puts them on it, pdfium 3e-5 pt
# below (32-bit floats). structure.LINE_END_TOLERANCE makes both read them alike.
# The stats-forms bulletins print ‰ from two subsets of WenQuanYi Micro Hei (AAAAAA+, AAAAAB+)
# whose /Widths differ for it (1.0 and 1.169 em); pdfium names both subsets alike, so the
# adapter tells them apart by the length of their embedded programs.


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_pdfium_reads_the_corpus_as_pdfplumber(path: Path) -> None:
    found = differences(path)
    assert not found, "\n".join(found[:20])


SCANS = sorted((ROOT / "corpus" / "scans").glob("*.pdf"))


@pytest.mark.parametrize("path", SCANS, ids=lambda p: p.stem)
def test_pdfium_finds_the_images_pdfplumber_finds(path: Path) -> None:
    """A scan's pages are images: the pdfium layer must report them where pdfminer does, or a
    page of images without text is not sent to OCR (text_layer.text_layer_problem)."""
    import pdfplumber

    from pipeline.extract.pdfium_page import open_pdfium

    def boxes(page: Any) -> list[tuple[float, ...]]:
        return [tuple(i[k] for k in ("x0", "top", "x1", "bottom")) for i in page.images]

    with pdfplumber.open(path) as pdf, open_pdfium(path) as pages:
        for plumber, pdfium in zip(pdf.pages, pages, strict=True):
            want, got = boxes(plumber), boxes(pdfium)
            assert len(got) == len(want)
            for a, b in zip(want, got, strict=True):
                assert all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=True)), (a, b)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdfium")


def source(name: str) -> Path:
    if name == "seed":
        return next((ROOT / "corpus" / "seed").glob("*.pdf"))
    return ROOT / "corpus" / "generated" / f"{name}.pdf"


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v[0]}{'-redrawn' * v[1]}")
@pytest.mark.parametrize("name", TURNED)
def test_pdfium_reads_rotated_copies_as_pdfplumber(
    workdir: Path, name: str, variant: tuple[int, bool]
) -> None:
    rotation, redrawn = variant
    target = workdir / f"{name}-{rotation}-{int(redrawn)}.pdf"
    rotate_pdf(source(name), target, rotation, redraw=redrawn)
    found = differences(target)
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("shift", BOLD_SHIFTS, ids=str)
@pytest.mark.parametrize("name", TURNED)
def test_pdfium_reads_fake_bold_copies_as_pdfplumber(
    workdir: Path, name: str, shift: tuple[float, float]
) -> None:
    target = workdir / f"{name}-bold-{shift[0]}-{shift[1]}.pdf"
    fake_bold(source(name), target, shift)
    found = differences(target)
    assert not found, "\n".join(found[:20])


def fake_bold(src: Path, dst: Path, shift: tuple[float, float]) -> None:
    """Write `dst`: every page of `src` drawn once more on top of itself, shifted by `shift`."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(src)
    try:
        for i in range(len(pdf)):
            xobject = raw.FPDF_NewXObjectFromPage(pdf.raw, pdf.raw, i)
            form = raw.FPDF_NewFormObjectFromXObject(xobject)
            raw.FPDFPageObj_Transform(form, 1, 0, 0, 1, *shift)
            page = pdf[i]
            raw.FPDFPage_InsertObject(page.raw, form)
            raw.FPDFPage_GenerateContent(page.raw)
            raw.FPDF_CloseXObject(xobject)
        pdf.save(dst)
    finally:
        pdf.close()
