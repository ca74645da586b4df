"""The HTML audit report: rendered in headless Chromium, escaped, self-contained, wired to the CLI.

Chromium (Debian package `chromium`) is installed by `make test`; without it the browser tests
fail rather than skip, so a run that never opened the report cannot pass as one that did.
"""

from __future__ import annotations

import base64
import io
import json
import os
import pty
import select
import shutil
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pipeline.commands.audit import report_names
from pipeline.errors import InputError
from pipeline.extract import read_document
from pipeline.model import Audit, Severity
from pipeline.normalize import normalize
from pipeline.report.html import audit_html
from pipeline.report.text import audit_text
from pipeline.report.thumbnails import BOX_RGB, boxes_to_crop, evidence_thumbnails
from pipeline.validate import audit

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_NAME = "<script>alert(1)</script>"
CSP = "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"

# A small bulletin whose only error is on the row of a department named like markup.
CRAFTED = "\n".join(
    [
        "某某区人民政府办公室",
        "",
        "关于 2024 年 5 月份 12345 热线办理情况的通报",
        "",
        "各镇、街道办事处，区政府各工作部门：",
        "",
        "一、总体情况",
        "",
        "5 月份，全区热线共受理工单 77 件，办结 70 件。",
        "",
        "附件：5 月各部门热线办理情况表",
        "",
        "某某区人民政府办公室",
        "",
        "2024 年 6 月 3 日",
        "",
        "附件",
        "",
        "2024 年 5 月各部门热线办理情况表",
        "",
        "序号\t部门名称\t受理数\t办结数\t办结率",
        "1\t区民政局\t20\t20\t100.00%",
        f"2\t{SCRIPT_NAME}\t30\t28\t90.00%",
        "3\t区司法局\t10\t9\t90.00%",
        "4\t区商务局\t8\t6\t75.00%",
        "5\t区残联\t4\t3\t75.00%",
        "6\t区应急管理局\t5\t4\t80.00%",
        "",
    ]
)

# Injected into a copy of the report (the report itself runs no script): once every image
# has loaded, record for each thumbnail whether it decoded, its displayed size and how many
# pixels carry exactly the box colour of its finding's severity.
PROBE = """<script>
window.addEventListener("load", () => {
  const colours = %s;
  const thumbs = [...document.querySelectorAll("img.thumb")].map((img) => {
    const severity = img.closest("article").dataset.severity;
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = colours[severity];
    let boxed = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i] === r && px[i + 1] === g && px[i + 2] === b) boxed++;
    }
    const rect = img.getBoundingClientRect();
    return {
      finding: img.closest("article").id, page: Number(img.dataset.page),
      complete: img.complete, natural: img.naturalWidth, shown: rect.width * rect.height,
      boxed: boxed, href: img.closest("a") ? img.closest("a").getAttribute("href") : null,
    };
  });
  const texts = [...document.querySelectorAll("dd.department")].map((d) => d.textContent);
  document.body.dataset.probe = JSON.stringify(
    {scripts: document.scripts.length, thumbs: thumbs, departments: texts});
});
</script>
"""


