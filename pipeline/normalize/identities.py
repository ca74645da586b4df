"""The departments of a document as identities: one object per department, made here only.

A department is named in a table's department column (the one `department_column` chose,
whatever its header says) and in sentences (rank lists, mentions). Each printed spelling was
resolved to a canonical name (departments.py); the spellings of one canonical name in one
district are one department, whose id the dataset, the audit and the reports share.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from pipeline.model import (
    Claim,
    DepartmentIdentity,
    DepartmentName,
    NormalizedTable,
    Source,
    Spelling,
)


def department_id(district: str | None, canonical: str) -> str:
    """The id of a department: "<district>/<canonical name>", or the canonical name when the
    district is unknown. Minted here only; nothing parses it back (DepartmentIdentity carries
    the district and the name)."""
    return f"{district}/{canonical}" if district else canonical


def department_identities(
    tables: Iterable[NormalizedTable],
    claims: Iterable[Claim],
    names: Mapping[str, DepartmentName],
    district: str | None,
) -> tuple[DepartmentIdentity, ...]:
    """One identity per canonical name the tables' department columns and the claims print,
    with every spelling (first source kept), in id order."""
    spellings: dict[str, dict[str, Spelling]] = {}
    for name, source in [*_table_names(tables), *_claim_names(claims, names)]:
        found = spellings.setdefault(name.canonical, {})
        found.setdefault(name.printed, Spelling(name.printed, name.reason, source))
    identities = (
        DepartmentIdentity(
            id=department_id(district, canonical),
            canonical=canonical,
            district=district,
            spellings=tuple(printed.values()),
        )
        for canonical, printed in spellings.items()
    )
    return tuple(sorted(identities, key=lambda d: d.id))


def _table_names(tables: Iterable[NormalizedTable]) -> Iterator[tuple[DepartmentName, Source]]:
    for table in tables:
        column = table.department_column
        if column is None:
            continue
        for record in table.records:
            value = record.values[column] if column < len(record.values) else None
            if record.department is not None and value is not None:
                yield record.department, value.cell.source


def _claim_names(
    claims: Iterable[Claim], names: Mapping[str, DepartmentName]
) -> Iterator[tuple[DepartmentName, Source]]:
    for claim in claims:
        for printed in claim.names:
            name = names.get(printed)
            if name is not None:
                yield name, claim.source
