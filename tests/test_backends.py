"""Table backends: camelot behind the same interface, provenance, and the debug pages."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.errors import ConfigError
from pipeline.extract import read_document
from pipeline.extract.backends import BACKENDS, table_backend
from pipeline.extract.camelot_backend import bottom_left_to_top_left, camelot_to_page_table
from pipeline.model import Cell, Document, Severity
from pipeline.normalize import normalize
from pipeline.validate import audit

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def lattice_document(seed_pdf: Path) -> Document:
    return read_document(seed_pdf, backend="camelot-lattice")


def cells(doc: Document) -> list[Cell]:
    return [c for t in doc.tables for row in (*t.header_rows, *t.body_rows) for c in row]


def test_backends_registry_names() -> None:
    assert list(BACKENDS) == ["pdfplumber", "pdfium", "camelot-lattice", "camelot-stream"]


def test_backends_unknown_name_is_a_config_error(seed_pdf: Path) -> None:
    with pytest.raises(ConfigError, match=r"'tabula'.*pdfplumber, pdfium, camelot-lattice"):
        read_document(seed_pdf, backend="tabula")
    with pytest.raises(ConfigError):
        table_backend("camelot", seed_pdf)


def test_backends_bottom_left_to_top_left() -> None:
    assert bottom_left_to_top_left((10.0, 700.0, 50.0, 780.0), 842.0) == (10.0, 62.0, 50.0, 142.0)


def test_backends_camelot_cells_name_their_backend(lattice_document: Document) -> None:
    found = cells(lattice_document)
    assert found and {c.source.backend for c in found} == {"camelot-lattice"}
    assert {c.source.backend for c in lattice_document.lines} == {"pdfplumber"}


def test_backends_camelot_boxes_are_top_left_inside_the_page(lattice_document: Document) -> None:
    sizes = {4: (841.9, 595.3), 5: (841.9, 595.3), 6: (595.3, 841.9)}
    for cell in cells(lattice_document):
        assert cell.source.bbox is not None
        x0, top, x1, bottom = cell.source.bbox
        width, height = sizes[cell.source.page]
        assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height, cell


def test_backends_camelot_grid_matches_pdfplumber(
    lattice_document: Document, seed_document: Document
) -> None:
    """Every ruled cell pdfplumber reads, camelot draws within 2 points (text aside)."""
    theirs = [c.source for c in cells(lattice_document)]
    for ours in (c.source for c in cells(seed_document)):
        assert ours.bbox is not None
        near = [
            s
            for s in theirs
            if s.page == ours.page
            and s.bbox is not None
            and max(abs(a - b) for a, b in zip(s.bbox, ours.bbox, strict=True)) <= 2.0
        ]
        assert near, ours


def test_backends_camelot_same_cells_on_a_portrait_table(
    lattice_document: Document, seed_document: Document
) -> None:
    """Attachment 2 (24-point rows): camelot reads the same texts as pdfplumber."""
    (ours,) = [t for t in seed_document.tables if t.pages == (6,)]
    (theirs,) = [t for t in lattice_document.tables if t.pages == (6,)]
    assert theirs.columns == ours.columns
    assert [[c.text for c in r] for r in theirs.body_rows] == [
        [c.text for c in r] for r in ours.body_rows
    ]


def test_backends_audit_runs_on_camelot_output(lattice_document: Document) -> None:
    result = audit(normalize(lattice_document))
    assert all(f.severity in set(Severity) for f in result.findings)
    assert result.coverage.numbers > 0


def test_backends_cli_debug_pages(
    seed_pdf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "debug"
    assert main(["extract", str(seed_pdf), "--debug-pages", str(out)]) == 0
    written = sorted(out.iterdir())
    assert [p.name for p in written] == [f"page-{n:03d}.png" for n in range(1, 7)]
    assert all(p.read_bytes().startswith(PNG) for p in written)
    captured = capsys.readouterr()
    assert captured.err.split() == [str(p) for p in written]
    assert captured.out.startswith("{")


def test_backends_cli_backend_choice(seed_pdf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", str(seed_pdf), "--backend", "tabula"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def fake_cell(x1: float, y1: float, x2: float, y2: float, text: str, **edges: bool) -> Any:
    sides = {"left": True, "right": True, "top": True, "bottom": True, **edges}
    return SimpleNamespace(x1=x1, y1=y1, x2=x2, y2=y2, text=text, **sides)


def test_backends_camelot_merged_header_to_paths() -> None:
    """序号 spans two header rows, 得分 spans two columns; origin bottom-left, page 100 high."""
    rows = [(90.0, 80.0), (80.0, 70.0), (70.0, 60.0)]
    cols = [(0.0, 10.0), (10.0, 20.0), (20.0, 30.0)]
    texts = [["序号", "得分\n(5分)", ""], ["", "工单数", "得分"], ["1", "12", "3.50"]]
    merged_right = {(0, 1)}
    merged_left = {(0, 2)}
    merged_down = {(0, 0)}
    merged_up = {(1, 0)}
    table = SimpleNamespace(
        rows=rows,
        cols=cols,
        cells=[
            [
                fake_cell(
                    x0,
                    bottom,
                    x1,
                    top,
                    texts[r][c],
                    right=(r, c) not in merged_right,
                    left=(r, c) not in merged_left,
                    bottom=(r, c) not in merged_down,
                    top=(r, c) not in merged_up,
                )
                for c, (x0, x1) in enumerate(cols)
            ]
            for r, (top, bottom) in enumerate(rows)
        ],
    )
    page = camelot_to_page_table(table, 4, 100.0, "camelot-lattice")
    assert page.bbox == (0.0, 10.0, 30.0, 40.0)
    assert page.columns == (("序号",), ("得分(5分)", "工单数"), ("得分(5分)", "得分"))
    assert [[c.text for c in r] for r in page.header_rows] == [
        ["序号", "得分(5分)"],
        ["工单数", "得分"],
    ]
    assert page.header_rows[0][0].source.bbox == (0.0, 10.0, 10.0, 30.0)
    assert [c.text for c in page.body_rows[0]] == ["1", "12", "3.50"]


def test_backends_camelot_stream_keeps_only_numeric_tables(seed_pdf: Path) -> None:
    doc = read_document(seed_pdf, backend="camelot-stream")
    assert doc.tables and all(set(t.pages) <= {4, 5, 6} for t in doc.tables)
    assert {c.source.backend for c in cells(doc)} == {"camelot-stream"}
