"""The installed package, not the checkout: `make test-installed` (part of `make test`).

Builds the wheel from a copy of the sources, installs it with the versions of
requirements.lock into a fresh virtualenv in a temporary folder, and from another folder
runs `bulletins audit --format json` on corpus/seed/*.pdf. The JSON must equal what the
checkout prints, the source path aside. Without extras, asking for camelot must print the
one line that names the extra. `--extras` also installs `[all]` and audits with camelot.
Prints the installed size. Exit status 0 when all holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_packaging import build_wheel  # noqa: E402

LOCK = ROOT / "requirements.lock"
SEEDS = sorted((ROOT / "corpus" / "seed").glob("*.pdf"))


def run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def must(cmd: list[str], cwd: Path | None = None) -> str:
    proc = run(cmd, cwd)
    if proc.returncode != 0:
        sys.exit(f"check_installed: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout


def audits(bulletins: list[str], cwd: Path, *options: str) -> list[dict[str, Any]]:
    """One audit per seed, each without the path it was given."""
    proc = run([*bulletins, "audit", "--format", "json", *options, *map(str, SEEDS)], cwd)
    if proc.returncode not in (0, 1):
        sys.exit(f"check_installed: audit exited {proc.returncode}:\n{proc.stderr}")
    found = [json.loads(line) for line in proc.stdout.splitlines()]
    for data in found:
        data["document"].pop("source")
    return found


def size_mb(venv: Path) -> float:
    total = sum(p.stat().st_size for p in venv.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1e6


def largest(venv: Path, n: int = 8) -> str:
    """The n largest entries of site-packages, "pyarrow 170 MB, ..."."""
    (site,) = venv.glob("lib/python*/site-packages")
    sizes = {entry.name: size_mb(entry) if entry.is_dir() else 0.0 for entry in site.iterdir()}
    top = sorted(sizes.items(), key=lambda kv: -kv[1])[:n]
    return ", ".join(f"{name} {mb:.0f}" for name, mb in top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", action="store_true", help="also install [all] and check it")
    args = parser.parse_args()
    expected = audits([sys.executable, "-m", "pipeline"], ROOT)
    expected_camelot = (
        audits([sys.executable, "-m", "pipeline"], ROOT, "--backend", "camelot-lattice")
        if args.extras
        else []
    )
    with tempfile.TemporaryDirectory(prefix="bulletins-installed-") as tmp:
        work = Path(tmp)
        start = time.monotonic()
        wheel = build_wheel(work / "dist")
        venv = work / "venv"
        must([sys.executable, "-m", "venv", str(venv)])
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile"]
        must([*pip, "--disable-pip-version-check", "-c", str(LOCK), str(wheel)])
        elsewhere = work / "elsewhere"
        elsewhere.mkdir()
        bulletins = [str(venv / "bin" / "bulletins")]
        failures = []
        if audits(bulletins, elsewhere) != expected:
            failures.append("the installed package's audit JSON differs from the checkout's")
        lacking = run(
            [*bulletins, "audit", "--backend", "camelot-lattice", str(SEEDS[0])], elsewhere
        )
        hint = (
            "bulletins: --backend camelot-lattice needs the extra: "
            "pip install 'bulletins-audit[camelot]'\n"
        )
        if lacking.returncode != 2 or lacking.stderr != hint:
            failures.append(f"without [camelot]: exit {lacking.returncode}, {lacking.stderr!r}")
        print(
            f"installed without extras: {size_mb(venv):.0f} MB, "
            f"{time.monotonic() - start:.1f} s to build, install and audit (no .pyc files)\n"
            f"  largest (MB): {largest(venv)}"
        )
        if args.extras:
            must([*pip, "-c", str(LOCK), f"{wheel}[all]"])
            if audits(bulletins, elsewhere, "--backend", "camelot-lattice") != expected_camelot:
                failures.append("with [camelot]: the audit JSON differs from the checkout's")
            print(f"installed with [all]: {size_mb(venv):.0f} MB\n  largest (MB): {largest(venv)}")
    for failure in failures:
        print(f"check_installed: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
