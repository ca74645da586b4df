"""Generate an archive of bulletins with their truth.

    python -m corpus.generate --out corpus/generated --n 60 --seed 2026 [--keep-sources]
    python -m corpus.generate --out corpus/generated-growth --first 61 --n 12 --seed 2026 \
        --focus growth,text_rate_table

`make_archive(n, seed)` (build.py) makes the bulletins; each is rendered by its producer
(DOCX or HTML through LibreOffice, converted in batches, or reportlab), then its PDF is read
back with pdfplumber to count the pages and to find the page of each injected error. Writes
<id>.pdf, <id>.truth.json (spec.truth_json) and, for the html producer, <id>.html; the DOCX
sources only with --keep-sources. The same first, n, seed and focus give the same text and
truth; --first continues the numbering (gen-<first>...), --focus tries those error types
first in every document that gets errors (inject.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from corpus.generate import locate
from corpus.generate.spec import ERROR_TYPES, OPT_IN_TYPES, Bulletin, truth_json

CHUNK = 200  # bulletins rendered per round, so a large archive never holds all its sources


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _renderer(producer: str):
    if producer == "docx":
        from corpus.generate import render_docx as mod
    elif producer == "html":
        from corpus.generate import render_html as mod
    elif producer == "reportlab":
        from corpus.generate import render_reportlab as mod
    else:
        raise SystemExit(f"unknown producer {producer!r}")
    return mod


def _clear(out: Path) -> None:
    """Remove what an earlier run wrote here (files beside a .truth.json), nothing else."""
    for truth in out.glob("*.truth.json"):
        stem = truth.name.removesuffix(".truth.json")
        for suffix in (".pdf", ".html", ".docx"):
            (out / f"{stem}{suffix}").unlink(missing_ok=True)
        truth.unlink()


def _finish(b: Bulletin, pdf: Path, out: Path) -> int:
    texts = locate.page_texts(pdf)
    locate.fill_pages(b, texts)
    if b.producer == "html":  # LibreOffice's HTML import prints every page portrait
        for t in b.tables:
            t.layout.landscape = False
    missing = [e.type for e in b.errors if e.page is None]
    if missing:
        _log(f"  {b.id}: no page found for {', '.join(missing)}")
    truth = json.dumps(truth_json(b, len(texts)), ensure_ascii=False, indent=1)
    (out / f"{b.id}.truth.json").write_text(truth + "\n", encoding="utf-8")
    return len(texts)


def generate(
    out: Path,
    n: int,
    seed: int,
    keep_sources: bool = False,
    *,
    first: int = 1,
    focus: tuple[str, ...] = (),
    producer: str | None = None,
) -> list[Bulletin]:
    try:
        from corpus.generate.build import make_archive
    except ImportError as exc:
        raise SystemExit(f"corpus/generate/build.py is missing or broken: {exc}") from exc
    start = time.monotonic()
    bulletins = make_archive(n, seed, first=first, focus=focus, producer=producer)  # type: ignore[arg-type]
    _log(f"built {len(bulletins)} bulletins in {time.monotonic() - start:.1f} s")
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    pages = done = 0
    for first in range(0, len(bulletins), CHUNK):
        chunk = bulletins[first : first + CHUNK]
        for producer in ("docx", "html", "reportlab"):
            group = [b for b in chunk if b.producer == producer]
            if not group:
                continue
            t0 = time.monotonic()
            pdfs = _renderer(producer).render(group, out, keep_sources=keep_sources)
            for b, pdf in zip(group, pdfs, strict=True):
                pages += _finish(b, pdf, out)
            done += len(group)
            took = time.monotonic() - t0
            _log(f"[{done}/{len(bulletins)}] {len(group)} {producer} in {took:.1f} s")
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    took = time.monotonic() - start
    _log(f"done: {len(bulletins)} bulletins, {pages} pages, {size / 1e6:.1f} MB in {out}, "
         f"{took:.1f} s")  # fmt: skip
    return bulletins


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=Path("corpus/generated"))
    parser.add_argument("--n", type=int, default=60, help="number of bulletins")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--first", type=int, default=1, help="number of the first bulletin")
    parser.add_argument(
        "--focus", default="", help="error types to inject first, comma-separated (e.g. growth)"
    )
    parser.add_argument(
        "--producer",
        choices=("docx", "html", "reportlab"),
        default=None,
        help="render every bulletin with this producer instead of the one drawn",
    )
    parser.add_argument("--keep-sources", action="store_true", help="keep the .docx files")
    args = parser.parse_args(argv)
    focus = tuple(t for t in args.focus.split(",") if t)
    known = ERROR_TYPES + OPT_IN_TYPES
    unknown = [t for t in focus if t not in known]
    if unknown:
        parser.error(f"--focus: unknown error type {unknown[0]!r} (known: {', '.join(known)})")
    if args.first < 1 or args.n < 0:
        parser.error("--first must be at least 1 and --n at least 0")
    generate(
        args.out,
        args.n,
        args.seed,
        args.keep_sources,
        first=args.first,
        focus=focus,
        producer=args.producer,
    )


if __name__ == "__main__":
    main()
