"""`bulletins build` on real corpus files mixed with broken ones: nothing is lost, limits hold,
a killed build resumes to the same dataset, and the dask executor gives the same results."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.archive.build import BuildOptions, QuietProgress, build
from pipeline.archive.inputs import collect_inputs
from pipeline.archive.manifest import COLUMNS, read_manifest
from pipeline.archive.outfolder import OutFolder
from pipeline.archive.worker import internal_error
from pipeline.validate.crossdoc.rows import DocumentRows
from tests.archive.broken_inputs import (
    bomb_pdf,
    broken_archive,
    die_in_worker,
    empty_file,
    encrypted_pdf,
    expected_classes,
    many_pages_pdf,
    not_a_pdf,
    truncated_pdf,
)

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT / "corpus" / "generated"
# Small, quick documents in two formats.
GOOD = [GEN / "gen-0003.pdf", GEN / "gen-0004.pdf", GEN / "gen-0006.pdf", GEN / "gen-0002.html"]
BOM = b"\xef\xbb\xbf"


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "build", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def manifest_by_name(out: Path) -> dict[str, dict[str, str]]:
    return {Path(r["path"]).name: r for r in read_manifest(out / "manifest.csv")}


def dataset_ids(out: Path) -> set[str]:
    import csv

    with (out / "dataset" / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {row["document_id"] for row in csv.DictReader(fh)}


def failures(out: Path, proc: subprocess.CompletedProcess[str]) -> str:
    """Why a build failed, for an assertion message: each failed row's class and message."""
    rows = read_manifest(out / "manifest.csv") if (out / "manifest.csv").is_file() else []
    lines = [
        f"{r['path']}: {r['status']} {r['error_class']}: {r['error_message']}"
        for r in rows
        if r["status"] != "ok"
    ]
    return "\n".join([f"exit {proc.returncode}", *lines, proc.stderr[-2000:]])


