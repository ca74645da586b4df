"""SUM007: the outcomes of a review add up to what the review received.

Proposal reports print what a session received and then how the review sorted it
("收到提案300件，经审查，立案270件，并案10件，不予立案20件"), the outcomes sometimes in a
paragraph of their own after the one that says how many were received. The outcomes split
what was received: no list word says so, the outcome words do
(`pipeline/data/review_outcomes.json`). A run of them, one the filed count and one not
filed (不予立案, 转为意见建议), is judged against the nearest count received printed before
it (its paragraph, or the one before). They add up, a run of them does, or they do less the
merged (并案 may lie within the filed count) -> checked. They do not -> a warning: a review
may have an outcome the text leaves unsaid (proposals withdrawn, still under review), so
the pairing is never sure enough for an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, QuantityKind, Severity
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    by_paragraph,
    exact_count,
    quantity_evidence,
    quantity_span,
)
from pipeline.validate.text_runs import sum_runs

DATA = Path(__file__).resolve().parents[2] / "data" / "review_outcomes.json"


@dataclass(frozen=True, slots=True)
class OutcomeWords:
    outcomes: tuple[str, ...]  # longest first: 不予立案 before 立案
    filed: tuple[str, ...]
    not_filed: tuple[str, ...]  # 不予立案, 转为意见建议: what makes a run cover the whole
    merged: tuple[str, ...]  # 并案: counted apart, or within the filed count
    tails: tuple[str, ...]
    received: tuple[str, ...]
    not_additive: tuple[str, ...]


@cache
def outcome_words() -> OutcomeWords:
    """review_outcomes.json, read once. Raises ConfigError on a bad file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return OutcomeWords(
            outcomes=tuple(sorted(raw["outcomes"], key=len, reverse=True)),
            filed=tuple(raw["filed"]),
            not_filed=tuple(raw["not_filed"]),
            merged=tuple(raw["merged"]),
            tails=tuple(raw["tails"]),
            received=tuple(raw["received"]),
            not_additive=tuple(raw["not_additive"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed review outcome words ({exc!r})") from exc


def outcome_of(q: Quantity) -> str | None:
    """The outcome a count's words end in (经审查立案 -> 立案, 不予立案的 -> 不予立案)."""
    words = outcome_words()
    if exact_count(q) is None or q.kind is not QuantityKind.COUNT:
        return None
    label = q.label.strip(" ，,、；;：:")
    if any(w in label for w in words.not_additive):
        return None
    trimmed = True
    while trimmed:
        trimmed = False
        for tail in words.tails:
            if label.endswith(tail):
                label, trimmed = label[: -len(tail)], True
    return next((w for w in words.outcomes if label.endswith(w)), None)


def outcome_runs(quantities: Sequence[Quantity]) -> Iterator[list[Quantity]]:
    """Runs of consecutive counts of one unit that are all outcomes (shares and changes
    may stand between: "立案90件，占90%；并案4件"; so may a full stop: "立案90件。不予立案
    6件。"), holding the filed count and one not filed."""
    run: list[Quantity] = []
    for q in [*quantities, None]:
        if q is not None and q.kind in (QuantityKind.PERCENT, QuantityKind.CHANGE) and run:
            continue
        joins = q is not None and outcome_of(q) is not None
        if joins and q is not None and (not run or q.value.unit == run[-1].value.unit):
            run.append(q)
            continue
        if _covers(run):
            yield run
        run = [q] if joins and q is not None else []


def _covers(run: Sequence[Quantity]) -> bool:
    words = outcome_words()
    kinds = {outcome_of(q) for q in run}
    return bool(kinds & set(words.filed)) and bool(kinds & set(words.not_filed))


def received_before(before: Sequence[Quantity], run: Sequence[Quantity]) -> Quantity | None:
    """The nearest count received printed before the run, as large as its largest part."""
    words = outcome_words()
    largest = max(exact_count(q) or 0 for q in run)
    for q in reversed(before):
        n = exact_count(q)
        if n is None or q.kind is not QuantityKind.COUNT or q.value.unit != run[0].value.unit:
            continue
        if any(w in q.label for w in words.received) and n >= largest and q.series is None:
            return q
    return None


@rule("SUM007", Severity.WARNING, "the outcomes of a review add up to what it received")
def check_review_outcomes(norm: Normalized) -> Iterator[Problem | Checked]:
    grouped = by_paragraph(norm)
    for index, quantities in grouped.items():
        earlier = grouped.get(index - 1, [])
        for run in outcome_runs(quantities):
            before = [*earlier, *(q for q in quantities if q.start < run[0].start)]
            total = received_before(before, run)
            if total is None:
                continue
            found = _making(run, exact_count(total) or 0)
            yield Checked(tuple(map(quantity_span, (total, *(found or run)))))
            if found is None:
                yield _problem(total, run)


def _making(run: Sequence[Quantity], n: int) -> list[Quantity] | None:
    """The outcomes that make the count received: a run of them, or failing that the run
    less the merged ones, which the filed count may hold (立案50件，并案5件，实际立案45件)."""
    found = sum_runs(run, n)
    if found is not None:
        return found
    unmerged = [q for q in run if outcome_of(q) not in outcome_words().merged]
    return unmerged if sum(exact_count(q) or 0 for q in unmerged) == n else None


def _problem(total: Quantity, run: Sequence[Quantity]) -> Problem:
    values = [exact_count(q) or 0 for q in run]
    added = sum(values)
    said = " + ".join(f"{outcome_of(q)} {v}" for q, v in zip(run, values, strict=True))
    return Problem(
        message=(
            f"the outcomes of the review add up to {added} ({said}), "
            f"not to the {total.value.text} received"
        ),
        evidence=(quantity_evidence(total), *map(quantity_evidence, run)),
        reported=total.value.text,
        expected=str(added),
        explanation=(
            "what a review received is sorted into its outcomes (filed, merged, not filed…); "
            "either a figure carries a slip or an outcome goes unsaid"
        ),
        severity=Severity.WARNING,
    )
