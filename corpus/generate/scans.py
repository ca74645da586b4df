"""Scanned copies of corpus bulletins: image-only PDFs whose truth is the source's truth.

    python -m corpus.generate.scans [--out corpus/scans]

Each page of a source PDF is rendered with pypdfium2 at the scan's dpi, tilted
(a skew per page), dirtied (grain, a grey photocopy cast with specks, a seal
stamped over the signature) and stored as a JPEG page of a PDF with no text
layer. The landscape attachment pages of the seed stay landscape. A copy whose
fonts lack /ToUnicode is made from a reportlab bulletin by blanking the
/ToUnicode entries (the bytes keep their length, so the cross-reference table
still holds): its text layer reads as (cid:N).

Writes <id>.pdf per scan and scans.json: for each scan its source, the truth file
to score it against (the source's) and how it was made. The same code always
writes the same images (fixed random seeds).
"""

from __future__ import annotations

import argparse
import io
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from corpus.generate.notdef import draw_missing, truth_texts

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SEED_PDF = "seed/jintai_2023_02_hotline_bulletin.pdf"
SEED_TRUTH = "seed/seed.truth.json"
DATE_LINE = r"20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"


@dataclass(frozen=True, slots=True)
class Scan:
    """How one scanned copy is made; paths relative to corpus/."""

    id: str
    source: str
    truth: str
    dpi: int
    skews: tuple[float, ...]  # degrees per page, repeated over the pages
    grain: float  # standard deviation of the noise, grey levels
    quality: int  # JPEG quality
    photocopy: bool = False
    stamp: bool = False
    # "scan", "no-tounicode" (a text PDF, not an image) or "drawn-glyphs" (a scan whose
    # .notdef boxes are drawn: draw_notdef); make eval scores each kind but "scan" apart
    kind: str = "scan"
    # True: characters the source's font could not draw (.notdef boxes) are drawn with a
    # font that has them, as the truth spells them (corpus/generate/notdef.py)
    draw_notdef: bool = False
    committed: bool = True  # False: made with --all only (kept out of the repository's size)


SCANS = (
    Scan("seed-200", SEED_PDF, SEED_TRUTH, 200, (1.2, -0.8, 2.0, -1.5, 0.6, -2.0), 3, 30,
         stamp=True),
    Scan("seed-150", SEED_PDF, SEED_TRUTH, 150, (-1.0, 1.8, -0.4, 1.0, -2.0, 0.9), 3, 35,
         photocopy=True),
    Scan("gen-0008-200", "generated/gen-0008.pdf", "generated/gen-0008.truth.json", 200,
         (0.7, -1.9, 1.4, -0.3), 3, 30),
    Scan("gen-0014-150", "generated/gen-0014.pdf", "generated/gen-0014.truth.json", 150,
         (-1.6, 0.5, 2.0, -1.1), 3, 35, photocopy=True),
    Scan("gen-0008-300", "generated/gen-0008.pdf", "generated/gen-0008.truth.json", 300,
         (1.9,), 3, 30),
    Scan("gen-0006-200", "generated/gen-0006.pdf", "generated/gen-0006.truth.json", 200,
         (-0.9, 1.3, -0.5, 1.7, -1.2, 0.4), 3, 30, kind="drawn-glyphs",
         draw_notdef=True),
    Scan("gen-0008-nounicode", "generated/gen-0008.pdf", "generated/gen-0008.truth.json", 0,
         (), 0, 0, kind="no-tounicode"),
)  # fmt: skip


def page_images(scan: Scan) -> list[Any]:
    """The scan's pages as grey arrays, each made from its source page."""
    import numpy as np
    import pypdfium2 as pdfium

    rng = np.random.default_rng(abs(hash_text(scan.id)))
    pdf = pdfium.PdfDocument(str(CORPUS / scan.source))
    stamp_at = _signature_place(scan) if scan.stamp else None
    notdef = _notdef_chars(scan) if scan.draw_notdef else None
    images = []
    for i in range(len(pdf)):
        image = pdf[i].render(scale=scan.dpi / 72, grayscale=True).to_numpy().copy()
        if image.ndim == 3:
            image = image[:, :, 0]
        if notdef is not None:
            draw_missing(image, notdef[0][i], notdef[1], scan.dpi)
        if stamp_at is not None and stamp_at[0] == i + 1:
            _stamp(image, stamp_at[1], scan.dpi)
        image = _tilt(image, scan.skews[i % len(scan.skews)])
        if scan.photocopy:
            image = _photocopy(image, rng)
        # Grain on the inked and dirty parts only: noise on white paper would mostly grow the
        # JPEG files, not the difficulty (the JPEG blocks add their own).
        noisy = image.astype(np.float64) + rng.normal(0, scan.grain, image.shape)
        image = np.where(image < 250, noisy, image)
        images.append(np.clip(image, 0, 255).astype(np.uint8))
    pdf.close()
    return images


