"""The limits every document runs under, in one place for `build`, `audit`, `extract` and the API.

Two kinds. The process limits (time, memory, pages) need the document to run in a child
process that can be killed or whose address space is capped: `pipeline.isolate` runs
one document so, and the archive's pool runs many. The shape limits (rows and cells per
table, characters per page, digits per number) are cheap checks the readers and the number
parser make in-process, so that a table of 20,000 rows or a page of millions of characters
is refused at once with one line instead of feeding a layout step whose cost grows faster
than its input. A table or page past a shape limit is skipped and named in a warning
(PAGE001) when the rest of the document can be read; the document fails only when nothing
is left.

The shape checks sit deep inside the readers and the number parser, so the limits of the
document being read are the *active* ones (`active()`), set around one document's work with
`applied(limits)`: by the child process of `audit` and `extract`, by the archive's worker, by
`pipeline.open` and `pipeline.audit`, and by `gazetteer build`. Outside, the defaults hold.

The OCR budget is a third kind: CPU seconds that reading scanned pages may spend on one
document, counted in the reading process itself (`extract.ocr_page.PageOcr`). Pages that
need OCR once it is spent are left out and named (PAGE001), so a damaged PDF of many image
pages costs a bounded time and still says what was not read.

Defaults are sized for real bulletins: a monthly 12345 report is 2-30 pages, its largest
table a few hundred rows, a page a few thousand characters. 0 means no limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from pipeline.errors import ConfigError, LimitError

DEFAULT_TIMEOUT = 120.0  # seconds per document
DEFAULT_MEMORY_MB = 2048  # address space of the process reading one document
DEFAULT_MAX_PAGES = 500  # PDF pages, counted from the page tree before anything is read
# CPU seconds OCR may spend on one document: about 40 scanned pages at 1.5 s a page, and
# well inside DEFAULT_TIMEOUT, so a long scan ends with its last pages named as unread
# (PAGE001) instead of the whole document timing out (docs/limits.md).
DEFAULT_OCR_BUDGET = 60.0
MAX_ROWS = 5_000  # rows per table
MAX_CELLS = 200_000  # grid positions per table, spans included
MAX_CHARS_PER_PAGE = 200_000  # characters per PDF page, or per HTML/DOCX/text block
MAX_CHARS_PER_FILE = 2_000_000  # characters of an HTML, DOCX or text file (it has no pages)
# More significant digits than this is text, not a count: an ID, or two numbers run together
# when extraction lost the space between them (docs/audit.md); 15 is float-safe.
MAX_DIGITS = 15


@dataclass(frozen=True, slots=True)
class Limits:
    """What one document may take. Each field's flag is in FLAGS; 0 turns a limit off.

    Raises ConfigError for a negative, infinite or NaN value.
    """

    timeout: float = DEFAULT_TIMEOUT  # seconds; 0 = none
    memory_mb: int = DEFAULT_MEMORY_MB  # 0 = no cap
    max_pages: int = DEFAULT_MAX_PAGES  # 0 = no limit
    ocr_budget: float = DEFAULT_OCR_BUDGET  # CPU seconds of OCR per document; 0 = none
    max_rows: int = MAX_ROWS  # rows per table
    max_cells: int = MAX_CELLS  # grid positions per table, spans included
    max_chars: int = MAX_CHARS_PER_PAGE  # characters per PDF page or HTML/DOCX/text block
    max_digits: int = MAX_DIGITS  # significant digits of a number (more: text)

    def __post_init__(self) -> None:
        for name in FLAGS:
            value = getattr(self, name)
            if not value >= 0 or value == float("inf"):  # `not >=` also catches NaN
                raise ConfigError(f"limit {name} must be a number >= 0 (0: none), not {value}")

    @property
    def isolated(self) -> bool:
        """True when a limit needs the document in a child process (a timeout or a memory cap)."""
        return self.timeout > 0 or self.memory_mb > 0


FLAGS = {
    "timeout": "--timeout",
    "memory_mb": "--memory-mb",
    "max_pages": "--max-pages",
    "ocr_budget": "--ocr-budget",
    "max_rows": "--max-rows",
    "max_cells": "--max-cells",
    "max_chars": "--max-chars",
    "max_digits": "--max-digits",
}
DEFAULT_LIMITS = Limits()
_ACTIVE: ContextVar[Limits] = ContextVar("bulletins_limits", default=DEFAULT_LIMITS)


def active() -> Limits:
    """The limits of the document being read (the defaults outside `applied`)."""
    return _ACTIVE.get()


@contextmanager
def applied(limits: Limits) -> Iterator[Limits]:
    """Make `limits` the active ones for the work inside the block."""
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)


def timeout_message(path: str, seconds: float) -> str:
    return f"{path}: took more than {seconds:g} s (--timeout)"


def memory_message(path: str, memory_mb: int) -> str:
    limit = f"more than {memory_mb} MB of memory" if memory_mb else "more memory than there is"
    return f"{path}: needed {limit} (--memory-mb)"


def pages_message(path: str, pages: int, max_pages: int) -> str:
    return f"{path}: {pages} pages, over the limit of {max_pages} (--max-pages)"


def ocr_budget_reason(seconds: float) -> str:
    """Why a page was not OCR'd: the document's OCR budget was spent before or on it."""
    return f"needs OCR past the document's OCR budget of {seconds:g} s CPU (--ocr-budget)"


NOT_READ = ", not read"  # ends the reason of a page or block left out past a shape limit


def past(where: str, count: int, what: str, field: str) -> str | None:
    """`table on p.3 has 20,000 rows (limit 5,000; --max-rows)` when `count` is over the
    active limit `field`, else None."""
    limit: int = getattr(active(), field)
    if limit and count > limit:
        return f"{where} has {count:,} {what} (limit {limit:,}; {FLAGS[field]})"
    return None


def check(where: str, count: int, what: str, field: str) -> None:
    """Raises LimitError with `past`'s line when `count` is over the active limit `field`."""
    message = past(where, count, what, field)
    if message:
        raise LimitError(message)


def check_file_chars(where: str, chars: int) -> None:
    """Raises LimitError when a file without pages (HTML, DOCX, text) is too long to read."""
    if chars > MAX_CHARS_PER_FILE:
        raise LimitError(f"{where} has {chars:,} characters (limit {MAX_CHARS_PER_FILE:,})")
