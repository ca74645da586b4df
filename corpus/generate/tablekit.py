"""Shared pieces of the table builders: columns to header rows, values to printed cells."""

from __future__ import annotations

from fractions import Fraction

from corpus.generate.draft import Draft, TableData, header
from corpus.generate.names import Namer
from corpus.generate.paging import choose_layout
from corpus.generate.spec import TableSpec

Col = tuple[str, str, str]  # key, group, sub-column ("" when the group is the column)
Value = int | Fraction | str | None
NAME_WORDS = ("单位名称", "部门名称", "承办单位", "责任单位", "单位")
SCOPES = ("区级各部门", "各镇街、各部门", "各承办单位", "全区各单位")
RATE_KEYS = ("rate_", "share", "mom.")


def _cell(dr: Draft, key: str, v: Value, pct_cells: bool) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return dr.style.cell_num(v)
    return dr.style.cell_fixed(v, pct=pct_cells and key.startswith(RATE_KEYS))


def _groups(cols: list[Col]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for _, group, sub in cols:
        if sub and out and out[-1][0] == group and out[-1][1]:
            out[-1][1].append(sub)
        else:
            out.append((group, [sub] if sub else []))
    return out


def assemble(
    dr: Draft,
    ident: tuple[str, str, str, str],
    cols: list[Col],
    rows: list[dict[str, Value]],
    depts: list[str | None],
    pct_cells: bool = True,
) -> TableData:
    """A TableData from column definitions and rows of values ("name" == "合计": a total)."""
    tid, label, title, role = ident
    header_rows, columns = header(_groups(cols))
    body, exact, totals = [], [], []
    for i, row in enumerate(rows):
        body.append([_cell(dr, k, row.get(k), pct_cells) for k, _, _ in cols])
        exact.append([_exact(row.get(k)) for k, _, _ in cols])
        if "合计" in (row.get("name"), row.get("category"), row.get("rank")):
            totals.append(i)
    layout = choose_layout(len(rows), len(cols), dr.rng)
    kind = role.split(":")[0]
    spec = TableSpec(tid, label, title, kind, header_rows, columns, body, totals, layout)
    spec.keys = [k for k, _, _ in cols]
    return TableData(spec, exact, depts, role)


def _exact(v: Value) -> Fraction | None:
    return Fraction(v) if isinstance(v, int | Fraction) else None


def namer(dr: Draft) -> Namer:
    habit = dr.rng.choices(["plain", "mixed", "prefixed"], weights=[45, 30, 25])[0]
    return Namer(dr.district, habit, dr.rng)  # type: ignore[arg-type]


def title(dr: Draft, what: str) -> tuple[str, str]:
    """A table title and the period text printed in it."""
    period = dr.period.label(dr.rng.randrange(2))
    scope = dr.rng.choice((*SCOPES, dr.district.district))
    return f"{period}{scope}{what}", period
