"""`python -m bench.outputs`: the audit JSON of every corpus file, to compare before and after.

A speed-up must keep every output byte-identical. `--write DIR` stores the line
`bulletins audit FILE --format json` prints (`pipeline.audit(FILE).to_json()`, the same
text, in one process) for every PDF, HTML, DOCX and text file under corpus/; `--check DIR`
recomputes them and lists the files whose JSON differs. Exit 1 when any differs.

The audit JSON names no backend (the document JSON of `bulletins extract` does), so a store
written with `--backend pdfplumber` checks the default pdfium backend byte for byte too.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.__main__ import ROOT
from pipeline.extract.backends import DEFAULT_BACKEND

SUFFIXES = (".pdf", ".html", ".docx", ".txt")


def corpus_files(root: Path = ROOT / "corpus", *, scans: bool = True) -> list[Path]:
    """Every bulletin under `root` (the generator's own folder holds no bulletins)."""
    found = [
        p
        for p in sorted(root.rglob("*"))
        if p.suffix in SUFFIXES and "generate" not in p.relative_to(root).parts[:1]
    ]
    return [p for p in found if scans or "scans" not in p.parts]


def audit_json(path: Path, backend: str) -> str:
    import pipeline

    return pipeline.audit(path, backend=backend).to_json()


def _stored(out: Path, path: Path) -> Path:
    return out / (str(path.relative_to(ROOT / "corpus")) + ".json")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.outputs", description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, metavar="DIR")
    mode.add_argument("--check", type=Path, metavar="DIR")
    parser.add_argument("--backend", default=DEFAULT_BACKEND)
    parser.add_argument("--no-scans", action="store_true", help="leave out the OCR'd scans")
    args = parser.parse_args(argv)
    differ = []
    files = corpus_files(scans=not args.no_scans)
    for n, path in enumerate(files, 1):
        start = time.perf_counter()
        text = audit_json(path, args.backend)
        took = time.perf_counter() - start
        stored = _stored(args.write or args.check, path)
        if args.write:
            stored.parent.mkdir(parents=True, exist_ok=True)
            stored.write_text(text, encoding="utf-8")
        elif not stored.exists() or stored.read_text(encoding="utf-8") != text:
            differ.append(path)
        print(f"{n}/{len(files)} {path.relative_to(ROOT)} {took:.2f} s", file=sys.stderr)
    for path in differ:
        print(f"differs: {path.relative_to(ROOT)}")
    if args.check:
        print(f"{len(files) - len(differ)}/{len(files)} identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
