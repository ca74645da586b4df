"""How a table is printed: rules, orientation, page breaks, and the seed's shifted rows."""

from __future__ import annotations

import random

from corpus.generate.draft import TableData, is_count
from corpus.generate.spec import TableLayout

ROOM = {False: 34, True: 24}  # body rows a portrait / landscape page holds at 9 pt


def choose_layout(n_rows: int, n_cols: int, rng: random.Random) -> TableLayout:
    ruling = rng.choices(["ruled", "partial", "unruled"], weights=[60, 25, 15])[0]
    landscape = n_cols >= 10 or rng.random() < 0.12
    page_rows = _page_rows(n_rows, ROOM[landscape], rng) if rng.random() < 0.36 else None
    return TableLayout(
        ruling=ruling,  # type: ignore[arg-type]
        landscape=landscape,
        page_rows=page_rows,
        repeat_header=bool(page_rows) and rng.random() < 0.5,
        continued_marker=bool(page_rows) and rng.random() < 0.4,
        font_size=rng.choice([9.0, 9.0, 9.0, 10.0, 10.5, 8.0]),
    )


def _page_rows(n: int, room: int, rng: random.Random) -> list[int] | None:
    """Rows per page for a table printed over 2-3 pages, the first page holding fewer."""
    if n < 12:
        return None
    pages = max(2 if n < 30 or rng.random() < 0.6 else 3, -(-n // room))
    if pages > 3:
        return None
    first = rng.randint(max(2, n // (2 * pages)), max(2, min(room - 6, n // pages)))
    rest, left = [], n - first
    for i in range(pages - 1, 0, -1):
        take = -(-left // i)
        rest.append(take)
        left -= take
    if any(r > room for r in rest):
        return None
    return [first, *rest]


def plan_shifts(t: TableData, rng: random.Random, hidden_ok: bool) -> None:
    """Choose the seed's habits for this table: continuation rows with one hidden count
    more than the header shows, or one row printing two equal counts as one cell."""
    layout = t.spec.layout
    if hidden_ok and not layout.page_rows and rng.random() < 0.5:  # the seed: a 2-page table
        layout.page_rows = _page_rows(len(t.spec.body_rows), ROOM[layout.landscape], rng)
        layout.repeat_header = False
    if hidden_ok and layout.page_rows and rng.random() < 0.7:
        t.extra_from = layout.page_rows[0]
        return
    k = t.keys
    if len(k) > 3 and is_count(k[2]) and is_count(k[3]) and rng.random() < 0.08:
        rows = [i for i in t.body() if t.exact[i][2] == t.exact[i][3]]
        t.merge_row = rng.choice(rows) if rows else None


def apply_shifts(t: TableData) -> None:
    """Print the planned habits (after errors are injected into the regular rows)."""
    rows = t.spec.body_rows
    if t.extra_from is not None:
        for i in range(t.extra_from, len(rows)):
            if i not in t.spec.total_rows:
                rows[i].insert(2, t.hidden[i])
    if t.merge_row is not None:
        row = rows[t.merge_row]
        if row[2] == row[3]:
            del row[3]
        else:
            t.merge_row = None
