"""OCR speed and memory on the scanned copies (corpus/scans): `python -m bench.ocr`.

Each scan is read by `read_document` (OCR with the default engine) in a fresh worker
started with `spawn`, so the figures are those of one archive worker: the engine is
made first (loading the models is reported on its own), then the document is read and
its pages timed in wall-clock and CPU seconds (CPU: what one core spent, which the
other jobs on a shared machine do not inflate), and the worker's peak RSS is noted.
Writes the "ocr" part of bench/latest.json and leaves the rest as it was.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "corpus" / "scans"
LATEST = ROOT / "bench" / "latest.json"


def _read_in_worker(path: str) -> dict[str, float]:
    from pipeline.extract import read_document
    from pipeline.extract.ocr import DEFAULT_OCR, ocr_engine

    start = time.perf_counter()
    ocr_engine(DEFAULT_OCR)
    load = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    pages = read_document(Path(path)).pages
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "pages": pages,
        "model_load_s": round(load, 2),
        "wall_s_per_page": round(wall / pages, 2),
        "cpu_s_per_page": round(cpu / pages, 2),
        "peak_rss_mb": round(peak, 1),
    }


def scan_figures(path: Path) -> dict[str, float]:
    """The figures of reading one scan in a fresh spawned worker."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_read_in_worker, str(path)).result()


def ocr_figures(root: Path = SCANS) -> dict[str, Any]:
    """Per scan and per dpi group: seconds a page (wall, CPU) and peak RSS per worker."""
    from pipeline.extract.ocr import DEFAULT_OCR, DET_DPI
    from pipeline.extract.raster import OCR_DPI

    manifest = json.loads((root / "scans.json").read_text(encoding="utf-8"))["scans"]
    documents = {}
    for entry in manifest:
        print(f"bench.ocr: {entry['id']} ...", file=sys.stderr, flush=True)
        documents[entry["id"]] = {
            "dpi": entry["dpi"],
            "group": group_of(entry),
            **scan_figures(root / entry["pdf"]),
        }
    return {
        "engine": DEFAULT_OCR,
        "render_dpi": OCR_DPI,
        "detection_dpi": DET_DPI,
        "documents": documents,
        "by_group": by_group(documents),
    }


def group_of(entry: dict[str, Any]) -> str:
    """The scan's group as `make eval` scores it: scans by dpi, the copies without
    /ToUnicode and with drawn glyphs apart (eval.scans.group_of)."""
    kind = entry.get("kind", "scan")
    return f"{entry['dpi']} dpi" if kind == "scan" else str(kind)


def by_group(documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for figures in documents.values():
        groups.setdefault(figures["group"], []).append(figures)
    return {name: _group(members) for name, members in sorted(groups.items())}


def _group(members: Sequence[dict[str, Any]]) -> dict[str, float]:
    pages = sum(m["pages"] for m in members)
    return {
        "pages": pages,
        "wall_s_per_page": round(
            sum(m["wall_s_per_page"] * m["pages"] for m in members) / pages, 2
        ),
        "cpu_s_per_page": round(sum(m["cpu_s_per_page"] * m["pages"] for m in members) / pages, 2),
        "peak_rss_mb": max(m["peak_rss_mb"] for m in members),
    }


def render(figures: dict[str, Any]) -> str:
    lines = [
        f"OCR ({figures['engine']}, pages rendered at {figures['render_dpi']} dpi, "
        f"detection at {figures['detection_dpi']} dpi), one worker per scan:",
        f"  {'group':<14} {'pages':>5} {'CPU s/page':>10} {'wall s/page':>11} {'peak RSS MB':>11}",
    ]
    for name, g in figures["by_group"].items():
        lines.append(
            f"  {name:<14} {g['pages']:>5} {g['cpu_s_per_page']:>10.2f} "
            f"{g['wall_s_per_page']:>11.2f} {g['peak_rss_mb']:>11.1f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__)
    parser.add_argument("--json", type=Path, default=LATEST, help="the bench file to update")
    args = parser.parse_args(argv)
    figures = ocr_figures()
    print(render(figures))
    report = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    report["ocr"] = figures
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"bench.ocr: wrote the ocr part of {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
