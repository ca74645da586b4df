"""Start-up: the command line and plain audits load no library they do not use.

jieba's dictionary costs a process a second; camelot, dask, matplotlib, pandas, pyarrow and
fontTools serve other backends, `build`, the Python API's frames and the HTML reports.
Parsing the command line loads none of them, nor a PDF library. Each check runs in a fresh
interpreter (this one has imported everything), and audits run in that process
(`--timeout 0 --memory-mb 0`) so that what the work loads is seen.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "spacy",
    "jieba",
    "camelot",
    "dask",
    "distributed",
    "matplotlib",
    "pandas",
    "pyarrow",
    "fontTools",
)
PDF = ("pdfplumber", "pdfminer", "pypdfium2", "PIL")
TEMPLATES = ("jinja2",)
CLI_SHARE = 0.4  # of the import time of the pipeline an audit runs (about 0.18 measured)
PIPELINE = "pipeline.archive.worker"  # what an audit imports in its child process: everything
BULLETIN = (
    "关于1月份热线办理情况的通报\n"
    "一、总体情况\n"
    "1月份共受理群众诉求100件，办结98件，办结率98%。\n"
    "其中来电80件，占比80%；网络留言20件，占比20%。\n"
)
RANKED = BULLETIN + "排名靠后的单位：区水务局、区统计局和区教育局。\n"
# no connector after an organisation: nothing for jieba's words to decide
RANKED_PLAIN = BULLETIN + "排名靠后的单位：区水务局、区统计局、区教育局。\n"
IN_PROCESS = ("--timeout", "0", "--memory-mb", "0")


def loaded_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after running `code`."""
    listing = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    script = f"{code}\nimport json, sys\n{listing}"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def audit_code(path: Path) -> str:
    args = ["audit", "--format", "json", *IN_PROCESS, str(path)]
    return f"from pipeline.cli import main\nmain({args!r})\n"


def test_startup_cli_import_loads_no_heavy_library() -> None:
    loaded = loaded_after("import pipeline.cli\npipeline.cli.build_parser()")
    assert not loaded & {*HEAVY, *PDF, *TEMPLATES}, loaded & {*HEAVY, *PDF, *TEMPLATES}


def test_startup_help_loads_no_heavy_library() -> None:
    for command in ("audit", "extract", "build", "gazetteer"):
        code = (
            "import pipeline.cli\n"
            f"try:\n    pipeline.cli.main([{command!r}, '--help'])\nexcept SystemExit:\n    pass"
        )
        loaded = loaded_after(code)
        assert not loaded & {*HEAVY, *PDF, *TEMPLATES}, (command, loaded & {*HEAVY, *PDF})


def test_startup_cli_import_is_a_fraction_of_the_pipeline() -> None:
    """`import pipeline.cli` against importing what an audit runs, as `python -X importtime`
    counts them in one interpreter (best of three, so that load on the machine hits both).

    On a quiet machine the CLI takes about 0.09 s and the rest about 0.5 s (issue 15's target
    is 0.25 s for the CLI); a ratio holds on a busy one too. Before the commands imported
    lazily, the CLI import was the whole of it.
    """
    ratios = []
    for _ in range(3):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import pipeline.cli\nimport {PIPELINE}"],
            capture_output=True,
            text=True,
            check=True,
        )
        cli, rest = (_cumulative(proc.stderr, name) for name in ("pipeline.cli", PIPELINE))
        assert cli is not None
        ratios.append(1.0 if rest is None else cli / rest)  # None: the CLI imported it all
    assert min(ratios) <= CLI_SHARE, ratios


def _cumulative(importtime: str, module: str) -> int | None:
    """The cumulative microseconds `-X importtime` reports for `module` (None: not imported
    there, having been imported before)."""
    pattern = re.compile(rf"\| {re.escape(module)}$")
    lines = [x for x in importtime.splitlines() if pattern.search(x)]
    return int(lines[0].split("|")[1]) if lines else None


def test_startup_text_audit_without_rank_lists_loads_no_segmenter(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(BULLETIN, encoding="utf-8")
    loaded = loaded_after(audit_code(path))
    assert "pipeline" in loaded and "rapidfuzz" in loaded  # it did audit
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_startup_rank_list_loads_jieba_and_nothing_else_heavy(tmp_path: Path) -> None:
    path = tmp_path / "ranked.txt"
    path.write_text(RANKED, encoding="utf-8")
    loaded = loaded_after(audit_code(path))
    assert "jieba" in loaded
    assert not loaded & (set(HEAVY) - {"jieba"})


def test_startup_rank_list_without_connectors_loads_no_jieba(tmp_path: Path) -> None:
    path = tmp_path / "ranked.txt"
    path.write_text(RANKED_PLAIN, encoding="utf-8")
    code = audit_code(path).replace("main(", "code = main(") + "assert code == 0, code\n"
    loaded = loaded_after(code)
    assert "rapidfuzz" in loaded  # it did audit
    assert "jieba" not in loaded


def test_startup_pdf_audit_loads_no_other_backend(seed_pdf: Path) -> None:
    loaded = loaded_after(audit_code(seed_pdf))
    assert "pdfplumber" in loaded
    unused = {"spacy", "camelot", "dask", "distributed", "matplotlib", "pyarrow", "pandas"}
    assert not loaded & unused, loaded & unused


def test_startup_one_document_audit_loads_no_archive_rules(tmp_path: Path) -> None:
    """The archive rules (pipeline.validate.crossdoc) read many documents' stored rows; an
    audit of one file neither runs nor imports them."""
    path = tmp_path / "plain.txt"
    path.write_text(BULLETIN, encoding="utf-8")
    code = audit_code(path) + "import sys\nprint(sorted(m for m in sys.modules if 'crossdoc' in m))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"
