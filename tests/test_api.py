"""The Python API (pipeline/__init__.py, docs/api.md): open, audit, JSON round trips, pandas."""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import pipeline
from pipeline.cli import main
from pipeline.errors import ConfigError, InputError, ParseError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus/seed/jintai_2023_02_hotline_bulletin.pdf"
FILES = [
    SEED,
    ROOT / "corpus/seed/jintai_2023_02_hotline_bulletin.txt",
    ROOT / "corpus/generated/gen-0002.html",
    ROOT / "corpus/generated/gen-0003.pdf",
]
IDS = [p.name for p in FILES]


@cache
def opened(path: Path) -> pipeline.Document:
    return pipeline.open(str(path))


@cache
def audited(path: Path) -> pipeline.Audit:
    return pipeline.audit(opened(path))


def test_api_exports_what_all_names() -> None:
    assert {"open", "audit", "Document", "Audit", "Table", "__version__"} <= set(pipeline.__all__)
    assert all(hasattr(pipeline, name) for name in pipeline.__all__)


def test_api_defaults_agree_with_the_readers() -> None:
    from pipeline.extract.backends import DEFAULT_BACKEND
    from pipeline.extract.ocr import DEFAULT_OCR

    assert (pipeline.DEFAULT_BACKEND, pipeline.DEFAULT_OCR) == (DEFAULT_BACKEND, DEFAULT_OCR)


def test_api_import_loads_no_reader_and_no_pandas() -> None:
    code = (
        "import sys, pipeline; "
        "print([m for m in ('pandas', 'pdfplumber', 'pipeline.extract') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_api_audit_takes_a_str_path() -> None:
    result = pipeline.audit(str(SEED))
    assert result.to_json() == audited(SEED).to_json()
    assert any(f.rule.startswith("RATE") for f in result.findings)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_api_document_to_json_is_what_extract_prints(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["extract", str(path)])
    assert opened(path).to_json() == capsys.readouterr().out.rstrip("\n")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_api_audit_to_json_is_what_audit_prints(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["audit", "--format", "json", str(path)])
    assert audited(path).to_json() == capsys.readouterr().out.rstrip("\n")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_api_document_json_round_trips(path: Path) -> None:
    text = opened(path).to_json()
    restored = pipeline.Document.from_json(text)
    assert restored.to_json() == text
    if path.suffix != ".pdf":  # no bbox to round: the tables come back whole
        assert restored.tables == opened(path).tables


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_api_audit_json_round_trips(path: Path) -> None:
    result = audited(path)
    text = result.to_json()
    record = pipeline.Audit.from_json(text)
    assert isinstance(record, pipeline.AuditRecord)
    assert record.to_json() == text
    if path.suffix != ".pdf":  # no bbox to round: the findings come back whole
        assert record.findings == result.findings
    assert record == pipeline.AuditRecord.from_json(text)


def test_api_audit_of_a_restored_document_is_the_same_audit() -> None:
    restored = pipeline.Document.from_json(opened(SEED).to_json())
    assert pipeline.audit(restored).to_json() == audited(SEED).to_json()


def test_api_from_json_refuses_another_schema() -> None:
    with pytest.raises(ParseError, match=r"bulletins\.document/1"):
        pipeline.Document.from_json(audited(SEED).to_json())
    with pytest.raises(ParseError, match=r"bulletins\.audit/3"):
        pipeline.Audit.from_json(opened(SEED).to_json())


def test_api_table_df_has_header_paths_and_printed_cells() -> None:
    table = opened(SEED).tables[0]
    df = table.df
    assert df.columns.nlevels == max(len(p) for p in table.columns)
    assert len(df) == len(table.body_rows)
    assert df.iloc[0, 0] == table.body_rows[0][0].text
    assert tuple(c for c in df.columns[1] if c) == table.columns[1]


def test_api_cells_frame_keeps_provenance() -> None:
    table = opened(SEED).tables[0]
    cells = table.cells_frame()
    assert len(cells) == sum(len(r) for r in table.body_rows)
    first = cells.iloc[0]
    source = table.body_rows[0][0].source
    assert (first["page"], first["bbox"], first["backend"]) == (
        source.page,
        source.bbox,
        "pdfium",  # the default backend
    )


def test_api_findings_frame_one_row_per_finding() -> None:
    result = audited(SEED)
    frame = result.findings_frame()
    assert list(frame["id"]) == [f.id for f in result.findings]
    assert set(frame["severity"]) <= {"error", "warning", "info"}
    assert len(pipeline.Audit.from_json(result.to_json()).findings_frame()) == len(frame)


def test_api_audit_takes_a_gazetteer_file_or_a_loaded_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pipeline.normalize.departments import load_gazetteer

    path = ROOT / "pipeline/data/gazetteers/baoji-jintai.json"
    main(["audit", "--format", "json", "--gazetteer", str(path), str(SEED)])
    printed = capsys.readouterr().out.rstrip("\n")
    assert pipeline.audit(SEED, gazetteer=str(path)).to_json() == printed
    assert pipeline.audit(opened(SEED), gazetteer=load_gazetteer(path)).to_json() == printed


def test_api_findings_frame_of_no_findings_is_empty_with_the_columns() -> None:
    from pipeline.frames import FINDING_COLUMNS, findings_frame

    assert list(findings_frame(()).columns) == list(FINDING_COLUMNS)


def test_api_open_reads_a_file_by_the_format_named(tmp_path: Path) -> None:
    text = ROOT / "corpus/seed/jintai_2023_02_hotline_bulletin.txt"
    unnamed = tmp_path / "bulletin.dat"  # no suffix a reader knows
    unnamed.write_bytes(text.read_bytes())
    with pytest.raises(InputError, match=r"unsupported format \.dat"):
        pipeline.open(unnamed)
    doc = pipeline.open(unnamed, format="text")
    assert doc.to_json() == opened(text).to_json().replace(str(text), str(unnamed))
    with pytest.raises(ConfigError, match="unknown input format 'txt'"):
        pipeline.open(unnamed, format="txt")


def test_api_audit_takes_the_gazetteers_the_cli_loads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pipeline.normalize.gazetteers import load_gazetteers

    path = ROOT / "pipeline/data/gazetteers/baoji-jintai.json"
    main(["audit", "--format", "json", "--gazetteer", str(path), str(SEED)])
    printed = capsys.readouterr().out.rstrip("\n")
    assert pipeline.audit(opened(SEED), gazetteer=load_gazetteers([path])).to_json() == printed


def test_api_document_to_json_indented_is_what_extract_indent_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["extract", "--indent", "2", str(SEED)])
    assert opened(SEED).to_json(indent=2) == capsys.readouterr().out.rstrip("\n")


