"""The design rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"

# What each layer may import from pipeline/ (besides itself): one direction only.
ALLOWED = {
    "model": set(),
    "errors": set(),
    # model's to_json/from_json and pandas views delegate to these, imported inside the
    # method body only (test_architecture_model_imports_nothing_at_load_time)
    "serialize": {"model", "errors", "normalize", "report"},
    "frames": {"model", "errors", "normalize"},  # numbers parsed as the audit parses them
    "limits": {"errors"},
    "extras": {"errors"},
    "numeric": {"model"},
    "extract": {"model", "errors", "limits", "extras"},
    "normalize": {"model", "errors", "limits", "extract", "numeric"},
    "validate": {"model", "errors", "limits", "numeric", "normalize"},
    "report": {"model", "errors", "limits", "normalize", "validate"},
    "archive": {
        "model",
        "errors",
        "limits",
        "extras",
        "extract",
        "normalize",
        "validate",
        "report",
    },
    "commands": {
        "model",
        "errors",
        "limits",
        "extras",
        "extract",
        "normalize",
        "validate",
        "report",
        "archive",
    },
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
    return found


# The model's methods reach these, and only from inside a method (never at load time).
MODEL_LAZY = {"serialize", "frames"}


def test_architecture_imports_flow_one_way() -> None:
    wrong = []
    for path in PIPELINE.rglob("*.py"):
        layer = layer_of(path)
        if layer not in ALLOWED:
            continue
        allowed = ALLOWED[layer] | (MODEL_LAZY if layer == "model" else set())
        for target in pipeline_imports(path) - {layer} - allowed:
            wrong.append(f"{path.relative_to(PIPELINE)} imports pipeline.{target}")
    assert not wrong, wrong


def test_architecture_model_imports_nothing_at_load_time() -> None:
    """Only the standard library at module level; `if TYPE_CHECKING:` names types only."""
    tree = ast.parse((PIPELINE / "model.py").read_text(encoding="utf-8"))
    stdlib = {"__future__", "dataclasses", "datetime", "decimal", "enum", "typing"}
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
