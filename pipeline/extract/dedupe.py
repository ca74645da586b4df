"""Fake bold removed: a glyph drawn again at (almost) the same place is dropped.

Word processors imitate bold by striking each glyph twice, slightly offset, which
doubles every character of the text layer. This keeps, among characters with the
same text, font and size whose positions chain within `TOLERANCE` points (first
down the page, then across), the top-left one, as pdfplumber's `dedupe_chars`
does, but in n log n: pdfplumber restores the page order with `list.index`, which
costs a quarter of the reading time of a full page. Sizes are compared to
`SIZE_DECIMALS` places: pdfminer computes a glyph's size from its box, so a copy
drawn a fraction of a point lower can come out 14.999999999999943 beside 15.0, and
pdfplumber then keeps both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.extract.lines import Char

TOLERANCE = 1.0
SIZE_DECIMALS = 6

Key = tuple[object, ...]


def dedupe_chars(chars: Sequence[Char], tolerance: float = TOLERANCE) -> list[Char]:
    """The characters without their doubles, in their original order."""
    # each character by its position in `chars`, which is also the order to restore
    groups: dict[Key, list[int]] = {}
    sizes: dict[float, float] = {}  # each size rounded once: a page prints few sizes
    for i, c in enumerate(chars):
        size = c.get("size")
        if isinstance(size, float):
            rounded = sizes.get(size)
            if rounded is None:
                rounded = round(size, SIZE_DECIMALS)
                if size == size:  # not NaN, which equals no key, not even its own
                    sizes[size] = rounded
            size = rounded
        key = (c.get("upright"), c["text"], c.get("fontname"), size)
        group = groups.get(key)
        if group is None:
            groups[key] = [i]
        else:
            group.append(i)
    if len(groups) == len(chars):  # no two characters alike: nothing can be a double
        return list(chars)
    kept: list[int] = []
    for found in groups.values():
        if len(found) == 1:
            kept.append(found[0])
            continue
        for row in _clusters(found, lambda i: float(chars[i]["doctop"]), tolerance):
            if len(row) == 1:  # alone on its line: no double
                kept.append(row[0])
                continue
            for cluster in _clusters(row, lambda i: float(chars[i]["x0"]), tolerance):
                kept.append(min(cluster, key=lambda i: (chars[i]["doctop"], chars[i]["x0"], i)))
    kept.sort()
    return [chars[i] for i in kept]


def _clusters(
    chars: Sequence[int], value: Callable[[int], float], tolerance: float
) -> list[list[int]]:
    """Characters (by position) grouped where their sorted values chain within `tolerance`."""
    ordered = sorted(chars, key=value)
    clusters: list[list[int]] = []
    last = 0.0
    for c in ordered:
        v = value(c)
        if clusters and v <= last + tolerance:
            clusters[-1].append(c)
        else:
            clusters.append([c])
        last = v
    return clusters
