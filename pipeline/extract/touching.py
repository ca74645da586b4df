"""Header runs read across cells whose texts touch, cut back into cells.

Without vertical rules, two header cells whose texts fill their columns print
with no gap between them and read as one run ("逾期退单得告警工单得"). A run
over several columns is cut at column edges into pieces that each sit centred
on their columns, unless it may be a group cell centred
over them: it is cut only when nothing lies under it, or when a line right
above or below it (the other line of a wrapped cell) is centred on one of its
pieces rather than on the whole run. Of the possible cuts, the one on whose
pieces most such lines are centred wins. Group cells side by side (each piece
over two columns or more) are cut when each piece fills its columns' width.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from pipeline.extract.columns import Columns
from pipeline.extract.lines import Char
from pipeline.extract.runs import Run, make_run

# A piece is centred on its columns within this share of their width.
CENTRED = 0.15
# Lines of one wrapped cell: the gap (font sizes) and the centring tolerance.
WRAP_GAP = 0.6
ALIGN = 0.5
# Group cells side by side fill this share of their columns' width.
FULL = 0.85
# Runs over more columns than this are left whole (the cuts to try grow as 2^n).
MAX_COLUMNS = 8


def split_touching(
    runs: Sequence[Run], columns: Columns, size: float, *, infer_spaces: bool
) -> list[Run]:
    """The header runs with every run over touching cells cut into its cells."""
    out = list(runs)
    i = 0
    while i < len(out):
        pieces = _cut(out[i], out, columns, size, infer_spaces)
        if pieces:
            out[i : i + 1] = pieces
            i = 0
        else:
            i += 1
    return out


def _cut(
    run: Run, runs: Sequence[Run], columns: Columns, size: float, infer_spaces: bool
) -> list[Run] | None:
    """The cut of `run` its wrapped neighbours support best (the finest on a tie)."""
    near = _neighbours(run, runs, size)
    cuts = list(_cuts(run, columns, size, infer_spaces))
    best: tuple[int, list[Run]] | None = None
    for pieces, _ in cuts:
        votes = sum(any(abs(o.centre - p.centre) <= ALIGN * size for p in pieces) for o in near)
        if best is None or votes > best[0]:
            best = (votes, pieces)
    if best is not None and (best[0] or _lowest(run, runs, size)):
        return best[1]
    groups = [pieces for pieces, parts in cuts if _touching_groups(pieces, parts, columns)]
    return groups[0] if groups else None


def _touching_groups(
    pieces: Sequence[Run], parts: Sequence[Sequence[int]], columns: Columns
) -> bool:
    """Group cells side by side: each piece over two columns or more, filling them."""
    for piece, part in zip(pieces, parts, strict=True):
        left, right = columns.boxes[part[0]][0], columns.boxes[part[-1]][1]
        width = piece.bbox[2] - piece.bbox[0]
        if len(part) < 2 or width < FULL * (right - left):
            return False
    return True


def _neighbours(run: Run, runs: Sequence[Run], size: float) -> list[Run]:
    """Lines right above or below the run, inside it, not centred on it."""
    near = []
    for o in runs:
        gap = max(o.bbox[1] - run.bbox[3], run.bbox[1] - o.bbox[3])
        if o is run or not -0.2 * size <= gap <= WRAP_GAP * size:
            continue
        if run.bbox[0] <= o.centre <= run.bbox[2] and abs(o.centre - run.centre) > ALIGN * size:
            near.append(o)
    return near


def _cuts(
    run: Run, columns: Columns, size: float, infer_spaces: bool
) -> Iterator[tuple[list[Run], list[list[int]]]]:
    """Cuts of `run` at column edges into pieces centred on their columns, finest first."""
    by_column: dict[int, list[Char]] = {}
    for c in run.glyphs:
        by_column.setdefault(columns.box_of((c["x0"] + c["x1"]) / 2), []).append(c)
    keys = sorted(by_column)
    if len(keys) < 2 or len(keys) > MAX_COLUMNS:
        return
    for parts in _partitions(keys):
        pieces = []
        for part in parts:
            piece = make_run([c for k in part for c in by_column[k]], infer_spaces)
            if piece is None or not _centred(piece, part, columns, size):
                break
            pieces.append(piece)
        else:
            yield pieces, parts


def _partitions(keys: Sequence[int]) -> Iterator[list[list[int]]]:
    """Cuts of `keys` into two or more adjacent parts, the most parts first."""
    gaps = range(1, len(keys))
    for n in range(len(keys) - 1, 0, -1):
        for cuts in itertools.combinations(gaps, n):
            bounds = [0, *cuts, len(keys)]
            yield [list(keys[a:b]) for a, b in itertools.pairwise(bounds)]


def _centred(run: Run, part: Sequence[int], columns: Columns, size: float) -> bool:
    left, right = columns.boxes[part[0]][0], columns.boxes[part[-1]][1]
    return abs(run.centre - (left + right) / 2) <= CENTRED * (right - left) + 0.25 * size


def _lowest(run: Run, runs: Sequence[Run], size: float) -> bool:
    """Nothing printed under the run: it cannot be a group cell."""
    return not any(
        o.bbox[1] > run.bbox[3] - 0.2 * size and o.bbox[0] < run.bbox[2] and run.bbox[0] < o.bbox[2]
        for o in runs
    )
