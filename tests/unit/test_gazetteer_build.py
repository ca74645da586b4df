"""Tests for pipeline.normalize.gazetteer_build and `bulletins gazetteer build`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, InputError
from pipeline.model import Period
from pipeline.normalize.departments import parse_gazetteer, resolve_departments
from pipeline.normalize.gazetteer_build import (
    BuiltGazetteer,
    DocumentNames,
    Printing,
    build_gazetteers,
    bulletin_files,
    gazetteer_json,
    period_key,
)

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "corpus" / "generated"


def _month(year: int, month: int) -> Period:
    end = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
    return Period(date(year, month, 1), date.fromordinal(end), f"{year}年{month}月")


def _doc(
    i: int, tables: list[list[str]], text: tuple[str, ...] = (), month: int = 1
) -> DocumentNames:
    printings = [Printing(n, t) for t, rows in enumerate(tables) for n in rows]
    printings += [Printing(n, None) for n in text]
    return DocumentNames(f"doc{i}", "甲乙区", "丙丁市", _month(2023, month), tuple(printings))


def _built(docs: list[DocumentNames]) -> BuiltGazetteer:
    (built,) = build_gazetteers(docs)
    return built


def _canonical(built: BuiltGazetteer) -> dict[str, str]:
    return {s: e.canonical for e in built.entries for s, _ in e.spellings}


def test_gazetteer_build_merges_variants_across_documents() -> None:
    docs = [
        _doc(1, [["区民政局", "区财政局", "朝阳街道办事处"]], month=1),
        _doc(2, [["甲乙区民政局", "区財政局", "朝阳街道"]], month=2),
        _doc(3, [["区民政局", "区财政政局", "朝阳街道办事处"]], ("丙丁市甲乙区民政局",), month=3),
    ]
    built = _built(docs)
    canonical = _canonical(built)
    assert canonical == {
        "区民政局": "区民政局",
        "甲乙区民政局": "区民政局",
        "丙丁市甲乙区民政局": "区民政局",
        "区财政局": "区财政局",
        "区財政局": "区财政局",
        "区财政政局": "区财政局",
        "朝阳街道办事处": "朝阳街道办事处",
        "朝阳街道": "朝阳街道办事处",
    }
    data = gazetteer_json(built)
    # prefixed and short forms are found by folding; variants and slips are listed
    assert data["aliases"] == {"区財政局": "区财政局", "区财政政局": "区财政局"}
    assert data["seen"]["甲乙区民政局"] == {
        "canonical": "区民政局",
        "count": 1,
        "documents": 1,
        "first": "2023-02",
        "last": "2023-02",
    }
    assert data["seen"]["区民政局"]["first"] == "2023-01"
    assert data["seen"]["区民政局"]["last"] == "2023-03"
    gaz = parse_gazetteer(data, "built")
    names = resolve_departments(["区財政局", "甲乙区朝阳街道"], gazetteer=gaz, district="甲乙区")
    assert {n.canonical for n in names.values()} == {"区财政局", "朝阳街道办事处"}


def test_gazetteer_build_never_merges_different_departments() -> None:
    docs = [
        _doc(1, [["区农业农村局", "中山路街道办事处", "东林镇", "房镇", "房镇镇"]]),
        _doc(2, [["区农业农村分局", "中山西路街道办事处", "东风镇"]]),
    ]
    built = _built(docs)
    assert len(built.entries) == 8  # nothing merged
    apart = {(p.a, p.b): p.why for p in built.apart}
    # 房镇 / 房镇镇 differ by a doubled character, but one table lists both: two departments
    assert any("two rows of one table" in why for why in apart.values())
    # 东林镇 / 东风镇 never share a table here: listed for review, not merged
    assert any("one character differs" in why for why in apart.values())
    assert "kept apart, for review" in gazetteer_json(built)["notes"]


def test_gazetteer_build_most_frequent_spelling_wins() -> None:
    docs = [_doc(i, [["区文化和旅游游局"] if i == 0 else ["区文化和旅游局"]]) for i in range(3)]
    assert _canonical(_built(docs))["区文化和旅游游局"] == "区文化和旅游局"


def test_gazetteer_build_district_filter_and_city() -> None:
    other = DocumentNames("x", "戊己区", None, None, (Printing("区商务局", 0),))
    docs = [_doc(1, [["区民政局"]]), other]
    assert [g.district for g in build_gazetteers(docs)] == ["戊己区", "甲乙区"]  # ties: by name
    (only,) = build_gazetteers(docs, district="戊己区")
    with pytest.raises(ConfigError, match="no city"):
        gazetteer_json(only)
    (named,) = build_gazetteers(docs, district="庚辛市戊己区")
    assert gazetteer_json(named)["city"] == "庚辛市"


@pytest.mark.parametrize(
    ("start", "end", "key"),
    [
        (date(2023, 2, 1), date(2023, 2, 28), "2023-02"),
        (date(2023, 4, 1), date(2023, 6, 30), "2023-Q2"),
        (date(2023, 7, 1), date(2023, 12, 31), "2023-H2"),
        (date(2023, 1, 1), date(2023, 12, 31), "2023"),
        (date(2023, 1, 1), date(2023, 4, 30), "2023-01-01..2023-04-30"),
        (date(2019, 4, 8), date(2019, 4, 14), "2019-04-08..2019-04-14"),
    ],
)
def test_gazetteer_build_period_key(start: date, end: date, key: str) -> None:
    assert period_key(Period(start, end, "")) == key


def test_gazetteer_build_bulletin_files_reads_one_rendering(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/x.html", "a/x.pdf", "a/y.txt", "a/y.truth.json", "z.docx", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, skipped = bulletin_files([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a/x.pdf", "a/y.txt", "z.docx"]
    assert skipped == 1
    with pytest.raises(InputError):
        bulletin_files([tmp_path / "missing"])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "gazetteer", "build", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_gazetteer_build_cli_on_real_bulletins(tmp_path: Path) -> None:
    """Two real bulletins of one district and a broken file: the build goes on."""
    ids = ("gen-0003", "gen-0005")
    for i in ids:
        shutil.copy(GENERATED / f"{i}.pdf", tmp_path)
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf")
    out = tmp_path / "out.json"
    proc = _cli(str(tmp_path), "-o", str(out))
    assert proc.returncode == 2  # one file was unreadable; the gazetteer is still written
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("bulletins:")]
    assert len(errors) == 1 and "broken.pdf" in errors[0]
    assert "湖州市吴兴区:" in proc.stderr and "read 2 of 3 bulletins" in proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    gaz = parse_gazetteer(data, out)
    assert (gaz.district, gaz.city) == ("吴兴区", "湖州市")
    truth: dict[str, str] = {}
    for i in ids:
        truth.update(json.loads((GENERATED / f"{i}.truth.json").read_text("utf-8"))["departments"])
    printed = [p for p in truth if p in data["seen"]]
    assert len(printed) >= 0.9 * len(truth)
    resolved = resolve_departments(printed, gazetteer=gaz, district="吴兴区")
    assert {p: r.canonical for p, r in resolved.items()} == {p: truth[p] for p in printed}


def test_gazetteer_build_cli_several_districts_need_a_choice(tmp_path: Path) -> None:
    shutil.copy(GENERATED / "gen-0001.pdf", tmp_path)  # 渭滨区
    shutil.copy(ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.txt", tmp_path)
    proc = _cli(str(tmp_path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "2 districts found" in proc.stderr
    chosen = _cli(str(tmp_path), "--district", "渭滨区")
    assert chosen.returncode == 0
    assert json.loads(chosen.stdout)["city"] == "宝鸡市"


def test_gazetteer_json_refuses_a_district_without_names() -> None:
    # a file with an empty "names" list could be written but never loaded again
    empty = BuiltGazetteer("某某区", "某某市", 1, None, None, (), ())
    with pytest.raises(ConfigError, match="no department name"):
        gazetteer_json(empty)
