"""The design rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "pipeline"
PICTURE = ROOT / "docs" / "architecture.md"

# What each layer may import from pipeline/ (besides itself): one direction only. The same
# table is in docs/architecture.md (test_architecture_doc_is_the_picture_enforced_here).
# "__init__" is the Python API (pipeline.open, pipeline.audit, __version__).
BASE = {"model", "errors"}
ALLOWED = {
    "model": set(),
    "errors": set(),
    "limits": {"errors"},
    # a child process under time and memory limits, for the API, the commands and the pool
    "isolate": {"errors", "limits"},
    "extras": {"errors"},
    "numeric": {"model"},
    "extract": BASE | {"limits", "extras"},
    "normalize": BASE | {"limits", "extract", "numeric"},
    "validate": BASE | {"limits", "numeric", "normalize"},
    # a fork server's warm-up (isolate names it as a module to preload; only the archive's
    # report warm-up imports it, for its sample)
    "warm": {"extract", "normalize", "validate"},
    # the API reads a path under the commands' limits in a child process, as they do
    "__init__": BASE | {"limits", "isolate", "extract", "normalize", "validate"},
    "report": BASE | {"limits", "normalize", "validate"},
    "dataset": BASE | {"validate", "report", "__init__"},
    # model's to_json/from_json and pandas views delegate to these, imported inside the
    # method body only (test_architecture_model_imports_nothing_at_load_time)
    "serialize": BASE | {"normalize", "report"},
    "frames": BASE | {"normalize"},  # numbers parsed as the audit parses them
    "archive": BASE
    | {
        "limits",
        "isolate",
        "extras",
        "warm",  # its sample bulletin, for the report warm-up of the archive's fork server
        "extract",
        "normalize",
        "validate",
        "report",
        "dataset",
        "__init__",
    },
    "commands": BASE
    | {
        "limits",
        "isolate",
        "extras",
        "extract",
        "normalize",
        "validate",
        "report",
        "dataset",
        "archive",
        "__init__",
    },
    "cli": {"commands", "__init__"},
    "__main__": {"cli"},
}
SEED_STRINGS = re.compile(r"金台|硖石|硤石|硃石|十里铺|卧龙寺|98\.11|1589|1588|宝鸡")


def layer_of(path: Path) -> str:
    rel = path.relative_to(PIPELINE)
    return rel.parts[0].removesuffix(".py")


def pipeline_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "pipeline" and len(parts) > 1:
                found.add(parts[1])
        if isinstance(node, ast.ImportFrom) and node.module == "pipeline":
            # `from pipeline import x`: a module of pipeline/, else a name of the API
            found.update(a.name if is_module(a.name) else "__init__" for a in node.names)
    return found


def is_module(name: str) -> bool:
    return (PIPELINE / name).is_dir() or (PIPELINE / f"{name}.py").is_file()


# The model's methods reach these, and only from inside a method (never at load time).
MODEL_LAZY = {"serialize", "frames"}


def test_architecture_imports_flow_one_way() -> None:
    wrong = []
    for path in PIPELINE.rglob("*.py"):
        layer = layer_of(path)
        if layer not in ALLOWED:
            wrong.append(f"{path.relative_to(PIPELINE)}: {layer} is not in the picture")
            continue
        allowed = ALLOWED[layer] | (MODEL_LAZY if layer == "model" else set())
        for target in pipeline_imports(path) - {layer} - allowed:
            wrong.append(f"{path.relative_to(PIPELINE)} imports pipeline.{target}")
    assert not wrong, wrong


def picture() -> list[tuple[str, set[str]]]:
    """The rows of docs/architecture.md's import table: (layer, what it may import), in order.

    Only names in backticks outside parentheses count (model's row explains, in parentheses,
    what its methods load lazily)."""
    text = PICTURE.read_text(encoding="utf-8")
    table = text[text.index("## Who may import whom") :]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        allowed = re.sub(r"\([^)]*\)", "", cells[2])
        rows.append((cells[0].strip("`"), set(re.findall(r"`([^`]+)`", allowed))))
    return rows


def test_architecture_doc_is_the_picture_enforced_here() -> None:
    assert dict(picture()) == ALLOWED


def test_architecture_layers_are_in_order() -> None:
    """Each row of the picture imports only rows above it: no cycles, one direction."""
    seen: set[str] = set()
    for layer, allowed in picture():
        assert allowed <= seen, f"{layer} imports {sorted(allowed - seen)} from below"
        seen.add(layer)


def test_architecture_only_commands_run_the_batch_runner() -> None:
    assert [layer for layer, allowed in ALLOWED.items() if "archive" in allowed] == ["commands"]


def test_architecture_model_imports_nothing_at_load_time() -> None:
    """Only the standard library at module level; `if TYPE_CHECKING:` names types only."""
    tree = ast.parse((PIPELINE / "model.py").read_text(encoding="utf-8"))
    stdlib = {"__future__", "bisect", "dataclasses", "datetime", "decimal", "enum", "typing"}
    loaded = [
        ast.unparse(node)
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
        )
        if name.split(".")[0] not in stdlib
    ]
    assert not loaded, loaded


def test_architecture_pipeline_code_knows_no_seed_strings() -> None:
    hits = [
        f"{p.relative_to(PIPELINE)}:{i}"
        for p in PIPELINE.rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if SEED_STRINGS.search(line)
    ]
    assert not hits, hits


def test_architecture_modules_stay_small() -> None:
    big = [
        f"{p.relative_to(PIPELINE)} ({n} lines)"
        for p in PIPELINE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 650
    ]
    assert not big, big


# Splitting on "/" where no department id can be involved (a path inside the output folder).
SPLITS_ALLOWED = {"archive/outfolder.py"}


def test_architecture_department_ids_are_minted_once_and_never_split() -> None:
    """An id is "<district>/<canonical>" made by normalize/identities.py; everything else reads
    the district and the canonical name from the DepartmentIdentity (or the rows made from it),
    never from the id: `department_id()` is defined and called there only, and no code splits
    a string on "/"."""
    splits, mints = [], []
    for path in PIPELINE.rglob("*.py"):
        name = str(path.relative_to(PIPELINE))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"split", "rsplit", "partition", "rpartition"}
                and any(isinstance(a, ast.Constant) and a.value == "/" for a in node.args)
                and name not in SPLITS_ALLOWED
            ):
                splits.append(f"{name}:{node.lineno}")
            if isinstance(node, ast.FunctionDef) and node.name == "department_id":
                mints.append(name)
    assert splits == [], splits
    assert mints == ["normalize/identities.py"]
    callers = [
        str(p.relative_to(PIPELINE))
        for p in PIPELINE.rglob("*.py")
        if re.search(r"\bdepartment_id\(", p.read_text(encoding="utf-8"))
    ]
    assert callers == ["normalize/identities.py"], callers


def test_architecture_no_module_names_the_batch_runner_to_load_it() -> None:
    """A module name in a string (a fork server's preload, importlib) is an import the AST
    check above cannot see: outside archive/ and commands/, no string names the batch runner."""
    named = [
        f"{path.relative_to(PIPELINE)}:{node.lineno}"
        for path in PIPELINE.rglob("*.py")
        if layer_of(path) not in {"archive", "commands"}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.match(r"pipeline\.archive\b", node.value)
    ]
    assert named == [], named
