"""Where OCR's time goes, per stage: `python -m bench.ocr_stages [--only ID,...]`.

Each scan of corpus/scans is read by `read_document` in this one process (the engine
made first), with the stages of `ocr_page.PageOcr.read` wrapped in CPU-time counters:
render, deskew, detect, recognise (every recognizer call: detected lines, grid cells,
re-reads and empty cells), grid (cells and their lines found from the rulings),
rulings, tables (pdfplumber's finder on the rulings and the table readers), and the
rest of `read_document` (lines, sections, stitching). Prints CPU seconds a page per
dpi group; the figures are what one core spent, whatever the machine's load.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from bench.ocr import SCANS

# (module, class or "", attribute, stage): functions as ocr_page calls them, wrapped by
# name; one the code does not have (yet, or any more) is skipped.
WRAPPED = (
    ("pipeline.extract.ocr_page", "", "render_page", "render"),
    ("pipeline.extract.ocr_page", "", "deskew", "deskew"),
    ("pipeline.extract.ocr_page", "", "find_rulings", "rulings"),
    ("pipeline.extract.ocr_page", "", "ruled_tables", "tables"),
    ("pipeline.extract.ocr_page", "", "page_tables", "tables"),
    ("pipeline.extract.ocr_page", "", "grid_lines", "grid"),
    ("pipeline.extract.ocr", "RapidOcr", "detect", "detect"),
    ("pipeline.extract.ocr_rec", "LineRecognizer", "read", "recognise"),
)


class Clock:
    """CPU seconds per stage; a stage called inside another counts only for the outer."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._depth = 0

    def wrap(self, fn: Callable[..., Any], stage: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] += time.process_time() - start
                self._depth -= 1

        return timed


@contextmanager
def wrapped(clock: Clock) -> Iterator[None]:
    import importlib

    saved = []
    for module, cls, name, stage in WRAPPED:
        owner: Any = importlib.import_module(module)
        if cls:
            owner = getattr(owner, cls)
        if not hasattr(owner, name):
            continue
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, clock.wrap(getattr(owner, name), stage))
    try:
        yield
    finally:
        for owner, name, fn in reversed(saved):
            setattr(owner, name, fn)


def stage_figures(ids: set[str] | None) -> dict[str, dict[str, float]]:
    """CPU seconds a page per stage, per dpi group (and the copies without /ToUnicode)."""
    from pipeline.extract import read_document
    from pipeline.extract.ocr import DEFAULT_OCR, ocr_engine

    ocr_engine(DEFAULT_OCR)
    manifest = json.loads((SCANS / "scans.json").read_text(encoding="utf-8"))["scans"]
    groups: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for entry in manifest:
        if ids is not None and entry["id"] not in ids:
            continue
        clock = Clock()
        with wrapped(clock):
            start = time.process_time()
            pages = read_document(SCANS / entry["pdf"]).pages
            total = time.process_time() - start
        group = groups[
            f"{entry['dpi']} dpi" if entry.get("kind", "scan") == "scan" else entry["kind"]
        ]
        group["pages"] += pages
        for stage, seconds in clock.seconds.items():
            group[stage] += seconds
        group["rest"] += total - sum(clock.seconds.values())
        group["total"] += total
        print(f"bench.ocr_stages: {entry['id']} {total / pages:.2f} s/page", file=sys.stderr)
    return {
        name: {k: round(v / g["pages"], 3) if k != "pages" else v for k, v in g.items()}
        for name, g in sorted(groups.items())
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr_stages", description=__doc__)
    parser.add_argument("--only", default=None, help="comma-separated scan ids")
    args = parser.parse_args(argv)
    figures = stage_figures(set(args.only.split(",")) if args.only else None)
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
