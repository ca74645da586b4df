"""Department names the audit had to reconcile, each with its evidence."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.model import Evidence, Normalized, Problem, Severity, Source
from pipeline.validate.facts import evidence, table_label
from pipeline.validate.registry import rule


def _where_printed(norm: Normalized) -> dict[str, tuple[Source, str | None]]:
    """The first place each department name was printed, and its table."""
    found: dict[str, tuple[Source, str | None]] = {}
    for table in norm.tables:
        for record in table.records:
            if record.department is None:
                continue
            for value in record.values:
                if value is not None and value.cell.text == record.department.printed:
                    found.setdefault(value.cell.text, (value.cell.source, table_label(table)))
    for claim in norm.claims:
        for name in claim.names:
            found.setdefault(name, (claim.source, None))
    return found


@rule("NAME001", Severity.INFO, "department names printed differently are read as one department")
def check_names(norm: Normalized) -> Iterator[Problem]:
    printed_at = _where_printed(norm)
    others = {d.canonical: [] for d in norm.departments}  # type: dict[str, list[str]]
    for d in norm.departments:
        others[d.canonical].append(d.printed)
    for d in norm.departments:
        if d.reason == "exact" or d.printed == d.canonical:
            continue
        source, table = printed_at.get(d.printed, (None, None))
        spellings = " / ".join(dict.fromkeys([d.printed, *others[d.canonical]]))
        proof: tuple[Evidence, ...] = (evidence(source, d.printed),) if source else ()
        yield Problem(
            message=f"{d.printed} is read as {d.canonical} ({d.reason}: {d.detail})",
            evidence=proof,
            reported=d.printed,
            expected=d.canonical,
            explanation=f"spellings in this document: {spellings}",
            table=table,
            department=d.canonical,
        )
