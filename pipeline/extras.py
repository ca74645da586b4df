"""The distribution's optional parts (its extras) and the one line that names a missing one.

`pip install bulletins-audit` leaves out the camelot table backends and the dask executor;
`pip install 'bulletins-audit[camelot]'` (or `[dask]`, `[all]`) adds them. Code that needs one
asks `require_extra` before importing, so a user reads what to install instead of a traceback.
"""

from __future__ import annotations

from importlib.util import find_spec

from pipeline.errors import MissingExtra

DISTRIBUTION = "bulletins-audit"

# extra -> the top-level modules it brings (pyproject.toml [project.optional-dependencies])
EXTRAS: dict[str, tuple[str, ...]] = {
    "camelot": ("camelot",),
    "dask": ("dask", "distributed"),
}


def has_extra(extra: str) -> bool:
    """True when every module the extra brings can be imported."""
    return all(find_spec(module) is not None for module in EXTRAS[extra])


def install_hint(extra: str) -> str:
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def require_extra(extra: str, feature: str) -> None:
    """Raises MissingExtra, "`feature` needs the extra: pip install '...[extra]'", when absent."""
    if not has_extra(extra):
        raise MissingExtra(f"{feature} needs the extra: {install_hint(extra)}")
