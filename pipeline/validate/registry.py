"""Rules registered under stable codes that are never reused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline.model import Checked, Normalized, Problem, Severity

Check = Callable[[Normalized], Iterator[Problem | Checked]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    title: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str) -> Callable[[Check], Check]:
    """Register a check under `code`; a second registration of a code is a bug."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, severity, title, check)
        return check

    return register
