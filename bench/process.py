"""`python -m bench.process`: what a user waits for, as whole processes.

For each PDF, alternating in one session so that load on the machine hits both
alike: `bulletins audit FILE --format json` (with `--backend` pdfplumber and
pdfium) against a bare Python process that opens the file with pdfplumber and
calls `extract_tables()` on every page. Also `bulletins --help` and the import
of `pipeline.cli`. Prints a table and writes bench/process.json. Figures only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.__main__ import ROOT, corpus_pdfs, page_count

OUT = ROOT / "bench" / "process.json"
BIN = Path(sys.executable).parent
PLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    [page.extract_tables() for page in pdf.pages]\n"
)
IMPORT = "import time; t = time.perf_counter(); import pipeline.cli; print(time.perf_counter() - t)"


def commands(path: Path) -> dict[str, list[str]]:
    audit = [str(BIN / "bulletins"), "audit", str(path), "--format", "json"]
    return {
        "audit (pdfplumber)": [*audit, "--backend", "pdfplumber"],
        "audit (pdfium)": [*audit, "--backend", "pdfium"],
        "bare pdfplumber extract_tables()": [sys.executable, "-c", PLUMBER, str(path)],
    }


def wall(argv: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def startup(repeat: int) -> dict[str, float]:
    helps = [wall([str(BIN / "bulletins"), "--help"]) for _ in range(repeat)]
    imports = [
        float(subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True).stdout)
        for _ in range(repeat)
    ]
    return {
        "bulletins --help (s, median)": round(statistics.median(helps), 3),
        "import pipeline.cli (s, median)": round(statistics.median(imports), 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.process", description=__doc__)
    parser.add_argument("--every", type=int, default=6, help="every Nth corpus PDF (default 6)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the files")
    parser.add_argument("--json", type=Path, default=OUT)
    args = parser.parse_args(argv)
    pdfs = corpus_pdfs()[:: args.every]
    runs: dict[str, dict[str, list[float]]] = {}
    for r in range(args.repeat):
        for path in pdfs:
            timed = list(commands(path).items())
            for name, argv_ in timed if r % 2 == 0 else reversed(timed):
                runs.setdefault(name, {}).setdefault(path.name, []).append(wall(argv_))
            print(f"bench.process: {path.name}", file=sys.stderr, flush=True)
    best = {n: {f: min(ts) for f, ts in per.items()} for n, per in runs.items()}
    bare = best["bare pdfplumber extract_tables()"]
    report: dict[str, Any] = {
        "schema": "bulletins.bench-process/1",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "files": len(pdfs),
        "pages": sum(page_count(p) for p in pdfs),
        "startup": startup(5),
        "seconds_per_file_median": {
            n: round(statistics.median(t.values()), 3) for n, t in best.items()
        },
        "ratio_to_bare_pdfplumber_median": {
            n: round(statistics.median(t[f] / bare[f] for f in t), 2) for n, t in best.items()
        },
        "ratio_to_bare_pdfplumber_worst": {
            n: round(max(t[f] / bare[f] for f in t), 2) for n, t in best.items()
        },
        "per_file_seconds": {
            n: {f: round(t, 3) for f, t in per.items()} for n, per in best.items()
        },
    }
    for key in ("startup", "seconds_per_file_median", "ratio_to_bare_pdfplumber_median"):
        print(key, json.dumps(report[key], ensure_ascii=False))
    print("ratio_to_bare_pdfplumber_worst", json.dumps(report["ratio_to_bare_pdfplumber_worst"]))
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
