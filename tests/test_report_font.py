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
from pipeline.extract import read_document
from pipeline.model import Audit
from pipeline.normalize import normalize
from pipeline.report.archive import write_archive_report
from pipeline.report.font_cut import common_characters
from pipeline.report.fonts import (
    COMMON_CUT,
    FAMILY,
    characters_of,
    common_cut,
    find_font,
    font_for,
    printed_text,
    subset_woff,
)
from pipeline.report.html import audit_html
from pipeline.validate import audit

GENERATED = Path(__file__).resolve().parents[1] / "corpus" / "generated"

LATIN_ONLY = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
FONT_STYLE = re.compile(r'<style data-font="[^"]*">.*?</style>\n?', re.S)
HAN = re.compile(r"[\u4e00-\u9fff]")

# Draws each of the first Han characters of the first element matching SELECTOR that prints
# any (the <h1>, or a chart's SVG <text>) on a canvas in that element's own font, once the
# page's fonts are ready, and records a signature of the inked pixels per character.
PROBE = """<script>
document.fonts.ready.then(() => {
  const han = /\\p{Script=Han}/u;
  const shown = [...document.querySelectorAll("SELECTOR")].find((e) => han.test(e.textContent));
  const font = getComputedStyle(shown).fontFamily;
  const chars = [...new Set([...shown.textContent].filter((c) => han.test(c)))];
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
  document.body.dataset.probe = JSON.stringify({faces: faces, font: font, shapes: shapes});
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


def probe_in_chromium(
    page: str, folder: Path, fontconfig: Path, selector: str = "h1"
) -> dict[str, object]:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is not installed (`make test` installs it with apt-get)")
    relaxed = page.replace(
        "style-src 'unsafe-inline'", "style-src 'unsafe-inline'; script-src 'unsafe-inline'"
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "probed.html"
    probe = PROBE.replace("SELECTOR", selector)
    path.write_text(relaxed.replace("</body>", probe + "</body>"), encoding="utf-8")
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
    fontconfig = chinese_free_setup(tmp_path / "fc")
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


def chinese_free_setup(folder: Path) -> Path:
    """A DejaVu-only fontconfig, after checking that it lists no Chinese font."""
    fontconfig = latin_only_fontconfig(folder)
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "file"],
        capture_output=True,
        text=True,
        env={"FONTCONFIG_FILE": str(fontconfig)},
        check=True,
    )
    assert listed.stdout.strip() == ""  # this setup knows no Chinese font
    return fontconfig


def test_archive_charts_render_chinese_without_cjk_fonts(tmp_path: Path) -> None:
    """Three bulletins of one district and two months: departments with charts, whose
    titles are their Chinese names, drawn inline in the page from its embedded font."""
    docs = []
    for name in ("gen-0007.pdf", "gen-0050.pdf", "gen-0044.pdf"):
        path = GENERATED / name
        docs.append(document_rows(audit(normalize(read_document(path))), source=str(path)))
    page = write_archive_report(tmp_path / "out", docs, [], {}).read_text(encoding="utf-8")
    titles = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", page) if HAN.search(t)]
    assert len(titles) == page.count('<figure class="chart"') > 0  # each names its department
    assert f"font-family: '{FAMILY}'" in page and "<img" not in page
    embedded = set(TTFont(io.BytesIO(embedded_woff(page))).getBestCmap())
    assert {ord(c) for t in titles for c in t if HAN.match(c)} <= embedded
    fontconfig = chinese_free_setup(tmp_path / "fc")
    selector = "figure.chart svg text"

    control = probe_in_chromium(
        FONT_STYLE.sub("", page), tmp_path / "without", fontconfig, selector
    )
    assert len({s["bits"] for s in control["shapes"]}) == 1  # type: ignore[attr-defined]

    shown = probe_in_chromium(page, tmp_path / "with", fontconfig, selector)
    assert shown["faces"] == [f"{FAMILY}:loaded"]
    assert str(shown["font"]).startswith(f'"{FAMILY}"')  # the <text>'s own font stack
    shapes = shown["shapes"]
    assert len(shapes) >= 4  # type: ignore[arg-type]
    assert len({s["bits"] for s in shapes}) == len(shapes)  # type: ignore[attr-defined,arg-type]
    assert all(s["inked"] > 20 for s in shapes)  # type: ignore[attr-defined]


def test_archive_report_embeds_the_font(seed_audit: Audit, seed_pdf: Path, tmp_path: Path) -> None:
    rows = [document_rows(seed_audit, source=str(seed_pdf))]
    page = write_archive_report(tmp_path, rows, [], {}).read_text(encoding="utf-8")
    assert "font-src data:" in page and f'font: 15px/1.5 "{FAMILY}"' in page
    printed = {ord(c) for c in printed_text(FONT_STYLE.sub("", page)) if HAN.match(c)}
    assert printed and printed <= set(TTFont(io.BytesIO(embedded_woff(page))).getBestCmap())


def test_common_cut_gives_the_installed_fonts_glyphs_for_less() -> None:
    cut, installed = common_cut(), find_font()
    assert cut is not None and cut.cut and cut.family == "Noto Sans CJK SC"
    assert "SIL OPEN FONT LICENSE" in (COMMON_CUT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert installed is not None and not installed.cut
    # it has every character it was made for that the installed face has (GB2312 and more)
    wanted = {ord(c) for c in common_characters()}
    assert len(wanted) > 7_000 and wanted & characters_of(installed) <= characters_of(cut)
    text = "各镇人民政府、街道办事处：本月共受理诉求1,234件，办结率98.11%（①）。"
    assert font_for(text) == cut
    assert subset_woff(cut, text) == subset_woff(installed, text)  # the same bytes
    # 硤, a traditional form outside GB2312: a page printing it is cut from the installed face
    assert ord("硤") not in characters_of(cut) and ord("硤") in characters_of(installed)
    assert font_for(text + "硤") == installed


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
