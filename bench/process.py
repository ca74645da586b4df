"""`python -m bench.process` (and the whole-process part of `make bench`): what a user waits for.

For each PDF of the bench set, alternating in one session so that load on the machine hits
all alike: `bulletins audit FILE --format json` with the default backend and with
`--backend pdfplumber`, against a bare Python process that opens the file with pdfplumber
and calls `extract_tables()` on every page. Each process is timed by wall clock and by CPU
time (user + system of it and the children it waited for) and its peak RSS, both from GNU
time (`/usr/bin/time`). The ratio of each audit to the bare process is given per file, as
the median over the set, and for every hard shape. Also `bulletins --help` and the import
of `pipeline.cli`.

The bench set is every Nth PDF of corpus/seed and corpus/generated plus the hard shapes, the
corpus PDFs whose truth file holds the widest table, the longest table, the most claims in
the narrative and the most pages. (A table printing two records per row is not in the
corpus.)

Bytecode: an installed wheel carries compiled modules, an editable checkout compiles them on
first import and keeps them, unless PYTHONDONTWRITEBYTECODE is set; then every process
compiles the pipeline again (about 0.3 s). The pipeline is compiled once before timing so
that the figures are those of an installed command.

The machine is shared: the load average before and after is recorded; CPU ratios move less
with it than wall ratios. Prints a summary and writes bench/process.json. Figures only.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.__main__ import ROOT, corpus_pdfs, page_count

OUT = ROOT / "bench" / "process.json"
BIN = Path(sys.executable).parent
BARE = "bare pdfplumber extract_tables()"
PLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    [page.extract_tables() for page in pdf.pages]\n"
)
TIME = "/usr/bin/time"  # GNU time (Debian package `time`)
IMPORT = "import time; t = time.perf_counter(); import pipeline.cli; print(time.perf_counter() - t)"


def commands(path: Path) -> dict[str, list[str]]:
    audit = [str(BIN / "bulletins"), "audit", str(path), "--format", "json"]
    return {
        "audit (default backend)": audit,
        "audit --backend pdfplumber": [*audit, "--backend", "pdfplumber"],
        BARE: [sys.executable, "-c", PLUMBER, str(path)],
    }


def hard_shapes() -> dict[str, Path]:
    """The corpus PDF that is hardest in each way its truth file tells, by name of the way."""
    shapes: dict[str, tuple[int, Path]] = {}
    for truth in sorted((ROOT / "corpus").glob("generated*/*.truth.json")):
        pdf = truth.with_name(truth.name.replace(".truth.json", ".pdf"))
        if not pdf.exists():
            continue
        data = json.loads(truth.read_text(encoding="utf-8"))
        tables = [t for t in data.get("tables", []) if "columns" in t]
        sizes = {
            "widest table (columns)": max((len(t["columns"]) for t in tables), default=0),
            "longest table (rows)": max((len(t["body_rows"]) for t in tables), default=0),
            "longest narrative (claims)": len(data.get("claims", [])),
            "most pages": int(data.get("pages") or 0),
        }
        for name, size in sizes.items():
            if size > shapes.get(name, (0, pdf))[0]:
                shapes[name] = (size, pdf)
    return {name: pdf for name, (_, pdf) in shapes.items()}


def measure(argv: Sequence[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (its own and its waited-for children's) and peak RSS in MB.

    Through GNU time: Linux carries a parent's peak RSS over into a child's `ru_maxrss`
    across fork and exec, so this process (the pipeline imported) would mask a smaller one.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        start = time.perf_counter()
        subprocess.run(
            [TIME, "-f", "%U %S %M", "-o", out.name, *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        wall = time.perf_counter() - start
        user, system, kib = out.read().split()[-3:]
    return wall, float(user) + float(system), int(kib) / 1024


def startup(repeat: int) -> dict[str, float]:
    helps = [measure([str(BIN / "bulletins"), "--help"])[0] for _ in range(repeat)]
    imports = [
        float(subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True).stdout)
        for _ in range(repeat)
    ]
    return {
        "bulletins --help (s, median)": round(statistics.median(helps), 3),
        "import pipeline.cli (s, median)": round(statistics.median(imports), 3),
    }


def run_all(pdfs: Sequence[Path], repeat: int) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Best (least) wall and CPU time and the peak RSS of each command on each file."""
    runs: dict[str, dict[str, list[tuple[float, float, float]]]] = {}
    for r in range(repeat):
        for path in pdfs:
            timed = list(commands(path).items())
            for name, argv in timed if r % 2 == 0 else reversed(timed):
                runs.setdefault(name, {}).setdefault(_key(path), []).append(measure(argv))
            print(f"bench.process: {_key(path)}", file=sys.stderr, flush=True)
    return {
        name: {
            f: (min(m[0] for m in ms), min(m[1] for m in ms), max(m[2] for m in ms))
            for f, ms in per.items()
        }
        for name, per in runs.items()
    }


