"""Rates over what was due, beside one another in a sentence (RATE005).

"本月应结案7711件……实际结案7164件（其中及时结案6196件，超时结案968），结案率为92.90%，
及时结案率为86.49%": a city-management report counts what was due (应结案) and states the
closure rates over it; 7164/7711 is 92.90%. The timely closure rate is of the same kind,
6196/7711 = 80.35%, yet 86.49% is 6196/7164, over the cases closed. When one rate of the
sentence holds over the due count, another of the same name that does not is a warning
naming the base it fits, since the words do not say its base outright. The words are data
(`pipeline/data/due_rates.json`); a missing or malformed file raises ConfigError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Checked, Normalized, Problem, Quantity, Severity
from pipeline.numeric.arithmetic import Rounding, format_as
from pipeline.validate.facts import admissible_roundings
from pipeline.validate.registry import rule
from pipeline.validate.text_quantities import (
    NAME_FILLERS,
    by_paragraph,
    exact_count,
    holds_share,
    quantity_evidence,
    quantity_span,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "due_rates.json"
MIN_NAME = 2  # 结案: a shorter name says too little
RATE = "率"


@dataclass(frozen=True, slots=True)
class DueWords:
    due: str
    timely: tuple[str, ...]
    not_done: tuple[str, ...]


@cache
def due_words() -> DueWords:
    """The words of due_rates.json, read once. Raises ConfigError on a bad file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return DueWords(str(raw["due"]), tuple(raw["timely"]), tuple(raw["not_done"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed due rates ({exc!r})") from exc


@dataclass(frozen=True, slots=True)
class DueRate:
    rate: Quantity
    part: Quantity  # the count of the rate's name (实际结案, 及时结案)
    due: Quantity  # what was due (应结案)
    others: tuple[Quantity, ...]  # the other counts of the sentence, bases it may fit


def _words(q: Quantity) -> str:
    return q.label.rstrip(NAME_FILLERS).rstrip("（(")


def _due_name(q: Quantity) -> str | None:
    """The name a due count is of: 结案 of 本月应结案."""
    words = _words(q)
    at = words.rfind(due_words().due)
    name = words[at + 1 :] if at >= 0 else ""
    return name if len(name) >= MIN_NAME and exact_count(q) else None


def due_rates(quantities: Sequence[Quantity]) -> Iterator[DueRate]:
    for i, due in enumerate(quantities):
        name = _due_name(due)
        if name is None:
            continue
        sentence = [q for q in quantities[i + 1 :] if q.sentence == due.sentence]
        counts = [q for q in sentence if exact_count(q) and q.value.unit == due.value.unit]
        for rate in sentence:
            found = _rate_of(rate, name)
            if found is None:
                continue
            part = _part(counts, rate, name, found)
            if part is not None:
                others = tuple(q for q in counts if q is not part and q.start < rate.start)
                yield DueRate(rate, part, due, others)


def _rate_of(rate: Quantity, name: str) -> str | None:
    """The timely word of a rate of the name ('' for 结案率 itself), or None."""
    words = _words(rate)
    if not rate.value.percent or not words.endswith(name + RATE):
        return None
    head = words[: -len(name + RATE)]
    return next((t for t in due_words().timely if head.endswith(t)), "")


def _part(counts: Sequence[Quantity], rate: Quantity, name: str, timely: str) -> Quantity | None:
    """The last count before the rate whose words end with the name, with the rate's timely
    word before it or, for the plain rate, with none and no word of what was not done."""
    for q in reversed([c for c in counts if c.start < rate.start]):
        words = _words(q)
        if not words.endswith(name):
            continue
        head = words[: -len(name)]
        if timely and head.endswith(timely):
            return q
        plain = not head.endswith(due_words().timely) and not head.endswith(due_words().not_done)
        if not timely and plain:
            return q
    return None


def _holds(part: Quantity, base: Quantity, rate: Quantity, accepted: Sequence[Rounding]) -> bool:
    n = Fraction(exact_count(part) or 0)
    return holds_share(n, exact_count(base) or 0, rate.value, accepted)


@rule(
    "RATE005",
    Severity.WARNING,
    "rates of one name beside a count of what was due (应结案) are all over it",
)
def check_due_rates(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for quantities in by_paragraph(norm).values():
        found = list(due_rates(quantities))
        held = {id(d.rate) for d in found if _holds(d.part, d.due, d.rate, accepted)}
        for d in found:
            spans = tuple(map(quantity_span, (d.rate, d.part, d.due)))
            if id(d.rate) in held:
                yield Checked(spans)
            elif held:  # a rate beside it is over the due: this one should be too
                yield Checked(spans)
                yield _problem(d, accepted)


def _problem(d: DueRate, accepted: Sequence[Rounding]) -> Problem:
    part, due, rate = (exact_count(d.part) or 0), (exact_count(d.due) or 1), d.rate.value.text
    expected = format_as(Fraction(part, due), d.rate.value, accepted[0])
    fits = next((q for q in d.others if _holds(d.part, q, d.rate, accepted)), None)
    reading = (
        f"; {rate} is {part} over the {fits.value.text} of {_words(fits)[-4:]}"
        if fits is not None
        else ""
    )
    return Problem(
        message=f"{rate} is not {d.part.value.text} over the {d.due.value.text} due = {expected}",
        evidence=tuple(map(quantity_evidence, (d.rate, d.part, d.due))),
        reported=rate,
        expected=expected,
        explanation=(
            f"a rate beside it of the same name is over what was due ({_words(d.due)[-4:]}"
            f"{d.due.value.text}){reading}"
        ),
    )
