"""How narrative rates are computed: numerator and denominators from a data file.

`pipeline/data/rates.json` maps each rate metric to the count metric on top and
the count metrics it may be taken over, most usual first; it also names the rates taken
over the orders they follow (RATE002) and the words of such counts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from pipeline.errors import ConfigError
from pipeline.model import Claim, ClaimKind
from pipeline.normalize.numbers import DATA_DIR


@dataclass(frozen=True, slots=True)
class RateDefinition:
    numerator: str
    denominators: tuple[str, ...]


PATH = DATA_DIR / "rates.json"


@lru_cache(maxsize=1)
def _rates_file() -> dict[str, Any]:
    try:
        raw = json.loads(PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{PATH}: malformed rate definitions ({exc})") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{PATH}: malformed rate definitions (not an object)")
    return raw


@lru_cache(maxsize=1)
def rate_definitions() -> dict[str, RateDefinition]:
    try:
        raw = _rates_file()["rates"]
        return {k: RateDefinition(v["numerator"], tuple(v["denominators"])) for k, v in raw.items()}
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{PATH}: malformed rate definitions ({exc})") from exc


@dataclass(frozen=True, slots=True)
class OrderWords:
    """The words of rates over orders (RATE002)."""

    rates: tuple[str, ...]  # rates over orders, longest first
    orders: tuple[str, ...]  # words of a count of orders
    done: tuple[str, ...]  # words of a count of orders done: a numerator


@lru_cache(maxsize=1)
def order_words() -> OrderWords:
    """Raises ConfigError on a bad file."""
    try:
        raw = _rates_file()
        rates = sorted((str(n) for n in raw["over_orders"]), key=len, reverse=True)
        return OrderWords(tuple(rates), tuple(raw["order_words"]), tuple(raw["done_words"]))
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{PATH}: malformed rates over orders ({exc!r})") from exc


def exact_count(claim: Claim) -> int | None:
    """A count claim's exact integer (None for a non-integer, scaled or percent figure)."""
    n = claim.value
    if n is None or n.percent or n.scale != 1 or n.exact != n.exact.to_integral_value():
        return None
    return int(n.exact)


def rate_inputs(rate: Claim, counts: Sequence[Claim]) -> list[tuple[Claim, Claim]]:
    """(numerator, denominator) count claims the rate may be made of, from counts stated with it.

    Only exact counts of the rate's own channels and subject count, not a
    category's or a previous period's.
    """
    tops, bases = rate_operands(rate, counts)
    return [(n, d) for n in tops for d in bases if n is not d]


def rate_operands(rate: Claim, counts: Sequence[Claim]) -> tuple[list[Claim], list[Claim]]:
    """The numerator and the denominator counts of `rate_inputs`, in the order given."""
    definition = rate_definitions().get(rate.metric or "")
    if rate.kind is not ClaimKind.RATE or definition is None:
        return [], []
    same = [
        c for c in counts if c.scope == rate.scope and c.subject == rate.subject and exact_count(c)
    ]
    tops = [c for c in same if c.metric == definition.numerator]
    bases = [c for c in same if c.metric in definition.denominators]
    return tops, bases


def rate_pairs(rate: Claim, counts: Sequence[Claim]) -> list[tuple[int, int]]:
    """The integer pairs of `rate_inputs`."""
    return [(exact_count(n) or 0, exact_count(d) or 1) for n, d in rate_inputs(rate, counts)]


def ratio(pair: tuple[int, int]) -> Fraction:
    return Fraction(pair[0], pair[1])
