"""ARCH001-ARCH004 in the one rules registry (pipeline/validate/registry.py).

Each rule reads one Place. ARCH001 lowers itself to a warning for rounded figures, restated
figures and two files of one bulletin; the severity here is the one it gives otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.model import Severity
from pipeline.validate.crossdoc.place import Place
from pipeline.validate.crossdoc.ranks import check_bottom_runs
from pipeline.validate.crossdoc.rows import FindingRow
from pipeline.validate.crossdoc.series import check_sums, check_year_to_date
from pipeline.validate.crossdoc.values import check_values
from pipeline.validate.registry import archive_rule


@archive_rule(
    "ARCH001",
    Severity.ERROR,
    "a department's figure for a period is printed the same by every bulletin that prints it",
)
def check_same_figures(place: Place) -> Iterator[FindingRow]:
    return check_values(place.figures)


@archive_rule(
    "ARCH002",
    Severity.ERROR,
    "a count over several months equals the sum of the same department's monthly counts",
)
def check_month_sums(place: Place) -> Iterator[FindingRow]:
    return check_sums(place.figures)


@archive_rule(
    "ARCH003", Severity.ERROR, "a year-to-date count does not fall from one period to the next"
)
def check_year_to_date_rises(place: Place) -> Iterator[FindingRow]:
    return check_year_to_date(place.figures)


@archive_rule(
    "ARCH004",
    Severity.INFO,
    "no department stays in the bottom group of the ranking three periods running",
)
def check_bottom_group_runs(place: Place) -> Iterator[FindingRow]:
    return check_bottom_runs(place.placements)