def _notdef_chars(scan: Scan) -> tuple[list[list[dict[str, Any]]], list[str]]:
    """The source's characters page by page, and the texts of its truth."""
    import pdfplumber

    truth = json.loads((CORPUS / scan.truth).read_text(encoding="utf-8"))
    with pdfplumber.open(CORPUS / scan.source) as pdf:
        return [list(page.chars) for page in pdf.pages], truth_texts(truth)


def hash_text(text: str) -> int:
    """A stable seed from a text (Python's hash() changes between runs)."""
    return sum((i + 1) * ord(ch) for i, ch in enumerate(text))


def _signature_place(scan: Scan) -> tuple[int, tuple[float, float]] | None:
    """Page and centre (points) of the source's date line, where the seal goes.

    The date line is the right-aligned full date under the signature: of the full dates
    printed, the one furthest right.
    """
    import pdfplumber

    found: list[tuple[float, int, tuple[float, float]]] = []
    with pdfplumber.open(CORPUS / scan.source) as pdf:
        for page in pdf.pages:
            for m in page.search(DATE_LINE):
                centre = ((m["x0"] + m["x1"]) / 2, (m["top"] + m["bottom"]) / 2)
                found.append((float(m["x0"]), page.page_number, centre))
    if not found:
        return None
    _, page_number, centre = max(found)
    return page_number, centre


def _stamp(image: Any, centre: tuple[float, float], dpi: int) -> None:
    """A round seal (a red stamp, grey in a grey scan) over the signature, drawn in place."""
    import cv2

    k = dpi / 72
    c = (int(centre[0] * k), int(centre[1] * k))
    radius = int(60 * k)
    overlay = image.copy()
    cv2.circle(overlay, c, radius, 120, thickness=max(2, int(3 * k)))
    cv2.circle(overlay, c, int(radius * 0.2), 120, thickness=-1)
    cv2.ellipse(overlay, c, (int(radius * 0.75), int(radius * 0.75)), 0, 200, 340, 150,
                thickness=max(2, int(5 * k)))  # fmt: skip
    mask = overlay < image
    image[mask] = (0.55 * image[mask] + 0.45 * overlay[mask]).astype(image.dtype)


def _tilt(image: Any, angle: float) -> Any:
    import cv2

    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _photocopy(image: Any, rng: Any) -> Any:
    """A photocopy look: harder contrast, toner specks."""
    import numpy as np

    out = image.astype(np.float64)
    out = 255 + (out - 255) * 1.25  # ink darkens
    specks = rng.random(image.shape) < 0.0003
    out[specks] = rng.uniform(40, 140, int(specks.sum()))
    return np.clip(out, 0, 255)


def write_scan(scan: Scan, out: Path) -> Path:
    """Write the scan's PDF into `out`; returns its path."""
    path = out / f"{scan.id}.pdf"
    if scan.kind == "no-tounicode":
        path.write_bytes(without_tounicode((CORPUS / scan.source).read_bytes()))
        return path
    from PIL import Image

    pages = []
    for image in page_images(scan):
        buf = io.BytesIO()
        Image.fromarray(image).save(buf, "JPEG", quality=scan.quality, dpi=(scan.dpi, scan.dpi))
        pages.append(Image.open(io.BytesIO(buf.getvalue())))
    pages[0].save(
        path,
        "PDF",
        resolution=scan.dpi,
        save_all=True,
        append_images=pages[1:],
        quality=scan.quality,
    )
    return path


TOUNICODE = re.compile(rb"/ToUnicode\s+\d+\s+\d+\s+R")


def without_tounicode(pdf: bytes) -> bytes:
    """The PDF with every /ToUnicode entry blanked (same length: offsets stay right)."""
    return TOUNICODE.sub(lambda m: b" " * len(m.group(0)), pdf)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.generate.scans", description=__doc__)
    parser.add_argument("--out", type=Path, default=CORPUS / "scans")
    parser.add_argument("--only", default=None, help="comma-separated scan ids")
    parser.add_argument("--all", action="store_true", help="also the scans not committed")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    chosen = [s for s in SCANS if s.committed or args.all]
    wanted = set(args.only.split(",")) if args.only else None
    for scan in chosen:
        if wanted is None or scan.id in wanted:
            print(write_scan(scan, args.out))
    manifest = [asdict(s) | {"pdf": f"{s.id}.pdf"} for s in chosen]
    (args.out / "scans.json").write_text(
        json.dumps({"schema": "bulletins.scans/1", "scans": manifest}, indent=1) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
