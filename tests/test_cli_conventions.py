"""Command-line conventions (csvkit, sqlite-utils, clig.dev) on real corpus files.

-o/--output on every command, -v/-q after the subcommand, - for stdin, a quiet end on a
closed pipe, examples and docs in every --help, and the documented exit codes.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.cli import EXIT_BROKEN_PIPE, build_parser
from pipeline.commands.stdin import sniff

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin"
CLEAN = ROOT / "corpus" / "generated" / "gen-0004.pdf"  # no error-level finding


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", *args], input=stdin, capture_output=True, check=False
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode()
    )


def audits(stdout: str) -> list[dict[str, Any]]:
    """JSON lines without the source path, which names how the file was given."""
    found = [json.loads(line) for line in stdout.splitlines()]
    for data in found:
        data["document"].pop("source")
    return found


def subparsers(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield f"{prefix}{name}", child
                yield from subparsers(child, f"{prefix}{name} ")


COMMANDS = dict(subparsers(build_parser()))


def test_cli_conventions_every_subcommand_help_has_an_example_and_the_docs() -> None:
    assert set(COMMANDS) == {"extract", "audit", "build", "gazetteer", "gazetteer build"}
    for name, parser in COMMANDS.items():
        text = parser.format_help()
        examples = text.split("examples:\n", 1)[1].split("\n\n")[0].splitlines()
        assert any(f"bulletins {name} " in line for line in examples), name
        docs = re.search(r"^docs: (.+)$", text, re.M)
        assert docs is not None, name
        for page in docs.group(1).split(", "):
            assert Path(page).is_file(), (name, page)


def test_cli_conventions_output_option_is_spelled_alike_everywhere() -> None:
    for name in ("extract", "audit", "build", "gazetteer build"):
        text = COMMANDS[name].format_help()
        assert re.search(r"-o \S+, --output \S+", text), name
    assert "--out " not in COMMANDS["build"].format_help()  # the old spelling, hidden


def test_cli_conventions_build_takes_the_old_out_spelling(tmp_path: Path) -> None:
    for spelling in ("--out", "--output"):
        out = tmp_path / spelling.strip("-")
        proc = run("build", str(CLEAN), spelling, str(out), "--workers", "1", "-q")
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == "" and proc.stderr == ""  # -q after the subcommand
        assert (out / "manifest.csv").is_file()


def test_cli_conventions_output_writes_what_stdout_would_get(tmp_path: Path) -> None:
    printed = run("audit", "--format", "json", f"{SEED}.pdf", f"{SEED}.txt")
    written = run(
        "audit", "--format", "json", f"{SEED}.pdf", f"{SEED}.txt", "-o", str(tmp_path / "a.jsonl")
    )
    assert printed.returncode == written.returncode == 1
    assert (
        written.stdout == ""
        and (tmp_path / "a.jsonl").read_text(encoding="utf-8") == printed.stdout
    )
    folder = run("audit", "--format", "json", f"{SEED}.txt", "-o", str(tmp_path))
    assert folder.returncode == 2 and "names a file for --format json" in folder.stderr
    extracted = run("extract", f"{SEED}.txt", "--output", str(tmp_path / "doc.json"))
    assert extracted.returncode == 0 and extracted.stdout == ""
    assert json.loads((tmp_path / "doc.json").read_text(encoding="utf-8")) == json.loads(
        run("extract", f"{SEED}.txt").stdout
    )


def test_cli_conventions_verbosity_after_the_subcommand() -> None:
    after = run("audit", f"{SEED}.txt", "--format", "summary", "-v")
    before = run("-v", "audit", f"{SEED}.txt", "--format", "summary")
    assert "INFO bulletins: auditing" in after.stderr
    assert "INFO bulletins: auditing" in before.stderr  # the subcommand keeps the top's -v
    assert after.stdout == before.stdout
    both = run("audit", f"{SEED}.txt", "-v", "-q")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_cli_conventions_quiet_gazetteer_build_prints_only_the_gazetteer(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(f"{SEED}.pdf", folder)
    loud = run("gazetteer", "build", str(folder))
    quiet = run("gazetteer", "build", str(folder), "-q")
    assert loud.returncode == quiet.returncode == 0
    assert loud.stderr and quiet.stderr == ""
    assert quiet.stdout == loud.stdout and json.loads(quiet.stdout)


def test_cli_conventions_stdin_formats_known_by_their_first_bytes() -> None:
    for suffix, fmt in ((".pdf", "pdf"), (".docx", "docx"), (".html", "html"), (".txt", None)):
        assert sniff(Path(f"{SEED}{suffix}").read_bytes()[:64]) == fmt, suffix


def test_cli_conventions_stdin_is_read_like_the_file() -> None:
    path = Path(f"{SEED}.pdf")
    piped = run("audit", "--format", "json", "-", stdin=path.read_bytes())
    named = run("audit", "--format", "json", str(path))
    assert piped.returncode == named.returncode == 1, piped.stderr
    assert json.loads(piped.stdout)["document"]["source"] == "-"
    assert audits(piped.stdout) == audits(named.stdout)


def test_cli_conventions_stdin_text_needs_format_in() -> None:
    text = Path(f"{SEED}.txt").read_bytes()
    guessed = run("audit", "-", stdin=text)
    assert guessed.returncode == 2 and guessed.stdout == ""
    assert guessed.stderr == (
        "bulletins: -: cannot tell the format of stdin; give --format-in text|html|pdf|docx\n"
    )
    told = run("audit", "--format", "json", "-", "--format-in", "text", stdin=text)
    assert told.returncode == 1
    assert audits(told.stdout) == audits(run("audit", "--format", "json", f"{SEED}.txt").stdout)
    extracted = run("extract", "-", "--format-in", "text", stdin=text)
    assert extracted.returncode == 0 and json.loads(extracted.stdout)["source"] == "-"


def test_cli_conventions_format_in_reads_a_file_whose_name_says_nothing(tmp_path: Path) -> None:
    nameless = tmp_path / "bulletin"
    shutil.copy(f"{SEED}.txt", nameless)
    assert run("audit", str(nameless)).returncode == 2
    told = run("audit", "--format", "summary", str(nameless), "--format-in", "text")
    assert told.returncode == 1 and "3 errors" in told.stdout


def test_cli_conventions_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "audit",
            "--format",
            "json",
            f"{SEED}.pdf",
            f"{SEED}.txt",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # like `| head -1`: read one line, then go away
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() == EXIT_BROKEN_PIPE
    assert json.loads(first)["schema"] == "bulletins.audit/3"
    assert err == b""


def test_cli_conventions_exit_codes_stay_as_documented(tmp_path: Path) -> None:
    assert run("audit", str(CLEAN), "--format", "summary").returncode == 0
    assert run("audit", f"{SEED}.pdf", "--format", "summary").returncode == 1
    missing = run("audit", str(tmp_path / "missing.pdf"), str(CLEAN), "--format", "summary")
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1
    assert run("extract", str(CLEAN), "-o", str(tmp_path / "x.json")).returncode == 0
