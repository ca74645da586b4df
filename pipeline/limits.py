"""The limits every document runs under, in one place for `build`, `audit`, `extract` and the API.

Two kinds. The process limits (time, memory, pages) need the document to run in a child
process that can be killed or whose address space is capped: `pipeline.archive.isolate` runs
one document so, and the archive's pool runs many. The shape limits (rows and cells per
table, characters per page) are cheap checks the readers make in-process, so that a table of
20,000 rows or a page of millions of characters fails at once with one line instead of
feeding a layout step whose cost grows faster than its input.

Defaults are sized for real bulletins: a monthly 12345 report is 2-30 pages, its largest
table a few hundred rows, a page a few thousand characters. 0 means no limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import LimitError

DEFAULT_TIMEOUT = 120.0  # seconds per document
DEFAULT_MEMORY_MB = 2048  # address space of the process reading one document
DEFAULT_MAX_PAGES = 500  # PDF pages, counted from the page tree before anything is read
MAX_ROWS = 5_000  # rows per table
MAX_CELLS = 200_000  # grid positions per table, spans included
MAX_CHARS_PER_PAGE = 200_000  # characters per PDF page, or per HTML/DOCX/text block
MAX_CHARS_PER_FILE = 2_000_000  # characters of an HTML, DOCX or text file (it has no pages)


@dataclass(frozen=True, slots=True)
class Limits:
    """What one document may take. Each field's flag, where it has one, is in FLAGS."""

    timeout: float = DEFAULT_TIMEOUT  # seconds; 0 = none
    memory_mb: int = DEFAULT_MEMORY_MB  # 0 = no cap
    max_pages: int = DEFAULT_MAX_PAGES  # 0 = no limit

    @property
    def isolated(self) -> bool:
        """True when a limit needs the document in a child process (a timeout or a memory cap)."""
        return self.timeout > 0 or self.memory_mb > 0


DEFAULT_LIMITS = Limits()
FLAGS = {"timeout": "--timeout", "memory_mb": "--memory-mb", "max_pages": "--max-pages"}


def timeout_message(path: str, seconds: float) -> str:
    return f"{path}: took more than {seconds:g} s (--timeout)"


def memory_message(path: str, memory_mb: int) -> str:
    limit = f"more than {memory_mb} MB of memory" if memory_mb else "more memory than there is"
    return f"{path}: needed {limit} (--memory-mb)"


def pages_message(path: str, pages: int, max_pages: int) -> str:
    return f"{path}: {pages} pages, over the limit of {max_pages} (--max-pages)"


def check_rows(where: str, rows: int, limit: int = MAX_ROWS) -> None:
    """Raises LimitError when a table has more than `limit` rows (0: no limit)."""
    if limit and rows > limit:
        raise LimitError(f"{where} has {rows:,} rows (limit {limit:,} per table)")


def check_cells(where: str, cells: int, limit: int = MAX_CELLS) -> None:
    """Raises LimitError when a table covers more than `limit` grid positions (0: no limit)."""
    if limit and cells > limit:
        raise LimitError(f"{where} has {cells:,} cells (limit {limit:,} per table)")


def check_chars(where: str, chars: int, limit: int) -> None:
    """Raises LimitError when a page, block or file has more than `limit` characters."""
    if limit and chars > limit:
        raise LimitError(f"{where} has {chars:,} characters (limit {limit:,})")
