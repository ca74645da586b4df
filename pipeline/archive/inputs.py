"""Command-line INPUTs (files, folders, globs) to the list of files a build will account for.

Policy: a folder is walked recursively and a glob is expanded, and in both a file whose
suffix no reader knows is ignored (archives hold .truth.json, images, notes). A file
named explicitly is always accounted for: an unknown suffix or a missing file becomes
a failed manifest row, never a silent omission. The output folder is never read: a file or
folder named on the command line that sits in it is an error (`inputs_outside`); a folder or
glob that reaches into it leaves it out.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.extract import READERS

SUPPORTED = tuple(sorted(READERS))
MISSING = "no such file"
NO_MATCH = "no file matches this pattern"


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to account for; `problem` says why it cannot be processed (None: it can)."""

    path: Path
    format: str  # the suffix without its dot, lower case ("pdf"); "" when there is none
    sha256: str | None
    problem: str | None = None


def collect_inputs(specs: Sequence[str], *, exclude: Path | None = None) -> list[InputFile]:
    """Every file the INPUTs name, in the order given (folders and globs sorted), once each.

    `exclude` (the build's output folder) and everything under it is skipped.
    """
    seen: set[Path] = set()
    found: list[InputFile] = []
    skip = exclude.resolve() if exclude is not None else None
    for spec in specs:
        for path, problem in _expand(spec):
            key = path.resolve()
            if key in seen or (skip is not None and key.is_relative_to(skip)):
                continue
            seen.add(key)
            found.append(_describe(path, problem))
    return found


def inputs_outside(specs: Sequence[str], out: Path) -> None:
    """Raise InputError, naming the first, when an INPUT that is a path sits in `out`."""
    root = out.resolve()
    for spec in specs:
        path = Path(spec)
        if not path.exists():
            continue
        key = path.resolve()
        if key == root or key.is_relative_to(root):
            raise InputError(
                f"{spec}: input inside the output folder {out} (a build never reads its output); "
                "move it or choose another -o"
            )


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _expand(spec: str) -> Iterator[tuple[Path, str | None]]:
    path = Path(spec)
    if path.is_dir():
        yield from ((p, None) for p in _walk(path))
    elif path.exists():
        yield path, _unsupported(path)
    elif glob.has_magic(spec):
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            yield path, NO_MATCH
        for match in map(Path, matches):
            if match.is_dir():
                yield from ((p, None) for p in _walk(match))
            elif _unsupported(match) is None:
                yield match, None
    else:
        yield path, MISSING


def _walk(folder: Path) -> Iterator[Path]:
    """Supported files under `folder`, sorted, hidden folders and files left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and _unsupported(path) is None:
                yield path


def _unsupported(path: Path) -> str | None:
    if path.suffix.lower() in READERS:
        return None
    known = ", ".join(SUPPORTED)
    return f"unsupported format {path.suffix or '(no suffix)'} (known: {known})"


def _describe(path: Path, problem: str | None) -> InputFile:
    fmt = path.suffix.lower().removeprefix(".")
    if problem in (MISSING, NO_MATCH):
        return InputFile(path, fmt, None, problem)
    try:
        sha = file_sha256(path)
    except OSError as exc:
        return InputFile(path, fmt, None, f"cannot be read ({exc.strerror or exc})")
    return InputFile(path, fmt, sha, problem)