def _key(path: Path) -> str:
    return str(path.relative_to(ROOT / "corpus"))


def ratios(best: dict[str, dict[str, tuple[float, float, float]]], which: int) -> dict[str, Any]:
    """Each audit over the bare process per file (`which`: 0 wall, 1 CPU)."""
    bare = best[BARE]
    return {
        name: {f: round(t[which] / bare[f][which], 2) for f, t in per.items()}
        for name, per in best.items()
        if name != BARE
    }


def summarize(per_file: dict[str, dict[str, float]], hard: dict[str, Path]) -> dict[str, Any]:
    return {
        name: {
            "median": round(statistics.median(r.values()), 2),
            "worst": round(max(r.values()), 2),
            "hard_shapes": {shape: r[_key(pdf)] for shape, pdf in hard.items()},
        }
        for name, r in per_file.items()
    }


def process_figures(every: int = 6, repeat: int = 2) -> dict[str, Any]:
    """All the figures of the module docstring, as bench/latest.json records them."""
    compileall.compile_dir(ROOT / "pipeline", quiet=1)
    hard = hard_shapes()
    pdfs = list(dict.fromkeys([*corpus_pdfs()[::every], *hard.values()]))
    load_before = os.getloadavg()
    best = run_all(pdfs, repeat)
    wall, cpu = ratios(best, 0), ratios(best, 1)
    return {
        "files": len(pdfs),
        "pages": sum(page_count(p) for p in pdfs),
        "repeat": repeat,
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "hard_shapes": {shape: _key(pdf) for shape, pdf in hard.items()},
        "startup": startup(5),
        "ratio_to_bare_pdfplumber_wall": summarize(wall, hard),
        "ratio_to_bare_pdfplumber_cpu": summarize(cpu, hard),
        "seconds_per_file_median_wall": {
            n: round(statistics.median(t[0] for t in per.values()), 3) for n, per in best.items()
        },
        "peak_rss_mb_max": {
            n: round(max(t[2] for t in per.values()), 1) for n, per in best.items()
        },
        "per_file": {
            n: {f: {"wall_s": round(t[0], 3), "cpu_s": round(t[1], 3)} for f, t in per.items()}
            for n, per in best.items()
        },
        "per_file_ratio_wall": wall,
        "per_file_ratio_cpu": cpu,
    }


def render_process(report: dict[str, Any]) -> str:
    lines = [
        f"whole processes: {report['files']} PDFs, {report['pages']} pages, best of "
        f"{report['repeat']}; load average {report['load_average_before_after']}",
        f"startup: {json.dumps(report['startup'])}",
    ]
    for kind in ("wall", "cpu"):
        for name, s in report[f"ratio_to_bare_pdfplumber_{kind}"].items():
            shapes = ", ".join(f"{k.split(' (')[0]} {v}" for k, v in s["hard_shapes"].items())
            lines.append(
                f"  {name} / bare pdfplumber ({kind}): median {s['median']}x, worst "
                f"{s['worst']}x; hard shapes: {shapes}"
            )
    lines.append(f"peak RSS (MB): {json.dumps(report['peak_rss_mb_max'])}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.process", description=__doc__)
    parser.add_argument("--every", type=int, default=6, help="every Nth corpus PDF (default 6)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds over the files")
    parser.add_argument("--json", type=Path, default=OUT)
    args = parser.parse_args(argv)
    report = {
        "schema": "bulletins.bench-process/2",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        **process_figures(args.every, args.repeat),
    }
    print(render_process(report))
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
