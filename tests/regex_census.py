"""Every regular expression the pipeline compiles, as JSON lines on stdout (`python -m
tests.regex_census`), and a probe that times each against hostile strings (`--probe`).

A census by name would miss the patterns built at run time (from vocabularies in
pipeline/data, from lists of units or department suffixes), so `re._compile`, which every
`re.compile`, `re.search`, `re.sub`, ... goes through, is wrapped before pipeline is
imported: every pattern compiled from a frame of a pipeline module is kept. Then every
pipeline module is imported and the corpus's own bulletins (the seed in its four formats and
the pattern fixtures) are audited, which builds the vocabulary patterns the way a run does.

Each line: {"pattern": ..., "flags": int, "module": "pipeline.x.y"}. A str pattern only
(the pipeline has no bytes patterns to keep).

`--probe` reads such lines on stdin and searches each pattern (with `finditer`, as the
pipeline's own loops do) in each of HOSTILE's strings, printing one JSON line per pair
before (`"start"`) and after (`"seconds"`), flushed: a pattern that never returns leaves
its start line last, and the caller's timeout names it.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
N = 50_000  # characters of each hostile string
HOSTILE = {
    "digits": "1" * N,
    "digits-then-x": "1" * (N - 1) + "x",
    "fullwidth-digits": "１" * N,
    "digit-dots": "1." * (N // 2),
    "digit-commas": "1," * (N // 2),
    "percent-run": "1%" * (N // 2),
    "cjk-commas": "，" * N,
    "dashes": "-" * N,
    "spaces": " " * N,
    "cjk-numerals": "一" * N,
    "parens": "（" * N,
    "ranks": "第1名" * (N // 3),
    "counts": "受理1件，" * (N // 5),
    "letters": "a" * N,
    "newlines": "1\n" * (N // 2),
}


def _caller_module() -> str:
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") in ("re", "functools"):
        frame = frame.f_back  # type: ignore[assignment]
    return str(frame.f_globals.get("__name__", "")) if frame is not None else ""


def census() -> dict[tuple[str, int], str]:
    """(pattern, flags) -> the pipeline module that compiled it first."""
    seen: dict[tuple[str, int], str] = {}
    compile_one = re._compile  # type: ignore[attr-defined]

    def recording(pattern: Any, flags: Any) -> Any:
        compiled = compile_one(pattern, flags)
        module = _caller_module()
        if module.startswith("pipeline") and isinstance(compiled.pattern, str):
            seen.setdefault((compiled.pattern, compiled.flags), module)
        return compiled

    re._compile = recording  # type: ignore[attr-defined]
    _import_all()
    _run_corpus()
    return seen


def _import_all() -> None:
    import importlib
    import pkgutil

    import pipeline

    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)


def _run_corpus() -> None:
    import pipeline

    seed = sorted((ROOT / "corpus" / "seed").glob("jintai_2023_02_hotline_bulletin.*"))
    patterns = sorted((ROOT / "corpus" / "patterns").rglob("*.txt"))
    for path in [p for p in seed if p.suffix != ".json"] + patterns:
        pipeline.audit(path, ocr="off")


def probe(lines: Iterator[str]) -> None:
    for line in lines:
        item = json.loads(line)
        compiled = re.compile(item["pattern"], item["flags"])
        for name, text in HOSTILE.items():
            print(json.dumps({**item, "text": name, "start": True}), flush=True)
            start = time.process_time()
            for _ in compiled.finditer(text):
                pass
            took = time.process_time() - start
            print(json.dumps({**item, "text": name, "seconds": round(took, 4)}), flush=True)


def main() -> None:
    if sys.argv[1:] == ["--probe"]:
        probe(iter(sys.stdin))
        return
    found = census()
    for (pattern, flags), module in sorted(found.items(), key=lambda kv: (kv[1], kv[0])):
        item = {"pattern": pattern, "flags": flags, "module": module}
        print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main()