def wait_until_group_is_gone(pgid: int, seconds: float = 60) -> None:
    """Wait until no live process (zombies aside) of the process group is left (Linux /proc)."""
    deadline = time.monotonic() + seconds
    while (alive := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive, f"processes of the killed build still running: {alive}"


def group_members(pgid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        state, _ppid, group = text[text.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def copy_good(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(p, folder / p.name)) for p in GOOD]


def test_build_inputs_walk_ignores_unknown_suffixes_but_named_files_are_rows(
    tmp_path: Path,
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "x.pdf").write_bytes(b"1")
    (tmp_path / "a" / "b" / "y.HTML").write_bytes(b"2")
    (tmp_path / "a" / "notes.json").write_bytes(b"3")
    (tmp_path / "a" / ".hidden.pdf").write_bytes(b"4")
    (tmp_path / "sheet.xls").write_bytes(b"5")
    out = tmp_path / "a" / "out"
    (out / "report" / "docs").mkdir(parents=True)
    (out / "report" / "docs" / "z.html").write_bytes(b"6")
    specs = [
        str(tmp_path / "a"),
        str(tmp_path / "sheet.xls"),
        str(tmp_path / "missing.pdf"),
        str(tmp_path / "a" / "*.pdf"),  # x.pdf again: listed once
        str(tmp_path / "nothing-*.txt"),
    ]
    found = collect_inputs(specs, exclude=out)
    assert [f.path.name for f in found] == [
        "x.pdf",
        "y.HTML",
        "sheet.xls",
        "missing.pdf",
        "nothing-*.txt",
    ]
    problems = {f.path.name: f.problem for f in found}
    assert problems["x.pdf"] is None and problems["y.HTML"] is None
    assert problems["sheet.xls"] is not None and "unsupported format .xls" in problems["sheet.xls"]
    assert problems["missing.pdf"] == "no such file"
    assert problems["nothing-*.txt"] == "no file matches this pattern"
    assert found[0].sha256 is not None and len(found[0].sha256) == 64
    assert found[1].format == "html"


def test_build_accounts_for_every_input_and_keeps_every_good_document(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    good = copy_good(inbox)
    (inbox / "notes.xls").write_bytes(b"not listed: unknown suffix in a folder walk")
    copy = inbox / "sub" / "copy-of-gen-0004.pdf"
    copy.parent.mkdir()
    shutil.copy(GOOD[1], copy)
    bad = inbox / "broken"
    bad.mkdir()
    not_a_pdf(bad / "not-a-pdf.pdf")
    truncated_pdf(bad / "truncated.pdf", GOOD[0])
    empty_file(bad / "empty.pdf")
    encrypted_pdf(bad / "encrypted.pdf")
    bomb_pdf(bad / "bomb.pdf", inflated_mb=2048)
    many_pages_pdf(bad / "long.pdf", 600)
    named = tmp_path / "named.xls"
    named.write_bytes(b"named explicitly")
    out = tmp_path / "out"

    proc = run_build(
        str(inbox), str(named), str(tmp_path / "missing.pdf"), "-o", str(out),
        "--workers", "2", "--memory-mb", "1024", "--max-pages", "500",
    )  # fmt: skip

    assert proc.returncode == 2, proc.stderr
    rows = manifest_by_name(out)
    assert set(rows) == {p.name for p in good} | {
        "copy-of-gen-0004.pdf", "not-a-pdf.pdf", "truncated.pdf", "empty.pdf",
        "encrypted.pdf", "bomb.pdf", "long.pdf", "named.xls", "missing.pdf",
    }  # fmt: skip
    for p in good:
        assert rows[p.name]["status"] == "ok", rows[p.name]
        assert int(rows[p.name]["pages"]) > 0 and rows[p.name]["errors"] != ""
    dup = rows["copy-of-gen-0004.pdf"]
    assert dup["status"] == "skipped-duplicate"
    assert dup["sha256"] == rows["gen-0004.pdf"]["sha256"]
    assert dup["duplicate_of"] == str(inbox / "gen-0004.pdf")
    reasons = {
        "not-a-pdf.pdf": ("InputError", "not a readable PDF"),
        "truncated.pdf": ("InputError", "not a readable PDF"),
        "empty.pdf": ("InputError", "not a readable PDF"),
        "encrypted.pdf": ("InputError", "encrypted"),
        "bomb.pdf": ("InputError", "a stream inflates to more than 256 MB"),
        "long.pdf": ("PageLimitError", "600 pages, over the limit of 500"),
        "named.xls": ("InputError", "unsupported format .xls"),
        "missing.pdf": ("InputError", "no such file"),
    }
    for name, (error_class, words) in reasons.items():
        row = rows[name]
        assert (row["status"], row["error_class"]) == ("failed", error_class), row
        assert words in row["error_message"] and name in row["error_message"], row
    assert dataset_ids(out) == {rows[p.name]["sha256"] for p in good}
    for p in good:
        sha = rows[p.name]["sha256"]
        assert (out / "results" / f"{sha}.json").is_file()
        assert (out / "report" / "docs" / f"{sha}.html").is_file()
    assert (out / "report" / "index.html").is_file()
    raw = (out / "manifest.csv").read_bytes()
    assert raw.startswith(BOM) and raw[3:].split(b"\n", 1)[0].decode() == ",".join(COLUMNS)
    assert "documents: 4 ok (0 reused), 8 failed, 1 skipped-duplicate" in proc.stdout
    assert f"manifest: {out / 'manifest.csv'}" in proc.stdout
    assert "10/10 documents, 6 failed" in proc.stderr  # plain progress lines off a TTY


def test_build_timeout_stops_the_worker(tmp_path: Path) -> None:
    long_pdf = many_pages_pdf(tmp_path / "endless.pdf", 300, lines=60)  # minutes to read
    options = BuildOptions(workers=1, timeout=2, max_pages=0)
    summary = build([str(long_pdf)], tmp_path / "out", options, QuietProgress())
    row = read_manifest(tmp_path / "out" / "manifest.csv")[0]
    assert (row["status"], row["error_class"]) == ("failed", "TimeoutError")
    assert "no result after 2 s, worker stopped" in row["error_message"]
    assert summary.statuses["failed"] == 1 and summary.failures == {"TimeoutError": 1}


def test_build_internal_error_names_its_class_and_the_line_that_raised() -> None:
    with pytest.raises(ValueError) as caught:
        DocumentRows.from_json({"documents": []})  # a real pipeline function's bare ValueError
    text = internal_error(caught.value)
    assert text.startswith("internal error: ValueError: a document's rows must hold exactly")
    assert re.search(r"\(at pipeline/validate/crossdoc/rows\.py:\d+ in from_json\)$", text), text


def test_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([str(GOOD[3])], out, BuildOptions(workers=1), QuietProgress())
    # What a build killed in pid 123 leaves: temporary files of its own form, and the
    # temporary names in OUT it listed in its record before making them.
    left = [
        out / ".manifest.csv.123.tmp",
        out / "results" / f".{'0' * 64}.json.123.tmp",
        out / "report" / ".index.html.123.tmp",
        out / "report" / "docs" / f".{'0' * 64}.html.123.tmp",
    ]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    (out / ".dataset.123.tmp").mkdir()
    (out / ".dataset.123.tmp" / "documents.csv").write_text("half", encoding="utf-8")
    OutFolder.claim(out).add([".manifest.csv.123.tmp", ".dataset.123.tmp/"])
    build([str(GOOD[3])], out, BuildOptions(workers=1), QuietProgress())
    assert not [p for p in left if p.exists()]
    assert sorted(p.name for p in out.iterdir()) == [
        ".bulletins-build.json",
        ".bulletins-build.lock",
        "dataset",
        "manifest.csv",
        "report",
        "results",
    ]


def test_build_dead_worker_fails_its_document_only(tmp_path: Path) -> None:
    options = BuildOptions(workers=1)
    build([str(GOOD[1])], tmp_path / "out", options, QuietProgress(), task=die_in_worker)  # type: ignore[arg-type]
    row = read_manifest(tmp_path / "out" / "manifest.csv")[0]
    assert (row["status"], row["error_class"]) == ("failed", "WorkerKilled")
    assert "killed by SIGKILL" in row["error_message"]


def test_build_killed_and_resumed_gives_the_same_dataset(tmp_path: Path) -> None:
    docs = [*GOOD, GEN / "gen-0007.pdf", GEN / "gen-0008.pdf"]
    specs = [str(p) for p in docs]
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    first = run_build(*specs, "-o", str(whole), "--workers", "1")
    assert first.returncode in (0, 1), failures(whole, first)

    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", *specs, "-o", str(killed), "--workers", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )
    deadline = time.monotonic() + 600
    while len(list((killed / "results").glob("*.json"))) < 2 and time.monotonic() < deadline:
        assert proc.poll() is None, "the build ended before it could be killed"
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    wait_until_group_is_gone(proc.pid)  # a worker in the middle of a write finishes that call
    done = len(list((killed / "results").glob("*.json")))
    assert 2 <= done < len(docs)
    interrupted = read_manifest(killed / "manifest.csv")
    assert len(interrupted) == len(docs)  # written before the first document ran

    resumed = run_build(*specs, "-o", str(killed), "--workers", "1")
    rows = read_manifest(killed / "manifest.csv")
    assert resumed.returncode in (0, 1), failures(killed, resumed)
    assert [r["status"] for r in rows] == ["ok"] * len(docs), failures(killed, resumed)
    assert sum(r["reused"] == "true" for r in rows) == done
    assert f"({done} reused)" in resumed.stdout
    for name in sorted(p.name for p in (whole / "dataset").iterdir()):
        a, b = (whole / "dataset" / name).read_bytes(), (killed / "dataset" / name).read_bytes()
        assert a == b, name
    for path in (whole / "results").glob("*.json"):
        assert path.read_bytes() == (killed / "results" / path.name).read_bytes(), path.name


def test_build_on_a_dask_local_cluster_then_reused_locally(tmp_path: Path) -> None:
    out = tmp_path / "out"
    specs = [str(GOOD[1]), str(GOOD[3])]
    first = build(specs, out, BuildOptions(executor="dask", workers=2), QuietProgress())
    assert first.statuses["ok"] == 2 and first.processed == 2 and first.reused == 0
    ids = dataset_ids(out)
    assert len(ids) == 2
    again = build(specs, out, BuildOptions(workers=1), QuietProgress())
    assert again.processed == 0 and again.reused == 2
    assert dataset_ids(out) == ids
    forced = build(specs[:1], out, BuildOptions(workers=1, force=True), QuietProgress())
    assert forced.processed == 1 and forced.reused == 0


def test_build_dask_timeout_stops_the_worker(tmp_path: Path) -> None:
    long_pdf = many_pages_pdf(tmp_path / "endless.pdf", 300, lines=60)
    options = BuildOptions(executor="dask", workers=1, timeout=2, max_pages=0)
    build([str(long_pdf)], tmp_path / "out", options, QuietProgress())
    row = read_manifest(tmp_path / "out" / "manifest.csv")[0]
    assert (row["status"], row["error_class"]) == ("failed", "TimeoutError")
    assert "no result after 2 s, worker stopped" in row["error_message"]


def test_build_hundred_broken_inputs_in_an_archive(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    broken = broken_archive(archive / "broken", GOOD[0], 100, bomb_mb=2048, long_pages=2000)
    good = [Path(shutil.copy(p, archive / p.name)) for p in sorted(GEN.glob("gen-00[1-2]?.pdf"))]
    out = tmp_path / "out"
    proc = run_build(str(archive), "-o", str(out), "--workers", "2", "--memory-mb", "1200")
    assert proc.returncode == 2, proc.stderr
    rows = manifest_by_name(out)
    assert len(rows) == len(broken) + len(good)
    for path in broken:
        row = rows[path.name]
        assert row["status"] == "failed" and row["error_class"] in expected_classes(path), row
        assert path.name in row["error_message"]
    assert all(rows[p.name]["status"] == "ok" for p in good)
    assert dataset_ids(out) == {rows[p.name]["sha256"] for p in good}
