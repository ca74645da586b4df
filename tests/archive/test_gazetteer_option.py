"""`--gazetteer FILE` for audit and build, with a gazetteer built from two real bulletins of one
district (宝鸡市渭滨区) by `bulletins gazetteer build`, then one department renamed in it so that
its name can only have come from the file."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.archive.build import BuildOptions, QuietProgress, build
from pipeline.errors import ConfigError
from pipeline.extract import read_document
from pipeline.normalize import normalize
from pipeline.normalize.gazetteers import load_gazetteers

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT / "corpus" / "generated"
SAME_DISTRICT = (GEN / "gen-0019.pdf", GEN / "gen-0025.pdf")
OTHER_DISTRICT = GEN / "gen-0007.pdf"  # 涪城区: keeps the shipped gazetteers
PRINTED, RENAMED = "区司法局", "区司法行政局"


def bulletins(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def gazetteers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(built, renamed): the built gazetteer, and a copy with PRINTED renamed (an alias left)."""
    folder = tmp_path_factory.mktemp("gazetteer")
    for path in SAME_DISTRICT:
        shutil.copy(path, folder / path.name)
    built = folder.parent / f"{folder.name}.json"
    proc = bulletins("gazetteer", "build", str(folder), "-o", str(built))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(built.read_text(encoding="utf-8"))
    assert data["district"] == "渭滨区" and PRINTED in data["names"]
    data["names"] = [RENAMED if n == PRINTED else n for n in data["names"]]
    data.setdefault("aliases", {})[PRINTED] = RENAMED
    for record in data.get("seen", {}).values():
        if record.get("canonical") == PRINTED:
            record["canonical"] = RENAMED
    renamed = built.with_name("renamed.json")
    renamed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return built, renamed


def test_gazetteer_names_come_from_the_given_file(gazetteers: tuple[Path, Path]) -> None:
    built, renamed = gazetteers
    names = set(json.loads(built.read_text(encoding="utf-8"))["names"])
    given = load_gazetteers([built])
    for path in SAME_DISTRICT:
        norm = given.normalize(read_document(path))
        assert {d.canonical for d in norm.departments} <= names, path.name
    norm = load_gazetteers([renamed]).normalize(read_document(SAME_DISTRICT[0]))
    by_printed = {d.printed: d.canonical for d in norm.departments}
    assert by_printed[PRINTED] == RENAMED
    other = read_document(OTHER_DISTRICT)  # 涪城区: the given gazetteer is not used there
    assert given.normalize(other).departments == normalize(other).departments


def test_gazetteer_audit_command_uses_it_and_refuses_bad_files(
    gazetteers: tuple[Path, Path], tmp_path: Path
) -> None:
    _, renamed = gazetteers
    doc = str(SAME_DISTRICT[0])
    plain = bulletins("audit", doc, "--format", "json")
    given = bulletins("audit", doc, "--format", "json", "--gazetteer", str(renamed))
    assert plain.returncode == given.returncode and given.returncode in (0, 1), given.stderr
    assert RENAMED not in plain.stdout and RENAMED in given.stdout
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    for path, words in (
        (tmp_path / "missing.json", "no such file"),
        (tmp_path / "broken.json", "cannot read gazetteer"),
    ):
        proc = bulletins("audit", doc, "--gazetteer", str(path))
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.startswith(f"bulletins audit: --gazetteer {path}: {words}")
        assert proc.stderr.count("\n") == 1, proc.stderr
    twice = bulletins("build", doc, "-o", str(tmp_path / "out"), "--gazetteer", str(renamed),
                      "--gazetteer", str(gazetteers[0]))  # fmt: skip
    assert twice.returncode == 2 and "宝鸡市渭滨区 is already given by" in twice.stderr
    assert not (tmp_path / "out").exists()


def department_ids(out: Path) -> set[str]:
    with (out / "dataset" / "metrics.csv").open(encoding="utf-8", newline="") as fh:
        return {r["department_id"] for r in csv.DictReader(fh) if r["department_id"]}


def test_gazetteer_build_uses_it_and_redoes_results_made_without_it(
    gazetteers: tuple[Path, Path], tmp_path: Path
) -> None:
    _, renamed = gazetteers
    names = set(json.loads(renamed.read_text(encoding="utf-8"))["names"])
    specs, out = [str(p) for p in SAME_DISTRICT], tmp_path / "out"
    options = BuildOptions(workers=1, thumbnails=False)
    given = BuildOptions(workers=1, thumbnails=False, gazetteers=load_gazetteers([renamed]))

    first = build(specs, out, options, QuietProgress())
    assert first.processed == 2 and f"渭滨区/{PRINTED}" in department_ids(out)
    second = build(specs, out, given, QuietProgress())
    assert second.processed == 2 and second.reused == 0  # made without it: redone
    ids = department_ids(out)
    assert ids and {i.partition("/")[2] for i in ids} <= names and f"渭滨区/{RENAMED}" in ids
    third = build(specs, out, given, QuietProgress())
    assert third.processed == 0 and third.reused == 2
    assert department_ids(out) == ids


def test_gazetteer_two_of_one_district_are_refused(gazetteers: tuple[Path, Path]) -> None:
    with pytest.raises(ConfigError, match="宝鸡市渭滨区 is already given by"):
        load_gazetteers(list(gazetteers))
