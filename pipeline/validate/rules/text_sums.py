"""Totals the narrative states against the parts it lists, and figures other figures reproduce.

SUM001: "共受理N件。其中，A类a件……其他类x件" or "受理N件，办结a件，在办b件": a count
followed by counts of its parts (in its sentence, or after 其中 / "N件…中" up to the
full stop). The parts add up to the total -> checked. They do not, and the list is
whole (it closes with 其他 / 其余, or two parts split the whole as 办结/在办 do) -> error.
A list that need not be whole (the largest categories only) says nothing when short.

REL001: the arithmetic search behind coverage. A percentage that some printed count
of its paragraph over another reproduces, and a count that a run of the counts after
it adds up to, took part in a check: they count as recomputed. It finds no errors:
such a pairing rests on arithmetic alone, not on words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fractions import Fraction

from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.normalize.paragraphs import document_to_paragraphs
from pipeline.normalize.quantities import quantity_words
from pipeline.numeric.arithmetic import Rounding, interval_of
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    accepted_roundings,
    by_paragraph,
    exact_count,
    quantity_evidence,
    quantity_span,
)

FULL_STOPS = "。！？!?"
PREVIOUS_WORDS = ("上月", "上年", "去年", "同期", "上周", "上季度", "同比", "环比")


def _parts(text: str, total: Quantity, quantities: Sequence[Quantity]) -> list[Quantity]:
    """The counts listed as parts of `total` (empty when nothing opens such a list)."""
    words = quantity_words()
    if total.series is not None:
        return []  # an item of a list is no total of the items after it
    opened = _lead(text, total.end)
    start = total.end if opened is None else opened
    end = _next_stop(text, start + 1)
    parts: list[Quantity] = []
    for q in quantities:
        if not start <= q.start < end:
            continue
        if q.kind is QuantityKind.CHANGE or any(w in q.label for w in PREVIOUS_WORDS):
            continue
        if q.kind is not QuantityKind.COUNT or q.value.unit != total.value.unit:
            continue
        if parts and any(q.label.startswith(w) for w in ("共", *words.total_words)):
            break  # a new total starts
        if exact_count(q) is None:
            return []
        parts.append(q)
    if opened is None:
        # without 其中 only a pair of the total's own sentence that splits the whole
        pair = [q for q in parts if q.sentence == total.sentence]
        return pair if len(pair) == 2 and _complements(pair) else []
    if any(w in text[total.end : parts[0].start if parts else end] for w in words.partial):
        return []  # "其中名列前十的为": the largest parts only
    return parts


def _next_stop(text: str, start: int) -> int:
    found = [i for c in FULL_STOPS if (i := text.find(c, start)) >= 0]
    return min(found) if found else len(text)


def _lead(text: str, after: int) -> int | None:
    """Where a list of the total's parts opens: "N件，其中…", "N件：…", "N件…中，…" in its
    sentence, or a next sentence that opens with 其中. None when nothing opens one."""
    lead_words = quantity_words().parts_lead
    stop = _next_stop(text, after)
    clause = re.match(r"[^，,；;：:。！？!?]*", text[after:stop])
    head = clause.group(0) if clause else ""
    rest = text[after + len(head) : stop]
    if head.endswith("中") or rest.startswith(("：", ":")):
        return after + len(head) + 1
    if rest[1:].lstrip().startswith(lead_words):
        return after + len(head) + 1
    if not text[after:stop].strip(" ，,件条个人次") and text[
        stop + 1 : stop + 6
    ].lstrip().startswith(lead_words):
        return stop + 1
    return None


def _whole(parts: Sequence[Quantity]) -> bool:
    """A list that covers its total: it closes with 其他, or two parts split the whole."""
    words = quantity_words()
    if any(w in q.label for q in parts for w in words.catch_all):
        return True
    return len(parts) == 2 and _complements(parts)


def _complements(parts: Sequence[Quantity]) -> bool:
    a, b = (q.label for q in parts)
    pairs = quantity_words().complements
    return any(
        (x in a and y in b and x not in b) or (y in a and x in b and x not in a) for x, y in pairs
    )


def _sum_runs(parts: Sequence[Quantity], total: int) -> list[Quantity] | None:
    """The first run of consecutive parts (two or more) that adds up to the total."""
    values = [exact_count(q) or 0 for q in parts]
    for i in range(len(values)):
        acc = values[i]
        for j in range(i + 1, len(values)):
            acc += values[j]
            if acc == total:
                return list(parts[i : j + 1])
            if acc > total:
                break
    return None


def _problem(total: Quantity, parts: Sequence[Quantity]) -> Problem:
    values = [exact_count(q) or 0 for q in parts]
    added = sum(values)
    n = exact_count(total) or 0
    said = " + ".join(map(str, values))
    gap = n - added
    return Problem(
        message=f"the parts the text lists add up to {added} ({said}), not to {total.value.text}",
        evidence=(quantity_evidence(total), *map(quantity_evidence, parts)),
        reported=total.value.text,
        expected=str(added),
        explanation=(
            f"the list closes its total ({', '.join(q.label[-6:] for q in parts[-2:])}), "
            f"yet {abs(gap)} {'are missing from' if gap > 0 else 'are more than'} the stated total"
        ),
    )


@rule("SUM001", Severity.ERROR, "the parts the text lists add up to the total it states")
def check_text_sums(norm: Normalized) -> Iterator[Problem | Checked]:
    paragraphs = document_to_paragraphs(norm.document)
    for index, quantities in by_paragraph(norm).items():
        text = paragraphs[index].text
        for total in quantities:
            n = exact_count(total)
            if n is None:
                continue
            parts = _parts(text, total, quantities)
            if len(parts) < 2:
                continue
            run = _sum_runs(parts, n)
            if run is not None:
                yield Checked((quantity_span(total), *map(quantity_span, run)))
            elif _whole(parts):
                yield Checked((quantity_span(total), *map(quantity_span, parts)))
                yield _problem(total, parts)


@rule("REL001", Severity.INFO, "figures that other printed figures of the paragraph reproduce")
def check_reproduced(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = accepted_roundings(norm)
    for quantities in by_paragraph(norm).values():
        counts = [(q, n) for q in quantities if (n := exact_count(q)) is not None and n > 0]
        for q in quantities:
            if q.kind is QuantityKind.PERCENT:
                pair = _ratio_pair(q, counts, accepted)
                if pair is not None:
                    yield Checked((quantity_span(q), *map(quantity_span, pair)))
        yield from _sums(counts)


def _ratio_pair(
    q: Quantity, counts: Sequence[tuple[Quantity, int]], accepted: Sequence[Rounding]
) -> tuple[Quantity, Quantity] | None:
    intervals = [interval_of(q.value, r) for r in accepted]
    for den, d in counts:
        for num, n in counts:
            if num is den or n > d:
                continue
            x = Fraction(n, d)
            if any(iv.contains(x) for iv in intervals):
                return num, den
    return None


def _sums(counts: Sequence[tuple[Quantity, int]]) -> Iterator[Checked]:
    for k, (total, n) in enumerate(counts):
        rest = [q for q, _ in counts[k + 1 :] if q.value.unit == total.value.unit]
        run = _sum_runs(rest, n)
        if run is not None:
            yield Checked((quantity_span(total), *map(quantity_span, run)))
