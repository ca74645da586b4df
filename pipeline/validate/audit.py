"""Run the rules over a normalized document and collect findings and coverage."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from pipeline.errors import BulletinError
from pipeline.model import (
    Audit,
    Checked,
    Coverage,
    Evidence,
    Finding,
    Normalized,
    Problem,
    Severity,
    Span,
)
from pipeline.validate.figures import figures
from pipeline.validate.misread import judge_misread, ocr_confidences
from pipeline.validate.registry import Rule, document_rules

log = logging.getLogger(__name__)


def audit(norm: Normalized, *, rules: Sequence[Rule] | None = None) -> Audit:
    """Every registered rule over `norm`; findings sorted by severity, then place.

    A finding on figures read by OCR that one OCR confusion would explain is a warning
    naming that reading (`misread.judge_misread`), never a bare error.
    """
    chosen = document_rules() if rules is None else list(rules)
    confidences = ocr_confidences(norm.document)
    ids = department_ids(norm)
    findings: list[Finding] = []
    touched: set[Key] = set()
    # rules check the same printed figures many times over: each span keyed once (by its
    # id, the span kept beside its key so that no other object can take that id meanwhile)
    keys: dict[int, tuple[Span, Key]] = {}
    for r in chosen:
        for item in _results(r, norm):
            if isinstance(item, Checked):
                for s in item.spans:
                    known = keys.get(id(s))
                    if known is None:
                        known = keys[id(s)] = (s, _key(s))
                    touched.add(known[1])
            else:
                findings.append(judge_misread(to_finding(r, item, ids), confidences))
    findings = unique_ids(findings)
    findings.sort(key=_order)
    return Audit(
        normalized=norm, findings=tuple(findings), coverage=coverage(figures(norm), touched)
    )


def _results(r: Rule, norm: Normalized) -> list[Problem | Checked]:
    """What the rule yields over `norm`. A rule that raises yields only a warning saying so:
    a defect of the audit must neither cost the other rules' findings nor pass as clean."""
    try:
        return list(r.check(norm))
    except (MemoryError, BulletinError):
        raise  # a limit met (the memory cap, the time): the document's, the caller says so
    except Exception as exc:
        log.debug("%s failed on this document", r.code, exc_info=True)  # the finding says it
        return [rule_failed(r.code, exc)]


RULE_FAILED = "could not finish on this document"


def rule_failed(code: str, exc: Exception) -> Problem:
    """The warning in place of what a rule that raised would have said: the figures it
    checks stay unchecked, so they count against the coverage."""
    return Problem(
        message=f"{code} {RULE_FAILED} ({type(exc).__name__}: {exc})",
        evidence=(),
        explanation=(
            "a defect of the audit, not of the bulletin: what the rule checks here is left "
            "unchecked"
        ),
        severity=Severity.WARNING,
    )


def department_ids(norm: Normalized) -> dict[str, str]:
    """The id of each department identity normalize made, by its canonical name: the name a
    rule's Problem gives (a table row's department, a resolved spelling). A document has one
    district, so a canonical name is one identity."""
    return {d.canonical: d.id for d in norm.department_identities}


def to_finding(r: Rule, problem: Problem, ids: Mapping[str, str]) -> Finding:
    """A rule's problem with its code, severity and a stable id; `ids` (department_ids) gives
    the identity of the department it concerns. The id hashes the name, not the identity, so
    findings keep the ids they had before identities existed."""
    severity = problem.severity or r.severity
    dep = problem.department
    return Finding(
        id=finding_id(r.code, problem),
        rule=r.code,
        severity=severity,
        message=problem.message,
        reported=problem.reported,
        expected=problem.expected,
        explanation=problem.explanation,
        evidence=problem.evidence,
        table=problem.table,
        row=problem.row,
        column=problem.column,
        department=dep,
        department_id=ids.get(dep) if dep is not None else None,
    )


def finding_id(code: str, problem: Problem) -> str:
    """Hash of the rule and the location, so re-runs and later archives can be diffed."""
    first = problem.evidence[0] if problem.evidence else None
    where = (
        code,
        problem.table,
        problem.row,
        problem.column,
        problem.department,
        first.page if first else None,
        first.text if first else None,
        problem.reported,
    )
    return hashlib.sha1(repr(where).encode("utf-8")).hexdigest()[:12]


def unique_ids(findings: Sequence[Finding]) -> list[Finding]:
    """Two findings at one location (two columns printed with the same header) would share an
    id; the second and later get the id of (id, occurrence), which stays stable as long as the
    rules run in the same order."""
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        n = seen.get(f.id, 0)
        seen[f.id] = n + 1
        if n:
            f = replace(f, id=hashlib.sha1(f"{f.id}#{n}".encode()).hexdigest()[:12])
        out.append(f)
    return out


def _order(f: Finding) -> tuple[int, int, str]:
    page = f.evidence[0].page if f.evidence else 0
    return f.severity.rank, page, f.rule


Key = tuple[int, tuple[float, ...] | None, str]


def _key(span: Span) -> Key:
    """A printed number's identity: its page, its box (or its index in the block), its text."""
    src = span.source
    where = tuple(round(v, 1) for v in src.bbox) if src.bbox else tuple(map(float, src.index or ()))
    return src.page, where or None, span.text.strip()


def coverage(numbers: Iterable[Span], touched: set[Key]) -> Coverage:
    """How many printed figures took part in at least one check; the rest listed.

    `numbers` are the document's figures (`pipeline.validate.figures`): dates, positions,
    list sizes, lengths of time and serial numbers are not among them.
    """
    spans = list(numbers)
    unchecked = [s for s in spans if _key(s) not in touched]
    return Coverage(
        numbers=len(spans),
        checked=len(spans) - len(unchecked),
        unchecked=tuple(Evidence(s.source, s.text) for s in unchecked),
    )
