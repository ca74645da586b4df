"""The distribution: what the wheel carries, what is declared, what the lock pins."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pipeline.errors import MissingExtra
from pipeline.extras import DISTRIBUTION, EXTRAS, require_extra

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "pipeline"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def build_wheel(into: Path) -> Path:
    """The wheel built from a copy of the sources, so no stale build/ folder can add a file."""
    src = into / "src"
    shutil.copytree(PIPELINE, src / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", src / "docs")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip, "--wheel-dir", str(into), str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = into.glob("*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    wheel = build_wheel(tmp_path_factory.mktemp("wheel"))
    assert wheel.name.startswith(DISTRIBUTION.replace("-", "_") + "-")
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def source_files(folder: Path) -> set[str]:
    return {
        p.relative_to(ROOT).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_packaging_wheel_carries_every_data_file_and_template(wheel_names: set[str]) -> None:
    wanted = source_files(PIPELINE / "data")
    for templates in PIPELINE.rglob("templates"):
        wanted |= source_files(templates)
    assert "pipeline/data/gazetteers/rules/naming.json" in wanted
    assert wanted - wheel_names == set()


def test_packaging_wheel_carries_the_whole_package(wheel_names: set[str]) -> None:
    assert source_files(PIPELINE) - wheel_names == set()


def test_packaging_wheel_carries_the_docs_help_points_to(wheel_names: set[str]) -> None:
    data = f"{DISTRIBUTION.replace('-', '_')}-{PYPROJECT['project']['version']}.data/data"
    docs = {f"{data}/share/doc/{DISTRIBUTION}/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert docs - wheel_names == set()
    assert f"{data}/share/doc/{DISTRIBUTION}/README.md" in wheel_names


def _declared() -> dict[str, str]:
    """Distribution name -> where pyproject.toml declares it (core or an extra)."""
    found = {
        canonicalize_name(Requirement(r).name): "core" for r in PYPROJECT["project"]["dependencies"]
    }
    for extra, reqs in PYPROJECT["project"]["optional-dependencies"].items():
        for r in reqs:
            found.setdefault(canonicalize_name(Requirement(r).name), extra)
    return found


def _imported_top_levels() -> set[str]:
    names = set()
    for path in PIPELINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"pipeline", "__future__"}


def test_packaging_every_imported_package_is_declared() -> None:
    by_module = packages_distributions()
    declared = _declared()
    missing = {
        module: by_module.get(module)
        for module in _imported_top_levels()
        if not any(canonicalize_name(d) in declared for d in by_module.get(module, []))
    }
    assert missing == {}


def test_packaging_extras_name_the_modules_they_bring() -> None:
    declared = _declared()
    by_module = packages_distributions()
    for extra, modules in EXTRAS.items():
        for module in modules:
            dists = {canonicalize_name(d) for d in by_module[module]}
            assert any(declared.get(d) == extra for d in dists), (extra, module, dists)


def test_packaging_lock_pins_every_declared_requirement() -> None:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    project = PYPROJECT["project"]
    reqs = [*project["dependencies"]]
    reqs += [r for rs in project["optional-dependencies"].values() for r in rs]
    for text in reqs:
        req = Requirement(text)
        if canonicalize_name(req.name) == DISTRIBUTION:
            continue
        version = pins.get(canonicalize_name(req.name))
        assert version is not None and req.specifier.contains(version), (text, version)


def test_packaging_dependencies_are_lower_bounds_not_pins() -> None:
    project = PYPROJECT["project"]
    reqs = [*project["dependencies"]]
    reqs += [r for rs in project["optional-dependencies"].values() for r in rs]
    pinned = [
        r for r in reqs if any(s.operator in ("==", "<", "<=") for s in Requirement(r).specifier)
    ]
    assert pinned == []


def test_packaging_a_missing_extra_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EXTRAS, "camelot", ("camelot_is_not_installed",))
    with pytest.raises(MissingExtra) as caught:
        require_extra("camelot", "--backend camelot-lattice")
    assert str(caught.value) == (
        "--backend camelot-lattice needs the extra: pip install 'bulletins-audit[camelot]'"
    )


def test_packaging_cli_without_an_extra_says_which_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], seed_pdf: Path
) -> None:
    from pipeline.cli import main

    monkeypatch.setitem(EXTRAS, "camelot", ("camelot_is_not_installed",))
    monkeypatch.setitem(EXTRAS, "dask", ("dask_is_not_installed",))
    assert main(["audit", str(seed_pdf), "--backend", "camelot-stream"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "bulletins: --backend camelot-stream needs the extra: "
        "pip install 'bulletins-audit[camelot]'\n"
    )
    assert main(["build", str(seed_pdf), "-o", "/nonexistent", "--executor", "dask"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "bulletins: --executor dask needs the extra: pip install 'bulletins-audit[dask]'"
    ]
