"""LibreOffice headless conversion to PDF, many files per call.

Starting soffice costs about a second, so files are converted in batches with one call each.
A throwaway profile (-env:UserInstallation) lets it run as root and beside another soffice.
"""

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BATCH = 80  # files per soffice call at most: one slow start, but not one huge process
HTML_FILTER = "HTML (StarWriter)"  # import HTML into Writer, not Writer/Web (no page styles)


def soffice():
    path = shutil.which("soffice")
    if path is None:
        raise SystemExit("soffice not found: install LibreOffice")
    return path


def _run(batch, outdir, infilter, timeout):
    with tempfile.TemporaryDirectory(prefix="corpus-lo-") as profile:
        cmd = [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir)]
        subprocess.run([*cmd, *map(str, batch)], check=True, capture_output=True, timeout=timeout)


def convert(files, outdir, infilter=None, timeout=1800):
    """Convert `files` to PDF in `outdir`; return the PDFs, raising if one was not written.

    The files are split into batches, one soffice call each, run side by side on the cores.
    """
    files = [Path(f) for f in files]
    outdir = Path(outdir)
    pdfs = [outdir / f"{f.stem}.pdf" for f in files]
    for pdf in pdfs:
        pdf.unlink(missing_ok=True)  # soffice can exit 0 without writing; never keep a stale PDF
    jobs = max(1, min(os.cpu_count() or 1, 4))
    size = max(1, min(BATCH, -(-len(files) // jobs)))
    batches = [files[i : i + size] for i in range(0, len(files), size)]
    with ThreadPoolExecutor(jobs) as pool:
        for future in [pool.submit(_run, b, outdir, infilter, timeout) for b in batches]:
            future.result()
    missing = [str(f) for f, pdf in zip(files, pdfs, strict=True) if not pdf.exists()]
    if missing:
        raise SystemExit(f"LibreOffice wrote no PDF for {', '.join(missing)}")
    return pdfs


_DATE = re.compile(rb"/(CreationDate|ModDate)\(D:\d{14}")


def fix_dates(pdf, stamp):
    """Overwrite the export time with `stamp` (YYYYMMDDhhmmss), in place and at equal length.

    The byte offsets in the cross-reference table stay valid. LibreOffice still writes a
    random /ID and randomly keyed Type 1 font programs, so its PDFs are not byte-identical
    from run to run; their text and layout are.
    """
    pdf = Path(pdf)
    data = pdf.read_bytes()
    fixed = _DATE.sub(lambda m: b"/" + m.group(1) + b"(D:" + stamp.encode(), data)
    if fixed != data:
        pdf.write_bytes(fixed)
