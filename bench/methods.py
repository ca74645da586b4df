"""What is timed: one function per method, each reading one whole PDF.

Every function takes the PDF's path and reads the whole document; imports happen
on the first call, which the runner makes outside the timing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Method = Callable[[Path], object]


def ours_extract(path: Path) -> object:
    """Our extraction stage alone (pdfplumber backend): file to `Document`."""
    from pipeline.extract import read_document

    return read_document(path)


def ours_extract_pdfium(path: Path) -> object:
    """Our extraction stage with the pdfium character layer (`--backend pdfium`)."""
    from pipeline.extract import read_document

    return read_document(path, backend="pdfium")


def ours_pipeline(path: Path) -> object:
    """The whole pipeline as `bulletins audit` runs it: extract, normalize, audit."""
    from pipeline.extract import read_document
    from pipeline.normalize import normalize
    from pipeline.validate import audit

    return audit(normalize(read_document(path)))


def plumber_extract_tables(path: Path) -> object:
    """pdfplumber's plain `page.extract_tables()` on every page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_tables() for page in pdf.pages]


def _camelot(flavor: str) -> Method:
    def run(path: Path) -> object:
        """camelot.read_pdf on every page with one flavor."""
        import warnings

        from camelot.io import read_pdf

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read_pdf(str(path), pages="all", flavor=flavor, suppress_stdout=True)

    return run


def pdfium_chars(path: Path) -> object:
    """The floor: every character and its box through pypdfium2, nothing else."""
    import pypdfium2  # type: ignore[import-untyped]

    pdf = pypdfium2.PdfDocument(path)
    try:
        out = []
        for i in range(len(pdf)):
            text = pdf[i].get_textpage()
            boxes = [text.get_charbox(j) for j in range(text.count_chars())]
            out.append((text.get_text_range(), boxes))
        return out
    finally:
        pdf.close()


# name -> (method, runs on the camelot subset only)
METHODS: dict[str, tuple[Method, bool]] = {
    "extract (ours, pdfplumber)": (ours_extract, False),
    "extract (ours, pdfium)": (ours_extract_pdfium, False),
    "pipeline (extract+normalize+audit)": (ours_pipeline, False),
    "pdfplumber extract_tables()": (plumber_extract_tables, False),
    "camelot lattice": (_camelot("lattice"), True),
    "camelot stream": (_camelot("stream"), True),
    "pypdfium2 chars+boxes (floor)": (pdfium_chars, False),
}
OURS = "extract (ours, pdfplumber)"
