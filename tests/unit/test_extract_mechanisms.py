"""The mechanisms behind tables without vertical rules and tables over pages, on made-up input."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from pdfplumber.utils.text import dedupe_chars as pdfplumber_dedupe

from pipeline.extract.columns import as_printed, find_columns, place_row
from pipeline.extract.continuation import carried_fragment, join_fragment, realign
from pipeline.extract.dedupe import dedupe_chars
from pipeline.extract.runs import Run
from pipeline.extract.whitespace import read_whitespace_tables
from pipeline.model import Cell, Row, Source

SEED_PDF = Path(__file__).resolve().parents[2] / "corpus" / "seed"


def run(text: str, x0: float, x1: float, top: float = 0.0) -> Run:
    return Run(text, (x0, top, x1, top + 10.0), 10.0)


def cell(text: str, x0: float, x1: float, top: float = 0.0) -> Cell:
    return Cell(text, Source(1, (x0, top, x1, top + 10.0), "pdfplumber"))


def test_dedupe_keeps_what_pdfplumber_keeps_on_fake_bold() -> None:
    import pdfplumber

    rng = random.Random(7)
    pdf_path = next(SEED_PDF.glob("*.pdf"))
    with pdfplumber.open(pdf_path) as pdf:
        chars: list[dict[str, Any]] = list(pdf.pages[0].chars)
    doubled = []
    for c in chars:
        if rng.random() < 0.5:
            dx, dy = rng.choice([0.3, 0.9, 1.4]), rng.choice([0.0, 0.5, 1.2])
            doubled.append(
                {**c, "x0": c["x0"] + dx, "x1": c["x1"] + dx, "doctop": c["doctop"] + dy}
            )
    mixed = chars + doubled
    rng.shuffle(mixed)
    assert [id(c) for c in dedupe_chars(mixed)] == [id(c) for c in pdfplumber_dedupe(mixed)]


def test_dedupe_drops_a_double_whose_size_differs_by_float_noise() -> None:
    glyph = {"text": "各", "fontname": "F", "size": 15.0, "upright": True, "x0": 79.5}
    lower = {**glyph, "size": 14.999999999999943, "x0": 79.9}
    chars = [{**glyph, "doctop": 315.0}, {**lower, "doctop": 315.3}]
    assert dedupe_chars(chars) == chars[:1]


def test_a_cell_spanning_two_columns_neither_adds_a_column_nor_fits_them() -> None:
    rows = [[run("1", 0, 5), run("22", 50, 60), run("33", 100, 110)] for _ in range(9)]
    spanning = [run("9", 0, 5), run("4", 78, 83)]  # centred on the river between 22 and 33
    columns = find_columns([*rows, spanning], 0.0, 120.0)
    assert len(columns.cores) == 3
    assert place_row(rows[0], columns) is not None
    assert place_row(spanning, columns) is None  # kept as printed


def test_a_row_broken_at_the_page_end_is_joined_back() -> None:
    last: Row = (cell("15", 0, 10), cell("区城市管理", 20, 60), cell("987", 70, 90))
    rest: Row = (cell("执法局", 25, 50),)
    fragment = carried_fragment(last, [rest])
    assert fragment is not None
    assert [c.text for c in join_fragment(last, fragment)] == ["15", "区城市管理执法局", "987"]
    header: Row = (cell("序号", 0, 10), cell("单位", 20, 40), cell("件数", 70, 90))
    assert carried_fragment(last, [header]) is None


def test_a_lone_total_row_on_the_next_page_gets_back_its_empty_column() -> None:
    body = [(cell(str(i), 2, 8), cell("某单位", 20, 50), cell("12", 70, 80)) for i in range(3)]
    total: Row = (cell("合计", 0, 12), cell("36", 70, 80))
    (placed,) = realign([total], body, 3) or [()]
    assert [c.text for c in placed] == ["合计", "", "36"]


def glyphs(text: str, x0: float, top: float, size: float = 6.0) -> list[dict[str, Any]]:
    """Characters of one printed line, each one font size wide."""
    return [
        {"text": t, "x0": x0 + i * size, "x1": x0 + (i + 1) * size, "top": top}
        | {"bottom": top + size, "size": size}
        for i, t in enumerate(text)
    ]


def test_a_name_wrapped_below_the_last_row_stays_in_its_cell() -> None:
    # rows 9 pt apart; the last name is centred on three lines, the leading 2.7 pt (0.45 of the
    # size and a hair over it after the float arithmetic of the rendering)
    chars: list[dict[str, Any]] = []
    for i, top in enumerate((100.0, 120.0, 140.0)):
        chars += glyphs(f"{i + 1}", 10, top) + glyphs("某某局", 30, top)
        chars += glyphs("12", 90, top) + glyphs("11", 120, top)
    top = 160.0
    chars += glyphs("4", 10, top) + glyphs("12", 90, top) + glyphs("11", 120, top)
    for dy, part in ((-8.7, "区人力资源"), (0.0, "和社会保障"), (8.700000000000045, "局")):
        chars += glyphs(part, 30, top + dy)
    (table,) = read_whitespace_tables(1, chars, (), infer_spaces=False)
    assert [c.text for c in table.body_rows[-1]] == ["4", "区人力资源和社会保障局", "12", "11"]
    assert table.bbox[3] == top + 8.700000000000045 + 6.0


def test_rows_whose_names_wrap_onto_four_lines_stay_one_table() -> None:
    # main lines 34 pt apart (more than ROW_GAP font sizes), bridged by the wrapped lines of
    # the names between them
    chars: list[dict[str, Any]] = []
    for i, top in enumerate((100.0, 140.0, 180.0)):
        chars += glyphs(f"{i + 1}", 10, top) + glyphs("12", 90, top) + glyphs("11", 120, top)
        for k, dy in enumerate((-12.0, -4.0, 4.0, 12.0)):
            chars += glyphs("区某某局"[k], 30, top + dy)
    (table,) = read_whitespace_tables(1, chars, (), infer_spaces=False)
    assert [[c.text for c in row] for row in table.body_rows] == [
        [str(i), "区某某局", "12", "11"] for i in (1, 2, 3)
    ]


def test_a_name_printed_only_above_and_below_a_short_row_is_its_own_cell() -> None:
    main = [run("12", 0, 10, top=10), run("97", 60, 70, top=10), run("35.0", 80, 100, top=10)]
    name = [run("东部化工", 20, 50, top=0), run("区管委会", 20, 50, top=20)]
    cells = as_printed(main, name)
    assert ["".join(r.text for r in c) for c in cells] == ["12", "东部化工区管委会", "97", "35.0"]
    beside = [run("局", 11, 16, top=20)]  # touching the serial: part of that cell
    assert len(as_printed(main, beside)) == 3
