"""Every command runs each document under limits: crafted hostile inputs made here end within
seconds with one line naming the limit (exit 2), and the corpus file beside them is still read."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from bench.hostile_pdf import pdf_bytes
from pipeline.errors import ConfigError, LimitError
from pipeline.extract.blocks import TableBlock, TableCell
from pipeline.extract.grid import rows_to_grid
from pipeline.extract.shape_limits import table_cells, within_limits
from pipeline.limits import MAX_CELLS

SEED_TXT = Path(__file__).resolve().parents[1] / "corpus/seed/jintai_2023_02_hotline_bulletin.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, check=False
    )


def flate_bomb_pdf(path: Path, megabytes: int) -> Path:
    """A one-page PDF whose content stream inflates to `megabytes` MB of zeros."""
    packer = zlib.compressobj(1)  # fast; 1 GB of zeros is still 5 MB
    chunk = b"0" * (1 << 20)
    data = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    path.write_bytes(pdf_bytes(objects))
    return path


def html_table(path: Path, rows: int) -> Path:
    body = "".join(f"<tr><td>单位{i}</td><td>{i}</td><td>{i % 100}%</td></tr>" for i in range(rows))
    path.write_text(
        "<html><body><p>关于热线办理情况的通报</p><table><tr><th>单位</th><th>件数</th>"
        f"<th>占比</th></tr>{body}</table></body></html>",
        encoding="utf-8",
    )
    return path


def test_limits_hostile_inputs_fail_in_seconds_and_the_rest_is_audited(tmp_path: Path) -> None:
    bomb = flate_bomb_pdf(tmp_path / "bomb.pdf", 1024)
    table = html_table(tmp_path / "table.html", 20_000)
    digits = tmp_path / "digits.txt"
    digits.write_text("\n".join("1234567890" * 70 for _ in range(10_000)), encoding="utf-8")
    start = time.monotonic()
    proc = run("audit", str(bomb), str(table), str(digits), str(SEED_TXT), "--format", "summary",
               "--memory-mb", "768")  # fmt: skip
    assert time.monotonic() - start < 90  # about 15 s on a quiet machine; this one is shared
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert errors == [
        # pdfminer inflates a stream to 256 MB at most (extract/pdfminer_guard.py), so the
        # bomb stops there, before the memory cap
        f"bulletins: {bomb}: not a readable PDF (a stream inflates to more than 256 MB)",
        f"bulletins: {digits} has 7,009,999 characters (limit 2,000,000)",
    ]
    # the table past --max-rows is left out with a warning; the rest of its page is read
    skipped, seed = proc.stdout.splitlines()
    assert skipped.startswith(f"{table}: 0 errors, 1 warnings") and "PAGE001" in skipped
    assert seed.startswith(f"{SEED_TXT}: 3 errors")


def test_limits_timeout_and_pages_name_their_flag(seed_pdf: Path) -> None:
    proc = run("audit", str(seed_pdf), "--timeout", "0.01", "--format", "summary")
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"bulletins: {seed_pdf}: took more than 0.01 s (--timeout)"
    proc = run("extract", str(seed_pdf), "--max-pages", "1")
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("pages, over the limit of 1 (--max-pages)")
    assert not proc.stdout


def test_limits_one_document_runs_capped_in_its_own_child(tmp_path: Path) -> None:
    """A one-file audit forks a child for its document (pipeline/isolate.py): the memory cap
    holds there and the command survives to say so, as the worker pool of several files does."""
    bomb = flate_bomb_pdf(tmp_path / "bomb.pdf", 1024)
    proc = run("audit", str(bomb), "--memory-mb", "300", "--format", "summary")
    assert proc.returncode == 2
    assert (
        proc.stderr.strip() == f"bulletins: {bomb}: needed more than 300 MB of memory (--memory-mb)"
    )
    assert not proc.stdout


def test_limits_forked_child_gives_back_results_larger_than_a_pipe() -> None:
    """The child is forked from the calling process (not from a fork server) and its result
    crosses a pipe: a report of megabytes arrives whole. In a fresh interpreter, since a
    process running other threads (as this one may, after other tests) uses the pool."""
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from pipeline.isolate import Isolated\n"
        "from pipeline.limits import Limits\n"
        "def long_text(path):\n"
        "    return os.getppid(), '数' * 3_000_000\n"
        "with Isolated(long_text, Limits(timeout=60), documents=1) as isolated:\n"
        "    parent, text = isolated.call('x', Path('.'))\n"
        "print(parent == os.getpid(), text == '数' * 3_000_000)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.stdout.split() == ["True", "True"], proc.stderr


def test_limits_a_table_past_max_rows_is_left_out_and_named(tmp_path: Path) -> None:
    page = html_table(tmp_path / "t.html", 6_000)
    proc = run("audit", str(page), "--format", "json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    (finding,) = data["findings"]
    assert finding["rule"] == "PAGE001" and finding["severity"] == "warning"
    assert finding["message"] == (
        "block 2: table has 6,001 rows (limit 5,000; --max-rows), not read; "
        "that text was not audited"
    )
    assert data["document"]["title"]["text"] == "关于热线办理情况的通报"  # the paragraph was read
    proc = run("extract", str(page), "--max-rows", "7000", "--timeout", "0")
    assert proc.returncode == 0
    (table,) = json.loads(proc.stdout)["tables"]
    assert len(table["body_rows"]) == 6_000  # under a higher limit the table is read


def test_limits_a_file_with_nothing_under_the_limits_fails(tmp_path: Path) -> None:
    lone = tmp_path / "lone.html"
    table = "<table>" + "<tr><td>1</td></tr>" * 30 + "</table>"
    lone.write_text(f"<p>关于热线办理情况</p>{table}", encoding="utf-8")
    proc = run("extract", str(lone), "--max-rows", "20", "--max-chars", "5")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"bulletins: {lone}: block 1: paragraph has 8 characters (limit 5; --max-chars)"
    )


@pytest.mark.parametrize("command", ["audit", "extract"])
def test_limits_negative_values_refused(command: str) -> None:
    for option, value in (("--timeout", "-1"), ("--memory-mb", "-5"), ("--max-pages", "-1"),
                          ("--max-rows", "-1"), ("--max-digits", "-2"),
                          ("--ocr-budget", "-1")):  # fmt: skip
        proc = run(command, "x.pdf", option, value)
        assert proc.returncode == 2
        (error,) = [ln for ln in proc.stderr.splitlines() if "error:" in ln]
        assert f"argument {option}: must be 0 (no limit)" in error


def test_limits_colspan_clipped_to_the_table() -> None:
    rows = [[TableCell("title", colspan=1000)]] + [
        [TableCell("a"), TableCell("1"), TableCell("2")] for _ in range(3)
    ]
    grid = rows_to_grid(rows)
    assert max(len(line) for line in grid) == 6  # 2 x the widest row, not 1000


def test_limits_cells_per_table_counts_spans() -> None:
    row = tuple(TableCell("x", colspan=1000, rowspan=1000) for _ in range(3))
    table = TableBlock(tuple(row for _ in range(1000)))
    assert table_cells(table) > MAX_CELLS
    with pytest.raises(
        LimitError, match=r"block 1: table has .* cells \(limit 200,000; --max-cells\)"
    ):
        within_limits([table], Path("t.html"), "html")


def test_limits_api_takes_limits_in_process(tmp_path: Path) -> None:
    import pipeline

    page = html_table(tmp_path / "t.html", 30)
    assert len(pipeline.open(page).tables) == 1  # the defaults: read
    doc = pipeline.open(page, limits=pipeline.Limits(timeout=0, memory_mb=0, max_rows=10))
    assert doc.tables == ()
    (skipped,) = doc.unreadable_pages
    assert skipped.reason == "table has 31 rows (limit 10; --max-rows), not read"
    counted = pipeline.audit(SEED_TXT).coverage.numbers
    fewer = pipeline.audit(SEED_TXT, limits=pipeline.Limits(max_digits=1)).coverage.numbers
    assert fewer < counted  # numbers of two or more digits are text under max_digits=1
    with pytest.raises(ConfigError, match="max_rows"):
        pipeline.Limits(max_rows=-1)


def test_limits_gazetteer_build_reads_each_file_under_the_limits(tmp_path: Path) -> None:
    page = html_table(tmp_path / "big.html", 4_000)  # seconds to read: past 0.01 s for sure
    proc = run("gazetteer", "build", str(tmp_path), "--timeout", "0.01")
    assert proc.returncode == 2
    assert f"bulletins: {page}: took more than 0.01 s (--timeout)" in proc.stderr.splitlines()
