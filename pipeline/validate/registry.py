"""Rules registered under stable codes that are never reused: one registry, two scopes.

A document rule (`rule`) checks one Normalized document; an archive rule (`archive_rule`)
checks the documents of one place in an archive at once (pipeline/validate/crossdoc). Both
live in `RULES`, which tests/golden/rules.json snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.model import Checked, Normalized, Problem, Severity

if TYPE_CHECKING:
    from pipeline.validate.crossdoc.place import Place
    from pipeline.validate.crossdoc.rows import FindingRow

Check = Callable[[Normalized], Iterator[Problem | Checked]]
# an archive rule yields rows of the findings table (docs/dataset.md)
ArchiveCheck = Callable[["Place"], Iterator["FindingRow"]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    title: str
    check: Check


@dataclass(frozen=True, slots=True)
class ArchiveRule:
    code: str
    severity: Severity
    title: str
    check: ArchiveCheck


RULES: dict[str, Rule | ArchiveRule] = {}


def _register(entry: Rule | ArchiveRule) -> None:
    if entry.code in RULES:
        raise ValueError(f"rule code {entry.code} registered twice")
    RULES[entry.code] = entry


def rule(code: str, severity: Severity, title: str) -> Callable[[Check], Check]:
    """Register a document check under `code`; a second registration of a code is a bug."""

    def register(check: Check) -> Check:
        _register(Rule(code, severity, title, check))
        return check

    return register


def archive_rule(
    code: str, severity: Severity, title: str
) -> Callable[[ArchiveCheck], ArchiveCheck]:
    """Register a cross-document check under `code`; `title` says what holds when it is silent."""

    def register(check: ArchiveCheck) -> ArchiveCheck:
        _register(ArchiveRule(code, severity, title, check))
        return check

    return register


def document_rules() -> list[Rule]:
    """The rules `audit()` runs over one document, in registration order."""
    return [r for r in RULES.values() if isinstance(r, Rule)]


def archive_rules() -> list[ArchiveRule]:
    """The rules run over an archive's documents, in code order."""
    return sorted((r for r in RULES.values() if isinstance(r, ArchiveRule)), key=lambda r: r.code)