class _Dom(HTMLParser):
    """The finding articles, script elements and body attributes of a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.articles: list[dict[str, str | None]] = []
        self.scripts = 0
        self.body: dict[str, str | None] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.articles.append(dict(attrs))
        elif tag == "script":
            self.scripts += 1
        elif tag == "body":
            self.body = dict(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def chromium_dom(page: Path, profile: Path) -> _Dom:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is not installed (`make test` installs it with apt-get)")
    proc = subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = _Dom()
    dom.feed(proc.stdout)
    return dom


def with_probe(report: str) -> str:
    """The report with its script ban lifted and the probe appended (for the test only)."""
    assert f'content="{CSP}"' in report  # the shipped page forbids every script
    colours = json.dumps({s.value: list(rgb) for s, rgb in BOX_RGB.items()})
    relaxed = report.replace(CSP, CSP + "; script-src 'unsafe-inline'")
    return relaxed.replace("</body>", PROBE % colours + "</body>")


def probe_of(dom: _Dom) -> dict[str, Any]:
    raw = dom.body.get("data-probe")
    assert raw, "the probe did not run"
    data: dict[str, Any] = json.loads(raw)
    return data


@pytest.fixture(scope="module")
def crafted_audit(tmp_path_factory: pytest.TempPathFactory) -> Audit:
    path = tmp_path_factory.mktemp("crafted") / "crafted.txt"
    path.write_text(CRAFTED, encoding="utf-8")
    return audit(normalize(read_document(path)))


def test_html_report_seed_renders_in_chromium(
    tmp_path: Path, seed_audit: Audit, seed_pdf: Path
) -> None:
    report = audit_html(seed_audit, source_pdf=seed_pdf, pdf_href=seed_pdf.as_uri())
    page = tmp_path / "seed.html"
    page.write_text(with_probe(report), encoding="utf-8")
    dom = chromium_dom(page, tmp_path / "profile")

    rendered = {a["id"]: a for a in dom.articles}
    assert set(rendered) == {f"finding-{f.id}" for f in seed_audit.findings}
    errors = {a["data-rule"] for a in dom.articles if a["data-severity"] == "error"}
    assert {"RATE001", "XREF001", "PERIOD001"} <= errors

    probe = probe_of(dom)
    wanted = evidence_thumbnails(seed_pdf, seed_audit.findings)
    thumbs = probe["thumbs"]
    assert len(thumbs) == len(wanted) > 0
    for t in thumbs:
        assert t["complete"] and t["natural"] > 0 and t["shown"] > 0, t
        assert t["boxed"] >= 40, t  # the outline of at least one box, in its exact colour
        assert t["href"] == f"{seed_pdf.as_uri()}#page={t['page']}"
    rate = next(f for f in seed_audit.findings if f.rule == "RATE001")
    assert {t["page"] for t in thumbs if t["finding"] == f"finding-{rate.id}"} == {1, 6}


def test_html_report_prints_markup_in_document_text_as_text(
    tmp_path: Path, crafted_audit: Audit
) -> None:
    finding = next(f for f in crafted_audit.findings if f.severity is Severity.ERROR)
    assert finding.department == SCRIPT_NAME  # the crafted name reached a finding
    report = audit_html(crafted_audit)
    assert SCRIPT_NAME not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report

    shipped = tmp_path / "crafted.html"
    shipped.write_text(report, encoding="utf-8")
    dom = chromium_dom(shipped, tmp_path / "profile")
    assert dom.scripts == 0
    assert SCRIPT_NAME in "".join(dom.text)

    probed = tmp_path / "probed.html"
    probed.write_text(with_probe(report), encoding="utf-8")
    probe = probe_of(chromium_dom(probed, tmp_path / "profile"))
    assert probe["scripts"] == 1  # the probe alone: even with scripts allowed none came in
    assert SCRIPT_NAME in probe["departments"]
    assert probe["thumbs"] == []  # a text document has no page to show


def test_html_report_without_pages_lists_evidence_by_block(crafted_audit: Audit) -> None:
    report = audit_html(crafted_audit)
    assert "<img" not in report and "data:image" not in report
    assert 'data-rule="TBL002"' in report and "block " in report
    assert "90.00%</strong> printed" in report and "93.33%</strong> recomputed" in report
    assert "sha256" in report and crafted_audit.normalized.document.sha256 in report


def test_html_report_is_self_contained_and_small(seed_audit: Audit, seed_pdf: Path) -> None:
    report = audit_html(seed_audit, source_pdf=seed_pdf)
    assert 'src="http' not in report and 'href="http' not in report and "<link" not in report
    assert "#page=" not in report  # no pdf_href, no links
    assert report.count('class="thumb"') == len(evidence_thumbnails(seed_pdf, seed_audit.findings))
    assert len(report.encode("utf-8")) < 400_000  # 22 findings, 25 thumbnails: about 210 kB
    for heading in ("Errors (3)", "Warnings (1)", "Coverage", "half-up"):
        assert heading in report
    cov = seed_audit.coverage
    assert f"<strong>{cov.checked}</strong> of <strong>{cov.numbers}</strong>" in report
    if cov.unchecked:
        assert f"Not audited ({len(cov.unchecked)})" in report
    else:
        assert "Every printed number was checked." in report


def test_html_report_refuses_a_pdf_that_was_not_audited(seed_audit: Audit) -> None:
    other = ROOT / "corpus" / "generated" / "gen-0001.pdf"
    with pytest.raises(InputError, match="sha256 differs"):
        audit_html(seed_audit, source_pdf=other)


def test_thumbnails_box_the_evidence_in_the_severity_colour(
    seed_audit: Audit, seed_pdf: Path
) -> None:
    thumbs = evidence_thumbnails(seed_pdf, seed_audit.findings)
    for (index, _page), thumb in thumbs.items():
        data = base64.b64decode(thumb.data_uri.removeprefix("data:image/png;base64,"))
        image = Image.open(io.BytesIO(data)).convert("RGB")
        assert image.size == (thumb.width, thumb.height)
        assert thumb.width <= 900 and thumb.height <= 700
        counts = {rgb: n for n, rgb in image.getcolors(1 << 20) or []}
        assert counts.get(BOX_RGB[seed_audit.findings[index].severity], 0) >= 40


def test_thumbnails_crop_keeps_context_inside_the_page() -> None:
    page = (595.0, 842.0)
    x0, top, x1, bottom = boxes_to_crop([(300.0, 400.0, 330.0, 412.0)], page)
    assert x0 < 300 and x1 > 330 and top < 400 and bottom > 412
    assert x1 - x0 >= 320  # a lone cell still shows its neighbours
    assert boxes_to_crop([(5.0, 5.0, 590.0, 840.0)], page) == (0.0, 0.0, 595.0, 842.0)


def test_text_report_colour_only_when_asked(crafted_audit: Audit) -> None:
    plain = audit_text(crafted_audit)
    assert "\x1b[" not in plain and "ERROR   TBL002" in plain
    coloured = audit_text(crafted_audit, colour=True)
    assert "\x1b[1;31mERROR  \x1b[0m" in coloured


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_cli_html_needs_a_directory_for_several_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    proc = run_cli("audit", str(a), str(b), "--format", "html")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "needs -o/--output DIR" in proc.stderr
    proc = run_cli("audit", str(a), "--format", "json", "-o", str(tmp_path))
    assert proc.returncode == 2 and "-o/--output names a file for --format json" in proc.stderr


def test_cli_html_writes_one_page_per_file(tmp_path: Path) -> None:
    first, second = tmp_path / "in" / "may.txt", tmp_path / "in" / "june.txt"
    first.parent.mkdir()
    for path in (first, second):
        path.write_text(CRAFTED, encoding="utf-8")
    out = tmp_path / "reports"
    proc = run_cli("audit", str(first), str(second), "--format", "html", "-o", str(out))
    assert proc.returncode == 1, proc.stderr  # the crafted error
    written = [Path(line) for line in proc.stdout.splitlines()]
    assert written == [out / "may.html", out / "june.html"]
    assert all(p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") for p in written)
    single = run_cli("audit", str(first), "--format", "html")
    assert single.stdout.startswith("<!DOCTYPE html>") and 'data-rule="TBL002"' in single.stdout


def test_cli_html_names_never_overwrite_each_other(tmp_path: Path) -> None:
    names = report_names([Path("a/x.pdf"), Path("a/x.txt"), Path("a/y.pdf")])
    assert names == {
        Path("a/x.pdf"): "x.pdf.html",
        Path("a/x.txt"): "x.txt.html",
        Path("a/y.pdf"): "y.html",
    }
    proc = run_cli("audit", "a/x.pdf", "b/x.pdf", "--format", "html", "-o", str(tmp_path))
    assert proc.returncode == 2 and "two inputs would both write" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_text_has_no_colour_when_piped(tmp_path: Path) -> None:
    crafted = tmp_path / "crafted.txt"
    crafted.write_text(CRAFTED, encoding="utf-8")
    proc = run_cli("audit", str(crafted))
    assert proc.returncode == 1 and "TBL002" in proc.stdout and "\x1b" not in proc.stdout


def run_on_terminal(*args: str, env: dict[str, str]) -> str:
    """stdout of the CLI when it is a terminal (a pseudo-terminal here)."""
    master, slave = pty.openpty()
    command = [sys.executable, "-m", "pipeline", *args]
    with subprocess.Popen(command, stdout=slave, stderr=subprocess.DEVNULL, env=env) as proc:
        os.close(slave)
        chunks = []
        while select.select([master], [], [], 120)[0]:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8")


def test_cli_text_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    crafted = tmp_path / "crafted.txt"
    crafted.write_text(CRAFTED, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[1;31mERROR" in run_on_terminal("audit", str(crafted), env=env)
    plain = run_on_terminal("audit", str(crafted), env={**env, "NO_COLOR": "1"})
    assert "TBL002" in plain and "\x1b" not in plain


def test_text_report_shows_control_characters_as_replacements(crafted_audit: Audit) -> None:
    finding = crafted_audit.findings[0]
    tampered = replace(finding, message="clear\x1b[2Jscreen", department="a\x07b")
    text = audit_text(replace(crafted_audit, findings=(tampered,)), colour=True)
    assert "\x1b[2J" not in text and "\x07" not in text
    assert "clear\ufffd[2Jscreen" in text and "a\ufffdb" in text
