"""The HTML reports carry a subset of an OFL CJK font and print Chinese without any CJK font.

The browser test runs headless Chromium under a fontconfig that knows only DejaVu (Latin,
Greek, Cyrillic; no Han character), so every Chinese glyph on the page must come from the
embedded font. A control run of the same page with the font taken out shows that this
setup really has none: its Chinese characters all draw the same box, or nothing.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from pipeline.dataset.rows import document_rows
from pipeline.errors import ConfigError
from pipeline.model import Audit
from pipeline.report.archive import write_archive_report
from pipeline.report.fonts import FAMILY, find_font, printed_text
from pipeline.report.html import audit_html

LATIN_ONLY = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
FONT_STYLE = re.compile(r'<style data-font="[^"]*">.*?</style>\n?', re.S)
HAN = re.compile(r"[\u4e00-\u9fff]")

# Draws each of the first Han characters of the <h1> on a canvas in the <h1>'s own font,
# once the page's fonts are ready, and records a signature of the inked pixels per character.
PROBE = """<script>
document.fonts.ready.then(() => {
  const h1 = document.querySelector("h1");
  const font = getComputedStyle(h1).fontFamily;
  const chars = [...new Set([...h1.textContent].filter((c) => /\\p{Script=Han}/u.test(c)))];
  const shapes = chars.slice(0, 8).map((c) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 48;
    const ctx = canvas.getContext("2d");
    ctx.font = `40px ${font}`;
    ctx.fillText(c, 4, 40);
    const px = ctx.getImageData(0, 0, 48, 48).data;
    let inked = 0, bits = "";
    for (let i = 3; i < px.length; i += 4) {
      const on = px[i] > 127;
      inked += on;
      bits += on ? 1 : 0;
    }
    return {char: c, inked: inked, bits: bits};
  });
  const faces = [...document.fonts].map((f) => f.family + ":" + f.status);
  document.body.dataset.probe = JSON.stringify({faces: faces, shapes: shapes});
});
</script>"""


def embedded_woff(page: str) -> bytes:
    match = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page)
    assert match, "no embedded font"
    return base64.b64decode(match.group(1))


def latin_only_fontconfig(folder: Path) -> Path:
    """A fontconfig file whose only fonts are DejaVu's."""
    assert LATIN_ONLY.is_dir(), "fonts-dejavu-core is missing (`make system-packages`)"
    (folder / "cache").mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{LATIN_ONLY}</dir>"
        f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def probe_in_chromium(page: str, folder: Path, fontconfig: Path) -> dict[str, object]:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is not installed (`make test` installs it with apt-get)")
    relaxed = page.replace(
        "style-src 'unsafe-inline'", "style-src 'unsafe-inline'; script-src 'unsafe-inline'"
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "probed.html"
    path.write_text(relaxed.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={folder / 'profile'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"FONTCONFIG_FILE": str(fontconfig), "HOME": str(folder)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = re.search(r'data-probe="([^"]*)"', proc.stdout)
    assert found, "the probe did not run"
    data: dict[str, object] = json.loads(found.group(1).replace("&quot;", '"'))
    return data


def test_report_font_covers_exactly_the_printed_characters(seed_audit: Audit) -> None:
    page = audit_html(seed_audit)
    bare = FONT_STYLE.sub("", page)
    printed = {ord(c) for c in printed_text(bare)}
    assert len(HAN.findall(printed_text(bare))) > 100  # the page prints Chinese
    choice = find_font()
    assert choice is not None and choice.family == "Noto Sans CJK SC"
    source = TTFont(choice.path, fontNumber=choice.index, lazy=True).getBestCmap()
    embedded = set(TTFont(io.BytesIO(embedded_woff(page))).getBestCmap())
    assert embedded == printed & set(source)
    assert {c for c in printed if HAN.match(chr(c))} <= embedded  # every Han character
    assert len(embedded_woff(page)) < 80_000  # about 30 kB for the seed's 260 characters
    assert audit_html(seed_audit) == page  # no time stamp: same audit, same bytes


def test_report_font_renders_chinese_without_cjk_fonts(seed_audit: Audit, tmp_path: Path) -> None:
    fontconfig = latin_only_fontconfig(tmp_path / "fc")
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "file"],
        capture_output=True,
        text=True,
        env={"FONTCONFIG_FILE": str(fontconfig)},
        check=True,
    )
    assert listed.stdout.strip() == ""  # this setup knows no Chinese font
    page = audit_html(seed_audit)

    control = probe_in_chromium(FONT_STYLE.sub("", page), tmp_path / "without", fontconfig)
    boxes = {s["bits"] for s in control["shapes"]}  # type: ignore[attr-defined]
    assert len(control["shapes"]) == 8 and len(boxes) == 1  # type: ignore[arg-type]

    shown = probe_in_chromium(page, tmp_path / "with", fontconfig)
    assert shown["faces"] == [f"{FAMILY}:loaded"]
    shapes = shown["shapes"]
    assert len(shapes) == 8  # type: ignore[arg-type]
    assert len({s["bits"] for s in shapes}) == 8  # type: ignore[attr-defined]
    assert all(s["inked"] > 20 for s in shapes)  # type: ignore[attr-defined]


def test_archive_report_embeds_the_font(seed_audit: Audit, seed_pdf: Path, tmp_path: Path) -> None:
    rows = [document_rows(seed_audit, source=str(seed_pdf))]
    page = write_archive_report(tmp_path, rows, [], {}).read_text(encoding="utf-8")
    assert "font-src data:" in page and f'font: 15px/1.5 "{FAMILY}"' in page
    printed = {ord(c) for c in printed_text(FONT_STYLE.sub("", page)) if HAN.match(c)}
    assert printed and printed <= set(TTFont(io.BytesIO(embedded_woff(page))).getBestCmap())


def tiny_font(path: Path, licence: str) -> Path:
    """A one-glyph TrueType font whose licence description is `licence`."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "uni6C49"])
    builder.setupCharacterMap({0x6C49: "uni6C49"})
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 800))
    pen.lineTo((900, 800))
    pen.closePath()
    glyph = pen.glyph()
    builder.setupGlyf({".notdef": glyph, "uni6C49": glyph})
    builder.setupHorizontalMetrics({".notdef": (1000, 100), "uni6C49": (1000, 100)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable(
        {"familyName": "Tiny", "styleName": "Regular", "licenseDescription": licence}
    )
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


def test_report_font_refuses_a_font_not_under_the_ofl(tmp_path: Path) -> None:
    closed = tiny_font(tmp_path / "closed.ttf", "All rights reserved.")
    with pytest.raises(ConfigError, match="not licensed under the SIL Open Font License"):
        find_font(str(closed))
    with pytest.raises(ConfigError, match="no such font file"):
        find_font(str(tmp_path / "missing.ttf"))
    ofl = tiny_font(tmp_path / "open.ttf", "Licensed under the SIL Open Font License, Version 1.1.")
    choice = find_font(str(ofl))
    assert choice is not None and (choice.path, choice.index, choice.family) == (ofl, 0, "Tiny")
