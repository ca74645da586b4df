"""The rounding convention: which conventions a document's evidence cannot tell apart
(pipeline/validate/facts.py), and how figures are judged under them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.model import Finding, Severity
from pipeline.normalize import normalize
from pipeline.numeric.arithmetic import Rounding
from pipeline.validate import audit
from pipeline.validate.facts import admissible_roundings
from tests.unit.test_figures import document, line, table

H, T, E = Rounding.HALF_UP, Rounding.TRUNCATE, Rounding.HALF_EVEN


@pytest.mark.parametrize(
    ("support", "admissible"),
    [
        ((("half_up", 20), ("truncate", 20), ("half_even", 20)), (H, E, T)),
        ((("half_up", 192), ("truncate", 152), ("half_even", 192)), (H, E)),
        ((("half_up", 0), ("truncate", 48), ("half_even", 0)), (T,)),
        ((), (H,)),
    ],
)
def test_conventions_admissible_are_the_ones_with_the_most_support(
    support: tuple[tuple[str, int], ...], admissible: tuple[Rounding, ...]
) -> None:
    norm = replace(normalize(document(())), rounding_support=support)
    if support:
        best = max(support, key=lambda s: (s[1], s[0] == "half_up"))[0]
        norm = replace(norm, rounding=best)
    assert admissible_roundings(norm) == admissible


# A held-out bulletin's attachment adds to 12279 received; its text prints 1.22万 (12279
# truncated; half-up gives 1.23万). Nothing else in it tells half-up from truncation.
ROWS = [["1", "区民政局", "5000", "4990"], ["2", "区财政局", "4000", "3990"]]
ROWS += [["3", "区司法局", "3279", "3250"]]


def xref(paragraph: str) -> list[Finding]:
    doc = document((line(paragraph, 0, 0),), (table(ROWS),))
    found = audit(normalize(doc)).findings
    return [f for f in found if f.rule == "XREF001"]


def test_conventions_count_in_wan_under_an_undecided_convention_is_accepted() -> None:
    assert xref("本月热线受理群众诉求1.22万件（详见附件1）。") == []


def test_conventions_count_in_wan_no_convention_gives_is_an_error() -> None:
    (found,) = xref("本月热线受理群众诉求1.25万件（详见附件1）。")
    assert (found.severity, found.expected) == (Severity.ERROR, "12279")


def test_conventions_count_in_wan_under_another_convention_is_a_warning() -> None:
    # 3250 / 3279 = 99.1155%: the rate column prints it half-up (99.12%), so the document
    # rounds half-up and 1.22万 holds only under truncation
    rated = [
        [*row, f"{rate}%"] for row, rate in zip(ROWS, ("99.80", "99.75", "99.12"), strict=True)
    ]
    names = ("序号", "单位", "受理量", "办结量", "办结率")
    doc = document(
        (line("本月热线受理群众诉求1.22万件（详见附件1）。", 0, 0),), (table(rated, names=names),)
    )
    norm = normalize(doc)
    assert admissible_roundings(norm) == (H, E)
    (found,) = [f for f in audit(norm).findings if f.rule == "XREF001"]
    assert found.severity is Severity.WARNING
    assert (
        found.explanation
        == "1.22万件 holds only under truncate rounding, while the document rounds half_up"
    )
