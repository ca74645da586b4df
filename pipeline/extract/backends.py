"""Table backends: what finds the tables of a PDF page, chosen by name.

A backend is made once per document (`BACKENDS[name](path)`) and then asked for
the tables of each page in turn. Narrative text is always read by pdfplumber;
only the tables differ. Every cell a backend returns names it in
`Source.backend`, and an unknown name is an error, never a quiet default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.errors import ConfigError
from pipeline.extras import require_extra

if TYPE_CHECKING:
    from pipeline.extract.lines import Char
    from pipeline.extract.tables import PageTable

# The command line imports this module for --backend's choices: it loads no table finder.
PDFPLUMBER = "pdfplumber"
PDFIUM = "pdfium"
# pdfium reads characters, boxes and rulings several times faster than pdfminer and gives the
# same document (tests/test_pdfium_backend.py); pdfplumber stays one flag away.
DEFAULT_BACKEND = PDFIUM
# What reads a backend's characters, rules and rectangles (pdfplumber unless named here).
CHAR_LAYERS = {PDFIUM: PDFIUM}


class TableBackend(Protocol):
    """Finds the tables of one page; boxes in PDF points, top-left origin."""

    name: str

    def find_tables(self, page: Any, chars: Sequence[Char]) -> list[PageTable]:
        """Tables of a pdfplumber page (with its deduplicated chars), top to bottom."""
        ...


class PdfplumberTables:
    """Ruled tables through pdfplumber's `find_tables`, then whitespace-aligned ones.

    The same finder serves the pdfium character layer (`pdfium_page`); its cells then
    name "pdfium" as their backend.
    """

    def __init__(self, name: str = PDFPLUMBER) -> None:
        self.name = name

    def find_tables(self, page: Any, chars: Sequence[Char]) -> list[PageTable]:
        from pipeline.extract.lines import draws_spaces
        from pipeline.extract.rules import horizontal_rules
        from pipeline.extract.tables import page_table_backend, read_page_tables
        from pipeline.extract.whitespace import read_whitespace_tables

        ruled = read_page_tables(page, page.page_number, chars)
        taken = [t.bbox for t in ruled]
        loose = read_whitespace_tables(
            page.page_number,
            chars,
            taken,
            horizontal_rules(page, taken),
            infer_spaces=not draws_spaces(chars),
        )
        found = sorted([*ruled, *loose], key=lambda t: (t.bbox[1], t.bbox[0]))
        if self.name == PDFPLUMBER:
            return found
        return [page_table_backend(t, self.name) for t in found]


def _pdfplumber(path: Path) -> TableBackend:
    return PdfplumberTables()


def _pdfium(path: Path) -> TableBackend:
    return PdfplumberTables(PDFIUM)


def _camelot(flavor: str) -> Callable[[Path], TableBackend]:
    def make(path: Path) -> TableBackend:
        require_extra("camelot", f"the table backend camelot-{flavor}")
        # Importing the adapter stays cheap; camelot itself loads on first use.
        from pipeline.extract.camelot_backend import CamelotTables

        return CamelotTables(path, flavor)

    return make


BACKENDS: dict[str, Callable[[Path], TableBackend]] = {
    PDFPLUMBER: _pdfplumber,
    PDFIUM: _pdfium,
    "camelot-lattice": _camelot("lattice"),
    "camelot-stream": _camelot("stream"),
}


# backend -> the extra it needs (pipeline/extras.py); the others come with every install
BACKEND_EXTRAS = {"camelot-lattice": "camelot", "camelot-stream": "camelot"}


def check_backend(name: str) -> None:
    """Raises ConfigError naming the known backends when `name` is not one."""
    if name not in BACKENDS:
        known = ", ".join(BACKENDS)
        raise ConfigError(f"unknown table backend {name!r} (known: {known})")


def char_layer(name: str) -> str:
    """What reads the characters of PDFs for backend `name`: "pdfplumber" or "pdfium"."""
    return CHAR_LAYERS.get(name, PDFPLUMBER)


def table_backend(name: str, path: Path) -> TableBackend:
    """The backend `name` made for the PDF at `path`; raises ConfigError if unknown."""
    check_backend(name)
    return BACKENDS[name](path)
