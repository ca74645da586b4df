"""An OFL CJK font subset to the characters a page prints, embedded in that HTML page.

A reader without Chinese fonts would otherwise see empty boxes. The page gets an
`@font-face` rule for the family FAMILY whose source is a WOFF data URI holding only the
glyphs of the characters its text prints (a report of 300 distinct characters carries about
40 kB). The subset is cut from the common cut shipped in the package (COMMON_CUT, made by
font_cut.py: Noto Sans CJK SC already reduced to GB2312 and the vocabularies' characters,
cheap to cut again) when it has every printed character the installed font has; otherwise
from the installed font, one of the files listed in pipeline/data/cjk_fonts.json (Debian's
`fonts-noto-cjk` first), or from BULLETINS_CJK_FONT, which always wins. Only a font whose
licence is the SIL Open Font License is embedded, since the page redistributes part of it.
Without any the page is written as before and a warning says so: readers then need a CJK
font of their own.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import json
import logging
import os
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pipeline.errors import ConfigError

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data" / "cjk_fonts.json"
COMMON_CUT = DATA.parent / "fonts" / "NotoSansCJKsc-common.woff"  # font_cut.py writes it
ENV = "BULLETINS_CJK_FONT"  # a font file to embed instead of the listed ones
FAMILY = "Bulletins Embedded CJK"  # the name the templates' font stacks start with
HIDDEN = frozenset({"style", "script", "title", "head"})  # elements whose text is not printed
NAME_LICENCE, NAME_LICENCE_URL, NAME_FAMILY = 13, 14, 1  # OpenType name IDs
KEPT_NAMES = [0, 1, 2, 3, 4, 5, 6, NAME_LICENCE, NAME_LICENCE_URL]  # with copyright and licence
# Tables a horizontal, unhinted subset does without: layout features and vertical metrics.
DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx")


@dataclass(frozen=True, slots=True)
class FontChoice:
    """One face of a font file: `index` is its place in a collection (0 for a single font)."""

    path: Path
    index: int
    family: str  # the face's own family name (name ID 1), e.g. "Noto Sans CJK SC"
    cut: bool = False  # the common cut: desubroutinized and unhinted already


@dataclass(frozen=True, slots=True)
class FontList:
    faces: tuple[str, ...]  # preferred faces of a collection, best first
    files: tuple[Path, ...]
    licence_marks: tuple[str, ...]  # any of these in the licence names says OFL


@functools.cache
def font_list() -> FontList:
    """pipeline/data/cjk_fonts.json; raises ConfigError when it is malformed."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return FontList(
            faces=tuple(raw["faces"]),
            files=tuple(Path(p) for p in raw["files"]),
            licence_marks=tuple(raw["licence_marks"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: not a font list ({exc})") from exc


def printed_text(page: str) -> str:
    """The characters a browser prints for the HTML `page`: its text outside <head>."""
    parser = _TextParser()
    parser.feed(page)
    parser.close()
    return "".join(parser.chunks)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # &lt; prints as <
        self.chunks: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.chunks.append(data)


@functools.cache
def find_font(chosen: str | None = None) -> FontChoice | None:
    """The font to embed: the file `chosen` (BULLETINS_CJK_FONT), else the first listed file
    there is; None when there is none. Raises ConfigError when `chosen` is a missing file or
    a font not under the OFL."""
    fonts = font_list()
    if chosen:
        path = Path(chosen)
        if not path.is_file():
            raise ConfigError(f"{ENV}={chosen}: no such font file")
        choice = _choose_face(path, fonts)
        if choice is None:
            raise ConfigError(f"{ENV}={chosen}: not licensed under the SIL Open Font License")
        return choice
    for path in fonts.files:
        if path.is_file():
            choice = _choose_face(path, fonts)
            if choice is not None:
                return choice
    return None


def _choose_face(path: Path, fonts: FontList) -> FontChoice | None:
    """The preferred face of the file (its first when none is preferred), when it is OFL."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        faces = list(TTCollection(path, lazy=True).fonts)
    else:
        faces = [TTFont(path, lazy=True)]
    families = [str(f["name"].getDebugName(NAME_FAMILY)) for f in faces]
    ranked = [families.index(name) for name in fonts.faces if name in families]
    index = ranked[0] if ranked else 0
    name = faces[index]["name"]
    licence = f"{name.getDebugName(NAME_LICENCE)} {name.getDebugName(NAME_LICENCE_URL)}"
    if not any(mark in licence for mark in fonts.licence_marks):
        log.warning("%s: not under the SIL Open Font License; not embedded", path)
        return None
    return FontChoice(path, index, families[index])


@functools.cache
def common_cut() -> FontChoice | None:
    """The shipped common cut (COMMON_CUT); None when the package lacks it."""
    if not COMMON_CUT.is_file():
        return None
    choice = _choose_face(COMMON_CUT, font_list())
    return None if choice is None else FontChoice(choice.path, 0, choice.family, cut=True)


@functools.cache
def characters_of(choice: FontChoice) -> frozenset[int]:
    """The code points the face maps (read once per process: 0.1 s for the whole face)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(choice.path, fontNumber=choice.index, lazy=True).getBestCmap())


def font_for(text: str) -> FontChoice | None:
    """The face to cut for a page printing `text`: BULLETINS_CJK_FONT when set; else the
    common cut when it has every character of `text` the installed font has (or when no font
    is installed); else the installed font. Raises ConfigError as `find_font` does."""
    chosen = os.environ.get(ENV) or None
    if chosen:
        return find_font(chosen)
    cut, installed = common_cut(), find_font()
    if cut is None or installed is None:
        return cut or installed
    beyond = {ord(c) for c in text} - characters_of(cut)
    # the installed face is read only for a page printing characters the cut lacks
    return installed if beyond & characters_of(installed) else cut


def subset_woff(choice: FontChoice, text: str) -> bytes:
    """The face cut down to the glyphs of `text` (what has none is left out), as WOFF."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcBBoxes off: recomputing every glyph's bounds would triple the time;
    # recalcTimestamp off: the same page gives the same bytes
    font = TTFont(
        choice.path,
        fontNumber=choice.index,
        lazy=True,
        recalcBBoxes=False,
        recalcTimestamp=False,
    )
    options = subset.Options()
    # A face already cut has neither hints nor subroutines: asking to strip them again would
    # decode and re-encode every glyph (two thirds of the time) for the same bytes.
    options.hinting = choice.cut
    options.desubroutinize = not choice.cut
    options.name_IDs = KEPT_NAMES  # the OFL travels with every copy
    options.layout_features = []
    options.drop_tables += list(DROPPED_TABLES)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.flavor = "woff"  # zlib, in the standard library (WOFF2 would need brotli)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face_css(woff: bytes, family: str = FAMILY) -> str:
    encoded = base64.b64encode(woff).decode("ascii")
    return (
        f'@font-face {{ font-family: "{family}"; '
        f'src: url(data:font/woff;base64,{encoded}) format("woff"); }}'
    )


def embed_font(page: str) -> str:
    """`page` with a <style> holding the font, subset to its printed text, before </head>.

    The page must allow `font-src data:` in its Content-Security-Policy and name FAMILY in
    its font stacks. Unchanged, after a warning, when no OFL CJK font is found. Raises
    ConfigError as `find_font` does for BULLETINS_CJK_FONT.
    """
    text = "".join(sorted(set(printed_text(page))))
    choice = font_for(text)
    if choice is None:
        _warn_no_font()
        return page
    css = font_face_css(subset_woff(choice, text))
    style = f'<style data-font="{html.escape(choice.family)}">{css}</style>'
    head_end = page.index("</head>")
    return page[:head_end] + style + "\n" + page[head_end:]


@functools.cache
def _warn_no_font() -> None:
    """Once per process: the pages will need the reader's own CJK fonts."""
    log.warning(
        "no OFL CJK font found (install Debian's fonts-noto-cjk or set %s): the HTML "
        "reports embed none, and readers without Chinese fonts will see boxes",
        ENV,
    )