def test_api_table_frame_parses_numbers_and_keeps_the_printed_cells() -> None:
    from pipeline.normalize.numbers import parse_number

    table = opened(SEED).tables[0]
    frame = table.frame(numbers=True)
    printed = frame.attrs["printed"]
    assert printed.equals(table.df)
    assert frame.shape == printed.shape
    for i, row in enumerate(table.body_rows):
        for j, cell in enumerate(row):
            value = frame.iloc[i, j]
            if isinstance(value, str):
                assert value == cell.text
                with pytest.raises(ParseError):
                    parse_number(cell.text)
            elif cell.text.strip():
                assert value == float(parse_number(cell.text).exact)
    assert str(frame[("办结得分(35分)", "得分")].dtype) == "float64"
    assert table.frame().equals(table.df)


def test_api_table_frame_numbers_reads_percent_scale_and_full_width() -> None:
    import pandas

    from pipeline.model import Cell, Source, Table

    def cell(text: str) -> Cell:
        return Cell(text, Source(1, None, "text"))

    table = Table(
        title="测试表",
        attachment=None,
        pages=(1,),
        header_rows=(),
        columns=(("单位",), ("受理量",), ("办结率",)),
        body_rows=(
            (cell("甲局"), cell("1,234"), cell("98.5%")),
            (cell("乙局"), cell("４.５万"), cell("")),
            (cell("丙局"), cell("一百二十"), cell("—")),
        ),
    )
    frame = table.frame(numbers=True)
    assert frame[("受理量",)].tolist() == [1234.0, 45000.0, 120.0]
    assert frame.iloc[0, 2] == 0.985
    assert pandas.isna(frame.iloc[1, 2])  # an empty cell is missing
    assert frame.iloc[2, 2] == "—"  # not a number: kept as printed
    assert frame.attrs["printed"].iloc[1, 1] == "４.５万"
