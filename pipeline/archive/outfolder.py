"""OUT as `build` may use it: what the build owns there, and one build at a time.

A user's files are never written over or deleted. `OUT/.bulletins-build.json` records what
the build wrote: its top-level entries (`manifest.csv`, `results/`, `report/`, `dataset/`, the
lock file), the charts it drew and its unfinished temporary folders. The build deletes only
what that record lists, or, inside a folder it lists, a temporary file of its own form
(`.<name>.<pid>.tmp` beside `<name>`, a result or report it writes). A non-empty folder without
the record is refused unless the caller passes `force_dir`; even then a name the build needs
that is taken by something it did not write is refused. `OUT/.bulletins-build.lock` is held
with flock for the whole build, so the kernel releases it when the process dies, however.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pipeline.errors import BulletinError

RECORD = ".bulletins-build.json"
LOCK = ".bulletins-build.lock"
RECORD_SCHEMA = "bulletins.build-folder/1"
MANIFEST = "manifest.csv"
# What every build writes at the top of OUT ("/" marks a folder).
TOP = (MANIFEST, "results/", "report/", "dataset/", LOCK)
# A build made before the record existed is recognized by its manifest's header.
LEGACY_HEADER = "path,sha256,format,status,"
# Temporary files of the build's own form inside the folders it owns. In OUT itself only
# the temporary names listed in the record are the build's (`temp_names`).
TEMP_FORMS = {
    "results": re.compile(r"\.[0-9a-f]{64}\.json\.\d+\.tmp"),
    "report": re.compile(r"\.index\.html\.\d+\.tmp"),
    "report/docs": re.compile(r"\.[0-9a-f]{64}\.html\.\d+\.tmp"),
}


class OutputError(BulletinError):
    """OUT cannot be used: it holds files the build did not write, or another build runs."""


class OutFolder:
    """The record of what a build owns in `out`, saved after every change."""

    def __init__(self, out: Path, owned: Iterable[str]) -> None:
        self.out = out
        self._owned = set(owned)

    @classmethod
    def claim(cls, out: Path, *, force_dir: bool = False) -> OutFolder:
        """The folder's record; `out` is created when missing.

        Raises OutputError when `out` is not a folder, or is a non-empty folder that no build
        made and `force_dir` is False. Nothing is written before that check.
        """
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out}: not a folder")
        record = out / RECORD
        if record.is_file():
            return cls(out, _read_record(record))
        if out.is_dir() and any(out.iterdir()):
            if _legacy_build(out):
                return cls(out, TOP)
            if not force_dir:
                raise OutputError(
                    f"{out}: folder is not empty and was not made by bulletins build "
                    f"(no {RECORD}); choose an empty or new folder, or pass --force-dir "
                    "to build beside its files"
                )
        out.mkdir(parents=True, exist_ok=True)
        return cls(out, ())

    def owns(self, name: str) -> bool:
        return name in self._owned or f"{name}/" in self._owned

    def check_free(self, names: Iterable[str]) -> None:
        """Raise OutputError if one of `names` (relative to OUT; "x/" a folder) exists and is
        not the build's."""
        for name in names:
            path = self.out / name.rstrip("/")
            if (path.exists() or path.is_symlink()) and not self.owns(name.rstrip("/")):
                raise OutputError(
                    f"{path}: exists and was not written by bulletins build; "
                    "move it or choose another output folder"
                )

    def require(self, names: Iterable[str]) -> None:
        """Take `names` for the build (check_free, then record them)."""
        names = list(names)
        self.check_free(names)
        self.add(names)

    def add(self, names: Iterable[str]) -> None:
        self._owned.update(names)
        self.save()

    def forget(self, names: Iterable[str]) -> None:
        self._owned.difference_update(names)
        self.save()

    def listed(self, prefix: str) -> list[str]:
        """Owned names under `prefix` ("report/charts/"), without the prefix."""
        return sorted(n[len(prefix) :] for n in self._owned if n.startswith(prefix))

    def save(self) -> None:
        data = {"schema": RECORD_SCHEMA, "owned": sorted(self._owned)}
        tmp = self.out / f".{RECORD}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.out / RECORD)

    def remove_leftovers(self) -> None:
        """What a killed build left: its temporary files and its listed unfinished folders."""
        for folder, form in TEMP_FORMS.items():
            if not self.owns(folder.split("/")[0]):
                continue
            directory = self.out / folder
            if not directory.is_dir():
                continue
            for entry in directory.iterdir():
                if form.fullmatch(entry.name) and entry.is_file() and not entry.is_symlink():
                    entry.unlink(missing_ok=True)
        unfinished = [n for n in self._owned if n.startswith(".") and n not in (RECORD, LOCK)]
        for name in unfinished:
            path = self.out / name.rstrip("/")
            if name.endswith("/"):
                shutil.rmtree(path, ignore_errors=True)
            elif not path.is_dir():
                path.unlink(missing_ok=True)
        if unfinished:
            self.forget(unfinished)


def own_temp_names() -> list[str]:
    """This process's temporary files in OUT: the manifest's and the record's."""
    return [f".{name}.{os.getpid()}.tmp" for name in (MANIFEST, RECORD)]


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold OUT's lock for the block; raises OutputError naming the build that holds it.

    flock: the lock goes with the process, so a killed build leaves nothing locked.
    """
    path = out / LOCK
    fh: IO[str] = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown pid"
            raise OutputError(
                f"{out}: another build is writing here ({holder}); wait for it to finish "
                "or choose another output folder"
            ) from None
        fh.seek(0)
        fh.truncate()
        started = time.strftime("%Y-%m-%d %H:%M:%S %z")
        fh.write(f"pid {os.getpid()}, started {started}\n")
        fh.flush()
        yield
    finally:
        fh.close()


def _read_record(path: Path) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"{path}: unreadable build record ({exc})") from None
    if not isinstance(data, dict):
        data = {}
    owned = data.get("owned")
    if data.get("schema") != RECORD_SCHEMA or not isinstance(owned, list):
        raise OutputError(f"{path}: not a build record of this version ({RECORD_SCHEMA})")
    return [str(n) for n in owned]


def _legacy_build(out: Path) -> bool:
    """OUT written by a build from before the record: its manifest and results/ are there."""
    try:
        with (out / MANIFEST).open(encoding="utf-8-sig") as fh:
            head = fh.readline()
    except OSError:
        return False
    return head.startswith(LEGACY_HEADER) and (out / "results").is_dir()
