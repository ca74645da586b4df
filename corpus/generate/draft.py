"""A bulletin while it is being built: the printed spec plus the exact values behind it.

The injector needs to know what each printed cell and figure means and its exact value;
the spec only keeps what is printed. `Draft.finish` drops the rest.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

from corpus.generate.figures import Figures, Period
from corpus.generate.names import District
from corpus.generate.numfmt import Style
from corpus.generate.spec import Claim, HeaderCell, InjectedError, Paragraph, TableSpec

COUNT_KEYS = frozenset(
    {"received", "completed", "completed_on_time", "visited", "satisfied", "pending", "count"}
    | {"hotline", "mailbox", "web", "sum", "base", "max"}
)


def is_count(key: str) -> bool:
    """Whether a column key names a count (table keys: see tables.py)."""
    return not key.startswith("mom.") and key.split(".")[-1] in COUNT_KEYS


@dataclass
class TableData:
    spec: TableSpec
    exact: list[list[Fraction | None]]  # per body row and column; None for text cells
    depts: list[str | None]  # canonical department per body row (None: 合计 or category)
    role: str  # score | rate:hotline | rate:mailbox | count | category | period
    period_text: str = ""  # the period as printed in the title
    extra_from: int | None = None  # body rows from here print a hidden received count
    hidden: list[str] = field(default_factory=list)  # that count as printed, per body row
    merge_row: int | None = None  # a row printing columns 2 and 3 (equal) as one cell
    components: int = 0  # sub-scores per row (score tables)

    @property
    def keys(self) -> list[str]:
        return self.spec.keys

    def col(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None

    def cols(self, prefix: str = "", suffix: str = "") -> list[int]:
        return [i for i, k in enumerate(self.keys) if k.startswith(prefix) and k.endswith(suffix)]

    def path(self, col: int) -> str:
        return "/".join(self.spec.columns[col])

    def body(self) -> list[int]:
        """Indexes of the rows that are not 合计 rows."""
        return [i for i in range(len(self.spec.body_rows)) if i not in self.spec.total_rows]


@dataclass
class ClaimData:
    claim: Claim
    para: int  # index of its paragraph in the body
    exact: Fraction | None = None  # the true value (a count, or a percentage)
    approx: bool = False  # printed in 万: not an exact count
    ref: tuple[str, str] | None = None  # (table id, column key) whose sum equals this count
    num: int | None = None  # rate or share: numerator and denominator counts
    den: int | None = None
    alt_dens: list[int] = field(default_factory=list)  # wrong bases a careless office uses
    checkable: bool = False  # the counts behind this figure are printed beside it


@dataclass
class PartList:
    """A total the text states and the counts it lists as its parts, all of them: closed by
    其他 ("catch_all") or split as 办结/在办 ("pair")."""

    # catch_all | pair | derived (the parts of a count the text splits) | split (one of the
    # splits of a total, or parts opening the next paragraph) | small (two parts with shares
    # and a small one without) | wan (parts of a total printed in 万)
    kind: str
    total: ClaimData
    parts: list[ClaimData]
    shares: list[ClaimData | None]  # the share printed after each part, if any


@dataclass
class Draft:
    rng: random.Random
    style: Style
    district: District
    fig: Figures
    period: Period
    tables: list[TableData] = field(default_factory=list)
    body: list[Paragraph] = field(default_factory=list)
    claims: list[ClaimData] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # attachment notes as printed
    departments: dict[str, str] = field(default_factory=dict)  # printed -> canonical
    errors: list[InjectedError] = field(default_factory=list)
    used: set[tuple[object, ...]] = field(default_factory=set)  # places already altered
    forms: bool = False  # print the opt-in wordings (spec.FORM_TYPES; narrative_forms.py)
    part_lists: list[PartList] = field(default_factory=list)
    real: bool = False  # print the forms of spec.REAL_TYPES (narrative_real.py)
    stats: bool = False  # print the forms of spec.STATS_TYPES (narrative_stats.py, _lists.py)

    def table(self, tid: str) -> TableData:
        return next(t for t in self.tables if t.spec.id == tid)

    def free(self, *places: tuple[object, ...]) -> bool:
        return not any(p in self.used for p in places)

    def take(self, *places: tuple[object, ...]) -> None:
        self.used.update(places)


def header(groups: list[tuple[str, list[str]]]) -> tuple[list[list[HeaderCell]], list[list[str]]]:
    """Header rows and column paths from (group, sub-columns); no sub-columns: one column."""
    if not any(subs for _, subs in groups):
        return [[HeaderCell(g) for g, _ in groups]], [[g] for g, _ in groups]
    top = [HeaderCell(g, colspan=max(1, len(s)), rowspan=1 if s else 2) for g, s in groups]
    sub = [HeaderCell(x) for _, subs in groups for x in subs]
    columns: list[list[str]] = []
    for g, subs in groups:
        columns.extend([[g, x] for x in subs] or [[g]])
    return [top, sub], columns
