"""Printed tables to typed columns and aligned records.

Each header path is mapped to a canonical metric and a weight ("(35分)"); each
body cell is read as a number where it is one; rows whose cell count differs
from the header are placed by `columns.align_rows`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from pipeline.errors import ParseError
from pipeline.model import (
    Cell,
    Column,
    DepartmentName,
    NormalizedTable,
    Number,
    Period,
    Record,
    Table,
    Value,
)
from pipeline.normalize.columns import align_rows
from pipeline.normalize.metrics import SHARE as SHARE_METRIC
from pipeline.normalize.metrics import columns_to_metrics, header_weight
from pipeline.normalize.numbers import chinese_to_int, parse_number
from pipeline.normalize.periods import find_periods
from pipeline.normalize.script import fold_text
from pipeline.normalize.totals import is_total_row as is_total_row  # validate reads it here

DEPARTMENT = "department"
RANK = "rank"
# A place printed as an ordinal in a rank column: 第一名, 第12位, 第三.
ORDINAL = re.compile(r"第(?P<n>[0-9]+|[一二三四五六七八九十百两〇零]+)(?:名|位)?")
NOT_DEPARTMENTS = frozenset({"category"})  # text columns whose rows are not departments


def parse_cell(cell: Cell) -> Value:
    """A cell as a number when it prints one; the raw text is kept either way."""
    try:
        number: Number | None = parse_number(cell.text)
    except ParseError:
        number = None
    return Value(number=number, cell=cell)


def table_columns(table: Table, *, fold: bool = False) -> tuple[Column, ...]:
    """Typed columns from the header paths; the weight may sit on the group header. With
    `fold` (a page printed in traditional characters) the headers are read in simplified
    characters, as the narrative is, so 辦結率 and 已辦結 meet the vocabulary's 办结."""
    paths = table.columns
    if fold:
        paths = tuple(tuple(fold_text(part) for part in path) for path in paths)
    metrics = columns_to_metrics(paths)
    return tuple(
        Column(path=path, metric=metric, weight=header_weight(path), group=path[0] if path else "")
        for path, metric in zip(paths, metrics, strict=True)
    )


def department_column(table: Table, columns: Sequence[Column]) -> int | None:
    """The column of department names: by its header, else the first mostly-text column.

    A column headed as a category (诉求类别, 问题类型) lists topics, not departments: a
    table whose rows are topics has no department column, nor has one whose first text
    column names groups of rows (`is_group_column`).
    """
    for i, col in enumerate(columns):
        if col.metric == DEPARTMENT:
            return i
    for i, col in enumerate(columns):
        if col.metric in NOT_DEPARTMENTS:
            continue
        cells = [row[i] for row in table.body_rows if i < len(row)]
        words = [c for c in cells if c.text and parse_cell(c).number is None]
        if cells and len(words) > len(cells) / 2:
            return None if is_group_column([c.text for c in cells]) else i
    return None


def is_group_column(texts: Sequence[str]) -> bool:
    """A column that names groups of rows (商品类 over 食品, 家电, 小计), each group's name
    printed once over its rows and repeated into each (extract/grid.py): every name runs
    over consecutive rows and at least one over two. Its rows are not departments."""
    runs = [text for k, text in enumerate(texts) if k == 0 or texts[k - 1] != text]
    return len(runs) < len(texts) and len(set(runs)) == len(runs)


def normalize_table(
    index: int,
    table: Table,
    names: Mapping[str, DepartmentName],
    *,
    default_year: int | None,
    fold: bool = False,
) -> NormalizedTable:
    """Columns, aligned records and the period the table's title names (headers folded to
    simplified characters with `fold`)."""
    columns = table_columns(table, fold=fold)
    dept = department_column(table, columns)
    parsed = [tuple(parse_cell(c) for c in row) for row in table.body_rows]
    parsed = _ordinal_ranks(parsed, columns)
    columns, rows = align_rows(columns, parsed, dept)
    percent = _percent_columns(columns, rows)
    rows = [_with_header_units(r, percent) for r in rows]
    records = tuple(_record(i + 1, r, names, dept) for i, r in enumerate(rows))
    return NormalizedTable(
        index=index,
        table=table,
        columns=columns,
        records=records,
        period=_title_period(table.title, default_year),
        department_column=dept,
    )


def _ordinal_ranks(
    rows: Sequence[tuple[Value, ...]], columns: Sequence[Column]
) -> list[tuple[Value, ...]]:
    """Places printed as ordinals (第一名, 第4位) under a rank header read as the numbers
    they rank by, so a ranking that prints them is checked like one printing 1, 2, 3. The
    printed text is kept as the number's text."""
    ranks = {c for c, col in enumerate(columns) if col.metric == RANK}
    return [
        tuple(_ordinal(v) if c in ranks and v.number is None else v for c, v in enumerate(row))
        for row in rows
    ]


def _ordinal(value: Value) -> Value:
    text = value.cell.text.strip()
    match = ORDINAL.fullmatch(text)
    if match is None:
        return value
    digits = match["n"]
    place = int(digits) if digits.isdigit() else chinese_to_int(digits)
    return replace(value, number=Number(text=text, value=Decimal(place), decimals=0))


def percent_header(path: Sequence[str]) -> bool:
    """A header that carries the unit, "办结率（%）": its cells print bare numbers."""
    return any("%" in part or "％" in part for part in path)


def _percent_columns(columns: Sequence[Column], rows: Sequence[Record]) -> list[bool]:
    """Which columns print percentages without a sign: a "(%)" header, or a share (占比,
    比重) whose figures are not fractions of one. A share column of 33.85, 2.61, ... under
    a unit line "单位：人、%" is in percent; one of 0.34, 0.03 is a fraction and stays one."""
    flags = []
    for c, col in enumerate(columns):
        figures = [
            v.number.exact
            for r in rows
            if not r.unaligned
            and c < len(r.values)
            and (v := r.values[c]) is not None
            and v.number is not None
        ]
        share = col.metric == SHARE_METRIC and any(x > 1 for x in figures)
        flags.append(percent_header(col.path) or share)
    return flags


def _with_header_units(row: Record, percent: Sequence[bool]) -> Record:
    """Cells of a percent column are percentages even though they print no sign."""
    if row.unaligned or len(row.values) != len(percent):
        return row
    values = tuple(
        replace(v, number=replace(v.number, percent=True))
        if v is not None and v.number is not None and is_percent
        else v
        for v, is_percent in zip(row.values, percent, strict=True)
    )
    return replace(row, values=values)


def _record(
    number: int,
    row: Record,
    names: Mapping[str, DepartmentName],
    dept: int | None,
) -> Record:
    label = _label(row.values, dept)
    department = None if label is None or is_total_row(label) else names.get(label)
    return Record(
        row=number,
        department=department,
        values=row.values,
        alignment=row.alignment,
        unaligned=row.unaligned,
    )


def _label(values: Sequence[Value | None], dept: int | None) -> str | None:
    if dept is None or dept >= len(values):
        return None
    value = values[dept]
    return value.cell.text if value is not None else None


def _title_period(title: str, default_year: int | None) -> Period | None:
    found = find_periods(title, default_year=default_year)
    return found[0][0] if found else None


def department_labels(table: Table) -> list[str]:
    """The department names a table prints (not its 合计 rows)."""
    columns = table_columns(table)
    dept = department_column(table, columns)
    if dept is None:
        return []
    labels = [row[dept].text for row in table.body_rows if dept < len(row)]
    return [t for t in labels if t and not is_total_row(t)]
