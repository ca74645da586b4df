"""Broken inputs for build tests and the slow archive test: each kind a build must survive.

Every generator writes one file and makes its content unique with `i`, so that a hundred
of them are a hundred documents, not one document and 99 duplicates.
"""

from __future__ import annotations

import os
import signal
import struct
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

CHUNK = 1 << 24  # 16 MiB of zeros per deflate block


def not_a_pdf(path: Path, i: int = 0) -> Path:
    path.write_text(f"<html><body>this is not a PDF ({i})</body></html>\n", encoding="utf-8")
    return path


def truncated_pdf(path: Path, source: Path, i: int = 0) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3 + i])
    return path


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def encrypted_pdf(path: Path, i: int = 0) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt=f"secret-{i}")
    pdf.drawString(72, 720, f"locked bulletin {i}")
    pdf.showPage()
    pdf.save()
    return path


def many_pages_pdf(path: Path, pages: int, lines: int = 1) -> Path:
    """`pages` pages of `lines` lines each (many lines: slow to read, for timeouts)."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for n in range(1, pages + 1):
        for k in range(lines):
            pdf.drawString(72, 800 - 12 * k, f"page {n} line {k}: " + "0123456789 " * 4)
        pdf.showPage()
    pdf.save()
    return path


def not_a_docx(path: Path, i: int = 0) -> Path:
    path.write_bytes(f"PK but not a zip archive {i}".encode())
    return path


def zeros_deflate(size_mb: int) -> bytes:
    """A zlib stream inflating to `size_mb` MiB of zeros, built without compressing them all.

    After a full flush the deflate state is reset, so every 16 MiB block of zeros compresses
    to the same bytes; the Adler-32 of n zero bytes is (n mod 65521) << 16 | 1.
    """
    blocks = max(1, size_mb * (1 << 20) // CHUNK)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(bytes(CHUNK)) + deflate.flush(zlib.Z_FULL_FLUSH)
    adler = ((blocks * CHUNK) % 65521) << 16 | 1
    return b"\x78\xda" + block * blocks + deflate.flush() + struct.pack(">I", adler)


def bomb_pdf(path: Path, inflated_mb: int, i: int = 0) -> Path:
    """A valid one-page PDF whose content stream inflates to `inflated_mb` MiB of zeros."""
    stream = zeros_deflate(inflated_mb)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%%PDF-1.4\n%%%% bomb %d\n" % i)
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


# name -> (file name suffix, expected error class, generator of the i-th file)
def broken_kinds(source_pdf: Path, bomb_mb: int) -> dict[str, Callable[[Path, int], Path]]:
    return {
        "not-a-pdf": not_a_pdf,
        "truncated": lambda p, i: truncated_pdf(p, source_pdf, i),
        "encrypted": encrypted_pdf,
        "bomb": lambda p, i: bomb_pdf(p, bomb_mb, i),
        "not-a-docx": not_a_docx,
    }


def broken_archive(
    folder: Path, source_pdf: Path, n: int, *, bomb_mb: int, long_pages: int
) -> list[Path]:
    """`n` broken files in `folder`: the kinds above in turn, plus one empty file and one
    PDF of `long_pages` pages."""
    folder.mkdir(parents=True, exist_ok=True)
    made = [empty_file(folder / "empty.pdf"), many_pages_pdf(folder / "long.pdf", long_pages)]
    kinds = list(broken_kinds(source_pdf, bomb_mb).items())
    for i in range(n - len(made)):
        name, make = kinds[i % len(kinds)]
        suffix = ".docx" if name == "not-a-docx" else ".pdf"
        made.append(make(folder / f"broken-{i:03d}-{name}{suffix}", i))
    return made


def expected_classes(path: Path) -> tuple[str, ...]:
    """The error classes a broken file's manifest row may carry."""
    name = path.name
    if "bomb" in name:
        # a flate bomb stops at pdfminer's stream bound (pdfminer_guard.py), or at the
        # worker's address-space cap first when the worker has more loaded (both one line)
        return ("InputError", "MemoryError")
    if name == "long.pdf":
        return ("PageLimitError",)
    return ("InputError",)


def names(paths: Sequence[Path]) -> list[str]:
    return [p.name for p in paths]


def die_in_worker(path: str, out_dir: str, options: object) -> None:
    """A pool task that kills its own worker, as the kernel's OOM killer would."""
    os.kill(os.getpid(), signal.SIGKILL)
