from decimal import Decimal

from pipeline.model import Number
from pipeline.normalize.numbers import parse_number
from pipeline.numeric.arithmetic import Rounding
from pipeline.validate.explain import (
    RatioExplanation,
    RatioKind,
    SlipKind,
    copied_from,
    digit_slips,
    explain_ratio,
    explain_sum,
    integer_bases,
    share_base,
)


def pct(text: str) -> Number:
    digits = text.rstrip("%")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Number(text, Decimal(digits), decimals, percent=True)


# Integers printed in the seed bulletin, tagged with where they were printed.
SEED_POOL = [
    (1589, "body: received"),
    (1588, "body: completed"),
    (56, "body: letters received"),
    (56, "body: letters completed"),
    (55, "body: letters on time"),
    (583, "body: property"),
    (360, "body: business"),
    (213, "body: education"),
    (53, "attachment 2: total due"),
    (52, "attachment 2: total on time"),
    (53, "attachment 2: total completed"),
    (12, "attachment 2 row 1"),
    (8, "attachment 2 row 17"),
    (7, "attachment 2 row 17"),
    (345, "attachment 1: max completed"),
    (346, "attachment 1 row 29"),
    (343, "attachment 1 row 29"),
]


def test_explain_ratio_ranks_printed_pair_first() -> None:
    found = explain_ratio(
        pct("98.11%"), numerator=55, denominator=56, pool=SEED_POOL, rounding=Rounding.HALF_UP
    )
    best = found[0]
    assert (best.numerator, best.denominator) == (52, 53)
    assert best.kind is RatioKind.BOTH_PRINTED
    assert best.numerator_tags == ("attachment 2: total on time",)
    assert best.denominator_tags == (
        "attachment 2: total due",
        "attachment 2: total completed",
    )


def test_explain_ratio_never_returns_the_stated_pair() -> None:
    found = explain_ratio(pct("98.21%"), numerator=55, denominator=56, pool=SEED_POOL, limit=None)
    assert all((e.numerator, e.denominator) != (55, 56) for e in found)


def test_explain_ratio_denominator_from_pool_with_any_numerator() -> None:
    found = explain_ratio(pct("98.11%"), numerator=1559, denominator=1590, pool=[(1589, "body")])
    assert (found[0].numerator, found[0].denominator) == (1559, 1589)
    assert found[0].kind is RatioKind.DENOMINATOR_PRINTED
    assert found[0].numerator_tags == ()


def test_explain_ratio_near_stated_denominator() -> None:
    found: list[RatioExplanation[str]] = explain_ratio(
        pct("98.11%"), numerator=55, denominator=56, pool=[], limit=None
    )
    assert (52, 53) in [(e.numerator, e.denominator) for e in found]
    assert {e.kind for e in found} == {RatioKind.NEAR_DENOMINATOR}


def test_explain_ratio_numerator_off_by_one() -> None:
    found: list[RatioExplanation[str]] = explain_ratio(
        pct("75.00%"), numerator=2, denominator=4, pool=[], limit=None
    )
    kinds = {(e.numerator, e.denominator): e.kind for e in found}
    assert kinds[(3, 4)] is RatioKind.NUMERATOR_OFF_BY_ONE


def test_explain_ratio_nothing_explains() -> None:
    assert explain_ratio(pct("12.34%"), numerator=5, denominator=40, pool=[(7, "x")]) == []


def test_explain_digit_slips_of_1589() -> None:
    slips = digit_slips(1589)
    assert {1598, 1580, 1588, 5189, 1859, 2589} <= slips
    assert 1589 not in slips
    assert 589 not in slips and 15890 not in slips


def test_explain_digit_slips_never_lead_with_zero() -> None:
    assert all(len(str(n)) == 3 for n in digit_slips(105))
    assert 15 not in digit_slips(105)
    assert digit_slips(0) == set(range(1, 10))
    assert -21 in digit_slips(-12)


def test_explain_sum_transposed_total() -> None:
    found = explain_sum(1598, [583, 360, 213, 433])
    assert found[0].kind is SlipKind.TRANSPOSITION
    assert (found[0].part, found[0].printed, found[0].corrected) == (None, 1598, 1589)


def test_explain_sum_digit_slip_in_part() -> None:
    found = explain_sum(1589, [583, 360, 218, 433])
    assert found[0].kind is SlipKind.DIGIT
    assert (found[0].part, found[0].printed, found[0].corrected) == (2, 218, 213)


def test_explain_sum_off_by_one_and_omitted_part() -> None:
    kinds = {e.kind for e in explain_sum(1590, [1000, 589])}
    assert SlipKind.OFF_BY_ONE in kinds
    omitted = explain_sum(1000, [1000, 589])
    assert [(e.kind, e.part) for e in omitted][:1] == [(SlipKind.OMITTED_PART, 1)]


def test_explain_sum_holds_or_unexplained() -> None:
    assert explain_sum(10, [3, 7]) == []
    assert explain_sum(1000, [123, 456]) == []


SEED_SHARES = [(583, pct("36.71%")), (360, pct("22.67%")), (213, pct("13.41%"))]


def test_explain_share_base_of_seed_shares() -> None:
    base = share_base(SEED_SHARES, Rounding.HALF_UP)
    assert base is not None
    assert base.contains(1588)
    assert not base.contains(1589)
    assert not base.contains(1645)
    bases = integer_bases(SEED_SHARES, Rounding.HALF_UP)
    assert 1588 in bases
    assert 1589 not in bases and 1645 not in bases


def test_explain_share_base_empty_when_shares_disagree() -> None:
    assert share_base([(50, pct("50.00%")), (50, pct("25.00%"))]) is None
    assert integer_bases([(50, pct("50.00%")), (50, pct("25.00%"))]) == range(0)


def test_explain_share_base_skips_zero_shares() -> None:
    base = share_base([(1, pct("0.00%")), (50, pct("50.00%"))])
    assert base is not None and base.contains(100)
    assert share_base([(0, pct("0.00%"))]) is None


def test_explain_copied_from_keeps_neighbours_printing_the_same_digits() -> None:
    wrong = parse_number("98.50%")
    neighbours = [
        ("the row above", parse_number("98.5%"), "a"),  # same value, other digits
        ("the row below", parse_number("98.50%"), "b"),
        ("the previous period's column", parse_number("98.50"), "c"),  # not a percent
    ]
    found = copied_from(wrong, neighbours)
    assert [(c.how, c.tag) for c in found] == [("the row below", "b")]
    assert copied_from(wrong, []) == []


def test_explain_ratio_with_15_digit_printed_numbers_stays_fast() -> None:
    import time

    pool = [*SEED_POOL, (560000000000056, "a run-together cell"), (100000000000001, "an id")]
    start = time.perf_counter()
    found = explain_ratio(
        pct("98.11%"), numerator=55, denominator=56, pool=pool, rounding=Rounding.HALF_UP
    )
    assert time.perf_counter() - start < 2.0  # it walked a range of ~10^10 numerators before
    assert (found[0].numerator, found[0].denominator) == (52, 53)
