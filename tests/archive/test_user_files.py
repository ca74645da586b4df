"""A user's files are never written over or deleted: `audit -o`, `extract --debug-pages` and
`build -o` on real files in folders that hold the user's own files (issue 12)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.archive.outfolder import locked
from tests.archive.test_build import ROOT, run_build

HTML = ROOT / "corpus" / "generated" / "gen-0002.html"
PDF = ROOT / "corpus" / "generated" / "gen-0003.pdf"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def user_files(folder: Path) -> dict[str, bytes]:
    """A folder of the kind the issue found emptied: temp-looking names, a .dataset.* folder."""
    files = {
        "notes.txt": b"mine\n",
        ".draft.tmp": b"half-written essay\n",
        ".dataset.mine/table.csv": b"a,b\n1,2\n",
        ".manifest.csv.1.tmp": b"not the build's\n",
    }
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def test_audit_html_never_writes_over_an_input_or_a_foreign_file(tmp_path: Path) -> None:
    source = Path(shutil.copy(HTML, tmp_path / HTML.name))
    before = source.read_bytes()
    proc = run("audit", str(source), "--format", "html", "-o", str(tmp_path))
    assert proc.returncode == 2
    assert "is an input" in one_line(proc.stderr) and str(source) in proc.stderr
    assert source.read_bytes() == before and proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [HTML.name]

    other = tmp_path / "out"
    other.mkdir()
    foreign = other / f"{HTML.stem}.html"
    foreign.write_bytes(b"<p>my own page</p>")
    proc = run("audit", str(source), "--format", "html", "-o", str(other))
    assert proc.returncode == 2
    assert "was not written by bulletins" in one_line(proc.stderr)
    assert foreign.read_bytes() == b"<p>my own page</p>"

    foreign.unlink()  # its own report, though, is replaced on a second run
    assert run("audit", str(source), "--format", "html", "-o", str(other)).returncode in (0, 1)
    again = run("audit", str(source), "--format", "html", "-o", str(other))
    assert again.returncode in (0, 1), again.stderr


def test_extract_debug_pages_keep_a_users_png(tmp_path: Path) -> None:
    mine = tmp_path / "page-001.png"
    mine.write_bytes(b"\x89PNG not really")
    proc = run("extract", str(PDF), "--debug-pages", str(tmp_path))
    assert proc.returncode == 2
    assert "page-001.png: exists and was not written by bulletins" in one_line(proc.stderr)
    assert sorted(snapshot(tmp_path)) == ["page-001.png"]
    assert mine.read_bytes() == b"\x89PNG not really"


def test_build_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    user_files(out)
    before = snapshot(out)
    proc = run_build(str(HTML), "-o", str(out))
    assert proc.returncode == 2
    assert "--force-dir" in one_line(proc.stderr) and str(out) in proc.stderr
    assert snapshot(out) == before  # not even a lock file


def test_build_force_dir_leaves_every_user_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    files = user_files(out)
    proc = run_build(str(HTML), "-o", str(out), "--force-dir")
    assert proc.returncode in (0, 1), proc.stderr
    assert {k: v for k, v in snapshot(out).items() if k in files} == files
    # Files the user drops into the build's own folders survive the next build too.
    extra = {"dataset/README.mine": b"my notes on the dataset\n", "report/charts/x.svg": b"<svg/>"}
    for name, data in extra.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    again = run_build(str(HTML), "-o", str(out), "--force")
    assert again.returncode in (0, 1), again.stderr
    after = snapshot(out)
    assert {k: after.get(k) for k in {**files, **extra}} == {**files, **extra}
    assert (out / "dataset" / "documents.csv").is_file()


def test_build_force_dir_refuses_a_name_it_needs_that_is_taken(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    (out / "dataset").mkdir(parents=True)
    (out / "dataset" / "thesis.docx").write_bytes(b"chapter 1")
    before = snapshot(out)
    proc = run_build(str(HTML), "-o", str(out), "--force-dir")
    assert proc.returncode == 2
    assert f"{out / 'dataset'}: exists and was not written by bulletins build" in one_line(
        proc.stderr
    )
    assert snapshot(out) == before


def test_build_second_build_into_one_folder_is_refused_naming_the_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_build(str(HTML), "-o", str(out))
    assert first.returncode in (0, 1), first.stderr
    before = snapshot(out)
    with locked(out):  # this process plays the build that is running
        proc = run_build(str(HTML), "-o", str(out))
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "another build is writing here" in line and f"pid {os.getpid()}, started" in line
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k != ".bulletins-build.lock"} == {
        k: v for k, v in before.items() if k != ".bulletins-build.lock"
    }


def test_build_lock_dies_with_its_process(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_build(str(HTML), "-o", str(out)).returncode in (0, 1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from pipeline.archive.outfolder import locked\n"
            f"with locked(Path({str(out)!r})):\n    print('held', flush=True); time.sleep(600)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert run_build(str(HTML), "-o", str(out)).returncode == 2
    holder.kill()
    holder.wait()
    assert run_build(str(HTML), "-o", str(out)).returncode in (0, 1)


def test_build_input_inside_the_output_folder_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_build(str(HTML), "-o", str(out)).returncode in (0, 1)
    inside = Path(shutil.copy(HTML, out / "new.html"))
    before = snapshot(out)
    proc = run_build(str(HTML), str(inside), "-o", str(out))
    assert proc.returncode == 2
    assert f"{inside}: input inside the output folder {out}" in one_line(proc.stderr)
    assert snapshot(out) == before
