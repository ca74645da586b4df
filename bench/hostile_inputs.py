"""The hostile set: at least 300 inputs written into a folder, the same bytes for the same seed.

`write_inputs(folder, seed)` writes them and returns one `HostileInput` each, saying what a
sound audit must do with it:
- `damaged`: the file is broken or unreadable, so the audit must fail it or warn; a clean
  exit 0 without a warning is a silent omission;
- `original`: for a truncated or bit-flipped copy of a corpus PDF, or a hand-made PDF, the
  name of the intact file in the set. Such a file may be clean only when it reads as many
  numbers as its original (the damage fell on bytes that carry no text, or pdfminer repaired
  it);
- `markup`: the file names departments with markup, so its md and html reports are checked
  for that markup printed raw.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import hostile_flow, hostile_pdf

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = 12
# corpus PDFs the truncated and bit-flipped copies start from (small, with a text layer)
CORPUS_PDFS = (
    "corpus/generated/gen-0003.pdf",
    "corpus/generated/gen-0001.pdf",
    "corpus/generated-forms/gen-0076.pdf",
)
CUTS = (0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.99)
ONE_PAGE = "intact-one-page.pdf"
FLIP_COPIES = 10  # bit-flipped copies per corpus PDF
# names a user's files really get: spaces, leading dashes, Unicode, shell and markup characters
ODD_NAMES = (
    "with space.txt",
    "-leading-dash.txt",
    "--double-dash.txt",
    "中文 文件名.txt",
    "emoji-📄.txt",
    "quote'and\"double.txt",
    "$(echo hi).txt",
    "semi;colon&amp.txt",
    "<b>markup<b>.txt",
    "[red]rich[red].txt",
    "percent%20name.txt",
    "tab\tname.txt",
    "é-decomposed-e\u0301.txt",
    "very-long-" + "名" * 60 + ".txt",
    "no-suffix",
    "UPPER.TXT",
    "dots...txt",
    "#hash.html",
)


@dataclass(frozen=True, slots=True)
class HostileInput:
    name: str  # file name inside the folder
    kind: str  # pdf, pdf-cut, pdf-flip, html, text, docx, name
    damaged: bool
    original: str | None = None
    markup: bool = False

    def path(self, folder: Path) -> Path:
        return folder / self.name


def write_inputs(
    folder: Path, seed: int = DEFAULT_SEED, only: Collection[str] | None = None
) -> list[HostileInput]:
    """Write the set into `folder` (created) and describe each file; `only`: these names.

    A file's bytes depend only on the seed and its name, so a subset is the same bytes as in
    the whole set.
    """
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for item, build in _all(random.Random(seed)):
        if only is not None and item.name not in only:
            continue
        item.path(folder).write_bytes(build(random.Random(f"{seed}:{item.name}")))
        made.append(item)
    return made


Builder = Callable[[random.Random], bytes]


def _all(rng: random.Random) -> Iterator[tuple[HostileInput, Builder]]:
    """Every input with its builder; the flow files are cheap and drawn from `rng` up front."""
    yield from _corpus_copies()
    # the one-page bulletin every hand-made PDF draws, intact: a damaged variant may be clean
    # only when it reads all of its numbers (a loop pdfminer steps around, a page tree it
    # rebuilds by scanning the objects)
    yield HostileInput(ONE_PAGE, "pdf", False), lambda _r: hostile_pdf.one_page()
    for name, build, damaged in hostile_pdf.variants():
        yield HostileInput(f"{name}.pdf", "pdf", damaged, ONE_PAGE), build
    flows = [("html", v) for v in hostile_flow.html_variants(rng)]
    flows += [("text", v) for v in hostile_flow.text_variants(rng)]
    for kind, (name, data, damaged) in flows:
        item = HostileInput(name, kind, damaged, markup=name.startswith("markup"))
        yield item, lambda _r, d=data: d
    for name, make, damaged in hostile_flow.docx_variants(rng):
        yield HostileInput(name, "docx", damaged, markup=name.startswith("markup")), make
    for n, name in enumerate(ODD_NAMES):
        body = f"{hostile_flow.HEAD}\n受理{40 + n}件，办结{39 + n}件。\n"
        if name.endswith(".html"):
            body = hostile_flow.page(f"<p>受理{40 + n}件</p>")
        yield HostileInput(name, "name", False), lambda _r, b=body: b.encode()


def _corpus_copies() -> Iterator[tuple[HostileInput, Builder]]:
    for source in CORPUS_PDFS:
        data = (ROOT / source).read_bytes()
        stem = Path(source).stem
        original = f"intact-{stem}.pdf"
        yield HostileInput(original, "pdf", False), lambda _r, d=data: d
        for cut in CUTS:
            item = HostileInput(f"cut-{stem}-{int(cut * 100):02d}.pdf", "pdf-cut", True, original)
            yield item, lambda _r, d=data, c=cut: hostile_pdf.truncated(d, c)
        for n in range(FLIP_COPIES):
            flips = (1, 4, 32)[n % 3]
            item = HostileInput(f"flip-{stem}-{n:02d}-x{flips}.pdf", "pdf-flip", True, original)
            yield item, lambda r, d=data, f=flips: hostile_pdf.bit_flips(d, r, f)


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hostile")
    inputs = write_inputs(out)
    print(f"{len(inputs)} inputs in {out}")
