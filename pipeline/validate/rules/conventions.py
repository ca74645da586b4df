"""The document's own conventions, reported so a reader knows how figures were judged."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.model import Normalized, Problem, Severity
from pipeline.validate.registry import rule


@rule("CONV001", Severity.INFO, "the rounding convention figures are judged under")
def check_rounding_convention(norm: Normalized) -> Iterator[Problem]:
    support = dict(norm.rounding_support)
    if not any(support.values()):
        return
    others = ", ".join(f"{name} {n}" for name, n in support.items() if name != norm.rounding)
    yield Problem(
        message=(
            f"the document rounds {norm.rounding}: {support.get(norm.rounding, 0)} "
            f"relations hold under it ({others})"
        ),
        evidence=(),
        explanation="every figure is judged under this convention; one that holds only "
        "under another is a warning",
    )
